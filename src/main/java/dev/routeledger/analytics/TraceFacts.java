package dev.routeledger.analytics;

import dev.routeledger.store.CallFacts;
import dev.routeledger.store.DerivedFacts;
import dev.routeledger.store.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Facts about a call that depend on other calls, stored so that the power-user, escalation and cache queries are
 * single scans (SPEC §9: ≤ 1 s each at 10 M calls; computed per query they took 2–5 s, BENCHMARKS.md):
 * <ul>
 * <li>{@code repeat_gap_us}, on every real call of a trace that repeats a prompt: the microseconds since the
 * previous trace of the same feature sent the same prompt (the trace's first call's prompt_hash). Traces served
 * from the gateway's cache carry none: a cache would not save them again.</li>
 * <li>{@code user_repeat}: the real call's user sent its prompt in an earlier trace.</li>
 * <li>{@code tier_last}, on calls of multi-call traces: the call is the last of its trace at its tier, whose
 * outcome is the tier's outcome on the trace (a rate-limited call retried on another provider of the same tier
 * is a capacity event, not the tier failing).</li>
 * <li>{@code dim_heads}, on calls of multi-call traces: bits (CallFacts.TIER_HEAD…) saying the call is its
 * trace's head at its tier, model, provider and status, so a breakdown by one of those counts a trace once per
 * group without a distinct count.</li>
 * <li>table {@code multi_trace_facts}: one row per multi-call trace (single-call traces are their call) with the
 * escalation facts of SPEC §5, and the columns {@link Filter} reads: the trace's start, user, team and feature,
 * and the model, provider and tier of its last call.</li>
 * </ul>
 * Repeats are facts of the whole workspace: a prompt counts as repeated whatever range or users a view is
 * filtered to, because the cache that would have answered it serves all the gateway's traffic.
 *
 * <p>Built on first use after the calls change ({@link DerivedFacts}), in one transaction.
 */
public final class TraceFacts {
    static final String NAME = "trace_facts";

    private TraceFacts() {}

    /** Builds the facts if the calls changed since they were last built. */
    public static void ensure(Connection conn) throws SQLException {
        if (DerivedFacts.fresh(conn, NAME)) return;
        Transactions.atomically(conn, () -> {
            List<String> tables = CallFacts.callTables(conn);
            for (String t : tables) {
                exec(conn, "UPDATE " + CallFacts.quote(t) + " SET repeat_gap_us = NULL, user_repeat = NULL, tier_last = NULL, dim_heads = NULL"
                    + " WHERE repeat_gap_us IS NOT NULL OR user_repeat IS NOT NULL OR tier_last IS NOT NULL OR dim_heads IS NOT NULL");
            }
            promptRepeats(conn, tables);
            userRepeats(conn, tables);
            tierLast(conn, tables);
            dimHeads(conn, tables);
            multiTraceFacts(conn);
            for (String tmp : List.of("tf_pairs", "tf_gaps", "tf_ufirst", "tf_last", "tf_heads")) exec(conn, "DROP TABLE IF EXISTS " + tmp);
            DerivedFacts.markBuilt(conn, NAME);
        });
    }

    private static void promptRepeats(Connection conn, List<String> tables) throws SQLException {
        // (feature, prompt) pairs sent more than once: only their traces can repeat, and the window runs over those alone
        exec(conn, "CREATE OR REPLACE TEMP TABLE tf_pairs AS SELECT hash(feature, prompt_hash) AS h FROM calls"
            + " WHERE NOT shadow AND prompt_hash IS NOT NULL GROUP BY 1 HAVING count(*) > 1");
        exec(conn, """
            CREATE OR REPLACE TEMP TABLE tf_gaps AS
            SELECT trace_id, gap FROM (
              SELECT trace_id, cached,
                     epoch_us(start) - lag(epoch_us(start)) OVER (PARTITION BY feature, prompt_hash ORDER BY start, trace_id) AS gap
                FROM (
                  SELECT trace_id, feature, prompt_hash, ts AS start, coalesce(cache_hit, false) AS cached FROM calls
                   WHERE NOT shadow AND NOT multi_call AND prompt_hash IS NOT NULL AND hash(feature, prompt_hash) IN (SELECT h FROM tf_pairs)
                  UNION ALL
                  SELECT * FROM (
                    SELECT trace_id, any_value(feature) AS feature, arg_min(prompt_hash, ts) AS prompt_hash, min(ts) AS start,
                           coalesce(bool_or(cache_hit), false) AS cached
                      FROM calls WHERE NOT shadow AND multi_call GROUP BY trace_id)
                   WHERE prompt_hash IS NOT NULL AND hash(feature, prompt_hash) IN (SELECT h FROM tf_pairs)))
             WHERE gap IS NOT NULL AND NOT cached""");
        for (String t : tables) {
            exec(conn, "UPDATE " + CallFacts.quote(t) + " SET repeat_gap_us = g.gap FROM tf_gaps g WHERE NOT " + CallFacts.quote(t) + ".shadow AND "
                + CallFacts.quote(t) + ".trace_id = g.trace_id");
        }
    }

    private static void userRepeats(Connection conn, List<String> tables) throws SQLException {
        // most (user, prompt) pairs occur once and cannot repeat: a count on the pair's hash finds the others
        exec(conn, """
            CREATE OR REPLACE TEMP TABLE tf_ufirst AS
            SELECT user_id, prompt_hash, arg_min(trace_id, ts) AS first_trace FROM calls
             WHERE NOT shadow AND user_id IS NOT NULL AND prompt_hash IS NOT NULL
               AND hash(user_id, prompt_hash) IN (
                 SELECT hash(user_id, prompt_hash) FROM calls WHERE NOT shadow AND user_id IS NOT NULL AND prompt_hash IS NOT NULL
                  GROUP BY 1 HAVING count(*) > 1)
             GROUP BY ALL HAVING count(DISTINCT trace_id) > 1""");
        for (String t : tables) {
            String c = CallFacts.quote(t);
            exec(conn, "UPDATE " + c + " SET user_repeat = true FROM tf_ufirst u WHERE NOT " + c + ".shadow AND " + c + ".user_id = u.user_id AND "
                + c + ".prompt_hash = u.prompt_hash AND " + c + ".trace_id <> u.first_trace");
        }
    }

