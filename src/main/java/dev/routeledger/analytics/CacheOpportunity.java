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
        // {F} is the filter (bound once per occurrence), {W} the window in microseconds, {N} the user limit.
        String template = """
            WITH cand AS (
              -- (feature, prompt) pairs sent more than once: only their traces can repeat. The window runs over
              -- those alone; over all 9 M traces of a 10 M-call log it took most of this query's time.
              SELECT hash(feature, prompt_hash) AS h FROM calls WHERE {F} AND prompt_hash IS NOT NULL GROUP BY 1 HAVING count(*) > 1),
            t AS (
              -- a single-call trace is its call; only multi-call traces are grouped (most traces have one call)
              SELECT trace_id, feature, user_id, ts AS start, prompt_hash, coalesce(cost_effective, 0) AS cost, cache_hit AS cached
                FROM calls WHERE {F} AND NOT multi_call AND hash(feature, prompt_hash) IN (SELECT h FROM cand)
              UNION ALL
              SELECT * FROM (
                SELECT trace_id, any_value(feature) AS feature, any_value(user_id) AS user_id, min(ts) AS start,
                       arg_min(prompt_hash, ts) AS prompt_hash, sum(coalesce(cost_effective, 0)) AS cost, bool_or(cache_hit) AS cached
                  FROM calls WHERE {F} AND multi_call GROUP BY trace_id)
               WHERE hash(feature, prompt_hash) IN (SELECT h FROM cand)),
            r AS (SELECT *, prompt_hash IS NOT NULL AND NOT coalesce(cached, false)
                          AND lag(start) OVER (PARTITION BY feature, prompt_hash ORDER BY start, trace_id) >= start - to_microseconds({W})
                          AS repeat FROM t),
            reps AS (SELECT feature, user_id, count(*) FILTER (WHERE repeat) AS reps, coalesce(sum(cost) FILTER (WHERE repeat), 0) AS rep_cost
                       FROM r GROUP BY ALL),
            g AS (SELECT 'feature' AS kind, f.k AS name, coalesce(x.reps, 0) AS reps, coalesce(x.rep_cost, 0) AS rep_cost, f.cost, f.n
                    FROM (SELECT feature AS k, sum(coalesce(cost_effective, 0)) AS cost, %1$s AS n FROM calls WHERE {F} GROUP BY 1) f
                    LEFT JOIN (SELECT feature AS k, sum(reps) AS reps, sum(rep_cost) AS rep_cost FROM reps GROUP BY 1) x
                           ON x.k IS NOT DISTINCT FROM f.k
                  UNION ALL
                  SELECT 'user', u.k, x.reps, x.rep_cost, u.cost, u.n
                    FROM (SELECT user_id AS k, sum(reps) AS reps, sum(rep_cost) AS rep_cost FROM reps GROUP BY 1) x
                    JOIN (SELECT user_id AS k, sum(coalesce(cost_effective, 0)) AS cost, %1$s AS n FROM calls WHERE {F} GROUP BY 1) u
                      ON u.k IS NOT DISTINCT FROM x.k
                  UNION ALL
                  SELECT 'total', NULL, (SELECT coalesce(sum(reps), 0) FROM reps), (SELECT coalesce(sum(rep_cost), 0) FROM reps),
                         sum(coalesce(cost_effective, 0)), %1$s FROM calls WHERE {F})
            SELECT kind, name, reps, rep_cost, cost, n FROM (
              SELECT *, row_number() OVER (PARTITION BY kind ORDER BY rep_cost DESC, reps DESC, name) AS rn FROM g)
             WHERE kind <> 'user' OR (rn <= {N} AND reps > 0)
             ORDER BY kind, rn
            """.formatted(dev.routeledger.store.CallFacts.TRACE_COUNT);
        List<String> order = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([FWN])}").matcher(template);
        while (m.find()) order.add(m.group(1));
        String sql = template.replace("{F}", "(" + filter.where() + ")").replace("{W}", "?").replace("{N}", "?");
        List<Group> features = new ArrayList<>();
        List<Group> users = new ArrayList<>();
        long repeats = 0, traces = 0;
        double repeatCost = 0, total = 0;
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            int i = 1;
            for (String p : order) {
                switch (p) {
                    case "F" -> i = filter.bind(ps, i);
                    case "W" -> ps.setLong(i++, window.toNanos() / 1000);
                    default -> ps.setInt(i++, limit);
                }
            }
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
