package dev.routeledger.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The facts stored with every call so that analytics read them instead of recomputing them per query (SPEC §9:
 * each query ≤ 1 s at 10 M calls): the tier it counts under ({@code eff_tier}), its catalog and effective cost
 * (SPEC §4), and whether its trace has other calls ({@code multi_call}).
 *
 * <p>Why stored: joining the prices and evaluating the cost formula per call cost ≈ 0.9 s per query at 10 M
 * calls, against 0.05 s for reading a stored column; counting distinct traces cost ≈ 1.9 s, against ≈ 0.3 s when
 * only the calls of multi-call traces (one in seven) go through {@code count(DISTINCT)} — see
 * {@link #TRACE_COUNT} and BENCHMARKS.md.
 *
 * <p>When: an import saves its rows without facts and fills them right after ({@link #completePending}); a change
 * to prices, discounts or the tier map re-prices every call in the transaction that makes the change
 * ({@link ModelCosting#refresh}).
 */
public final class CallFacts {
    /** The stored fact columns, in table order after the canonical columns. */
    public static final String COLUMNS = "eff_tier, cost_catalog, cost_effective, multi_call, label, decile, trace_head, repeat_gap_us, user_repeat, tier_last, dim_heads";

    /** Column definitions for a call table. */
    public static final List<String> DEFINITIONS = List.of("eff_tier INTEGER", "cost_catalog DOUBLE", "cost_effective DOUBLE",
        "multi_call BOOLEAN",
        "label TINYINT", "decile TINYINT", "trace_head BOOLEAN", "repeat_gap_us BIGINT", "user_repeat BOOLEAN", "tier_last BOOLEAN",
        "dim_heads TINYINT");

    /**
     * Bits of {@code dim_heads} (analytics.TraceFacts): the call is its multi-call trace's head at its tier, model,
     * provider or status — the first call there, shadow calls after real ones, as {@code trace_head} is the trace's.
     */
    public static final int TIER_HEAD = 1, MODEL_HEAD = 2, PROVIDER_HEAD = 4, STATUS_HEAD = 8;

    /** The workspace's default quality bar (SPEC §1). */
    public static final double QUALITY_BAR = 0.7;

    /**
     * A call's success label from its own columns (SPEC §1): not ok failed; else quality against the bar, then
     * validation, then feedback; 1 success, 0 failure, NULL unlabeled. Stored: evaluated per query it was a
     * fifth of the escalation query's time at 10 M calls (string comparisons on every call).
     */
    public static final String LABEL = """
        CAST(CASE WHEN coalesce(status, 'ok') <> 'ok' THEN 0
                  WHEN quality IS NOT NULL THEN CAST(quality >= %s AS INTEGER)
                  WHEN validation IS NOT NULL THEN CAST(validation = 'pass' AS INTEGER)
                  WHEN feedback IS NOT NULL THEN CAST(feedback = 'up' AS INTEGER) END AS TINYINT)""".formatted(QUALITY_BAR).strip();

    /** The router-score decile 0–9 that comparable traces share (no score: decile 0). */
    public static final String DECILE = "CAST(least(floor(coalesce(router_score, 0) * 10), 9) AS TINYINT)";

    /**
     * The fact columns of a staged row: label and decile from its own columns, the rest NULL until
     * {@link #completePending} fills them ({@code multi_call IS NULL} marks the row pending).
     */
    public static final String STAGED_COLUMNS = "CAST(NULL AS INTEGER) AS eff_tier, CAST(NULL AS DOUBLE) AS cost_catalog,"
        + " CAST(NULL AS DOUBLE) AS cost_effective, CAST(NULL AS BOOLEAN) AS multi_call, " + LABEL + " AS label, " + DECILE + " AS decile,"
        + " CAST(NULL AS BOOLEAN) AS trace_head, CAST(NULL AS BIGINT) AS repeat_gap_us, CAST(NULL AS BOOLEAN) AS user_repeat, CAST(NULL AS BOOLEAN) AS tier_last,"
        + " CAST(NULL AS TINYINT) AS dim_heads";

    /**
     * The number of distinct traces among the rows of a group, exact: a call of a single-call trace is its trace
     * (no hashing needed), and only the calls of multi-call traces are counted distinct.
     */
    public static final String TRACE_COUNT = traceCount("true");

    /**
     * The number of traces whose head (first real call, {@code trace_head}) is among the rows of a group: a plain
     * count, a third of the cost of {@link #TRACE_COUNT} at 10 M calls. Equal to it when the group's key and the
     * filter hold for whole traces (user, team, feature; a time range counts a trace where it starts); a grouping
     * by tier or model, or a filter on them, needs {@link #TRACE_COUNT}.
     */
    public static final String TRACE_HEADS = traceHeads("true");

    /** {@link #TRACE_HEADS} over the rows of a group that {@code condition} keeps. */
    public static String traceHeads(String condition) {
        return "count(*) FILTER (WHERE (NOT multi_call OR trace_head) AND " + condition + ")";
    }

    /**
     * The number of traces among a group's rows that {@code condition} keeps, for a group by one call dimension
     * (tier, model, provider or status; {@code bit} its {@link #TIER_HEAD}…): by each trace's head there. Equal to
     * {@link #TRACE_COUNT} when the filter keeps every call of a trace at that value, and half its cost at 10 M
     * calls; needs the derived facts (analytics.TraceFacts) built.
     */
    public static String dimHeads(String condition, int bit) {
        return "count(*) FILTER (WHERE (NOT multi_call OR dim_heads & " + bit + " <> 0) AND " + condition + ")";
    }

    /** {@link #TRACE_COUNT} over the rows of a group that {@code condition} keeps. */
    public static String traceCount(String condition) {
        return "(count(*) FILTER (WHERE NOT multi_call AND " + condition + ") + count(DISTINCT trace_id) FILTER (WHERE multi_call AND " + condition + "))";
    }

    /** A model_costing row that prices nothing. */
    private static final String NO_COSTING = "(SELECT CAST(NULL AS INTEGER) AS map_tier, CAST(NULL AS DOUBLE) AS in_p, CAST(NULL AS DOUBLE) AS out_p,"
        + " CAST(NULL AS DOUBLE) AS cached_p, CAST(NULL AS BIGINT) AS long_threshold, CAST(NULL AS DOUBLE) AS in_long,"
        + " CAST(NULL AS DOUBLE) AS out_long, CAST(NULL AS DOUBLE) AS cached_long, CAST(0 AS DOUBLE) AS discount_pct)";

    private CallFacts() {}

    /**
     * The catalog cost of call {@code c} with the prices of {@code mc} (a model_costing row), SPEC §4: uncached
     * input, cached input at the cache-read price, output; the long-context prices when the prompt is over the
     * catalog's threshold; nothing for a gateway cache hit or a failed call (error, timeout, rate limit).
     */
    static String catalogCost(String c, String mc) {
        String longCtx = c + ".prompt_tokens > " + mc + ".long_threshold";
        return "CASE WHEN " + c + ".cache_hit OR " + c + ".status <> 'ok' THEN 0.0"
            + " WHEN " + mc + ".in_p IS NULL OR " + mc + ".out_p IS NULL OR " + c + ".prompt_tokens IS NULL THEN NULL"
            + " ELSE greatest(" + c + ".prompt_tokens - coalesce(" + c + ".cached_tokens, 0), 0)"
            + " * CASE WHEN " + longCtx + " AND " + mc + ".in_long IS NOT NULL THEN " + mc + ".in_long ELSE " + mc + ".in_p END"
            + " + coalesce(" + c + ".cached_tokens, 0) * coalesce(CASE WHEN " + longCtx + " AND " + mc + ".cached_long IS NOT NULL THEN "
            + mc + ".cached_long ELSE " + mc + ".cached_p END, CASE WHEN " + longCtx + " AND " + mc + ".in_long IS NOT NULL THEN "
            + mc + ".in_long ELSE " + mc + ".in_p END)"
            + " + coalesce(" + c + ".completion_tokens, 0)"
            + " * CASE WHEN " + longCtx + " AND " + mc + ".out_long IS NOT NULL THEN " + mc + ".out_long ELSE " + mc + ".out_p END END";
    }

    /** The effective cost: the logged cost when there is one, else the catalog's, less the negotiated discount (gateways log list prices). */
    static String effectiveCost(String c, String mc) {
        return "coalesce(" + c + ".cost_usd, " + catalogCost(c, mc) + ") * (1 - coalesce(" + mc + ".discount_pct, 0) / 100)";
    }

    /** The join condition of a call to its model_costing row. */
    private static String costingJoin(String c, String mc) {
        return mc + ".model = " + c + ".model AND " + mc + ".provider_key = coalesce(" + c + ".provider, '')";
    }

    /**
     * Prices and tiers every row of {@code table}. Every (model, provider) of its rows must have its model_costing
     * row (PriceMatches.addMissing).
     */
    private static void price(Connection conn, String table) throws SQLException {
        String t = quote(table);
        exec(conn, "UPDATE " + t + " SET eff_tier = coalesce(" + t + ".tier, mc.map_tier), cost_catalog = " + catalogCost(t, "mc")
            + ", cost_effective = " + effectiveCost(t, "mc") + " FROM model_costing mc WHERE " + costingJoin(t, "mc"));
    }

    /** Re-prices every call of the workspace (after a price, discount, catalog or tier-map change). */
    public static void priceAll(Connection conn) throws SQLException {
        for (String t : callTables(conn)) price(conn, t);
        DerivedFacts.invalidate(conn);
    }

    /**
     * Fills the facts of every call that has none yet ({@code multi_call IS NULL}: an import's rows, saved in the
     * import's transaction, get their facts in a second one right after). Updating rows in the transaction that
     * created them cost 6× more at 10 M calls (DuckDB logs each updated row at commit); a crash in between leaves
     * the rows pending, and opening the workspace completes them. Runs in one transaction of its own.
     */
    public static void completePending(Connection conn) throws SQLException {
        List<String> pending = new ArrayList<>();
        List<String> tables = callTables(conn);
        for (String t : tables) {
            try (Statement s = conn.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM (SELECT 1 FROM " + quote(t) + " WHERE multi_call IS NULL LIMIT 1)")) {
                rs.next();
                if (rs.getLong(1) > 0) pending.add(t);
            }
        }
        if (pending.isEmpty()) return;
        Transactions.atomically(conn, () -> fill(conn, tables, pending));
    }

    private static void fill(Connection conn, List<String> tables, List<String> pending) throws SQLException {
        String pendingRows = String.join(" UNION ALL ", pending.stream().map(t -> "SELECT trace_id FROM " + quote(t) + " WHERE multi_call IS NULL").toList());
        // traces that continue calls already in the workspace: both sides are multi-call. Traces are matched by
        // their 64-bit hash: a collision only makes a single-call trace go through count(DISTINCT), still exact.
        exec(conn, "CREATE OR REPLACE TEMP TABLE rl_continued AS SELECT DISTINCT hash(trace_id) AS h FROM (" + pendingRows + ")"
            + " WHERE trace_id IN (SELECT trace_id FROM calls WHERE multi_call IS NOT NULL)");
        for (String t : tables) {
            exec(conn, "UPDATE " + quote(t) + " SET multi_call = true WHERE multi_call = false AND hash(trace_id) IN (SELECT h FROM rl_continued)");
        }
        // within the pending rows: a trace with two or more of them
        String within = "SELECT hash(trace_id) FROM (" + pendingRows + ") GROUP BY 1 HAVING count(*) > 1";
        exec(conn, "CREATE OR REPLACE TEMP TABLE rl_multi AS " + within + " UNION SELECT h FROM rl_continued");
        for (String t : pending) {
            String q = quote(t);
            // one pass writes all four columns: two UPDATEs cost 5.6 s at 10 M calls, one 3.1 s
            String set = " SET eff_tier = coalesce(" + q + ".tier, mc.map_tier), cost_catalog = " + catalogCost(q, "mc")
                + ", cost_effective = " + effectiveCost(q, "mc") + ", multi_call = hash(" + q + ".trace_id) IN (SELECT * FROM rl_multi)";
            exec(conn, "UPDATE " + q + set + " FROM model_costing mc WHERE " + costingJoin(q, "mc") + " AND " + q + ".multi_call IS NULL");
            // the import matched every model of its rows to the catalog; should one have no costing row, its
            // calls are unpriced rather than left without facts
            exec(conn, "UPDATE " + q + set + " FROM " + NO_COSTING + " mc WHERE " + q + ".multi_call IS NULL");
        }
        markHeads(conn, tables, "hash(trace_id) IN (SELECT * FROM rl_multi)");
        DerivedFacts.invalidate(conn);
        exec(conn, "DROP TABLE rl_continued");
        exec(conn, "DROP TABLE rl_multi");
    }

    /**
     * Marks the head of every multi-call trace that {@code traces} selects (a condition on calls): its first real
     * call by time and attempt, or its first call when all are shadow calls (an eval set's prompt); exactly one
     * call per trace (among calls with the same time and attempt any one: they count in the same period). The
     * other calls of those traces are marked not head.
     */
    static void markHeads(Connection conn, List<String> tables, String traces) throws SQLException {
        // the order as one BIGINT: shadow calls after real ones, then time and attempt (epoch µs × 100 < 2^62);
        // a struct key breaking ties by request id cost twice as much at 10 M calls
        String order = "(CAST(shadow AS BIGINT) << 62) + epoch_us(ts) * 100 + coalesce(attempt, 0)";
        exec(conn, "CREATE OR REPLACE TEMP TABLE rl_heads AS SELECT trace_id, arg_min(request_id, " + order + ") AS head"
            + " FROM calls WHERE multi_call AND " + traces + " GROUP BY trace_id");
        for (String t : tables) {
            String q = quote(t);
            exec(conn, "UPDATE " + q + " SET trace_head = (" + q + ".request_id = h.head) FROM rl_heads h WHERE " + q + ".multi_call AND "
                + q + ".trace_id = h.trace_id");
        }
        exec(conn, "DROP TABLE rl_heads");
    }

    /** Marks the heads of every multi-call trace (a workspace from before schema version 5). */
    public static void markAllHeads(Connection conn) throws SQLException {
        markHeads(conn, callTables(conn), "true");
    }

    /** {@code calls_main} and every import batch's own table: what the {@code calls} view unions. */
    public static List<String> callTables(Connection conn) throws SQLException {
        List<String> out = new ArrayList<>();
        out.add("calls_main");
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM import_batches WHERE table_name IS NOT NULL ORDER BY batch_id")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    /** A call table's name as SQL: quoted unless it is a plain identifier. */
    public static String quote(String table) {
        return table.matches("[A-Za-z_][A-Za-z0-9_]*") ? table : "\"" + table.replace("\"", "\"\"") + "\"";
    }

    private static void exec(Connection conn, String sql) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        }
    }
}
