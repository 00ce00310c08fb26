package dev.routeledger.ingest;

import static dev.routeledger.ingest.CanonicalField.*;
import static dev.routeledger.ingest.JsonSql.firstText;
import static dev.routeledger.ingest.JsonSql.text;

import java.util.Map;
import java.util.Set;

/**
 * Langfuse observations (SPEC §3): the export in camelCase (CSV/JSON/JSONL) and the blob-storage layout in
 * snake_case, the {@code {data, meta}} pages of the public API and the {@code {trace, observations}} file of the
 * UI's "download trace". Only GENERATION observations are calls; spans, events, tools and the rest are counted
 * as skipped. Latency is taken from end − start: the {@code latency} field is seconds in the API but
 * milliseconds in trace downloads and older blob exports, so it is kept in {@code extra} only.
 */
final class LangfuseFormat implements SourceFormat {
    @Override
    public String name() { return "langfuse"; }

    @Override
    public boolean matches(Set<String> keys) {
        Set<String> n = SourceFormat.normalised(keys);
        return SourceFormat.hasAny(n, "traceId", "trace_id") && SourceFormat.hasAny(n, "startTime", "start_time")
            && SourceFormat.hasAny(n, "type", "usageDetails", "costDetails", "totalCost", "parentObservationId", "inputUsage",
                "promptTokens", "provided_model_name");
    }

    @Override
    public String expects() {
        return "langfuse (observations: id, traceId, type, startTime, endTime, model, usageDetails, totalCost, …)";
    }

    @Override
    public SourceMapping mapping(Set<String> keys, Map<String, String> hints) {
        String start = firstText("r", "startTime", "start_time");
        String end = firstText("r", "endTime", "end_time");
        String inputSum = "list_sum(list_transform(list_filter(json_keys(__usage), k -> contains(lower(k), 'input')),"
            + " k -> TRY_CAST(json_extract_string(__usage, '$.\"' || k || '\"') AS BIGINT)))";
        return new SourceMapping()
            .let("__usage", "CASE WHEN json_type(coalesce(rl_get(r, 'usageDetails'), rl_get(r, 'usage_details'))) = 'OBJECT'"
                + " THEN coalesce(rl_get(r, 'usageDetails'), rl_get(r, 'usage_details')) END")
            .let("__meta", "rl_get(r, 'metadata')")
            .let("__prompt_tokens", "coalesce(" + firstText("r", "inputUsage", "input_usage") + ", CAST(" + inputSum + " AS VARCHAR),"
                + " rl_txt(rl_get(rl_get(r, 'usage'), 'input')), " + firstText("r", "promptTokens") + ")")
            .skipWhen("upper(" + text("r", "type") + ") <> 'GENERATION'", "observations other than GENERATION (spans, events, tools, …)")
            .set(REQUEST_ID, text("r", "id"), "id")
            .set(TRACE_ID, firstText("r", "traceId", "trace_id"), "traceId")
            .set(TIMESTAMP, start, "startTime")
            .set(LATENCY_MS, "rl_ms_between(" + start + ", " + end + ")", "endTime − startTime")
            .set(TTFT_MS, "rl_ms_between(" + start + ", " + firstText("r", "completionStartTime", "completion_start_time") + ")",
                "completionStartTime − startTime")
            .set(USER_ID, "coalesce(" + firstText("r", "userId", "user_id") + ", " + text("ctx", "userId") + ")", "userId (or the trace's)")
            .set(FEATURE, "coalesce(rl_txt(rl_first(coalesce(rl_get(r, 'traceTags'), rl_get(r, 'trace_tags'), rl_get(r, 'tags')))),"
                + " rl_txt(rl_first(rl_get(ctx, 'tags'))))", "traceTags[0] (or the trace's tags[0])")
            .set(MODEL, firstText("r", "model", "provided_model_name", "providedModelName"), "model")
            .set(PROMPT_TOKENS, "__prompt_tokens", "inputUsage (usageDetails keys containing 'input')")
            // usageDetails.total is what the provider reported; Langfuse's outputUsage may count reasoning twice
            .set(COMPLETION_TOKENS, "coalesce(CAST(CASE WHEN TRY_CAST(rl_txt(rl_get(__usage, 'total')) AS BIGINT) >= TRY_CAST(__prompt_tokens AS BIGINT)"
                + " THEN TRY_CAST(rl_txt(rl_get(__usage, 'total')) AS BIGINT) - TRY_CAST(__prompt_tokens AS BIGINT) END AS VARCHAR),"
                + " rl_txt(rl_get(__usage, 'output')), " + firstText("r", "outputUsage", "output_usage", "completionTokens") + ")",
                "usageDetails.total − input (else output)")
            .set(CACHED_TOKENS, "coalesce(rl_txt(rl_get(__usage, 'input_cache_read')), rl_txt(rl_get(__usage, 'input_cached_tokens')))",
                "usageDetails.input_cache_read")
            .set(COST_USD, "coalesce(" + firstText("r", "totalCost", "total_cost", "calculatedTotalCost") + ","
                + " rl_txt(rl_get(coalesce(rl_get(r, 'costDetails'), rl_get(r, 'cost_details')), 'total')))", "totalCost")
            .set(STATUS, "CASE WHEN upper(" + text("r", "level") + ") = 'ERROR' THEN 'error' END", "level (ERROR → error)")
            .fallbackBag("__meta", "metadata")
            .prompt(text("r", "input"))
            .consumes("id", "traceId", "trace_id", "startTime", "start_time", "model", "totalCost", "total_cost", "input", "output",
                "userId", "user_id");
    }
}
