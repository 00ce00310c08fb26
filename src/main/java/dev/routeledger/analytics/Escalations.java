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
 * over its traces has a Wilson 95 % lower bound at or above the quality floor (default: the route's success at
 * the higher tier minus 2 points). That success counts each trace's own lower-tier outcome where the trace has
 * one (its last real call at that tier, else its shadow call there) and, for the other traces, the lower tier's
 * success on comparable traces (same feature and router-score decile); the interval uses the sample size that
 * the combined variance of the two parts amounts to.
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
        // {F} is the filter (shadow calls included), bound once per occurrence. Most traces have one call: those
        // are read row by row (NOT multi_call), and only multi-call traces are grouped by trace_id — grouping all
        // 10 M calls by trace cost most of this query's time (BENCHMARKS.md).
        String template = "WITH " + CallOutcomes.rateCtes("{F}") + ",\n" + """
            -- multi-call traces are grouped on the 64-bit hash of their id (a third cheaper than the strings; two
            -- traces sharing a hash would be merged, a chance of about 1 in 10^7 at 10 M traces)
            mt AS (
              SELECT hash(trace_id) AS th, any_value(feature) AS feature, any_value(decile) AS decile,
                     coalesce(max(routed_tier), arg_min(eff_tier, {SEQ})) AS from_tier, arg_max(eff_tier, {SEQ}) AS to_tier,
                     arg_max_null(label, {SEQ}) AS last_label, sum(coalesce(cost_effective, 0)) AS cost
                FROM calls WHERE {F} AND multi_call AND NOT shadow GROUP BY hash(trace_id)),
            starts AS (
              SELECT feature, from_tier, sum(n) AS traces FROM (
                SELECT feature, coalesce(routed_tier, eff_tier) AS from_tier, count(*) AS n FROM calls
                 WHERE {F} AND NOT multi_call AND NOT shadow GROUP BY ALL
                UNION ALL
                SELECT feature, from_tier, count(*) FROM mt GROUP BY ALL) GROUP BY ALL),
            esc_m AS (SELECT * FROM mt WHERE to_tier > from_tier),
            -- the evidence in an escalated multi-call trace: the reason of its first call above the router's tier, and
            -- whether a call at the router's tier (real, or a shadow call) succeeded there
            ev_m AS (
              SELECT e.th,
                     arg_min(c.escalation_reason, {SEQ}) FILTER (WHERE NOT c.shadow AND c.eff_tier > e.from_tier) AS reason,
                     max(label) FILTER (WHERE NOT c.shadow AND c.eff_tier = e.from_tier) AS real_ok,
                     max(label) FILTER (WHERE c.shadow AND c.eff_tier = e.from_tier) AS shadow_ok,
                     arg_max_null(label, {SEQ}) FILTER (WHERE NOT c.shadow AND c.eff_tier = e.from_tier) AS real_last,
                     min(coalesce(c.cost_effective, 0)) FILTER (WHERE c.eff_tier = e.from_tier AND label = 1) AS lower_cost
                FROM calls c JOIN (SELECT th, from_tier FROM esc_m) e ON hash(c.trace_id) = e.th WHERE {F} AND c.multi_call GROUP BY e.th),
            rt AS (
              -- a single-call trace escalated by a rule: no other call holds evidence that the lower tier sufficed
              SELECT feature, decile AS decile, coalesce(routed_tier, eff_tier) AS from_tier, eff_tier AS to_tier,
                     coalesce(escalation_reason, 'unspecified') AS reason, label AS last_label, coalesce(cost_effective, 0) AS cost,
                     false AS over, CAST(NULL AS DOUBLE) AS lower_cost, CAST(NULL AS INTEGER) AS lower_label
                FROM calls WHERE {F} AND NOT multi_call AND NOT shadow AND eff_tier > coalesce(routed_tier, eff_tier)
              UNION ALL
              SELECT e.feature, e.decile, e.from_tier, e.to_tier, coalesce(v.reason, 'unspecified'), e.last_label, e.cost,
                     coalesce(v.real_ok = 1 OR v.shadow_ok = 1, false), v.lower_cost,
                     -- the lower tier's own outcome on this trace: its last real call there, else its shadow call
                     coalesce(v.real_last, v.shadow_ok)
                FROM esc_m e LEFT JOIN ev_m v USING (th)),
            rt_out AS (SELECT rt.*, {OUTCOME} AS outcome FROM rt),
            -- a tier's outcome on a trace is its last call there: a rate-limited call that the gateway retried on
            -- another provider of the same tier is a capacity event, not the tier failing the request
            -- per (feature, tier, decile): outcomes counted, failed ones, and the labels of ok ones; a single-call
            -- trace's call is its tier's outcome, a multi-call trace's tier counts its last call there
            ev_parts AS (
              SELECT feature, eff_tier AS tier, decile, count(*) AS n_all, sum(CASE WHEN coalesce(status, 'ok') <> 'ok' THEN 1 ELSE 0 END) AS n_bad,
                     sum(CASE WHEN coalesce(status, 'ok') = 'ok' THEN label END) AS ok_sum, count(CASE WHEN coalesce(status, 'ok') = 'ok' THEN label END) AS ok_n
                FROM calls WHERE {F} AND NOT multi_call GROUP BY ALL
              UNION ALL
              SELECT feature, tier, decile, count(*), sum(CASE WHEN status <> 'ok' THEN 1 ELSE 0 END),
                     sum(CASE WHEN status = 'ok' THEN label END), count(CASE WHEN status = 'ok' THEN label END)
                FROM (SELECT any_value(feature) AS feature, eff_tier AS tier, any_value(decile) AS decile, arg_max_null(label, {SEQ}) AS label,
                             CASE WHEN arg_max(coalesce(status, 'ok') = 'ok', {SEQ}) THEN 'ok' ELSE 'failed' END AS status
                        FROM calls WHERE {F} AND multi_call GROUP BY hash(trace_id), eff_tier)
               GROUP BY ALL),
            ev AS (SELECT feature, tier, decile,
                          -- P(success) = P(ok) × P(success | ok): status is known for every call, a quality label for few
                          (1 - sum(n_bad) / sum(n_all)) * sum(ok_sum) / nullif(sum(ok_n), 0) AS s, sum(ok_n) AS n
                     FROM ev_parts GROUP BY ALL),
            -- The lower tier's success over a route's traces (SPEC §1: over all of them): a trace with direct
            -- evidence (a labeled call at the lower tier, real or shadow) counts its outcome; the others count the
            -- lower tier's success on comparable traces (same feature and decile). Per decile: w traces, d of them
            -- with direct evidence summing to dsum, s the comparable rate from n labeled calls.
            strata AS (
              SELECT r.feature, r.from_tier, r.to_tier, r.reason, r.decile, count(*) AS w, count(r.lower_label) AS d,
                     coalesce(sum(r.lower_label), 0) AS dsum, any_value(ev.s) AS s, any_value(ev.n) AS n
                FROM rt r LEFT JOIN ev ON ev.feature IS NOT DISTINCT FROM r.feature AND ev.tier = r.from_tier AND ev.decile = r.decile
               GROUP BY ALL),
            -- a decile is covered when all its traces have direct evidence or comparable calls give an estimate; the
            -- variance adds the direct outcomes' binomial variance and the estimates' (their (w − d)² s(1 − s) / n)
            est AS (
              SELECT feature, from_tier, to_tier, reason,
                     sum(dsum + (w - d) * coalesce(s, 0)) FILTER (WHERE d = w OR n > 0) / sum(w) FILTER (WHERE d = w OR n > 0) AS p,
                     sum(CASE WHEN d > 0 THEN dsum * (1 - dsum / d) ELSE 0 END
                         + CASE WHEN w > d THEN (w - d) * (w - d) * s * (1 - s) / n ELSE 0 END) FILTER (WHERE d = w OR n > 0)
                       / power(sum(w) FILTER (WHERE d = w OR n > 0), 2) AS var,
                     sum(w) FILTER (WHERE d = w OR n > 0) AS covered,
                     coalesce(sum(w) FILTER (WHERE d = w OR n > 0), 0) / sum(w) AS coverage,
                     sum(d) AS direct
                FROM strata GROUP BY ALL),
            routes AS (
              SELECT feature, from_tier, to_tier, reason, count(*) AS escalations, count(*) FILTER (WHERE over) AS over_escalated,
                     avg(outcome) AS higher_success, sum(cost) AS cost,
                     coalesce(sum(cost - coalesce(lower_cost, 0)) FILTER (WHERE over), 0) AS wasted
                FROM rt_out GROUP BY ALL)
            SELECT r.feature, r.from_tier, r.to_tier, r.reason, s.traces, r.escalations, r.over_escalated, e.p,
                   -- the effective sample size for the Wilson interval: the size of a plain sample with this variance
                   CASE WHEN e.var > 0 THEN e.p * (1 - e.p) / e.var ELSE e.covered END, e.coverage,
                   r.higher_success, r.wasted, r.cost
              FROM routes r
              JOIN starts s ON s.feature IS NOT DISTINCT FROM r.feature AND s.from_tier = r.from_tier
              LEFT JOIN est e ON e.feature IS NOT DISTINCT FROM r.feature AND e.from_tier = r.from_tier AND e.to_tier = r.to_tier
                                 AND e.reason = r.reason
             ORDER BY r.wasted DESC, r.escalations DESC, r.feature, r.from_tier, r.to_tier, r.reason""";
        template = template.replace("{OUTCOME}", CallOutcomes.success("rt.last_label", "rt.to_tier", "rt.feature", "rt.decile"))
            .replace("{SEQ}", CallOutcomes.SEQ);
        Filter withShadow = filter.withShadow(true);
        int filters = template.split("\\{F}", -1).length - 1;
        String sql = template.replace("{F}", "(" + withShadow.where() + ")");
        List<Route> routes = new ArrayList<>();
        long escalated = 0, overTotal = 0;
        double wastedTotal = 0;
        WilsonScoreInterval wilson = new WilsonScoreInterval();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            int i = 1;
            for (int k = 0; k < filters; k++) i = withShadow.bind(ps, i);
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
