package dev.routeledger.analytics;

import dev.routeledger.cost.Reconciliation;
import dev.routeledger.store.CallFacts;
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
        public Double changePct() {
            return previousMonthCostUsd > 0 ? 100 * (totalCostUsd - previousMonthCostUsd) / previousMonthCostUsd : null;
        }
    }

    public static Result run(Connection conn, String month, Filter base) throws SQLException {
        YearMonth ym = YearMonth.parse(month);
        Filter cur = base.month(month);
        Filter prev = base.month(ym.minusMonths(1).toString());
        double total = 0, estimated = 0, shadow = 0;
        long calls = 0, traces = 0;
        boolean discounted;
        try (PreparedStatement ps = conn.prepareStatement("SELECT coalesce(sum(cost_effective), 0),"
                + " coalesce(sum(cost_effective) FILTER (WHERE " + CostSource.CATALOG + "), 0), count(*), " + CallFacts.TRACE_COUNT
                + " FROM calls WHERE " + cur.where())) {
            cur.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getDouble(1);
                estimated = rs.getDouble(2);
                calls = rs.getLong(3);
                traces = rs.getLong(4);
            }
        }
        if (!cur.includeShadow()) shadow = scalar(conn, "SELECT coalesce(sum(cost_effective), 0) FROM calls WHERE " + cur.whereShadowOnly(), cur);
        double previous = scalar(conn, "SELECT coalesce(sum(cost_effective), 0) FROM calls WHERE " + prev.where(), prev);
        List<Line> teams = lines(conn, "team", cur, prev, total);
        List<Line> features = lines(conn, "feature", cur, prev, total);
        List<Line> models = lines(conn, "model", cur, prev, total);
        // discounted when a model of the month has a negotiated discount (model_costing holds one row per model and provider)
        java.util.Set<String> discountedModels = new java.util.HashSet<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT DISTINCT model FROM model_costing WHERE discount_pct > 0");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) discountedModels.add(rs.getString(1));
        }
        discounted = models.stream().anyMatch(l -> discountedModels.contains(l.name()));
        Reconciliation.Result rec = Reconciliation.run(conn, month, 5, 0);
        double recLogged = rec.models().stream().mapToDouble(Reconciliation.ModelMonth::loggedUsd).sum();
        double recCatalog = rec.models().stream().mapToDouble(Reconciliation.ModelMonth::catalogUsd).sum();

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
            try (PreparedStatement ps = conn.prepareStatement("SELECT day(ts), sum(cost_effective) FROM calls WHERE " + cur.where()
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
            rec.callsDiffering(), recLogged, recCatalog, complete, forecast, lastCall);
    }

    private static List<Line> lines(Connection conn, String column, Filter cur, Filter prev, double total) throws SQLException {
        List<Line> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("WITH c AS (SELECT " + column + " AS k, sum(cost_effective) AS cost FROM calls WHERE "
                + cur.where() + " GROUP BY 1), p AS (SELECT " + column + " AS k, sum(cost_effective) AS cost FROM calls WHERE " + prev.where()
                + " GROUP BY 1) SELECT c.k, coalesce(c.cost, 0), coalesce(p.cost, 0) FROM c LEFT JOIN p ON c.k IS NOT DISTINCT FROM p.k"
                + " ORDER BY 2 DESC, 1")) {
            int i = cur.bind(ps, 1);
            prev.bind(ps, i);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Line(rs.getString(1) == null ? "(none)" : rs.getString(1), rs.getDouble(2), total > 0 ? rs.getDouble(2) / total : 0,
                        rs.getDouble(3)));
                }
            }
        }
        return out;
    }

    private static double scalar(Connection conn, String sql, Filter f) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }
}
