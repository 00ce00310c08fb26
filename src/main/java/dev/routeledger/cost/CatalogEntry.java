package dev.routeledger.cost;

/**
 * One model's list prices (USD per token) from the catalog. Long-context prices apply to a call whose prompt
 * exceeds {@code longContextThreshold} tokens (LiteLLM's {@code *_above_<N>k_tokens} keys); NULL = none.
 */
public record CatalogEntry(String modelKey, String provider, String mode, Double inputPerToken, Double outputPerToken,
                           Double cacheReadPerToken, Double cacheWritePerToken, Long longContextThreshold,
                           Double inputPerTokenLong, Double outputPerTokenLong, Double cacheReadPerTokenLong, Long maxInputTokens) {}