    private static void tierLast(Connection conn, List<String> tables) throws SQLException {
        exec(conn, "CREATE OR REPLACE TEMP TABLE tf_last AS SELECT trace_id, eff_tier AS tier, max(" + CallOutcomes.SEQ + ") AS seq"
            + " FROM calls WHERE multi_call GROUP BY ALL");
        for (String t : tables) {
            String c = CallFacts.quote(t);
            exec(conn, "UPDATE " + c + " SET tier_last = true FROM tf_last l WHERE " + c + ".multi_call AND " + c + ".trace_id = l.trace_id AND "
                + c + ".eff_tier IS NOT DISTINCT FROM l.tier AND (epoch_us(" + c + ".ts) * 100 + coalesce(" + c + ".attempt, 0)) = l.seq");
        }
    }

    /**
     * The head of each multi-call trace at each tier, model, provider and status: its first call there, real calls
     * before shadow ones, then by time, attempt and request id (the same order as {@code trace_head}, so a view
     * without shadow calls counts the trace at a value where it made a real call, and one with them where it made
     * any). One window per column over the 1.5 M calls of multi-call traces: 1.7 s at 10 M calls, the update 0.8 s.
     */
    private static void dimHeads(Connection conn, List<String> tables) throws SQLException {
        StringBuilder bits = new StringBuilder();
        String[][] dims = {{"eff_tier", "" + CallFacts.TIER_HEAD}, {"model", "" + CallFacts.MODEL_HEAD},
            {"provider", "" + CallFacts.PROVIDER_HEAD}, {"status", "" + CallFacts.STATUS_HEAD}};
        for (String[] d : dims) {
            if (bits.length() > 0) bits.append(" + ");
            bits.append("CASE WHEN row_number() OVER (PARTITION BY trace_id, ").append(d[0])
                .append(" ORDER BY shadow, ts, coalesce(attempt, 0), request_id) = 1 THEN ").append(d[1]).append(" ELSE 0 END");
        }
        exec(conn, "CREATE OR REPLACE TEMP TABLE tf_heads AS SELECT trace_id, request_id, CAST(" + bits + " AS TINYINT) AS heads"
            + " FROM calls WHERE multi_call");
        for (String t : tables) {
            String c = CallFacts.quote(t);
            exec(conn, "UPDATE " + c + " SET dim_heads = h.heads FROM tf_heads h WHERE " + c + ".multi_call AND " + c + ".trace_id = h.trace_id AND "
                + c + ".request_id = h.request_id");
        }
    }

    /** Whether the derived facts are current (a query may use them without building them). */
    public static boolean built(Connection conn) throws SQLException {
        return DerivedFacts.fresh(conn, NAME);
    }

    private static void multiTraceFacts(Connection conn) throws SQLException {
        exec(conn, """
            CREATE OR REPLACE TABLE multi_trace_facts AS
            WITH mt AS (
              SELECT trace_id, min(ts) AS ts, any_value(user_id) AS user_id, any_value(team) AS team, any_value(feature) AS feature,
                     arg_max(model, {SEQ}) AS model, arg_max(provider, {SEQ}) AS provider, false AS shadow, any_value(decile) AS decile,
                     coalesce(max(routed_tier), arg_min(eff_tier, {SEQ})) AS from_tier, arg_max(eff_tier, {SEQ}) AS eff_tier,
                     arg_max_null(label, {SEQ}) AS last_label, sum(coalesce(cost_effective, 0)) AS cost
                FROM calls WHERE multi_call AND NOT shadow GROUP BY trace_id),
            -- the evidence in an escalated trace: the reason of its first call above the router's tier, and whether a
            -- call at the router's tier (real, or a shadow call) succeeded there
            ev AS (
              SELECT e.trace_id,
                     arg_min(c.escalation_reason, {SEQ}) FILTER (WHERE NOT c.shadow AND c.eff_tier > e.from_tier) AS reason,
                     max(label) FILTER (WHERE NOT c.shadow AND c.eff_tier = e.from_tier) AS real_ok,
                     max(label) FILTER (WHERE c.shadow AND c.eff_tier = e.from_tier) AS shadow_ok,
                     arg_max_null(label, {SEQ}) FILTER (WHERE NOT c.shadow AND c.eff_tier = e.from_tier) AS real_last,
                     min(coalesce(c.cost_effective, 0)) FILTER (WHERE c.eff_tier = e.from_tier AND label = 1) AS lower_cost
                FROM calls c JOIN (SELECT trace_id, from_tier FROM mt WHERE eff_tier > from_tier) e USING (trace_id)
               WHERE c.multi_call GROUP BY e.trace_id)
            SELECT mt.*, coalesce(ev.reason, 'unspecified') AS reason, coalesce(ev.real_ok = 1 OR ev.shadow_ok = 1, false) AS over,
                   ev.lower_cost,
                   -- the lower tier's own outcome on this trace: its last real call there, else its shadow call
                   coalesce(ev.real_last, ev.shadow_ok) AS lower_label
              FROM mt LEFT JOIN ev USING (trace_id)""".replace("{SEQ}", CallOutcomes.SEQ));
    }

    private static void exec(Connection conn, String sql) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        }
    }
}
