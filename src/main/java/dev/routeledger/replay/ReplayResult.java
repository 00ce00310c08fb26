package dev.routeledger.replay;

import java.util.List;

/**
 * What a replay of one policy reports (SPEC §6.2, §7). Costs in USD, success rates in [0, 1], over all traces in
 * scope. In an eval set (no real traffic) the actual figures and savings are null.
 *
 * @param callsByTier expected calls per tier under the policy (expected values: fractional)
 * @param actualCallsByTier the real calls the log shows per tier
 * @param exactShare share of the policy's calls whose outcome the trace observed (the rest estimated)
 * @param cacheHits traces the policy's cache would answer
 * @param unpricedModels tiers' primary models with no price: their estimated calls are counted at $0
 * @param eval on an eval set, the figures router papers report (null on real traffic)
 */
public record ReplayResult(String policy, long traces, boolean evalSet, Double actualCostUsd, double simulatedCostUsd, Double savingsUsd,
                           Double savingsPct, double[] savingsCi, double[] savingsPctCi, Double actualSuccess, double simulatedSuccess,
                           double[] successCi, List<Double> callsByTier, List<Long> actualCallsByTier, double exactShare, double cacheHits,
                           Double actualLatencyP50, Double actualLatencyP95, double latencyP50, double latencyP95, long unknownTierCalls,
                           EvalMetrics eval, List<String> unpricedModels) {

    /** Results that rest mostly on estimates are marked as such (SPEC §6.2). */
    public boolean mostlyEstimated() {
        return exactShare < 0.5;
    }
}
