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
        // are read row by row (NOT multi_call); multi-call traces are read from their stored facts (TraceFacts) —
        // grouping calls by trace per query cost most of this query's time (BENCHMARKS.md).
        TraceFacts.ensure(conn);
        String template = """
            WITH
            -- one scan for the comparable-trace figures, per (feature, tier, decile): the tier's outcomes on traces
            -- (a tier's outcome on a trace is its last call there: a rate-limited call that the gateway retried on
            -- another provider of the same tier is a capacity event, not the tier failing the request), and the
            -- labels of every ok call there (for estimating unlabeled ones)
            -- (grouped on the raw flags first, then pivoted: six filtered aggregates over every call cost 0.2 s more)
            cmp_raw AS (
              SELECT feature, eff_tier AS tier, decile, NOT multi_call OR coalesce(tier_last, false) AS last, coalesce(status, 'ok') = 'ok' AS ok,
                     count(*) AS n, sum(label) AS s, count(label) AS nl
                FROM calls WHERE {F} GROUP BY ALL),
            cmp AS (
              SELECT feature, tier, decile, coalesce(sum(n) FILTER (WHERE last), 0) AS n_all,
                     coalesce(sum(n) FILTER (WHERE last AND NOT ok), 0) AS n_bad,
                     sum(s) FILTER (WHERE last AND ok) AS ok_sum, sum(nl) FILTER (WHERE last AND ok) AS ok_n,
                     sum(s) FILTER (WHERE ok) AS lab_s, coalesce(sum(nl) FILTER (WHERE ok), 0) AS lab_n
                FROM cmp_raw GROUP BY ALL),
            {RATES},
            ev AS (SELECT feature, tier, decile,
                          -- P(success) = P(ok) × P(success | ok): status is known for every call, a quality label for few
                          (1 - n_bad / nullif(n_all, 0)) * ok_sum / nullif(ok_n, 0) AS s, ok_n AS n
                     FROM cmp),
            -- single-call traces are their call, in one scan: all of them (for the traces each route starts from)
            -- and the escalated ones (by a rule: no other call holds evidence that the lower tier sufficed)
            single AS (
              SELECT feature, decile, coalesce(routed_tier, eff_tier) AS from_tier, eff_tier AS to_tier,
                     coalesce(escalation_reason, 'unspecified') AS reason, sum(n) AS n, sum(lab_sum) AS lab_sum, sum(lab_n) AS lab_n,
                     coalesce(sum(cost), 0) AS cost
                FROM (SELECT feature, decile, routed_tier, eff_tier, escalation_reason, count(*) AS n, sum(label) AS lab_sum,
                             count(label) AS lab_n, sum(cost_effective) AS cost
                        FROM calls WHERE {F} AND NOT multi_call AND NOT shadow GROUP BY ALL)
               GROUP BY ALL),
            -- multi-call traces: their facts are stored one row per trace (TraceFacts)
            mt AS (SELECT * FROM multi_trace_facts WHERE {F}),
            starts AS (
              SELECT feature, from_tier, sum(n) AS traces FROM (
                SELECT feature, from_tier, n FROM single
                UNION ALL
                SELECT feature, from_tier, count(*) FROM mt GROUP BY ALL) GROUP BY ALL),
            -- escalated traces per route and decile: w traces, d of them with direct evidence of the lower tier's
            -- outcome (a labeled call there, real or shadow) summing to dsum; their own labels at the higher tier
            rt AS (
              SELECT feature, from_tier, to_tier, reason, decile, sum(w) AS w, sum(d) AS d, sum(dsum) AS dsum, sum(over) AS over,
                     sum(cost) AS cost, sum(wasted) AS wasted, coalesce(sum(lab_sum), 0) AS lab_sum, sum(lab_n) AS lab_n FROM (
                SELECT feature, from_tier, to_tier, reason, decile, n AS w, 0 AS d, 0 AS dsum, 0 AS over, cost, 0.0 AS wasted, lab_sum, lab_n
                  FROM single WHERE to_tier > from_tier
                UNION ALL
                SELECT feature, from_tier, eff_tier, reason, decile, count(*), count(lower_label), coalesce(sum(lower_label), 0),
                       count(*) FILTER (WHERE over), sum(cost), coalesce(sum(cost - coalesce(lower_cost, 0)) FILTER (WHERE over), 0),
                       sum(last_label), count(last_label)
                  FROM mt WHERE eff_tier > from_tier GROUP BY ALL)
               GROUP BY ALL),
            -- the higher tier's success over a route's traces: their labels, and the comparable rate for the unlabeled
            rt_out AS (SELECT rt.*, {RATE} AS r FROM rt),
            -- The lower tier's success over a route's traces (SPEC §1: over all of them): a trace with direct
            -- evidence counts its outcome; the others count the lower tier's success on comparable traces (same
            -- feature and decile), s from n labeled calls.
            strata AS (
              SELECT r.feature, r.from_tier, r.to_tier, r.reason, r.decile, r.w, r.d, r.dsum, ev.s, ev.n
                FROM rt r LEFT JOIN ev ON ev.feature IS NOT DISTINCT FROM r.feature AND ev.tier = r.from_tier AND ev.decile = r.decile),
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
              SELECT feature, from_tier, to_tier, reason, sum(w) AS escalations, sum(over) AS over_escalated,
                     -- labeled traces count their label, unlabeled ones the comparable rate (none without any labels)
                     sum(lab_sum + coalesce((w - lab_n) * r, 0)) / nullif(sum(lab_n + CASE WHEN r IS NOT NULL THEN w - lab_n ELSE 0 END), 0)
                       AS higher_success,
                     sum(cost) AS cost, sum(wasted) AS wasted
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
        template = template.replace("{RATES}", CallOutcomes.rateCtes("cmp"))
            .replace("{RATE}", CallOutcomes.rate("rt.to_tier", "rt.feature", "rt.decile"));
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
