package dev.routeledger.replay;

import dev.routeledger.analytics.CallOutcomes;
import dev.routeledger.analytics.Filter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The part of a replay that does not depend on the policy (SPEC §6.2), computed once per scope and set of
 * tiers and kept in temporary tables of the connection; every policy of a sweep reads it.
 *
 * <p>{@code rb_trace} (a view over the per-trace observations and the estimate tables) gives one row per trace —
 * or, above {@link #perTraceMaxCalls} calls, per class of {@code n} traces that the policies it serves cannot tell
 * apart ({@link BasisShape}; costs, tokens and latencies summed over the class, everything else shared) — with who
 * and what it is (feature, user, team, router score, prompt size and hash), what it actually cost and how it
 * actually ended, and per tier t what the trace shows there
 * ({@code ex_t}: an observed call, real or shadow) or what is estimated for it:
 * <ul>
 * <li>observed: the tier's success {@code q_t} (the label, else the estimate for an unlabeled call from labeled
 *     calls with a similar confidence in the same tier and feature, else from its tier, feature and score
 *     decile), its cost and latency (a gateway's fallback to another deployment of the same tier is part of the
 *     tier's call: their costs add up and the last one's outcome counts), and the signals a policy reacts to
 *     (status, validation, confidence, quality);</li>
 * <li>estimated: {@code q_t} from the calls observed at tier t on comparable traces (same feature and score
 *     decile, backing off to the feature, then the tier), conditioned on the outcome the trace showed at its
 *     nearest observed tier where traces observed at both tiers give the evidence; the cost of the tier's
 *     primary model for the trace's prompt tokens and its completion tokens scaled by the model's verbosity
 *     relative to the trace's observed model; latency from the model's latency per token;</li>
 * <li>{@code c1_t}, {@code c0_t}: tier t's success given that tier t − 1 succeeded or failed, for traces a
 *     policy passes up from t − 1 (the traces a cascade passes up are harder than average).</li>
 * </ul>
 * Everything is SQL over the workspace: no row of the log enters the JVM.
 */
final class ReplayBasis {
    /** Below this much evidence (calls, or outcome-weighted pairs) a bin backs off to a coarser one. */
    static final int MIN_EVIDENCE = 20;
    /**
     * Bootstrap blocks: traces fall into them by the hash of their id (a fixed, seed-free random split). A hundred:
     * each block is a key of the classes, and a thousand made 856 k single-call classes at 10 M calls instead of
     * 214 k (the grouping 4.0 s against 2.8 s); resampling a hundred blocks is a bootstrap all the same.
     */
    static final int BUCKETS = 100;
    private static final String BIG = "1000000000000000000";
    /** Where the observation statements put the scope's overall success rate (known only once rb_lab is built). */
    private static final String R0 = "/*r0*/CAST(NULL AS DOUBLE)";
    private static final String TKEY = "CAST(hash(trace_id) >> 1 AS BIGINT)";
    private static final String BUCKET = "CAST(hash(trace_id) % " + BUCKETS + " AS SMALLINT)";
    /** The finest score bin: twentieths (a decile is two of them). Success moves steeply with the score, and a
     * bin as wide as a decile that a routing threshold cuts holds easier observed and harder unobserved traces. */
    private static final String BIN = "CAST(least(floor(coalesce(score, 0) * 20), 19) AS TINYINT)";

    final int tiers;
    final TierModels models;
    final long traces;
    final long realTraces;
    /** True when the scope holds no real traffic, only evaluation (shadow) traces: an eval set. */
    final boolean evalSet;
    final long unknownTierCalls;
    /** What each row of the basis keeps of its traces; with {@link #classes}, which policies it can replay. */
    final BasisShape shape;
    /** Whether a row of the basis sums a class of traces ({@code n} of them) rather than holding one. */
    final boolean classes;
    /** The bootstrap blocks whose traces are kept one per row and give the latency quantiles. */
    final int latencyBlocks;
    private final Connection conn;

    /** Above this many calls in its scope a basis sums traces into classes (a test lowers it to check both agree). */
    static long perTraceMaxCalls = 1_000_000;

    private ReplayBasis(Connection conn, int tiers, TierModels models, long traces, long realTraces, long unknownTierCalls, BasisShape shape, boolean classes) {
        this.conn = conn;
        this.shape = shape;
        this.classes = classes;
        // above a million traces the latency quantiles come from a fixed 1 % of the traces (a block, kept trace by trace)
        this.latencyBlocks = classes || traces > 1_000_000 ? Replay.LATENCY_SAMPLE_BLOCKS : BUCKETS;
        this.tiers = tiers;
        this.models = models;
        this.traces = traces;
        this.realTraces = realTraces;
        this.evalSet = realTraces == 0;
        this.unknownTierCalls = unknownTierCalls;
    }

    /** Whether this basis holds everything {@code p} reads of a trace (its tiers aside). */
    boolean covers(dev.routeledger.policy.Policy p) {
        return !classes || shape.covers(p);
    }

    Connection connection() { return conn; }

    /** An estimate cell: its id, rate and the evidence it rests on. */
    record Cell(long id, double rate, double n) {}

    private Map<String, Cell> cells;

    static String cellKey(String fk, int bin, int t, int ct, int o) {
        return fk + '\u0000' + bin + '/' + t + '/' + ct + '/' + o;
    }

    /** Adds to {@code agg} the sums of simulated and logged calls per tier ({@code calls_t}, {@code nreal_t}). */
    void callSums(List<String> agg) {
        for (int t = 1; t <= tiers; t++) {
            agg.add("sum(calls_" + t + ")");
            agg.add("CAST(sum(nreal_" + t + ") AS BIGINT)");
        }
    }

    /**
     * Adds to {@code agg} the sums of each estimated tier's weights by the tier that conditioned it ({@code w1}
     * and {@code w0} name the columns, with %d for the tier); returns the (tier, conditioning tier) of each pair.
     */
    List<int[]> sensitivitySums(List<String> agg, String w1, String w0) {
        return sensitivitySums(agg, "ct_%d", w1, w0);
    }

    /** As {@link #sensitivitySums(List, String, String)}, with the conditioning tiers' column named by {@code ct}. */
    List<int[]> sensitivitySums(List<String> agg, String ct, String w1, String w0) {
        List<int[]> sens = new ArrayList<>();
        for (int t = 1; t <= tiers; t++) {
            for (int a = 0; a <= tiers; a++) {
                if (a == t) continue;
                // a CASE inside the sum, not a FILTER clause: cheaper per row in DuckDB
                agg.add("sum(CASE WHEN " + ct.formatted(t) + " = " + a + " THEN " + w1.formatted(t) + " END)");
                agg.add("sum(CASE WHEN " + ct.formatted(t) + " = " + a + " THEN " + w0.formatted(t) + " END)");
                sens.add(new int[] {t, a});
            }
        }
        return sens;
    }

