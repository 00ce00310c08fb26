package dev.routeledger.analytics;

import dev.routeledger.cost.Reconciliation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * The finance view of one month (SPEC §5): the total and its change on the previous month, by team, feature and
 * model, how much is catalog-estimated, the reconciliation of logged against catalog cost, and for a month still
 * under way a month-end forecast.
 */
public final class MonthlyReport {
    private MonthlyReport() {}

    public record Line(String name, double costUsd, double share, double previousCostUsd) {
        public Double changePct() {
            return previousCostUsd > 0 ? 100 * (costUsd - previousCostUsd) / previousCostUsd : null;
        }
    }

    public record Result(String month, double totalCostUsd, double previousMonthCostUsd, double catalogEstimatedUsd, long calls,
                         long traces, double shadowCostUsd, boolean discounted, List<Line> byTeam, List<Line> byFeature,
                         List<Line> byModel, long reconcileCallsDiffering, double reconcileLoggedUsd, double reconcileCatalogUsd,
                         boolean complete, MonthForecast forecast, LocalDateTime lastCall) {
        /** Whether the log covers the month, in words: complete, under way (with the last call), before the log's end, or no calls. */
        public String coverage() {
            if (complete) return "complete";
            if (lastCall == null) return "no calls in the workspace";
            String last = lastCall.format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")) + " UTC";
            return (underWay() ? "under way" : "the log ends before this month") + "; last call " + last;
        }

        /** Whether the log's last call falls in this month (and the month is not over in the log). */
        public boolean underWay() {
            return !complete && lastCall != null && !lastCall.isBefore(YearMonth.parse(month).atDay(1).atStartOfDay());
        }

        public Double changePct() {
            return previousMonthCostUsd > 0 ? 100 * (totalCostUsd - previousMonthCostUsd) / previousMonthCostUsd : null;
        }
    }

