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
 * <p>When: an import fills them for its own rows in its transaction; a change to prices, discounts or the tier map
 * re-prices every call in the transaction that makes the change ({@link ModelCosting#refresh}).
 */
public final class CallFacts {
    /** The stored fact columns, in table order after the canonical columns. */
    public static final String COLUMNS = "eff_tier, cost_catalog, cost_effective, multi_call";

    /** Column definitions for a call table. */
    public static final List<String> DEFINITIONS = List.of("eff_tier INTEGER", "cost_catalog DOUBLE", "cost_effective DOUBLE",
        "multi_call BOOLEAN DEFAULT false");

    /**
     * The number of distinct traces among the rows of a group, exact: a call of a single-call trace is its trace
     * (no hashing needed), and only the calls of multi-call traces are counted distinct.
     */
    public static final String TRACE_COUNT = "(count(*) FILTER (WHERE NOT multi_call) + count(DISTINCT trace_id) FILTER (WHERE multi_call))";

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

    /** The select list of the facts of call {@code c} joined to its model_costing row {@code mc} (LEFT JOIN: NULL prices). */
    public static String factsSelect(String c, String mc) {
        return "coalesce(" + c + ".tier, " + mc + ".map_tier), " + catalogCost(c, mc) + ", " + effectiveCost(c, mc);
    }

    /** The join condition of a call to its model_costing row. */
    public static String costingJoin(String c, String mc) {
        return mc + ".model = " + c + ".model AND " + mc + ".provider_key = coalesce(" + c + ".provider, '')";
    }

    /**
     * Prices and tiers the rows of {@code table} that {@code where} selects (SQL over the table's own columns, or
     * "true"). Every (model, provider) of those rows must have its model_costing row (PriceMatches.addMissing).
     */
    public static void price(Connection conn, String table, String where) throws SQLException {
        String t = quote(table);
        exec(conn, "UPDATE " + t + " SET eff_tier = coalesce(" + t + ".tier, mc.map_tier), cost_catalog = " + catalogCost(t, "mc")
            + ", cost_effective = " + effectiveCost(t, "mc") + " FROM model_costing mc WHERE " + costingJoin(t, "mc") + " AND (" + where + ")");
    }

    /** Re-prices every call of the workspace (after a price, discount, catalog or tier-map change). */
    public static void priceAll(Connection conn) throws SQLException {
        for (String t : callTables(conn)) price(conn, t, "true");
    }

    /**
     * Marks the calls of {@code table} selected by {@code where} whose trace has another call — in that table or
     * anywhere in the workspace — and marks those other calls too. {@code others} are the call tables that
     * were in the workspace before (their flags already hold among themselves).
     */
    public static void markMultiCall(Connection conn, String table, String where, List<String> others) throws SQLException {
        String t = quote(table);
        exec(conn, "UPDATE " + t + " SET multi_call = true WHERE (" + where + ") AND trace_id IN (SELECT trace_id FROM " + t
            + " WHERE " + where + " GROUP BY trace_id HAVING count(*) > 1)");
        for (String other : others) {
            String o = quote(other);
            String oWhere = other.equals(table) ? "NOT (" + where + ")" : "true";
            // a trace continued across imports: both sides become multi-call
            exec(conn, "UPDATE " + o + " SET multi_call = true WHERE NOT multi_call AND " + oWhere + " AND trace_id IN (SELECT trace_id FROM "
                + t + " WHERE " + where + ")");
            exec(conn, "UPDATE " + t + " SET multi_call = true WHERE NOT multi_call AND (" + where + ") AND trace_id IN (SELECT trace_id FROM "
                + o + " WHERE " + oWhere + ")");
        }
    }

    /** Recomputes every call's multi-call flag (after an upgrade). */
    public static void markAllMultiCall(Connection conn) throws SQLException {
        for (String t : callTables(conn)) exec(conn, "UPDATE " + quote(t) + " SET multi_call = false WHERE multi_call");
        for (String t : callTables(conn)) {
            exec(conn, "UPDATE " + quote(t) + " SET multi_call = true WHERE trace_id IN (SELECT trace_id FROM calls GROUP BY trace_id HAVING count(*) > 1)");
        }
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

    static String quote(String table) {
        return table.matches("[A-Za-z_][A-Za-z0-9_]*") ? table : "\"" + table.replace("\"", "\"\"") + "\"";
    }

    private static void exec(Connection conn, String sql) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        }
    }
}
