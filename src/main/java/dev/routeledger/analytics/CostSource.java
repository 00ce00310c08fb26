package dev.routeledger.analytics;

/**
 * Where a call's effective cost comes from (SPEC §4), as conditions on the stored columns of {@code calls}: the
 * gateway's logged cost, the catalog's estimate, or neither (the model is not in the catalog). Written as
 * conditions rather than read from {@code calls_costed.cost_source}, which joins the prices for every call.
 */
final class CostSource {
    static final String CATALOG = "(cost_usd IS NULL AND cost_catalog IS NOT NULL)";
    static final String UNPRICED = "(cost_usd IS NULL AND cost_catalog IS NULL)";

    private CostSource() {}
}
