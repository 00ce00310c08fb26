package dev.routeledger.analytics;

import java.time.LocalDateTime;
import java.util.List;

/**
 * What a workspace holds, at a glance. Spend counts non-shadow calls at their effective cost (logged, else the
 * catalog's, less negotiated discounts; SPEC §4); how much of it is catalog-estimated is said, and calls no price
 * covers are counted and their models listed. Shadow calls' cost is shown on its own line.
 */
public record WorkspaceSummary(String workspace, int schemaVersion, long calls, long traces, long users,
                               LocalDateTime from, LocalDateTime to, double costUsd, double shadowCostUsd,
                               long callsWithoutCost, List<TierSpend> byTier, List<UnknownModel> unknownModels,
                               long batches, long rejectedRows, double catalogEstimatedUsd, List<UnknownModel> unpricedModels,
                               boolean discounted) {

    /** Spend of one tier; {@code tier} is null for models the tier map does not know. */
    /** @param callsWithoutCost calls with neither a logged cost nor a catalog price */
    public record TierSpend(Integer tier, long calls, double costUsd, long callsWithoutCost) {}

    public record UnknownModel(String model, long calls) {}
}
