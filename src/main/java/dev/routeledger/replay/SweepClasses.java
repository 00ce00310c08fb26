package dev.routeledger.replay;

import dev.routeledger.policy.Policy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep's fast path (SPEC §9: 100 policies in 30 s). Policies that share their tiers, rules, context-window
 * setting and what they do once a trace has started — escalation on failure, cascade acceptance — differ only in
 * the tier each trace starts at. So every trace's outcome is costed once per start tier, and summed over the
 * traces that no such policy can tell apart: same feature, router score, rule, context-window tier and the
 * gateway's own first pick, the router score known only as finely as the family's thresholds ask. A policy is then
 * a sum over those classes (thousands of rows where the traces are millions), each class taking the start tier the
 * policy gives it.
 *
 * <p>Each class is also split by the replay's bootstrap blocks, so a point's 95 % intervals are a bootstrap over
 * those blocks plus the estimates' own error, as a full replay's are. Point figures are the replay's exactly.
 */
final class SweepClasses {
    private static int counter;
    /** Bootstrap blocks of a sweep's points: the replay's. */
    static final int BLOCKS = ReplayBasis.BUCKETS;

    private final ReplayBasis basis;
    private final String table;
    private final List<int[]> sens;

    private SweepClasses(ReplayBasis basis, String table, List<int[]> sens) {
        this.basis = basis;
        this.table = table;
        this.sens = sens;
    }

    /** What policies must share to be costed from one class table; null when a policy cannot be (a cache). */
    static String signature(Policy p, ReplayBasis b) {
        if (p.cache().exactMatch()) return null;
        PolicySql sql = new PolicySql(p, b);
        StringBuilder sb = new StringBuilder();
        for (int t = 1; t <= b.tiers; t++) {
            sb.append(sql.mode(t)).append(':');
            if (sql.mode(t) != PolicySql.Mode.STOP) sb.append(sql.accepts(t, c -> c)).append(';');
        }
        return sb + "|" + p.tiers() + "|" + p.rules() + "|" + p.contextWindow();
    }

