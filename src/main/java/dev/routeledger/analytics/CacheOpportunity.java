package dev.routeledger.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cache opportunity (SPEC §5): spend on repeated prompts within a time window. A trace is a repeat when an
 * earlier trace of the same feature sent the same prompt_hash no longer than the window before it; an
 * exact-match cache would have answered it, so its whole cost (all its calls, the cascade included) is what
 * the cache would have saved. Traces already served from the gateway's cache are not counted again.
 */
public final class CacheOpportunity {
    private CacheOpportunity() {}

    public record Group(String name, long repeatTraces, double repeatCostUsd, double costUsd) {}

    public record Result(Duration window, long traces, long repeatTraces, double repeatCostUsd, double totalCostUsd,
                         List<Group> byFeature, List<Group> byUser) {}

    public static Result run(Connection conn, Filter filter, Duration window, int limit) throws SQLException {
        String sql = """
            WITH t AS (
              -- a single-call trace is its call; only multi-call traces are grouped (most traces have one call)
              SELECT trace_id, feature, user_id, ts AS start, prompt_hash, coalesce(cost_effective, 0) AS cost, cache_hit AS cached
                FROM calls WHERE %1$s AND NOT multi_call
              UNION ALL
              SELECT trace_id, any_value(feature), any_value(user_id), min(ts), arg_min(prompt_hash, ts), sum(coalesce(cost_effective, 0)),
                     bool_or(cache_hit)
                FROM calls WHERE %1$s AND multi_call GROUP BY trace_id),
            r AS (SELECT *, prompt_hash IS NOT NULL AND NOT coalesce(cached, false)
                          AND lag(start) OVER (PARTITION BY feature, prompt_hash ORDER BY start, trace_id) >= start - to_microseconds(?)
                          AS repeat FROM t),
            g AS (SELECT 'feature' AS kind, feature AS name, count(*) FILTER (WHERE repeat) AS reps,
                         coalesce(sum(cost) FILTER (WHERE repeat), 0) AS rep_cost, sum(cost) AS cost, count(*) AS n FROM r GROUP BY feature
                  UNION ALL
                  SELECT 'user', user_id, count(*) FILTER (WHERE repeat), coalesce(sum(cost) FILTER (WHERE repeat), 0), sum(cost), count(*)
                    FROM r GROUP BY user_id
                  UNION ALL
                  SELECT 'total', NULL, count(*) FILTER (WHERE repeat), coalesce(sum(cost) FILTER (WHERE repeat), 0), sum(cost), count(*) FROM r)
            SELECT kind, name, reps, rep_cost, cost, n FROM (
              SELECT *, row_number() OVER (PARTITION BY kind ORDER BY rep_cost DESC, reps DESC, name) AS rn FROM g)
             WHERE kind <> 'user' OR (rn <= ? AND reps > 0)
             ORDER BY kind, rn
            """.formatted(filter.where());
        List<Group> features = new ArrayList<>();
        List<Group> users = new ArrayList<>();
        long repeats = 0, traces = 0;
        double repeatCost = 0, total = 0;
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            int i = filter.bind(ps, filter.bind(ps, 1));
            ps.setLong(i, window.toNanos() / 1000);
            ps.setInt(i + 1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Group g = new Group(rs.getString(2) == null ? "(none)" : rs.getString(2), rs.getLong(3), rs.getDouble(4), rs.getDouble(5));
                    switch (rs.getString(1)) {
                        case "feature" -> features.add(g);
                        case "user" -> users.add(g);
                        default -> {
                            repeats = g.repeatTraces();
                            repeatCost = g.repeatCostUsd();
                            total = g.costUsd();
                            traces = rs.getLong(6);
                        }
                    }
                }
            }
        }
        return new Result(window, traces, repeats, repeatCost, total, features, users);
    }
}
