package dev.routeledger.analytics;

import java.time.LocalDateTime;
import java.util.List;

/**
 * What a workspace holds, at a glance. Spend counts non-shadow calls at their logged cost; shadow calls'
 * cost is shown on its own line; calls without a logged cost are counted (the price catalog costs them).
 */
public record WorkspaceSummary(String workspace, int schemaVersion, long calls, long traces, long users,
                               LocalDateTime from, LocalDateTime to, double costUsd, double shadowCostUsd,
                               long callsWithoutCost, List<TierSpend> byTier, List<UnknownModel> unknownModels,
                               long batches, long rejectedRows) {

    /** Spend of one tier; {@code tier} is null for models the tier map does not know. */
    public record TierSpend(Integer tier, long calls, double costUsd, long callsWithoutCost) {}

    public record UnknownModel(String model, long calls) {}
}