    /** Reads a (feature, bin) row's weight sums (from column {@code at}: fk, bin, then the sums) into their cells. */
    void addWeights(ResultSet rs, int at, List<int[]> sens, Map<Long, Double> weightByCell) throws SQLException {
        String fk = rs.getString(at);
        int bin = rs.getInt(at + 1);
        Map<String, Cell> all = cells();
        for (int i = 0; i < sens.size(); i++) {
            for (int o = 1; o >= 0; o--) {
                double w = rs.getDouble(at + 2 + 2 * i + (1 - o));
                if (rs.wasNull() || w == 0) continue; // DuckDB's getDouble gives NaN for NULL
                Cell c = all.get(cellKey(fk, bin, sens.get(i)[0], sens.get(i)[1], o));
                if (c != null) weightByCell.merge(c.id(), w, Double::sum);
            }
        }
    }

    /**
     * Reads a row of (fk, bin, ct_1 … ct_k, then sum(w1_t), sum(w0_t) per tier) from column {@code at} into the
     * cells its estimates came from: tier t's estimate, conditioned on tier ct_t (0: on nothing; NULL: not
     * estimated) with outcome 1 or 0.
     */
    void addWeightsByCondition(ResultSet rs, int at, Map<Long, Double> weightByCell) throws SQLException {
        String fk = rs.getString(at);
        int bin = rs.getInt(at + 1);
        Map<String, Cell> all = cells();
        for (int t = 1; t <= tiers; t++) {
            int ct = rs.getInt(at + 1 + t);
            if (rs.wasNull()) continue;
            for (int o = 1; o >= 0; o--) {
                double w = rs.getDouble(at + 2 + tiers + 2 * (t - 1) + (1 - o));
                if (rs.wasNull() || w == 0) continue; // DuckDB's getDouble gives NaN for NULL
                Cell c = all.get(cellKey(fk, bin, t, ct, o));
                if (c != null) weightByCell.merge(c.id(), w, Double::sum);
            }
        }
    }

    /**
     * The variance of the simulated successes' total from the estimates' own sampling error: traces estimated from
     * one cell share its error, so each cell adds its total weight squared times its rate's variance (first order).
     */
    double estimateVariance(Map<Long, Double> weightByCell) throws SQLException {
        Map<Long, Cell> byId = new java.util.HashMap<>();
        for (Cell c : cells().values()) byId.putIfAbsent(c.id(), c);
        double v = 0;
        for (Map.Entry<Long, Double> e : weightByCell.entrySet()) {
            Cell c = byId.get(e.getKey());
            double r = (c.rate() * c.n() + 0.5) / (c.n() + 1);
            v += e.getValue() * e.getValue() * r * (1 - r) / Math.max(c.n(), 1);
        }
        return v;
    }

