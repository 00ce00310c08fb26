package dev.routeledger.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the console's first screen shows (SPEC §8 Overview): spend, calls and traces, spend per day and tier,
 * the top features, users and models, and the month to date of the last month in view with its forecast.
 * The figures come from one scan grouped four ways (GROUPING SETS), where four breakdowns cost four scans with
 * measures the screen does not show (latency quantiles, tokens): SPEC §9 wants the overview's queries within
 * 2 s at 10 M calls, each breakdown alone takes about 0.8 s there.
 */
public final class Overview {
    private Overview() {}

    /** A day's spend at one tier ("unknown" for models the tier map does not know). */
    public record DayTier(String day, String tier, double costUsd) {}

    /** A feature's, user's or model's spend and share; {@code name} null when the calls carry none. */
    public record Line(String name, double costUsd, double share, long calls) {}

    /**
     * @param month the month of the last call in view (null when the view is empty)
     */
    public record Result(double totalCostUsd, double catalogEstimatedUsd, long calls, long traces, List<DayTier> byDayTier,
                         List<Line> byFeature, List<Line> byUser, List<Line> byModel, MonthlyReport.Result month) {
        public Double costPerTrace() {
            return traces == 0 ? null : totalCostUsd / traces;
        }
    }

    public static Result run(Connection conn, Filter filter) throws SQLException {
        String sql = "SELECT GROUPING(d, tier) = 0 AS by_day, GROUPING(feature) = 0 AS by_feature, GROUPING(user_id) = 0 AS by_user,"
            + " GROUPING(model) = 0 AS by_model, strftime(d, '%Y-%m-%d'), coalesce(CAST(tier AS VARCHAR), 'unknown'), feature, user_id, model,"
            + " coalesce(sum(cost_effective), 0), count(*), coalesce(sum(CASE WHEN " + CostSource.CATALOG + " THEN cost_effective END), 0),"
            + " sum(CAST(NOT multi_call OR trace_head AS INTEGER))"
            // the day truncated before grouping, formatted after (strftime on every call costs 0.65 s at 10 M calls)
            + " FROM (SELECT date_trunc('day', ts) AS d, eff_tier AS tier, feature, user_id, model, cost_effective, cost_usd, cost_catalog,"
            + " multi_call, trace_head FROM calls WHERE " + filter.where() + ")"
            + " GROUP BY GROUPING SETS ((d, tier), (feature), (user_id), (model))";
        double total = 0, estimated = 0;
        long calls = 0, heads = 0;
        List<DayTier> days = new ArrayList<>();
        List<Line> features = new ArrayList<>(), users = new ArrayList<>(), models = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            filter.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double cost = rs.getDouble(10);
                    long n = rs.getLong(11);
                    if (rs.getBoolean(1)) {
                        days.add(new DayTier(rs.getString(5), rs.getString(6), cost));
                        // the day-and-tier groups hold every call once: the totals are their sums
                        total += cost;
                        calls += n;
                        estimated += rs.getDouble(12);
                        heads += rs.getLong(13);
                    } else if (rs.getBoolean(2)) {
                        features.add(new Line(rs.getString(7), cost, 0, n));
                    } else if (rs.getBoolean(3)) {
                        users.add(new Line(rs.getString(8), cost, 0, n));
                    } else if (rs.getBoolean(4)) {
                        models.add(new Line(rs.getString(9), cost, 0, n));
                    }
                }
            }
        }
        days.sort(Comparator.comparing(DayTier::day).thenComparing(DayTier::tier));
        long traces = filter.wholeTraces() ? heads : filter.distinctTraces(conn);
        String lastDay = days.isEmpty() ? null : days.get(days.size() - 1).day();
        MonthlyReport.Result month = lastDay == null ? null : MonthlyReport.run(conn, lastDay.substring(0, 7), filter);
        return new Result(total, estimated, calls, traces, List.copyOf(days), ranked(features, total), ranked(users, total),
            ranked(models, total), month);
    }

    /** Largest spend first (then by name, none last), with shares of {@code total}. */
    private static List<Line> ranked(List<Line> lines, double total) {
        return lines.stream()
            .sorted(Comparator.comparingDouble(Line::costUsd).reversed().thenComparing(Line::name, Comparator.nullsLast(Comparator.naturalOrder())))
            .map(l -> new Line(l.name(), l.costUsd(), total > 0 ? l.costUsd() / total : 0, l.calls()))
            .toList();
    }
}
