package dev.routeledger.replay;

import dev.routeledger.analytics.Filter;
import dev.routeledger.policy.Policy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays logged traffic against policies (SPEC §6.2). {@link #prepare} does the work that does not depend on
 * the policy once (the basis: one row per trace with what it observed and what is estimated per tier);
 * {@link #run} then costs one policy with a single aggregate over it. A sweep prepares once and runs many.
 */
public final class Replay {
    /** RL_TIMING=1 prints how long each step of a replay took (as the basis prints each of its statements). */
    private static final boolean TIMING = System.getenv("RL_TIMING") != null;
    private final Connection conn;
    private final Filter scope;
    private ReplayBasis basis;
    private List<List<String>> tierModels;
    private BasisShape shape;
    private int basesBuilt;

    private Replay(Connection conn, Filter scope) {
        this.conn = conn;
        this.scope = scope;
    }

    /** Builds the basis for the tiers of {@code policy} over the traces of {@code scope} (time, users, teams, features). */
    public static Replay prepare(Connection conn, Filter scope, Policy policy) throws SQLException, ReplayException {
        return prepare(conn, scope, List.of(policy));
    }

    /**
     * Builds one basis for every policy of {@code policies} (a sweep's family), over the traces of {@code scope}:
     * the tiers of the first, and classes of traces as fine as all of them need ({@link BasisShape}).
     */
    public static Replay prepare(Connection conn, Filter scope, List<Policy> policies) throws SQLException, ReplayException {
        if (!scope.tiers().isEmpty() || !scope.models().isEmpty() || !scope.providers().isEmpty()) {
            throw new ReplayException("A replay takes whole traces: narrow it by time, user, team or feature, not by tier, model or provider.");
        }
        Replay r = new Replay(conn, scope);
        r.shape = BasisShape.of(policies);
        r.basisFor(policies.get(0));
        return r;
    }

    /** The basis for {@code policy}: the one built, unless the policy has other tiers or reads traces more finely. */
    ReplayBasis basisFor(Policy policy) throws SQLException, ReplayException {
        List<List<String>> p = policy.tiers().stream().map(Policy.Tier::models).toList();
        if (basis == null || !p.equals(tierModels) || !basis.covers(policy)) {
            // widened rather than replaced: the Policy lab goes back and forth between the policies it compares
            if (!shape.covers(policy)) shape = shape.and(policy);
            long tr = System.nanoTime();
            TierModels tm = TierModels.resolve(conn, policy);
            if (TIMING) System.err.printf("  [%.2f s] resolve%n", (System.nanoTime() - tr) / 1e9);
            basis = ReplayBasis.build(conn, scope, tm, shape);
            basesBuilt++;
            tierModels = p;
        }
        return basis;
    }

    /** Whether {@code policy} runs over the basis already built (its tiers, and classes as fine as it reads them). */
    public boolean serves(Policy policy) {
        return basis != null && policy.tiers().stream().map(Policy.Tier::models).toList().equals(tierModels) && basis.covers(policy);
    }

    /** How many bases this replay has built: one, unless a policy it ran needed other tiers or finer classes. */
    public int basesBuilt() {
        return basesBuilt;
    }

    public ReplayResult run(Policy policy) throws SQLException, ReplayException {
        ReplayBasis b = basisFor(policy);
        int k = b.tiers;
        String hits = policy.cache().exactMatch() ? CacheHits.table(conn, policy.cache().ttlMinutes()) : null;
        List<String> agg = new ArrayList<>(List.of("grouping(bucket) AS lvl", "bucket", "sum(n) AS n", "sum(actual_cost)", "sum(sim_cost)",
            "sum(actual_s)", "sum(sim_s)", "sum(dec_exact)", "sum(dec)", "sum(CAST(hit AS INTEGER))"));
        b.callSums(agg);
        int sensAt = agg.size() + 1;
        // the estimates' weights by (feature, bin) and the tier that conditioned each estimated tier: plain sums
        // per group rather than a conditional sum per (tier, conditioning tier, outcome) — 1 s less at 10 M calls
        List<String> ct = new ArrayList<>();
        for (int t = 1; t <= k; t++) ct.add("ct_" + t);
        agg.add("fk");
        agg.add("bin");
        agg.addAll(ct);
        for (int t = 1; t <= k; t++) {
            agg.add("sum(w1_" + t + ")");
            agg.add("sum(w0_" + t + ")");
        }
        String perTrace = new PolicySql(policy, b).perTrace(hits);
        String sql = perTrace + "\nSELECT " + String.join(", ", agg) + " FROM out GROUP BY GROUPING SETS ((bucket), (fk, bin, " + String.join(", ", ct) + ")) ORDER BY lvl, bucket";
        java.util.Map<Long, Double> weightByCell = new java.util.HashMap<>();
        Bootstrap.Blocks blocks = new Bootstrap.Blocks(ReplayBasis.BUCKETS);
        double exact = 0, dec = 0, hitCount = 0;
        Double aP50 = null, aP95 = null;
        double p50 = 0, p95 = 0;
        List<Double> calls = new ArrayList<>(java.util.Collections.nCopies(k, 0.0));
        List<Long> realCalls = new ArrayList<>(java.util.Collections.nCopies(k, 0L));
        java.util.TreeMap<Integer, Double> actualHist = new java.util.TreeMap<>(), simHist = new java.util.TreeMap<>();
        long t0 = System.nanoTime();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                if (rs.getInt(1) == 1) { // not by block: a (feature, bin) and conditioning tiers, its estimates' weights
                    b.addWeightsByCondition(rs, sensAt, weightByCell);
                    continue;
                }
                blocks.read(rs, 2);
                exact += rs.getDouble(8);
                dec += rs.getDouble(9);
                hitCount += rs.getDouble(10);
                for (int t = 1; t <= k; t++) {
                    calls.set(t - 1, calls.get(t - 1) + rs.getDouble(9 + 2 * t));
                    realCalls.set(t - 1, realCalls.get(t - 1) + rs.getLong(10 + 2 * t));
                }
            }
        }
        // latency quantiles in 2 % steps; above a million traces over a hundredth of the blocks (a fixed 1 % sample,
        // some 90,000 traces at 10 M calls), in a query of their own: the block condition reaches the basis's scan,
        // so it walks those traces alone (0.3 s at 10 M calls), where lists in the main grouping cost 1.5–2.7 s
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(perTrace + "\nSELECT list(CAST(round(ln(1 + actual_lat) * 50) AS SMALLINT)),"
                + " list(CAST(round(ln(1 + sim_lat) * 50) AS SMALLINT)) FROM out WHERE bucket < " + b.latencyBlocks)) {
            while (rs.next()) {
                merge(actualHist, rs.getArray(1));
                merge(simHist, rs.getArray(2));
            }
        }
        if (TIMING) System.err.printf("  [%.2f s] policy %s%n", (System.nanoTime() - t0) / 1e9, policy.name());
        aP50 = quantile(actualHist, 0.5);
        aP95 = quantile(actualHist, 0.95);
        p50 = quantile(simHist, 0.5);
        p95 = quantile(simHist, 0.95);
        Bootstrap.Totals sums = blocks.totals();
        double traces = sums.n(), actualCost = sums.actualCost(), simCost = sums.simCost(), actualS = sums.actualS(), simS = sums.simS();
        Bootstrap.Intervals ci = Bootstrap.run(blocks);
        // the estimates' own sampling error, which resampling traces over fixed estimates does not see
        double estSd = traces > 0 ? Math.sqrt(b.estimateVariance(weightByCell)) / traces : 0;
        double simSuccess = traces > 0 ? simS / traces : 0;
        double[] successCi = Bootstrap.widen(ci.success(), simSuccess, estSd);
        boolean eval = b.evalSet;
        Double actual = eval ? null : actualCost;
        Double savings = eval ? null : actualCost - simCost;
        Double pct = eval || actualCost <= 0 ? null : 100 * (actualCost - simCost) / actualCost;
        return new ReplayResult(policy.name(), (long) traces, eval, actual, simCost, savings, pct, eval ? null : ci.savings(),
            pct == null ? null : ci.savingsPct(), eval ? null : actualS / traces, simSuccess, successCi, calls, eval ? null : realCalls,
            dec > 0 ? exact / dec : 1.0, hitCount, eval ? null : aP50, eval ? null : aP95, p50, p95, b.unknownTierCalls,
            eval ? EvalMetrics.compute(conn, scope, policy) : null,
            dec > exact ? b.models.tiers().stream().filter(TierModels.Model::unpriced).map(TierModels.Model::name).toList() : List.of());
    }

    /** Blocks (of {@link ReplayBasis#BUCKETS}) whose traces give the latency quantiles above a million traces. */
    static final int LATENCY_SAMPLE_BLOCKS = 1;

    private static void merge(java.util.TreeMap<Integer, Double> into, java.sql.Array bins) throws SQLException {
        if (bins == null) return;
        for (Object v : (Object[]) bins.getArray()) {
            if (v != null) into.merge(((Number) v).intValue(), 1.0, Double::sum);
        }
    }

    /** A quantile of latencies binned by round(50 ln(1 + ms)): the bin's centre, within 1 % of the exact value. */
    private static Double quantile(java.util.TreeMap<Integer, Double> hist, double q) {
        double total = hist.values().stream().mapToDouble(Double::doubleValue).sum();
        if (total <= 0) return null;
        double cum = 0;
        for (java.util.Map.Entry<Integer, Double> e : hist.entrySet()) {
            cum += e.getValue();
            if (cum >= q * total) return Math.exp(e.getKey() / 50.0) - 1;
        }
        return Math.exp(hist.lastKey() / 50.0) - 1;
    }

    /** A double as a DuckDB DOUBLE literal, exactly (a plain decimal literal would be a DECIMAL). */
    static String dbl(double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("not a finite number: " + v);
        return "CAST('" + v + "' AS DOUBLE)";
    }

    /** A string as a SQL literal (values from a policy file; quotes doubled). */
    static String str(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
