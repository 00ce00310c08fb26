package dev.routeledger.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;

/**
 * Over-escalated routes (SPEC §5). A route is (feature, the router's tier → the tier the trace ended on, the
 * reason of the first call above the router's pick). A trace is over-escalated when the direct evidence says the
 * lower tier sufficed: a labeled successful call at the router's tier in the same trace that the trace went on
 * from, or a successful shadow call of the trace at that tier. A route is flagged when the lower tier's success
 * on comparable traces (same feature and router-score decile, from labeled calls at the lower tier) has a
 * Wilson 95 % lower bound at or above the quality floor (default: the route's success at the higher tier minus
 * 2 points). The lower tier's rate is post-stratified over the route's deciles, and the interval uses the
 * strata's effective sample size.
 */
public final class Escalations {
    public static final double FLOOR_MARGIN = 0.02;

    private Escalations() {}

    public record Route(String feature, int fromTier, int toTier, String reason, long traces, long escalations, long overEscalated,
                        Double lowerTierSuccess, Double ciLow, Double ciHigh, double evidenceCoverage, double higherTierSuccess,
                        double floor, double wastedUsd, double escalatedCostUsd, boolean flagged) {}

    public record Result(List<Route> routes, long escalatedTraces, long overEscalatedTotal, double wastedUsdTotal) {}

    /** @param qualityFloor an absolute floor for every route, or null for each route's own (higher-tier success − 2 points) */
    public static Result run(Connection conn, Filter filter, Double qualityFloor) throws SQLException {
        String sql = "WITH " + CallOutcomes.ctes(filter.withShadow(true).where()) + ",\n" + """
            tr AS (
              SELECT trace_id, any_value(feature) AS feature, any_value(router_score) AS router_score, any_value(decile) AS decile,
                     coalesce(max(routed_tier), arg_min(tier, seq)) AS from_tier, arg_max(tier, seq) AS to_tier,
                     arg_max(succ, seq) AS outcome, sum(cost) AS cost
                FROM oc WHERE NOT shadow GROUP BY trace_id),
            esc AS (
              SELECT t.*, coalesce((SELECT arg_min(o.escalation_reason, o.seq) FROM oc o
                                      WHERE o.trace_id = t.trace_id AND NOT o.shadow AND o.tier > t.from_tier), 'unspecified') AS reason
                FROM tr t WHERE t.to_tier > t.from_tier),
            lower_ev AS (
              SELECT e.trace_id,
                     max(o.label) FILTER (WHERE NOT o.shadow AND o.tier = e.from_tier) AS real_ok,
                     max(o.label) FILTER (WHERE o.shadow AND o.tier = e.from_tier) AS shadow_ok,
                     min(o.cost) FILTER (WHERE o.tier = e.from_tier AND o.label = 1) AS lower_cost
                FROM esc e JOIN oc o ON o.trace_id = e.trace_id GROUP BY e.trace_id),
            rt AS (
              SELECT e.*, coalesce(l.real_ok = 1 OR l.shadow_ok = 1, false) AS over, l.lower_cost
                FROM esc e LEFT JOIN lower_ev l USING (trace_id)),
            -- a tier's outcome on a trace is its last call there: a rate-limited call that the gateway retried on
            -- another provider of the same tier is a capacity event, not the tier failing the request
            tier_out AS (SELECT trace_id, tier, any_value(feature) AS feature, any_value(decile) AS decile,
                                arg_max_null(label, seq) AS label, arg_max(coalesce(status, 'ok'), seq) AS status
                           FROM oc GROUP BY trace_id, tier),
            ev AS (SELECT feature, tier, decile,
                          -- P(success) = P(ok) × P(success | ok): status is known for every call, a quality label for few
                          (1 - count(*) FILTER (WHERE status <> 'ok') / count(*)) * avg(label) FILTER (WHERE status = 'ok') AS s,
                          count(label) FILTER (WHERE status = 'ok') AS n
                     FROM tier_out GROUP BY ALL),
            strata AS (
              SELECT r.feature, r.from_tier, r.to_tier, r.reason, r.decile, count(*) AS w, any_value(ev.s) AS s, any_value(ev.n) AS n
                FROM rt r LEFT JOIN ev ON ev.feature IS NOT DISTINCT FROM r.feature AND ev.tier = r.from_tier AND ev.decile = r.decile
               GROUP BY ALL),
            est AS (
              SELECT feature, from_tier, to_tier, reason,
                     sum(w * s) FILTER (WHERE n > 0) / sum(w) FILTER (WHERE n > 0) AS p,
                     power(sum(w) FILTER (WHERE n > 0), 2) / sum(w * w / n) FILTER (WHERE n > 0) AS n_eff,
                     coalesce(sum(w) FILTER (WHERE n > 0), 0) / sum(w) AS coverage
                FROM strata GROUP BY ALL),
            starts AS (SELECT feature, from_tier, count(*) AS traces FROM tr GROUP BY ALL),
            routes AS (
              SELECT feature, from_tier, to_tier, reason, count(*) AS escalations, count(*) FILTER (WHERE over) AS over_escalated,
                     avg(outcome) AS higher_success, sum(cost) AS cost,
                     coalesce(sum(cost - coalesce(lower_cost, 0)) FILTER (WHERE over), 0) AS wasted
                FROM rt GROUP BY ALL)
            SELECT r.feature, r.from_tier, r.to_tier, r.reason, s.traces, r.escalations, r.over_escalated, e.p, e.n_eff, e.coverage,
                   r.higher_success, r.wasted, r.cost
              FROM routes r
              JOIN starts s ON s.feature IS NOT DISTINCT FROM r.feature AND s.from_tier = r.from_tier
              LEFT JOIN est e ON e.feature IS NOT DISTINCT FROM r.feature AND e.from_tier = r.from_tier AND e.to_tier = r.to_tier
                                 AND e.reason = r.reason
             ORDER BY r.wasted DESC, r.escalations DESC, r.feature, r.from_tier, r.to_tier, r.reason""";
        List<Route> routes = new ArrayList<>();
        long escalated = 0, overTotal = 0;
        double wastedTotal = 0;
        WilsonScoreInterval wilson = new WilsonScoreInterval();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            filter.withShadow(true).bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Double p = Breakdown.nullable(rs, 8);
                    Double nEff = Breakdown.nullable(rs, 9);
                    Double low = null, high = null;
                    if (p != null && nEff != null && nEff >= 1) {
                        int trials = (int) Math.max(1, Math.round(nEff));
                        int successes = (int) Math.round(p * trials);
                        ConfidenceInterval ci = wilson.createInterval(trials, successes, 0.95);
                        low = ci.getLowerBound();
                        high = ci.getUpperBound();
                    }
                    double higher = rs.getDouble(11);
                    double floor = qualityFloor != null ? qualityFloor : higher - FLOOR_MARGIN;
                    boolean flagged = low != null && low >= floor;
                    Route r = new Route(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
                        rs.getLong(7), p, low, high, rs.getDouble(10), higher, floor, rs.getDouble(12), rs.getDouble(13), flagged);
                    routes.add(r);
                    escalated += r.escalations();
                    overTotal += r.overEscalated();
                    wastedTotal += r.wastedUsd();
                }
            }
        }
        return new Result(routes, escalated, overTotal, wastedTotal);
    }
}
