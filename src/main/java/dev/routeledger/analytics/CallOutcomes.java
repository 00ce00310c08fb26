package dev.routeledger.analytics;

/**
 * SQL for the success of calls and traces (SPEC §1), shared by the analytics that need it. A call that is not
 * ok failed; else the strongest signal decides: quality against the bar, then validation, then feedback. An
 * unlabeled call's success is estimated from labeled calls on comparable traces — same tier, feature and
 * router-score decile, backing off to tier and feature, then tier, then all labeled calls — never assumed.
 * Only ok calls are estimated, so only labeled ok calls inform the estimate: every failed call carries its
 * label (its status) while a few ok calls carry one, and mixing them would count failures many times over.
 */
public final class CallOutcomes {
    /** The workspace's default quality bar (SPEC §1). */
    public static final double QUALITY_BAR = 0.7;

    private CallOutcomes() {}

    /**
     * CTEs {@code oc} (every call in the filter, shadow ones included, with {@code label} 1/0/NULL, {@code decile}
     * and {@code succ}, the label or its estimate) over {@code calls}; {@code where} is the filter's condition.
     */
    public static String ctes(String where) {
        return """
            oc_base AS (
              SELECT request_id, trace_id, ts, attempt, feature, eff_tier AS tier, routed_tier, router_score, escalation_reason,
                     shadow, status, coalesce(cost_effective, 0) AS cost,
                     CASE WHEN coalesce(status, 'ok') <> 'ok' THEN 0
                          WHEN quality IS NOT NULL THEN CAST(quality >= %2$s AS INTEGER)
                          WHEN validation IS NOT NULL THEN CAST(validation = 'pass' AS INTEGER)
                          WHEN feedback IS NOT NULL THEN CAST(feedback = 'up' AS INTEGER) END AS label,
                     CAST(least(floor(coalesce(router_score, 0) * 10), 9) AS INTEGER) AS decile,
                     epoch_us(ts) * 100 + coalesce(attempt, 0) AS seq
                FROM calls WHERE %1$s),
            oc_lab AS (SELECT * FROM oc_base WHERE label IS NOT NULL AND coalesce(status, 'ok') = 'ok'),
            oc_r3 AS (SELECT tier, feature, decile, avg(label) AS r FROM oc_lab GROUP BY ALL),
            oc_r2 AS (SELECT tier, feature, avg(label) AS r FROM oc_lab GROUP BY ALL),
            oc_r1 AS (SELECT tier, avg(label) AS r FROM oc_lab GROUP BY ALL),
            oc_r0 AS (SELECT avg(label) AS r FROM oc_lab),
            oc AS (
              SELECT b.*, coalesce(CAST(b.label AS DOUBLE), r3.r, r2.r, r1.r, (SELECT r FROM oc_r0)) AS succ
                FROM oc_base b
                LEFT JOIN oc_r3 r3 ON r3.tier IS NOT DISTINCT FROM b.tier AND r3.feature IS NOT DISTINCT FROM b.feature AND r3.decile = b.decile
                LEFT JOIN oc_r2 r2 ON r2.tier IS NOT DISTINCT FROM b.tier AND r2.feature IS NOT DISTINCT FROM b.feature
                LEFT JOIN oc_r1 r1 ON r1.tier IS NOT DISTINCT FROM b.tier)""".formatted(where, QUALITY_BAR);
    }
}
