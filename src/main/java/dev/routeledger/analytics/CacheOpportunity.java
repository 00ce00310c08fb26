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
 * the cache would have saved. Traces already served from the gateway's cache are not counted again. The
 * earlier trace may lie outside the view's filter (another user, the day before the range): the cache serves
 * all the gateway's traffic.
 */
public final class CacheOpportunity {
    private CacheOpportunity() {}

    public record Group(String name, long repeatTraces, double repeatCostUsd, double costUsd) {}

    public record Result(Duration window, long traces, long repeatTraces, double repeatCostUsd, double totalCostUsd,
                         List<Group> byFeature, List<Group> byUser) {}

    public static Result run(Connection conn, Filter filter, Duration window, int limit) throws SQLException {
        // {F} is the filter (bound once per occurrence), {W} the window in microseconds, {N} the user limit. A call
        // whose trace repeats a prompt carries the gap since the previous send (TraceFacts), so this is one scan.
        TraceFacts.ensure(conn);
        String template = """
            WITH c AS NOT MATERIALIZED (
              SELECT feature, user_id, trace_id, multi_call, trace_head, coalesce(cost_effective, 0) AS cost, coalesce(repeat_gap_us <= {W}, false) AS rep
                FROM calls WHERE {F}),
            g AS (
              SELECT CASE WHEN GROUPING(feature) = 0 THEN 'feature' WHEN GROUPING(user_id) = 0 THEN 'user' ELSE 'total' END AS kind,
                     CASE WHEN GROUPING(feature) = 0 THEN feature ELSE user_id END AS name,
                     %1$s AS reps, coalesce(sum(cost) FILTER (WHERE rep), 0) AS rep_cost, coalesce(sum(cost), 0) AS cost, %2$s AS n
                FROM c GROUP BY GROUPING SETS ((feature), (user_id), ()))
            SELECT kind, name, reps, rep_cost, cost, n FROM (
              SELECT *, row_number() OVER (PARTITION BY kind ORDER BY rep_cost DESC, reps DESC, name) AS rn FROM g)
             WHERE kind <> 'user' OR (rn <= {N} AND reps > 0)
             ORDER BY kind, rn
            """.formatted(filter.traceCount("rep", true), filter.traceCount("true", true));
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