    /** rb_cells by (feature, bin, tier, conditioning tier, outcome): small (features × 20 × tiers² × 2). */
    Map<String, Cell> cells() throws SQLException {
        if (cells != null) return cells;
        Map<String, Cell> out = new java.util.HashMap<>();
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT fk, bin, t, ct, o, cell, r, n FROM rb_cells WHERE cell IS NOT NULL AND r IS NOT NULL")) {
            while (rs.next()) {
                out.put(cellKey(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5)), new Cell(rs.getLong(6), rs.getDouble(7), rs.getDouble(8)));
            }
        }
        cells = out;
        return out;
    }

    static ReplayBasis build(Connection conn, Filter scope, TierModels models, BasisShape shape) throws SQLException, ReplayException {
        int k = models.tiers().size();
        Filter f = scope.withShadow(true);
        String where = "(" + f.where() + ")";
        boolean classes = !shape.perTrace() && countCalls(conn, f, where) > perTraceMaxCalls;
        String tierOf = tierOf(models);
        Map<String, String> dicts = new java.util.HashMap<>();
        if (classes) {
            for (String col : List.of("feature", "model")) dicts.put(col, dict(conn, col));
        }
        String[] obs = observations(k, models, where, R0, tierOf, classes ? shape : null, dicts);
        String lab = "CREATE OR REPLACE TEMP TABLE rb_lab AS SELECT " + tierOf + " AS tier, coalesce(feature, '') AS fk, decile,"
            + " coalesce(CAST(least(floor(confidence * 10), 9) AS TINYINT), -1) AS cbin, sum(label)::DOUBLE AS k, count(*) AS n"
            + " FROM calls WHERE " + where + " AND " + tierOf + " BETWEEN 1 AND " + k + " AND coalesce(status, 'ok') = 'ok' AND label IS NOT NULL GROUP BY ALL";
        // an unlabeled call's success: labeled calls of similar confidence in its tier and feature, else its
        // tier, feature and decile, else tier and feature (SPEC §1, §6.2 conditioning (2))
        String rate = """
            CREATE OR REPLACE TEMP TABLE rb_rate AS
            WITH rc AS (SELECT tier, fk, cbin, sum(k) / sum(n) AS r FROM rb_lab WHERE cbin >= 0 GROUP BY ALL HAVING sum(n) >= %1$d),
                 r3 AS (SELECT tier, fk, decile, sum(k) / sum(n) AS r FROM rb_lab GROUP BY ALL HAVING sum(n) >= %1$d),
                 r2 AS (SELECT tier, fk, sum(k) / sum(n) AS r FROM rb_lab GROUP BY ALL HAVING sum(n) >= %1$d),
                 keys AS (SELECT DISTINCT tier, fk FROM rb_lab)
            SELECT keys.tier, keys.fk, d.decile, c.cbin, coalesce(rc.r, r3.r, r2.r) AS r
              FROM keys CROSS JOIN (SELECT CAST(range AS TINYINT) AS decile FROM range(10)) d
                        CROSS JOIN (SELECT CAST(range AS TINYINT) AS cbin FROM range(-1, 10)) c
              LEFT JOIN rc ON rc.tier = keys.tier AND rc.fk = keys.fk AND rc.cbin = c.cbin
              LEFT JOIN r3 ON r3.tier = keys.tier AND r3.fk = keys.fk AND r3.decile = d.decile
              LEFT JOIN r2 ON r2.tier = keys.tier AND r2.fk = keys.fk""".formatted(MIN_EVIDENCE);
        String r1 = "CREATE OR REPLACE TEMP TABLE rb_r1 AS SELECT tier, sum(k) / sum(n) AS r FROM rb_lab GROUP BY tier";
        String overall = "SELECT coalesce(sum(k) / nullif(sum(n), 0), 0.5) FROM rb_lab";
        // a large scope's classes are kept in the workspace: the next replay of this scope and shape reads them
        // back. They are named by every statement that goes into them, so a stored basis is never read by code
        // that would build it otherwise.
        String stored = classes ? BasisCache.name("obs", String.join("\n", lab, rate, r1, overall, obs[0], obs[1]), f) : null;
        boolean restored = stored != null && BasisCache.restore(conn, stored, "rb_obs");
        if (!restored) {
            exec(conn, f, lab);
            exec(conn, null, rate);
            exec(conn, null, r1);
            double r0 = scalar(conn, overall);
            // single-call traces first, then the grouped multi-call ones, in two statements: as one UNION ALL the two
            // results were held in memory together (7.8 GB against 5.4 GB at 10 M calls; 12–19 s against 9–10.5 s)
            exec(conn, f, "CREATE OR REPLACE TEMP TABLE rb_obs AS " + obs[0].replace(R0, Replay.dbl(r0)));
            exec(conn, f, "INSERT INTO rb_obs " + obs[1].replace(R0, Replay.dbl(r0)));
        }
        long[] counts = longs(conn, "SELECT CAST(coalesce(sum(n), 0) AS BIGINT), CAST(coalesce(sum(n) FILTER (WHERE has_real), 0) AS BIGINT), CAST(coalesce(sum(unknown_tier), 0) AS BIGINT) FROM rb_obs");
        long realTraces = counts[1];
        if (counts[0] == 0) throw new ReplayException("There are no calls to replay in this scope.");
        // real traffic is replayed; shadow-only traces are evaluations (an eval set imported alongside), not traffic
        if (realTraces > 0 && realTraces < counts[0]) exec(conn, null, "DELETE FROM rb_obs WHERE NOT has_real");
        if (stored != null && !restored) {
            long t0 = System.nanoTime();
            BasisCache.store(conn, stored, "rb_obs");
            if (TIMING) System.err.printf("  [%.2f s] stored as %s%n", (System.nanoTime() - t0) / 1e9, stored);
        }
        long traces = realTraces > 0 ? realTraces : counts[0];
        for (int t = 1; t <= k; t++) {
            if (scalar(conn, "SELECT count(*) FROM rb_obs WHERE ex_" + t) == 0) {
                throw new ReplayException("The policy's tier " + t + " (" + models.tiers().get(t - 1).name() + ") has no observed calls in this scope"
                    + " (real or shadow), so its outcomes cannot be estimated. Map its models to tier " + t + " (tiers --set) or replay a policy with the tiers the log has.");
            }
        }
        exec(conn, null, "CREATE OR REPLACE TEMP TABLE rb_stats AS " + stats(k));
        exec(conn, null, "CREATE OR REPLACE TEMP TABLE rb_est AS " + estimates(k));
        String verb = verbosity(k, models, where);
        String verbStored = classes ? BasisCache.name("verb", verb, f) : null;
        if (verbStored == null || !BasisCache.restore(conn, verbStored, "rb_verb")) {
            exec(conn, f, "CREATE OR REPLACE TEMP TABLE rb_verb AS " + verb);
            if (verbStored != null) BasisCache.store(conn, verbStored, "rb_verb");
        }
        // a view, not a table: writing its 9 M rows cost 13.5 s at 10 M calls, more than the joins cost each
        // query that reads it (a replay 48 + 8 s → 36 + 11 s; a 100-policy sweep 77 → 73 s)
        exec(conn, null, "CREATE OR REPLACE TEMP VIEW rb_trace AS " + traceTable(k, models));
        exec(conn, null, "CREATE OR REPLACE TEMP TABLE rb_acc AS " + acceptance(k));
        exec(conn, null, "CREATE OR REPLACE TEMP TABLE rb_cells AS " + cells(k));
        for (String t : List.of("rb_lab", "rb_rate", "rb_r1", "rb_stats")) exec(conn, null, "DROP TABLE IF EXISTS " + t);
        return new ReplayBasis(conn, k, models, traces, realTraces, counts[2], shape, classes);
    }

    /**
     * The policy's tier of a logged call: the tier whose model list names its model, else its tier in the
     * workspace (from the log or the tier map) — so a policy that regroups models is replayed as it says.
     */
    private static String tierOf(TierModels models) {
        StringBuilder sb = new StringBuilder("CASE calls.model");
        boolean any = false;
        for (TierModels.Model m : models.tiers()) {
            for (String name : m.members()) {
                sb.append(" WHEN ").append(Replay.str(name)).append(" THEN ").append(m.tier());
                any = true;
            }
        }
        return any ? sb + " ELSE calls.eff_tier END" : "calls.eff_tier";
    }

    /**
     * A column of rb_obs: kept as it is (a class's traces share it), or summed over a class (typed {@code sum}); a
     * text kept by classes may be keyed by its place in {@code dict} (a list literal of every value it can take).
     */
    private record Col(String name, String expr, String sum, String dict) {
        static Col key(String name, String expr) { return new Col(name, expr, null, null); }
        static Col sum(String name, String expr, String type) { return new Col(name, expr, type, null); }
        /** A text key grouped by its place in {@code dict} (null: by the text), the text put back after the sums. */
        static Col coded(String name, String expr, String dict) { return new Col(name, expr, null, dict); }
    }

    /**
     * SELECT {@code cols} FROM {@code from}: one row per row of {@code from} ({@code n} = 1), or with {@code classes}
     * one per class of rows that agree on every kept column and on {@code split} (an extra key, not selected),
     * {@code n} counting them and the other columns summed. A coded column is grouped by its place in its list and
     * decoded after: small integers hash and compare cheaper than texts (the 8.5 M single-call traces at 10 M calls,
     * with feature, model and named user coded: 2.6–2.7 s against 2.8–3.4 s in alternating runs).
     */
    private static String rows(List<Col> cols, String from, boolean classes, String split) {
        List<String> sel = new ArrayList<>(List.of(classes ? "CAST(count(*) AS DOUBLE) AS n" : "CAST(1 AS DOUBLE) AS n"));
        List<String> outer = new ArrayList<>(List.of("n"));
        for (Col c : cols) {
            boolean coded = classes && c.dict() != null;
            String expr = classes && c.sum() != null ? "CAST(sum(" + c.expr() + ") AS " + c.sum() + ")"
                : coded ? "CAST(list_position(" + c.dict() + ", " + c.expr() + ") AS INTEGER)" : c.expr();
            sel.add(expr + " AS " + c.name());
            outer.add(coded ? "list_extract(" + c.dict() + ", " + c.name() + ") AS " + c.name() : c.name());
        }
        if (!classes) return "SELECT " + String.join(", ", sel) + " FROM " + from;
        return "SELECT " + String.join(", ", outer) + " FROM (SELECT " + String.join(", ", sel) + ", " + split + " AS split_ FROM " + from + " GROUP BY ALL)";
    }

    /** At most this many values make a column's list (each call finds its value in it by a scan of the list). */
    private static final int MAX_CODED = 64;

    /**
     * A list literal of every value {@code col} takes in the workspace (whatever the scope, so none is missing), or
     * null when there are too many to code it by.
     */
    private static String dict(Connection conn, String col) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT " + col + " FROM calls WHERE " + col + " IS NOT NULL ORDER BY 1 LIMIT " + (MAX_CODED + 1))) {
            while (rs.next()) values.add(rs.getString(1));
        }
        return values.size() > MAX_CODED ? null : list(values);
    }

    /** A list literal of texts (quotes doubled), typed even when empty. */
    private static String list(java.util.Collection<String> values) {
        if (values.isEmpty()) return "CAST([] AS VARCHAR[])";
        return "[" + String.join(", ", values.stream().map(Replay::str).toList()) + "]";
    }

    /**
     * The statements filling rb_obs, one row per trace or, given a {@code shape}, per class of traces its policies
     * cannot tell apart: its single-call traces read row-wise (no grouping by trace), then its multi-call traces
     * grouped. In classes the router score, confidence and quality are kept as the highest of the shape's cuts they
     * reach, users and teams only where a rule names them, a trace's id only in the latency sample's blocks, its
     * prompt and time not at all; tokens, costs and latencies are summed (a policy's costs are linear in them).
     */
    private static String[] observations(int k, TierModels models, String where, String r0, String tierOf, BasisShape shape, Map<String, String> dicts) {
        boolean classes = shape != null;
        StringBuilder c = new StringBuilder("""
            WITH c AS (
              SELECT calls.trace_id, calls.ts, %s AS tier, calls.shadow, %s AS seq, calls.model, calls.feature, calls.user_id, calls.team,
                     calls.router_score, calls.decile, calls.routed_tier, calls.prompt_tokens, calls.completion_tokens, calls.prompt_hash,
                     coalesce(calls.cost_effective, 0) AS cost, coalesce(calls.latency_ms, 0) AS lat, calls.confidence AS conf,
                     calls.validation AS val, calls.quality AS qual, coalesce(calls.status, 'ok') = 'ok' AS ok,
                     (coalesce(calls.status, 'ok') <> 'ok' OR calls.validation = 'fail') AS sig,
                     coalesce(CAST(calls.label AS DOUBLE), e.r, r1.r, %s) AS s, calls.multi_call
            """.formatted(tierOf, CallOutcomes.SEQ.replace("ts", "calls.ts").replace("attempt", "calls.attempt"), r0));
        for (int t = 1; t <= k; t++) {
            c.append("       , CASE WHEN NOT calls.shadow THEN 2").append(BIG.substring(1)).append(" + ").append(CallOutcomes.SEQ.replace("ts", "calls.ts").replace("attempt", "calls.attempt"))
                .append(" ELSE CASE WHEN calls.model = ").append(Replay.str(models.tiers().get(t - 1).name())).append(" THEN ").append(BIG)
                .append(" ELSE 0 END - ").append(CallOutcomes.SEQ.replace("ts", "calls.ts").replace("attempt", "calls.attempt")).append(" END AS key_").append(t).append('\n');
        }
        c.append("""
              FROM calls
              LEFT JOIN rb_rate e ON e.tier = %s AND e.fk = coalesce(calls.feature, '') AND e.decile = calls.decile
                    AND e.cbin = coalesce(CAST(least(floor(calls.confidence * 10), 9) AS TINYINT), -1)
              LEFT JOIN rb_r1 r1 ON r1.tier = %s
             WHERE """.formatted(tierOf, tierOf)).append(where).append(" AND %s)\n");
        // the multi-call traces' calls chosen inside the CTE, so that nothing reads the others (a CTE read twice is
        // materialised by DuckDB: with the choice outside it, every call of the scope)
        String cMulti = c.toString().replace("AND %s)", "AND calls.multi_call)");

        // what a class keeps of a trace's own columns (the columns named as in rb_obs)
        java.util.function.BinaryOperator<String> tkey = (id, bucket) -> classes ? "CASE WHEN " + bucket + " < " + Replay.LATENCY_SAMPLE_BLOCKS + " THEN " + id + " END" : id;
        Function<String, String> score = col -> classes ? BasisShape.highestCutReached(col, shape.scoreCuts()) : col;
        Function<String, String> conf = col -> classes ? BasisShape.highestCutReached(col, shape.confidenceCuts()) : col;
        Function<String, String> qual = col -> classes ? BasisShape.highestCutReached(col, shape.qualityCuts()) : col;
        Function<String, String> user = col -> classes ? BasisShape.namedOnly(col, shape.users()) : col;
        Function<String, String> team = col -> classes ? BasisShape.namedOnly(col, shape.teams()) : col;
        // traces are keyed by the hash of their id and prompts by the hash of theirs: the strings are not carried
        // into the 9 M-row tables (a trace is still grouped by its id, so two ids never merge)
        String phash = "CASE WHEN prompt_hash IS NOT NULL THEN CAST(hash(prompt_hash) >> 1 AS BIGINT) END";

        // single-call traces: the call's own columns, then spread into its tier's columns (after the classes are
        // summed, so a class is keyed by one set of them rather than by every tier's). The success estimate of an
        // unlabeled call is joined after the sums, by what it rests on (tier, feature, decile, confidence bin):
        // on a few hundred thousand classes rather than on millions of calls.
        String one = "WITH c AS (SELECT hash(calls.trace_id) AS h, calls.ts, " + tierOf + " AS tier, calls.shadow, calls.model, calls.feature, calls.user_id,"
            + " calls.team, calls.router_score, calls.routed_tier, calls.prompt_tokens, calls.completion_tokens, calls.prompt_hash, calls.label,"
            + " CASE WHEN calls.label IS NULL THEN calls.decile END AS decile,"
            + " CASE WHEN calls.label IS NULL THEN coalesce(CAST(least(floor(calls.confidence * 10), 9) AS TINYINT), -1) END AS cbin,"
            + " coalesce(calls.cost_effective, 0) AS cost, coalesce(calls.latency_ms, 0) AS lat, calls.confidence AS conf, calls.validation AS val,"
            + " calls.quality AS qual, coalesce(calls.status, 'ok') = 'ok' AS ok, (coalesce(calls.status, 'ok') <> 'ok' OR calls.validation = 'fail') AS sig"
            + " FROM calls WHERE " + where + " AND NOT calls.multi_call)\n";
        String hBucket = "CAST(h % " + BUCKETS + " AS SMALLINT)";
        // texts as their place in a list of their values: the features and models of the workspace, the users and
        // teams the rules name (a user no rule names is no key at all)
        Col userCol = classes && !shape.users().isEmpty() ? Col.coded("user_id", "user_id", list(shape.users())) : Col.key("user_id", user.apply("user_id"));
        Col teamCol = classes && !shape.teams().isEmpty() ? Col.coded("team", "team", list(shape.teams())) : Col.key("team", team.apply("team"));
        List<Col> call = new ArrayList<>(List.of(Col.key("tkey", tkey.apply("CAST(h >> 1 AS BIGINT)", hBucket)), Col.key("bucket", hBucket),
            Col.key("ts0", classes ? "CAST(NULL AS TIMESTAMP)" : "ts"), Col.coded("feature", "feature", dicts.get("feature")), userCol, teamCol,
            Col.key("score", score.apply("router_score")), Col.key("bin", BIN.replace("score", "router_score")),
            Col.key("first_tier", "coalesce(routed_tier, tier)"), Col.key("fit", fit(models, "prompt_tokens")), Col.sum("ptok", "coalesce(prompt_tokens, 0)", "BIGINT"),
            Col.key("phash", classes ? "CAST(NULL AS BIGINT)" : phash), Col.coded("ref_model", "CASE WHEN ok THEN model END", dicts.get("model")),
            Col.sum("ref_ctok", "CASE WHEN ok THEN completion_tokens END", "BIGINT"), Col.key("tier", "tier"), Col.key("shadow", "shadow"),
            Col.key("label", "label"), Col.key("decile", "decile"), Col.key("cbin", "cbin"),
            Col.key("sig", "sig"), Col.key("conf", conf.apply("conf")), Col.key("val", "val"), Col.key("qual", qual.apply("qual")), Col.key("ok", "ok"),
            Col.sum("cost", "cost", "DOUBLE"), Col.sum("lat", "lat", "DOUBLE")));
        // a class's estimated completion tokens are its traces' summed, or a mean per trace where they have none
        String noCtok = "NOT ok OR completion_tokens IS NULL";
        String withS = "SELECT g.*, coalesce(CAST(g.label AS DOUBLE), e.r, r1.r, " + r0 + ") AS s FROM (" + rows(call, "c", classes, noCtok) + ") g"
            + " LEFT JOIN rb_rate e ON e.tier = g.tier AND e.fk = coalesce(g.feature, '') AND e.decile = g.decile AND e.cbin = g.cbin"
            + " LEFT JOIN rb_r1 r1 ON r1.tier = g.tier";
        List<String> spread = new ArrayList<>();
        for (String col : OBS_HEAD) {
            spread.add(switch (col) {
                case "has_real" -> "NOT shadow AS has_real";
                // what follows from the call's own columns is derived after the sums, not summed for every call
                case "actual_cost" -> "CASE WHEN shadow THEN 0.0 ELSE cost END AS actual_cost";
                case "actual_lat" -> "CASE WHEN NOT shadow THEN lat END AS actual_lat";
                case "unknown_tier" -> "CAST(CAST(coalesce(tier NOT BETWEEN 1 AND " + k + ", true) AND NOT shadow AS INTEGER) * n AS BIGINT) AS unknown_tier";
                case "actual_s" -> "CASE WHEN NOT shadow THEN s * n END AS actual_s";
                case "first_real" -> "CASE WHEN NOT shadow THEN tier END AS first_real";
                default -> col;
            });
        }
        for (int t = 1; t <= k; t++) {
            String at = "coalesce(tier = " + t + ", false)";
            spread.add(at + " AS ex_" + t);
            for (String col : List.of("s", "sig", "conf", "val", "qual", "ok", "cost", "lat")) spread.add("CASE WHEN " + at + " THEN " + col + " END AS " + col + "_" + t);
            spread.add("CAST(" + at + " AND NOT shadow AS INTEGER) AS nreal_" + t);
        }
        String single = one + "SELECT " + String.join(", ", spread) + " FROM (" + withS + ")";

        // the conditions inside the aggregates (a NULL ordering value or sum term leaves the call out), not FILTER
        // clauses: the same rows, 0.4-0.5 s less at 10 M calls (2.2-2.9 s against 2.5-3.6 s, alternating runs)
        String realSeq = "CASE WHEN NOT shadow THEN seq END";
        String lastOk = "CASE WHEN ok THEN CASE WHEN NOT shadow THEN " + BIG + " + seq ELSE -seq END END";
        List<String> grouped = new ArrayList<>(List.of(TKEY + " AS tkey", BUCKET + " AS bucket", "coalesce(min(CASE WHEN NOT shadow THEN ts END), min(ts)) AS ts0",
            "arg_min(feature, seq) AS feature", "arg_min(user_id, seq) AS user_id", "arg_min(team, seq) AS team", "arg_min(router_score, seq) AS score",
            "coalesce(arg_min(routed_tier, seq), arg_min(tier, " + realSeq + "), arg_min(tier, seq)) AS first_tier", "max(prompt_tokens) AS ptok",
            "arg_min(" + phash + ", seq) AS phash", "bool_or(NOT shadow) AS has_real", "coalesce(sum(CASE WHEN NOT shadow THEN cost END), 0.0) AS actual_cost",
            "arg_max_null(s, " + realSeq + ") AS actual_s", "sum(CASE WHEN NOT shadow THEN lat END) AS actual_lat",
            "arg_max(model, " + lastOk + ") AS ref_model", "arg_max(completion_tokens, " + lastOk + ") AS ref_ctok",
            "CAST(count(CASE WHEN coalesce(tier NOT BETWEEN 1 AND " + k + ", true) AND NOT shadow THEN 1 END) AS INTEGER) AS unknown_tier",
            "arg_min(tier, " + realSeq + ") AS first_real"));
        // multi-call traces in one grouping by trace: the trace's own facts beside, per tier, the tier's call (the last
        // real one, else the shadow call of the tier's primary model, else the first shadow call: key_t, as one
        // arg_max of a struct) and its real calls' sums. Three groupings (per trace and tier, per trace, the trace's
        // facts) and a join took 3.4 s at 10 M calls.
        List<String> perTier = new ArrayList<>(), tierCols = new ArrayList<>();
        List<Col> many = new ArrayList<>(List.of(Col.key("tkey", tkey.apply("tkey", "bucket")), Col.key("bucket", "bucket"), Col.key("ts0", classes ? "CAST(NULL AS TIMESTAMP)" : "ts0"),
            Col.coded("feature", "feature", dicts.get("feature")), userCol, teamCol, Col.key("score", score.apply("score")), Col.key("bin", BIN),
            Col.key("first_tier", "first_tier"), Col.key("fit", fit(models, "ptok")),
            Col.sum("ptok", "coalesce(ptok, 0)", "BIGINT"), Col.key("phash", classes ? "CAST(NULL AS BIGINT)" : "phash"), Col.key("has_real", "has_real"),
            Col.sum("actual_cost", "actual_cost", "DOUBLE"), Col.sum("actual_s", "actual_s", "DOUBLE"), Col.sum("actual_lat", "actual_lat", "DOUBLE"),
            Col.coded("ref_model", "ref_model", dicts.get("model")), Col.sum("ref_ctok", "ref_ctok", "BIGINT"), Col.sum("unknown_tier", "unknown_tier", "BIGINT"), Col.key("first_real", "first_real")));
        for (int t = 1; t <= k; t++) {
            String at = "tier = " + t, real = "tier = " + t + " AND NOT shadow";
            perTier.add("bool_or(" + at + ") AS ex_" + t);
            perTier.add("arg_max({'s': s, 'sig': sig, 'conf': conf, 'val': val, 'qual': qual, 'ok': ok, 'cost': cost, 'lat': lat}, CASE WHEN " + at + " THEN key_" + t + " END) AS rep_" + t);
            perTier.add("sum(CASE WHEN " + real + " THEN cost END) AS rcost_" + t);
            perTier.add("sum(CASE WHEN " + real + " THEN lat END) AS rlat_" + t);
            perTier.add("CAST(count(CASE WHEN " + real + " THEN 1 END) AS INTEGER) AS nreal_" + t);
            tierCols.add("coalesce(ex_" + t + ", false) AS ex_" + t);
            for (String col : List.of("s", "sig", "conf", "val", "qual", "ok")) tierCols.add("rep_" + t + "." + col + " AS " + col + "_" + t);
            // a tier's cost and latency: its real calls' sums (a fallback within the tier adds up), else its shadow call's
            for (String col : List.of("cost", "lat")) tierCols.add("CASE WHEN nreal_" + t + " > 0 THEN r" + col + "_" + t + " ELSE rep_" + t + "." + col + " END AS " + col + "_" + t);
            tierCols.add("nreal_" + t);
            many.add(Col.key("ex_" + t, "ex_" + t));
            for (String col : List.of("s", "sig", "conf", "val", "qual", "ok")) {
                String name = col + "_" + t;
                many.add(Col.key(name, col.equals("conf") ? conf.apply(name) : col.equals("qual") ? qual.apply(name) : name));
            }
            many.add(Col.sum("cost_" + t, "cost_" + t, "DOUBLE"));
            many.add(Col.sum("lat_" + t, "lat_" + t, "DOUBLE"));
            many.add(Col.key("nreal_" + t, "nreal_" + t));
        }
        List<String> traceCols = new ArrayList<>();
        for (String g : grouped) traceCols.add(g.substring(g.lastIndexOf(" AS ") + 4));
        String traces = "SELECT " + String.join(", ", grouped) + ", " + String.join(", ", perTier) + " FROM c GROUP BY trace_id";
        String perTrace = "(SELECT " + String.join(", ", traceCols) + ", " + String.join(", ", tierCols) + " FROM (" + traces + "))";
        return new String[] {single, cMulti + rows(many, perTrace, classes, "ref_ctok IS NULL")};
    }

    /** rb_obs's columns before the tiers' (the single-call traces' spread selects them by name). */
    private static final List<String> OBS_HEAD = List.of("n", "tkey", "bucket", "ts0", "feature", "user_id", "team", "score", "bin", "first_tier", "fit", "ptok",
        "phash", "has_real", "actual_cost", "actual_s", "actual_lat", "ref_model", "ref_ctok", "unknown_tier", "first_real");

    /** The lowest tier whose primary model's context window holds the prompt of {@code ptok} tokens (1 when unknown). */
    private static String fit(TierModels models, String ptok) {
        StringBuilder fit = new StringBuilder("CASE WHEN " + ptok + " IS NULL THEN 1");
        for (TierModels.Model m : models.tiers()) {
            fit.append(" WHEN ").append(m.maxInputTokens() == null ? "true" : ptok + " <= " + m.maxInputTokens()).append(" THEN ").append(m.tier());
        }
        return fit + " ELSE " + models.tiers().size() + " END";
    }

    private static long countCalls(Connection conn, Filter f, String where) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM calls WHERE " + where)) {
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Per (feature, decile) and the coarser bins: each tier's observed success (calls, successes) and, for every
     * ordered pair of tiers (a, b) observed in the same trace, tier b's successes weighted by tier a's outcome
     * (n1/k1: a succeeded, n0/k0: a failed). Only observations that were not made because of another tier's
     * outcome count: a shadow call, or the first tier a trace really called — and, for b given a, a real call at
     * b after a (made because of a's outcome, which is what the pair conditions on). A real call at a lower tier
     * b that the trace left for a higher tier a would say "b failed" by construction, not by evidence. And a
     * conditions only when its call answered: an error or a rate limit says nothing about how hard the request was.
     */
    private static String stats(int k) {
        // conditions inside the aggregates rather than FILTER clauses (cheaper per row in DuckDB), with the same
        // results: a count of the rows that qualify, a sum NULL where none does
        List<String> agg = new ArrayList<>();
        for (int t = 1; t <= k; t++) {
            String unselected = "ex_" + t + " AND (nreal_" + t + " = 0 OR first_real = " + t + ")";
            agg.add("sum(CASE WHEN " + unselected + " THEN n ELSE 0 END) AS n_" + t);
            agg.add("sum(CASE WHEN " + unselected + " THEN s_" + t + " * n END) AS k_" + t);
            agg.add("sum(CASE WHEN ex_" + t + " THEN n ELSE 0 END) AS nall_" + t);
            agg.add("sum(CASE WHEN ex_" + t + " THEN s_" + t + " * n END) AS kall_" + t);
        }
        for (int a = 1; a <= k; a++) {
            for (int b = 1; b <= k; b++) {
                if (a == b) continue;
                String both = "CASE WHEN ex_" + a + " AND ok_" + a + " AND ex_" + b + (b < a ? " AND (nreal_" + b + " = 0 OR nreal_" + a + " = 0)" : "") + " THEN ";
                String p = a + "_" + b;
                agg.add("sum(" + both + "s_" + a + " * n END) AS n1_" + p);
                agg.add("sum(" + both + "s_" + a + " * s_" + b + " * n END) AS k1_" + p);
                agg.add("sum(" + both + "(1 - s_" + a + ") * n END) AS n0_" + p);
                agg.add("sum(" + both + "(1 - s_" + a + ") * s_" + b + " * n END) AS k0_" + p);
            }
        }
        List<String> validated = new ArrayList<>();
        for (int t = 1; t <= k; t++) validated.add("val_" + t + " IS NOT NULL");
        agg.add("sum(CASE WHEN " + String.join(" OR ", validated) + " THEN n ELSE 0 END) AS nval");
        // one pass over the traces by (feature, bin); the coarser levels add up those few rows (grouping sets over
        // the traces cost four passes: 8.5 s at 10 M calls)
        List<String> names = agg.stream().map(a -> a.substring(a.lastIndexOf(" AS ") + 4)).toList();
        String sums = String.join(", ", names.stream().map(n -> "sum(" + n + ") AS " + n).toList());
        String fine = "(SELECT fk, bin, " + String.join(", ", agg) + " FROM (SELECT *, coalesce(feature, '') AS fk FROM rb_obs) GROUP BY fk, bin)";
        return "WITH f AS " + fine + "\n"
            + "SELECT fk, bin, 0 AS lvl, " + String.join(", ", names) + " FROM f"
            + " UNION ALL SELECT NULL, bin, 2, " + sums + " FROM f GROUP BY bin"
            + " UNION ALL SELECT fk, NULL, 1, " + sums + " FROM f GROUP BY fk"
            + " UNION ALL SELECT NULL, NULL, 3, " + sums + " FROM f";
    }

    /**
     * The backed-off estimates per (feature, decile): u_t (unconditional) and P(b | a succeeded / failed). Thin
     * evidence backs off to coarser score bins before it leaves them: the feature's fifth of the score range, then
     * the decile across features, then the feature, then everything — success depends on the score first, so
     * pooling a feature's easy and hard traces would flatter the hard ones.
     */
    private static String estimates(int k) {
        List<String> cols = new ArrayList<>(List.of("v.fk", "v.bin", "coalesce(b.nval, 0) > 0 AS validated"));
        for (int t = 1; t <= k; t++) {
            // a tier only ever reached by escalation has no unselected evidence: its calls, selected as they are, beat a guess
            cols.add("coalesce(" + backedOff("n_" + t, "k_" + t, 1, "u_" + t, "") + ", c.kall_" + t + " / nullif(c.nall_" + t + ", 0)) AS u_" + t);
            cols.add("coalesce(" + backedOff("n_" + t, "k_" + t, 1, "u_" + t, "_n") + ", c.nall_" + t + ") AS u_" + t + "_n");
            cols.add("coalesce(" + backedOff("n_" + t, "k_" + t, 1, "u_" + t, "_c") + ", CAST(hash('all', '" + t + "') >> 1 AS BIGINT)) AS u_" + t + "_c");
        }
        for (int a = 1; a <= k; a++) {
            for (int b = 1; b <= k; b++) {
                if (a == b) continue;
                for (String o : List.of("1", "0")) {
                    String name = "p" + o + "_" + a + "_" + b;
                    for (String what : List.of("", "_n", "_c")) {
                        cols.add(backedOff("n" + o + "_" + a + "_" + b, "k" + o + "_" + a + "_" + b, MIN_EVIDENCE, name, what) + " AS " + name + what);
                    }
                }
            }
        }
        // grouping() bits, fk bin, 1 = not grouped by; a and f: the bin with its neighbours, one and two either side
        return "SELECT " + String.join(", ", cols) + " FROM (SELECT * FROM rb_stats WHERE lvl = 0) v"
            + " LEFT JOIN (" + window(k, 2) + ") a ON a.fk = v.fk AND a.bin = v.bin"
            + " LEFT JOIN (" + window(k, 4) + ") f ON f.fk = v.fk AND f.bin = v.bin"
            + " LEFT JOIN (SELECT * FROM rb_stats WHERE lvl = 2) d ON d.bin = v.bin"
            + " LEFT JOIN (SELECT * FROM rb_stats WHERE lvl = 1) b ON b.fk = v.fk"
            + " CROSS JOIN (SELECT * FROM rb_stats WHERE lvl = 3) c";
    }

    /**
     * A feature's bins widened by {@code w} bins either side, with each rate ({@code rl_<k>}) a local linear fit
     * at the centre bin rather than the window's plain mean: where success falls with the score and traces thin
     * out towards one side (the hard tail), a plain mean leans to the crowded side; the fitted line at the centre
     * does not, to first order. The sums ({@code n}, {@code k} columns) stay for the evidence counts.
     */
    private static String window(int k, int w) {
        String frame = " OVER (PARTITION BY fk ORDER BY bin RANGE BETWEEN " + w + " PRECEDING AND " + w + " FOLLOWING)";
        List<String> cols = new ArrayList<>(List.of("fk", "bin"));
        for (String[] nk : rateColumns(k)) {
            String n = nk[0], kk = nk[1];
            String s0 = "sum(" + n + ")" + frame, s1 = "sum(" + n + " * x)" + frame, s2 = "sum(" + n + " * x * x)" + frame;
            String t0 = "sum(" + kk + ")" + frame, t1 = "sum(" + kk + " * x)" + frame;
            String s1c = "(" + s1 + " - x * " + s0 + ")", s2c = "(" + s2 + " - 2 * x * " + s1 + " + x * x * " + s0 + ")", t1c = "(" + t1 + " - x * " + t0 + ")";
            String det = "(" + s0 + " * " + s2c + " - " + s1c + " * " + s1c + ")";
            cols.add(s0 + " AS " + n);
            cols.add(t0 + " AS " + kk);
            cols.add("CASE WHEN " + det + " > 1e-9 * " + s0 + " * " + s0 + " THEN greatest(0.0, least(1.0, (" + s2c + " * " + t0 + " - " + s1c + " * " + t1c + ") / " + det
                + ")) ELSE " + t0 + " / nullif(" + s0 + ", 0) END AS rl_" + kk);
        }
        return "SELECT " + String.join(", ", cols) + " FROM (SELECT *, CAST(bin AS DOUBLE) AS x FROM rb_stats WHERE lvl = 0)";
    }

    /** The (evidence, successes) column pairs of rb_stats that rates are taken from. */
    private static List<String[]> rateColumns(int k) {
        List<String[]> out = new ArrayList<>();
        for (int t = 1; t <= k; t++) out.add(new String[] {"n_" + t, "k_" + t});
        for (int a = 1; a <= k; a++) {
            for (int b = 1; b <= k; b++) {
                if (a == b) continue;
                for (String o : List.of("1", "0")) out.add(new String[] {"n" + o + "_" + a + "_" + b, "k" + o + "_" + a + "_" + b});
            }
        }
        return out;
    }

    /**
     * k/n at the finest level with enough evidence; at the coarsest, with at least {@code lastMin}. With
     * {@code what} "_n", the evidence it rests on; with "_c", an id of the cell it comes from (traces whose
     * estimates come from one cell share its sampling error: the intervals add it up per cell).
     */
    private static String backedOff(String n, String k, int lastMin, String name, String what) {
        StringBuilder sb = new StringBuilder("CASE");
        Map<String, String> keys = Map.of("v", "v.fk, v.bin", "a", "a.fk, a.bin", "f", "f.fk, f.bin", "d", "d.bin", "b", "b.fk", "c", "0");
        for (String level : List.of("v", "a", "f", "d", "b", "c")) {
            String value = switch (what) {
                case "_n" -> level + "." + n;
                case "_c" -> "CAST(hash('" + level + "', " + keys.get(level) + ", '" + name + "') >> 1 AS BIGINT)";
                default -> level.equals("a") || level.equals("f") ? level + ".rl_" + k : level + "." + k + " / " + level + "." + n;
            };
            sb.append(" WHEN ").append(level).append('.').append(n).append(" >= ").append(level.equals("c") ? lastMin : MIN_EVIDENCE).append(" THEN ").append(value);
        }
        return sb.append(" END").toString();
    }

    /**
     * The estimate cells in long form: for a trace of (feature, bin), tier t conditioned on tier ct (0: on
     * nothing) with outcome o, which cell gives its rate, the rate and its evidence. A missing conditional falls
     * back to the unconditional rate, as {@link #traceTable} does.
     */
    private static String cells(int k) {
        List<String> parts = new ArrayList<>();
        for (int t = 1; t <= k; t++) {
            parts.add("SELECT fk, bin, " + t + " AS t, 0 AS ct, 1 AS o, u_" + t + "_c AS cell, u_" + t + " AS r, u_" + t + "_n AS n FROM rb_est");
            for (int a = 1; a <= k; a++) {
                if (a == t) continue;
                for (String o : List.of("1", "0")) {
                    String p = "p" + o + "_" + a + "_" + t;
                    parts.add("SELECT fk, bin, " + t + ", " + a + ", " + o + ", CASE WHEN " + p + " IS NULL THEN u_" + t + "_c ELSE " + p + "_c END,"
                        + " coalesce(" + p + ", u_" + t + "), CASE WHEN " + p + " IS NULL THEN u_" + t + "_n ELSE " + p + "_n END FROM rb_est");
                }
            }
        }
        return String.join(" UNION ALL ", parts);
    }

    /**
     * Completion tokens per (feature, model) of ok calls, as ratios of each tier's primary model to the model a
     * trace was observed with (same feature; else across features), and the primary's own mean as a fallback.
     */
    private static String verbosity(int k, TierModels models, String where) {
        StringBuilder sb = new StringBuilder("WITH m AS (SELECT coalesce(feature, '') AS fk, model, avg(completion_tokens) AS mean, count(*) AS n FROM calls WHERE "
            + where + " AND coalesce(status, 'ok') = 'ok' AND completion_tokens IS NOT NULL GROUP BY ALL),"
            + " g AS (SELECT model, sum(mean * n) / sum(n) AS mean, sum(n) AS n FROM m GROUP BY model),"
            + " pairs AS (SELECT DISTINCT fk, model FROM m)\nSELECT pairs.fk, pairs.model");
        for (int t = 1; t <= k; t++) {
            String p = Replay.str(models.tiers().get(t - 1).name());
            sb.append(", CASE WHEN mr.n >= ").append(MIN_EVIDENCE).append(" AND (SELECT n FROM m WHERE m.fk = pairs.fk AND m.model = ").append(p).append(") >= ")
                .append(MIN_EVIDENCE).append(" THEN (SELECT mean FROM m WHERE m.fk = pairs.fk AND m.model = ").append(p).append(") / nullif(mr.mean, 0)")
                .append(" WHEN gr.n >= ").append(MIN_EVIDENCE).append(" AND (SELECT n FROM g WHERE g.model = ").append(p).append(") >= ").append(MIN_EVIDENCE)
                .append(" THEN (SELECT mean FROM g WHERE g.model = ").append(p).append(") / nullif(gr.mean, 0) END AS ratio_").append(t)
                .append(", coalesce((SELECT mean FROM m WHERE m.fk = pairs.fk AND m.model = ").append(p).append("), (SELECT mean FROM g WHERE g.model = ")
                .append(p).append(")) AS mean_").append(t);
        }
        return sb + " FROM pairs JOIN m mr ON mr.fk = pairs.fk AND mr.model = pairs.model JOIN g gr ON gr.model = pairs.model";
    }

    /** rb_obs with the estimates filled in: the table every policy reads. */
    private static String traceTable(int k, TierModels models) {
        List<String> cols = new ArrayList<>(List.of("o.n", "o.tkey", "o.bucket", "o.fit",
            "o.ts0", "o.feature", "coalesce(o.feature, '') AS fk", "o.user_id", "o.team", "o.score", "o.first_tier", "o.ptok", "o.phash",
            "o.has_real", "o.actual_cost", "o.actual_s", "o.actual_lat", "coalesce(e.validated, false) AS validated", "o.bin"));
        for (int t = 1; t <= k; t++) {
            TierModels.Model m = models.tiers().get(t - 1);
            // the nearest observed tier (the lower one on a tie) conditions the estimate
            StringBuilder near = new StringBuilder("CASE");
            for (int d = 1; d < k; d++) {
                for (int a : new int[] {t - d, t + d}) {
                    if (a < 1 || a > k) continue;
                    near.append(" WHEN o.ex_").append(a).append(" AND o.ok_").append(a).append(" THEN o.s_").append(a).append(" * coalesce(e.p1_").append(a).append('_').append(t)
                        .append(", e.u_").append(t).append(") + (1 - o.s_").append(a).append(") * coalesce(e.p0_").append(a).append('_').append(t)
                        .append(", e.u_").append(t).append(')');
                }
            }
            near.append(" END");
            StringBuilder nearTier = new StringBuilder("CASE"), nearS = new StringBuilder("CASE");
            for (int d = 1; d < k; d++) {
                for (int a : new int[] {t - d, t + d}) {
                    if (a < 1 || a > k) continue;
                    nearTier.append(" WHEN o.ex_").append(a).append(" AND o.ok_").append(a).append(" THEN ").append(a);
                    nearS.append(" WHEN o.ex_").append(a).append(" AND o.ok_").append(a).append(" THEN o.s_").append(a);
                }
            }
            String u = "coalesce(e.u_" + t + ", " + Replay.dbl(0.5) + ")";
            String ctok = "coalesce(o.ref_ctok * v.ratio_" + t + ", v.mean_" + t + " * o.n, o.ref_ctok, 0)";
            cols.add("o.ex_" + t);
            cols.add("CASE WHEN o.ex_" + t + " THEN o.s_" + t + " ELSE coalesce(" + (k > 1 ? near.toString() : "NULL") + ", " + u + ") END AS q_" + t);
            for (String col : List.of("sig", "conf", "val", "qual", "ok")) cols.add("o." + col + "_" + t);
            cols.add("CASE WHEN o.ex_" + t + " THEN o.cost_" + t + " ELSE " + m.costSql("coalesce(o.ptok, 0)", ctok) + " END AS cost_" + t);
            cols.add("CASE WHEN o.ex_" + t + " THEN o.lat_" + t + " ELSE " + ctok + " * " + Replay.dbl(m.msPerToken()) + " END AS lat_" + t);
            if (t > 1) {
                cols.add("coalesce(e.p1_" + (t - 1) + "_" + t + ", " + u + ") AS c1_" + t);
                cols.add("coalesce(e.p0_" + (t - 1) + "_" + t + ", " + u + ") AS c0_" + t);
            }
            cols.add("o.nreal_" + t);
            // which tier conditioned the estimate (0: none) and its outcome, for the estimate's share of the intervals
            cols.add(k > 1 ? "CASE WHEN o.ex_" + t + " THEN 0 ELSE coalesce(" + nearTier + " END, 0) END AS near_" + t : "0 AS near_" + t);
            cols.add(k > 1 ? "coalesce(" + nearS + " END, 1.0) AS sn_" + t : "1.0 AS sn_" + t);
        }
        return "SELECT " + String.join(", ", cols) + " FROM rb_obs o LEFT JOIN rb_est e ON e.fk = coalesce(o.feature, '') AND e.bin = o.bin"
            + " LEFT JOIN rb_verb v ON v.fk = coalesce(o.feature, '') AND v.model = o.ref_model";
    }

    /**
     * The observed calls' signals per tier and feature, with their outcome weights, for estimating how often a
     * policy would accept (or escalate) an estimated call: confidence and quality cut down to thousandths, so a
     * policy's {@code min_confidence} of three decimals or fewer is compared as with the exact value (and as with a
     * class's highest cut reached).
     */
    private static String acceptance(int k) {
        // from rb_obs itself (an observed tier's q_t is its s_t), not through rb_trace's estimate joins
        List<String> parts = new ArrayList<>();
        for (int t = 1; t <= k; t++) {
            parts.add("SELECT " + t + " AS tier, coalesce(o.feature, '') AS fk, coalesce(e.validated, false) AS validated, floor(conf_" + t + " * 1000) / 1000 AS conf,"
                + " floor(qual_" + t + " * 1000) / 1000 AS qual, val_" + t + " AS val, ok_" + t + " AS ok, sig_" + t + " AS sig, sum(s_" + t + " * n) AS w1,"
                + " sum((1 - s_" + t + ") * n) AS w0, sum(n) AS cnt FROM rb_obs o LEFT JOIN rb_est e ON e.fk = coalesce(o.feature, '') AND e.bin = o.bin WHERE ex_" + t + " GROUP BY ALL");
        }
        return String.join(" UNION ALL ", parts);
    }

    private static final boolean TIMING = System.getenv("RL_TIMING") != null;

    private static void exec(Connection conn, Filter f, String sql) throws SQLException {
        long t0 = System.nanoTime();
        try {
            execTimed(conn, f, sql);
        } finally {
            if (TIMING) System.err.printf("  [%.2f s] %s%n", (System.nanoTime() - t0) / 1e9, sql.substring(0, Math.min(70, sql.length())).replace('\n', ' '));
        }
    }

    private static void execTimed(Connection conn, Filter f, String sql) throws SQLException {
        // RL_SQL=1 prints each statement whole, for EXPLAIN ANALYZE by hand (as RL_TIMING prints its time)
        if (System.getenv("RL_SQL") != null) System.err.println("SQL>>> " + sql.replace('\n', ' ') + " <<<SQL");
        if (f == null) {
            try (Statement s = conn.createStatement()) {
                s.execute(sql);
            }
            return;
        }
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            int n = count(sql, f);
            int i = 1;
            for (int j = 0; j < n; j++) i = f.bind(ps, i);
            ps.execute();
        }
    }

    /** How many times the filter's WHERE appears in {@code sql} (each needs its parameters bound). */
    private static int count(String sql, Filter f) {
        String w = "(" + f.where() + ")";
        int n = 0;
        for (int i = sql.indexOf(w); i >= 0; i = sql.indexOf(w, i + 1)) n++;
        return n;
    }

    static double scalar(Connection conn, String sql) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    private static long[] longs(Connection conn, String sql) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long[] out = new long[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < out.length; i++) out[i] = rs.getLong(i + 1);
            return out;
        }
    }
}