    public static Result run(Connection conn, String month, Filter base) throws SQLException {
        YearMonth ym = YearMonth.parse(month);
        Filter cur = base.month(month);
        Filter prev = base.month(ym.minusMonths(1).toString());
        double total = 0, estimated = 0, shadow = 0, previous = 0;
        long calls = 0, traces = 0;
        boolean discounted;
        // One scan of the two months: the calls grouped by (team, feature, model, month, shadow, catalog-estimated)
        // — a few hundred rows — and the month's totals and its team, feature and model lines summed from those.
        // (It was a scan for the totals and a GROUPING SETS scan for the lines: 0.6 s at 10 M calls against 0.4 s.)
        // A trace is counted by its head where the filter keeps whole traces; else a distinct count, below.
        String spend = cur.includeShadow() ? "true" : "NOT shadow";
        Filter both = base.withRange(ym.minusMonths(1).atDay(1).atStartOfDay(), ym.plusMonths(1).atDay(1).atStartOfDay()).withShadow(true);
        String now = "cur AND " + spend;
        java.util.Map<String, List<Line>> byKind = new java.util.HashMap<>();
        try (PreparedStatement ps = conn.prepareStatement("WITH g AS (SELECT team, feature, model, ts >= ? AS cur, shadow, " + CostSource.CATALOG + " AS est,"
                + " coalesce(sum(cost_effective), 0) AS c, count(*) AS n, sum(CAST(NOT multi_call OR trace_head AS INTEGER)) AS h"
                + " FROM calls WHERE " + both.where() + " GROUP BY ALL)"
                + " SELECT CASE WHEN GROUPING(team) = 0 THEN 'team' WHEN GROUPING(feature) = 0 THEN 'feature' WHEN GROUPING(model) = 0 THEN 'model' ELSE '' END AS kind,"
                + " CASE WHEN GROUPING(team) = 0 THEN team WHEN GROUPING(feature) = 0 THEN feature ELSE model END AS k,"
                + " coalesce(sum(c) FILTER (WHERE " + now + "), 0) AS cur_cost, coalesce(sum(c) FILTER (WHERE NOT cur AND " + spend + "), 0) AS prev_cost,"
                + " coalesce(sum(n) FILTER (WHERE " + now + "), 0) AS cur_calls, coalesce(sum(c) FILTER (WHERE " + now + " AND est), 0) AS estimated,"
                + " coalesce(sum(h) FILTER (WHERE " + now + "), 0) AS heads, coalesce(sum(c) FILTER (WHERE cur AND shadow), 0) AS shadow_cost"
                + " FROM g GROUP BY GROUPING SETS ((), (team), (feature), (model)) ORDER BY kind, cur_cost DESC, k")) {
            ps.setTimestamp(1, java.sql.Timestamp.valueOf(ym.atDay(1).atStartOfDay()));
            both.bind(ps, 2);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String kind = rs.getString(1);
                    if (kind.isEmpty()) { // the month's totals
                        total = rs.getDouble(3);
                        previous = rs.getDouble(4);
                        calls = rs.getLong(5);
                        estimated = rs.getDouble(6);
                        traces = rs.getLong(7);
                        if (!cur.includeShadow()) shadow = rs.getDouble(8);
                        continue;
                    }
                    if (rs.getLong(5) == 0) continue; // only in the previous month (or only shadow calls)
                    double c = rs.getDouble(3);
                    byKind.computeIfAbsent(kind, x -> new ArrayList<>())
                        .add(new Line(rs.getString(2) == null ? "(none)" : rs.getString(2), c, 0, rs.getDouble(4)));
                }
            }
        }
        if (!cur.wholeTraces()) traces = cur.distinctTraces(conn);
        final double t = total;
        byKind.values().forEach(lines -> lines.replaceAll(l -> new Line(l.name(), l.costUsd(), t > 0 ? l.costUsd() / t : 0, l.previousCostUsd())));
        List<Line> teams = byKind.getOrDefault("team", List.of());
        List<Line> features = byKind.getOrDefault("feature", List.of());
        List<Line> models = byKind.getOrDefault("model", List.of());
        // discounted when a model of the month has a negotiated discount (model_costing holds one row per model and provider)
        java.util.Set<String> discountedModels = new java.util.HashSet<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT DISTINCT model FROM model_costing WHERE discount_pct > 0");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) discountedModels.add(rs.getString(1));
        }
        discounted = models.stream().anyMatch(l -> discountedModels.contains(l.name()));
        Reconciliation.Summary rec = Reconciliation.summary(conn, month, 5);

        // complete when the log goes on past the month, or reaches its last hour (an export taken at month end)
        LocalDateTime monthEnd = ym.plusMonths(1).atDay(1).atStartOfDay();
        LocalDateTime lastCall = null;
        boolean complete;
        try (PreparedStatement ps = conn.prepareStatement("SELECT max(ts), count(*) FILTER (WHERE ts >= ?) FROM calls")) {
            ps.setTimestamp(1, java.sql.Timestamp.valueOf(monthEnd));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getTimestamp(1) != null) lastCall = rs.getTimestamp(1).toLocalDateTime();
                complete = rs.getLong(2) > 0 || (lastCall != null && !lastCall.isBefore(monthEnd.minusHours(1)));
            }
        }
        MonthForecast forecast = null;
        if (!complete && lastCall != null && !lastCall.isBefore(ym.atDay(1).atStartOfDay())) {
            int completeDays = lastCall.toLocalDate().getDayOfMonth() - 1; // the last call's day is still under way
            double[] daily = new double[completeDays];
            try (PreparedStatement ps = conn.prepareStatement("SELECT day(ts), coalesce(sum(cost_effective), 0) FROM calls WHERE " + cur.where()
                    + " AND ts < ? GROUP BY 1")) {
                int i = cur.bind(ps, 1);
                ps.setTimestamp(i, java.sql.Timestamp.valueOf(lastCall.toLocalDate().atStartOfDay()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) daily[rs.getInt(1) - 1] = rs.getDouble(2);
                }
            }
            forecast = MonthForecast.fit(daily, ym.lengthOfMonth());
        }
        return new Result(month, total, previous, estimated, calls, traces, shadow, discounted, teams, features, models,
            rec.callsDiffering(), rec.loggedUsd(), rec.catalogUsd(), complete, forecast, lastCall);
    }
}