    /**
     * @param members every policy that will be costed from the table (they share {@code shape}'s signature): their
     *     routes' cuts decide how finely the router score must be kept
     */
    static SweepClasses build(Connection conn, ReplayBasis b, Policy shape, List<Policy> members) throws SQLException {
        for (Policy m : members) {
            if (!b.covers(m)) throw new IllegalArgumentException("the basis keeps the traces too coarsely for " + m.name() + ": build it for the whole family");
        }
        int k = b.tiers;
        PolicySql sql = new PolicySql(shape, b);
        // every start tier's walk side by side in one read of the basis, grouped once into classes with each start
        // tier's sums as columns; then one row per (class, start tier). Three reads, one per start tier, took
        // ~24 s at 10 M calls.
        List<String> keys = List.of("fk", "bin", "feature", "score", "first_tier", "rule_idx", "fit", "blk");
        List<String> wide = new ArrayList<>(keys);
        wide.set(keys.indexOf("score"), BasisShape.highestCutReached("score", BasisShape.of(members).scoreCuts()) + " AS score");
        wide.set(keys.indexOf("blk"), "bucket AS blk");
        wide.addAll(List.of("sum(n) AS n", "sum(actual_cost) AS ac", "sum(coalesce(actual_s, 0)) AS asu"));
        // the logged calls per tier do not depend on the start tier: every start's copy is the same, the first is read
        for (int t = 1; t <= k; t++) wide.add("sum(nreal_" + t + "_s1) AS nreal_" + t);
        List<int[]> sens = null;
        List<List<String>> perStart = new ArrayList<>();
        for (int s = 1; s <= k; s++) {
            String x = "_s" + s;
            List<String> cols = new ArrayList<>(List.of("c", "su", "x", "d"));
            wide.addAll(List.of("sum(sim_cost" + x + ") AS c" + x, "sum(sim_s" + x + ") AS su" + x, "sum(dec_exact" + x + ") AS x" + x, "sum(dec" + x + ") AS d" + x));
            for (int t = 1; t <= k; t++) {
                wide.add("sum(calls_" + t + x + ") AS calls_" + t + x);
                cols.add("calls_" + t);
            }
            List<String> sensAgg = new ArrayList<>();
            sens = b.sensitivitySums(sensAgg, "ct_%d" + x, "w1_%d" + x, "w0_%d" + x);
            for (int i = 0; i < sensAgg.size(); i++) {
                wide.add(sensAgg.get(i) + " AS sw" + i + x);
                cols.add("sw" + i);
            }
            perStart.add(cols);
        }
        String table = "rp_class_" + (++counter);
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE " + table + "_wide AS " + sql.perTraceByStart() + "\nSELECT " + String.join(", ", wide) + " FROM res GROUP BY ALL");
            List<String> parts = new ArrayList<>();
            for (int s = 1; s <= k; s++) {
                List<String> cols = new ArrayList<>(keys);
                cols.addAll(List.of(s + " AS s", "n", "ac", "asu"));
                for (String c : perStart.get(s - 1)) cols.add(c + "_s" + s + " AS " + c);
                for (int t = 1; t <= k; t++) cols.add("nreal_" + t);
                parts.add("SELECT " + String.join(", ", cols) + " FROM " + table + "_wide");
            }
            st.execute("CREATE OR REPLACE TEMP TABLE " + table + " AS " + String.join("\nUNION ALL\n", parts));
            st.execute("DROP TABLE " + table + "_wide");
        }
        return new SweepClasses(b, table, sens);
    }

    /** The number of classes (rows per start tier and block, blocks aside). */
    long classes() throws SQLException {
        try (Statement st = basis.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM (SELECT DISTINCT fk, bin, feature, score, first_tier, rule_idx, fit FROM " + table + " WHERE s = 1)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The replay figures of {@code p} (one of the policies with this table's signature), with bootstrap intervals over its blocks. */
    ReplayResult run(Policy p) throws SQLException {
        int k = basis.tiers;
        PolicySql sql = new PolicySql(p, basis);
        List<String> agg = new ArrayList<>(List.of("grouping(fk, bin) AS lvl", "blk", "sum(n)", "sum(ac)", "sum(c)", "sum(asu)", "sum(su)", "sum(x)", "sum(d)"));
        basis.callSums(agg);
        int sensAt = agg.size() + 1;
        agg.add("fk");
        agg.add("bin");
        for (int i = 0; i < sens.size() * 2; i++) agg.add("sum(sw" + i + ")");
        String query = "SELECT " + String.join(", ", agg) + " FROM " + table + " WHERE s = " + sql.startTier("rule_idx", "fit")
            + " GROUP BY GROUPING SETS ((blk), (fk, bin)) ORDER BY lvl, blk";
        Map<Long, Double> weightByCell = new HashMap<>();
        Bootstrap.Blocks blocks = new Bootstrap.Blocks(BLOCKS);
        double x = 0, d = 0;
        List<Double> calls = new ArrayList<>(Collections.nCopies(k, 0.0));
        List<Long> real = new ArrayList<>(Collections.nCopies(k, 0L));
        try (Statement st = basis.connection().createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                if (rs.getInt(1) == 0) { // by (feature, bin): the estimates' weights
                    basis.addWeights(rs, sensAt, sens, weightByCell);
                    continue;
                }
                blocks.read(rs, 2);
                x += rs.getDouble(8);
                d += rs.getDouble(9);
                for (int t = 1; t <= k; t++) {
                    calls.set(t - 1, calls.get(t - 1) + rs.getDouble(8 + 2 * t));
                    real.set(t - 1, real.get(t - 1) + rs.getLong(9 + 2 * t));
                }
            }
        }
        Bootstrap.Totals sums = blocks.totals();
        double n = sums.n(), ac = sums.actualCost(), c = sums.simCost(), asu = sums.actualS(), su = sums.simS();
        Bootstrap.Intervals ci = Bootstrap.run(blocks);
        double success = su / n;
        double estSd = Math.sqrt(basis.estimateVariance(weightByCell)) / n;
        boolean eval = basis.evalSet;
        Double pct = eval || ac <= 0 ? null : 100 * (ac - c) / ac;
        return new ReplayResult(p.name(), (long) n, eval, eval ? null : ac, c, eval ? null : ac - c, pct, eval ? null : ci.savings(),
            pct == null ? null : ci.savingsPct(), eval ? null : asu / n, success, Bootstrap.widen(ci.success(), success, estSd), calls, eval ? null : real,
            d > 0 ? x / d : 1.0, 0, null, null, Double.NaN, Double.NaN, basis.unknownTierCalls, null,
            d > x ? basis.models.tiers().stream().filter(TierModels.Model::unpriced).map(TierModels.Model::name).toList() : List.of());
    }
}
