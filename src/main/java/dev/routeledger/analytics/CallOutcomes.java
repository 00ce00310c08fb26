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
    /** The order of a trace's calls: time, then attempt. */
    public static final String SEQ = "(epoch_us(ts) * 100 + coalesce(attempt, 0))";

    private CallOutcomes() {}

    /**
     * CTEs {@code oc_r3}, {@code oc_r2}, {@code oc_r1}, {@code oc_r0}: the success rate of labeled ok calls by
     * (tier, feature, decile), (tier, feature), tier and overall, from {@code labeled}: a CTE with columns tier,
     * feature, decile, lab_s (the labels' sum) and lab_n (their count) over the ok calls in scope.
     */
    public static String rateCtes(String labeled) {
        return """
            oc_r3 AS (SELECT tier, feature, decile, lab_s / lab_n AS r FROM %1$s WHERE lab_n > 0),
            oc_r2 AS (SELECT tier, feature, sum(lab_s) / sum(lab_n) AS r FROM %1$s GROUP BY ALL HAVING sum(lab_n) > 0),
            oc_r1 AS (SELECT tier, sum(lab_s) / sum(lab_n) AS r FROM %1$s GROUP BY ALL HAVING sum(lab_n) > 0),
            oc_r0 AS (SELECT sum(lab_s) / nullif(sum(lab_n), 0) AS r FROM %1$s)""".formatted(labeled);
    }

    /**
     * The estimated success of an unlabeled ok call of tier {@code tier}, feature {@code feature} and decile
     * {@code decile} from {@link #rateCtes}, backing off to coarser groups; NULL with no labels at all. Correlated
     * lookups on the small rate tables, for use on few rows.
     */
    public static String rate(String tier, String feature, String decile) {
        return "coalesce((SELECT r FROM oc_r3 WHERE oc_r3.tier IS NOT DISTINCT FROM " + tier + " AND oc_r3.feature IS NOT DISTINCT FROM " + feature
            + " AND oc_r3.decile = " + decile + "),"
            + " (SELECT r FROM oc_r2 WHERE oc_r2.tier IS NOT DISTINCT FROM " + tier + " AND oc_r2.feature IS NOT DISTINCT FROM " + feature + "),"
            + " (SELECT r FROM oc_r1 WHERE oc_r1.tier IS NOT DISTINCT FROM " + tier + "), (SELECT r FROM oc_r0))";
    }
}
