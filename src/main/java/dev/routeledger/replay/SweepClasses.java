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
 * <p>The sums carry squares, so each point's 95 % intervals are normal ones over traces (a sum over N
 * independent traces varies as N times one trace does) plus the estimates' own error, as in a replay; the
 * bootstrap of a full replay would need the traces themselves. Point figures are the replay's exactly.
 */
final class SweepClasses {
    private static int counter;

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
        int k = b.tiers;
        PolicySql sql = new PolicySql(shape, b);
        // every start tier's walk side by side in one read of the basis, grouped once into classes with each start
        // tier's sums as columns; then one row per (class, start tier). Three reads, one per start tier, took
        // ~24 s at 10 M calls.
        List<String> keys = List.of("fk", "bin", "feature", "score", "first_tier", "rule_idx", "fit");
        List<String> wide = new ArrayList<>(keys);
        wide.set(keys.indexOf("score"), scoreBetweenCuts(members) + " AS score");
        wide.addAll(List.of("count(*) AS n", "sum(actual_cost) AS ac", "sum(coalesce(actual_s, 0)) AS asu"));
        // the logged calls per tier do not depend on the start tier: every start's copy is the same, the first is read
        for (int t = 1; t <= k; t++) wide.add("sum(nreal_" + t + "_s1) AS nreal_" + t);
        List<int[]> sens = null;
        List<List<String>> perStart = new ArrayList<>();
        for (int s = 1; s <= k; s++) {
            String x = "_s" + s;
            List<String> cols = new ArrayList<>(List.of("c", "su", "dd", "qq", "x", "d"));
            wide.addAll(List.of("sum(sim_cost" + x + ") AS c" + x, "sum(sim_s" + x + ") AS su" + x,
                "sum((actual_cost - sim_cost" + x + ") * (actual_cost - sim_cost" + x + ")) AS dd" + x, "sum(sim_s" + x + " * sim_s" + x + ") AS qq" + x,
                "sum(dec_exact" + x + ") AS x" + x, "sum(dec" + x + ") AS d" + x));
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

    /**
     * The router score as the family's routes can tell it apart: a route only asks whether the score reaches each of
     * its cuts (threshold − band, in double as {@link PolicySql#route} computes it), so every score is replaced by
     * the highest cut it reaches (minus infinity below them all; NULL stays NULL). Every policy of the family then
     * starts each trace where it would with the exact score, and traces between the same two cuts fall into one
     * class — however many decimals a router gives its scores (a continuous score would otherwise make almost every
     * trace a class of its own).
     */
    static String scoreBetweenCuts(List<Policy> members) {
        java.util.TreeSet<Double> cuts = new java.util.TreeSet<>();
        for (Policy p : members) {
            if (p.route() instanceof Policy.Threshold th) {
                for (double cut : th.thresholds()) cuts.add(cut - th.boundaryBand());
            }
        }
        StringBuilder sb = new StringBuilder("CASE WHEN score IS NULL THEN NULL");
        for (double c : cuts.descendingSet()) sb.append(" WHEN score >= ").append(Replay.dbl(c)).append(" THEN ").append(Replay.dbl(c));
        return sb + " ELSE CAST('-inf' AS DOUBLE) END";
    }

    /** The number of classes (rows per start tier). */
    long classes() throws SQLException {
        try (Statement st = basis.connection().createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table + " WHERE s = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The replay figures of {@code p} (one of the policies with this table's signature), with normal intervals. */
    ReplayResult run(Policy p) throws SQLException {
        int k = basis.tiers;
        PolicySql sql = new PolicySql(p, basis);
        List<String> agg = new ArrayList<>(List.of("grouping(fk, bin) AS lvl", "sum(n)", "sum(ac)", "sum(asu)", "sum(c)", "sum(su)", "sum(dd)", "sum(qq)",
            "sum(x)", "sum(d)"));
        basis.callSums(agg);
        int sensAt = agg.size() + 1;
        agg.add("fk");
        agg.add("bin");
        for (int i = 0; i < sens.size() * 2; i++) agg.add("sum(sw" + i + ")");
        String query = "SELECT " + String.join(", ", agg) + " FROM " + table + " WHERE s = " + sql.startTier("rule_idx", "fit")
            + " GROUP BY GROUPING SETS ((), (fk, bin)) ORDER BY lvl";
        Map<Long, Double> weightByCell = new HashMap<>();
        double n = 0, ac = 0, asu = 0, c = 0, su = 0, dd = 0, qq = 0, x = 0, d = 0;
        List<Double> calls = new ArrayList<>(Collections.nCopies(k, 0.0));
        List<Long> real = new ArrayList<>(Collections.nCopies(k, 0L));
        try (Statement st = basis.connection().createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                if (rs.getInt(1) == 0) {
                    basis.addWeights(rs, sensAt, sens, weightByCell);
                    continue;
                }
                n = rs.getDouble(2);
                ac = rs.getDouble(3);
                asu = rs.getDouble(4);
                c = rs.getDouble(5);
                su = rs.getDouble(6);
                dd = rs.getDouble(7);
                qq = rs.getDouble(8);
                x = rs.getDouble(9);
                d = rs.getDouble(10);
                for (int t = 1; t <= k; t++) {
                    calls.set(t - 1, rs.getDouble(9 + 2 * t));
                    real.set(t - 1, rs.getLong(10 + 2 * t));
                }
            }
        }
        double z = 1.959963984540054;
        double savings = ac - c;
        double savingsSd = Math.sqrt(Math.max(0, dd - savings * savings / n));
        double success = su / n;
        double successSd = Math.sqrt(Math.max(0, qq - su * su / n) + basis.estimateVariance(weightByCell)) / n;
        boolean eval = basis.evalSet;
        Double pct = eval || ac <= 0 ? null : 100 * savings / ac;
        return new ReplayResult(p.name(), (long) n, eval, eval ? null : ac, c, eval ? null : savings, pct,
            eval ? null : new double[] {savings - z * savingsSd, savings + z * savingsSd},
            pct == null ? null : new double[] {100 * (savings - z * savingsSd) / ac, 100 * (savings + z * savingsSd) / ac},
            eval ? null : asu / n, success, new double[] {success - z * successSd, success + z * successSd}, calls, eval ? null : real,
            d > 0 ? x / d : 1.0, 0, null, null, Double.NaN, Double.NaN, basis.unknownTierCalls, null,
            d > x ? basis.models.tiers().stream().filter(TierModels.Model::unpriced).map(TierModels.Model::name).toList() : List.of());
    }
}
