package dev.routeledger.analytics;

import dev.routeledger.store.CallFacts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Spend and usage grouped by one or two dimensions (SPEC §5), over the calls a filter keeps, in one grouped
 * query: calls, traces, effective cost and its share, tokens, cost per trace, p50/p95 latency, error rate, and
 * how much of the cost is catalog-estimated.
 */
public final class Breakdown {
    private Breakdown() {}

    public record Row(List<String> keys, long calls, long traces, double costUsd, double share, double catalogEstimatedUsd,
                      long promptTokens, long completionTokens, long cachedTokens, Double p50LatencyMs, Double p95LatencyMs,
                      double errorRate, long unpricedCalls) {
        public double costPerTrace() {
            return traces == 0 ? 0 : costUsd / traces;
        }
    }

    /** @param shadowCostUsd what the shadow calls in scope cost (not in the total unless the filter includes them) */
    public record Result(List<Dimension> dimensions, List<Row> rows, double totalCostUsd, double catalogEstimatedUsd,
                         double shadowCostUsd, boolean shadowIncluded) {}

    public static Result run(Connection conn, List<Dimension> dims, Filter filter) throws SQLException {
        if (dims.isEmpty() || dims.size() > 2) throw new IllegalArgumentException("a breakdown has one or two dimensions");
        List<String> keys = new ArrayList<>(), labels = new ArrayList<>();
        for (int i = 0; i < dims.size(); i++) {
            keys.add(dims.get(i).sql + " AS k" + i);
            labels.add(dims.get(i).label("k" + i));
        }
        String groupBy = dims.size() == 1 ? "1" : "1, 2";
        String sql = "SELECT " + String.join(", ", labels) + ", calls, traces, cost, estimated, pt, ct, cat, lat[1], lat[2], errors / calls,"
            + " unpriced, sum(cost) OVER () FROM (SELECT " + String.join(", ", keys) + ", count(*) AS calls, " + filter.traceCount(dims, TraceFacts.built(conn)) + " AS traces,"
            + " coalesce(sum(cost_effective), 0) AS cost, coalesce(sum(cost_effective) FILTER (WHERE " + CostSource.CATALOG + "), 0) AS estimated,"
            + " coalesce(sum(prompt_tokens), 0) AS pt, coalesce(sum(completion_tokens), 0) AS ct, coalesce(sum(cached_tokens), 0) AS cat,"
            // latency quantiles over whole milliseconds: on BIGINT they cost half what they cost on DOUBLE (0.34 s
            // against 0.65 s at 10 M calls), and no gateway's latency is meaningful below a millisecond
            + " quantile_cont(CAST(round(latency_ms) AS BIGINT), [0.5, 0.95]) AS lat, count(*) FILTER (WHERE status <> 'ok') AS errors,"
            + " count(*) FILTER (WHERE " + CostSource.UNPRICED + ") AS unpriced"
            + " FROM calls WHERE " + filter.where() + " GROUP BY " + groupBy + ")"
            + " ORDER BY cost DESC, " + groupBy; // the cost, then the keys
        List<Row> rows = new ArrayList<>();
        double total = 0, estimated = 0;
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            filter.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                int n = dims.size();
                while (rs.next()) {
                    List<String> k = new ArrayList<>();
                    for (int i = 1; i <= n; i++) k.add(rs.getString(i));
                    total = rs.getDouble(n + 12);
                    double cost = rs.getDouble(n + 3);
                    estimated += rs.getDouble(n + 4);
                    rows.add(new Row(k, rs.getLong(n + 1), rs.getLong(n + 2), cost, 0, rs.getDouble(n + 4), rs.getLong(n + 5),
                        rs.getLong(n + 6), rs.getLong(n + 7), nullable(rs, n + 8), nullable(rs, n + 9), rs.getDouble(n + 10), rs.getLong(n + 11)));
                }
            }
        }
        final double t = total;
        rows.replaceAll(r -> new Row(r.keys(), r.calls(), r.traces(), r.costUsd(), t > 0 ? r.costUsd() / t : 0, r.catalogEstimatedUsd(),
            r.promptTokens(), r.completionTokens(), r.cachedTokens(), r.p50LatencyMs(), r.p95LatencyMs(), r.errorRate(), r.unpricedCalls()));
        double shadow = 0;
        if (!filter.includeShadow()) {
            try (PreparedStatement ps = conn.prepareStatement("SELECT coalesce(sum(cost_effective), 0) FROM calls WHERE "
                    + filter.whereShadowOnly())) {
                filter.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    shadow = rs.getDouble(1);
                }
            }
        }
        return new Result(List.copyOf(dims), rows, total, estimated, shadow, filter.includeShadow());
    }

    static Double nullable(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }
}
