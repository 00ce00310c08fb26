package dev.routeledger.ingest;

import static dev.routeledger.ingest.CanonicalField.*;
import static dev.routeledger.ingest.JsonSql.firstText;
import static dev.routeledger.ingest.JsonSql.path;
import static dev.routeledger.ingest.JsonSql.text;

import java.util.Map;
import java.util.Set;

/**
 * Rows of LiteLLM's {@code LiteLLM_SpendLogs} table (SPEC §3): the CSV export of the Postgres table, one
 * spend-log payload, the JSON array of {@code GET /spend/logs}, the pages of {@code /spend/logs/v2}.
 * Attribution traps: {@code user} is the owner of the API key, {@code end_user} the customer; {@code model_group}
 * is what the caller asked for and {@code model} what served; {@code session_id} is the trace.
 */
final class LiteLlmFormat implements SourceFormat {
    @Override
    public String name() { return "litellm"; }

    @Override
    public boolean matches(Set<String> keys) {
        Set<String> n = SourceFormat.normalised(keys);
        return n.contains("requestid") && SourceFormat.hasAny(n, "startTime", "start_time")
            && SourceFormat.hasAny(n, "spend", "model_group", "call_type", "api_key", "cache_key", "custom_llm_provider");
    }

    @Override
    public String expects() {
        return "litellm (LiteLLM_SpendLogs rows: request_id, startTime, spend, model, api_key, …)";
    }

    @Override
    public SourceMapping mapping(Set<String> keys, Map<String, String> hints) {
        String start = firstText("r", "startTime", "start_time");
        String end = firstText("r", "endTime", "end_time");
        String usage = "coalesce(rl_get(__meta, 'additional_usage_values'), rl_get(__meta, 'usage_object'))";
        return new SourceMapping()
            .let("__meta", path("r", "metadata"))
            .let("__slm", "rl_get(__meta, 'spend_logs_metadata')")
            .let("__tags", "rl_obj(json_extract(r, 'request_tags'))")
            .set(REQUEST_ID, text("r", "request_id"), "request_id")
            .set(TIMESTAMP, start, "startTime")
            .set(LATENCY_MS, "coalesce(rl_ms_between(" + start + ", " + end + "), " + text("r", "request_duration_ms") + ")",
                "endTime − startTime (or request_duration_ms)")
            .set(TTFT_MS, "rl_ms_between(" + start + ", " + firstText("r", "completionStartTime", "completion_start_time") + ")",
                "completionStartTime − startTime")
            .set(USER_ID, firstText("r", "end_user", "user"), "end_user, else user (the key owner)")
            .set(TEAM, "coalesce(rl_txt(rl_get(__meta, 'user_api_key_team_alias')), " + text("r", "team_id") + ")",
                "metadata.user_api_key_team_alias, else team_id")
            .set(FEATURE, "coalesce(CASE WHEN json_type(__tags) = 'ARRAY' THEN list_filter(from_json(__tags, '[\"VARCHAR\"]'),"
                + " x -> NOT starts_with(lower(x), 'user-agent'))[1] END, rl_txt(rl_get(__slm, 'feature')))",
                "request_tags[0] (User-Agent tags skipped), else metadata.spend_logs_metadata.feature")
            .set(PROVIDER, text("r", "custom_llm_provider"), "custom_llm_provider")
            // a failed call often has no served model; the model group asked for is the best that is known
            .set(MODEL, firstText("r", "model", "model_group"), "model, else model_group")
            .set(COST_USD, text("r", "spend"), "spend")
            .set(TRACE_ID, text("r", "session_id"), "session_id")
            .set(STATUS, firstText("r", "status"), "status (success/failure)")
            .set(CACHE_HIT, text("r", "cache_hit"), "cache_hit")
            .set(PROMPT_TOKENS, text("r", "prompt_tokens"), "prompt_tokens")
            .set(COMPLETION_TOKENS, text("r", "completion_tokens"), "completion_tokens")
            // prompt_tokens already contains the cache reads (OpenAI and Anthropic through LiteLLM): never add them again
            .set(CACHED_TOKENS, "coalesce(rl_txt(rl_get(" + usage + ", 'cache_read_input_tokens')),"
                + " rl_txt(rl_get(rl_get(" + usage + ", 'prompt_tokens_details'), 'cached_tokens')))",
                "metadata.additional_usage_values / usage_object cache reads")
            .fallbackBag("__slm", "metadata.spend_logs_metadata")
            .prompt("CASE WHEN " + text("r", "messages") + " NOT IN ('{}', '[]', 'null') THEN " + text("r", "messages") + " END")
            .consumes("request_id", "startTime", "spend", "prompt_tokens", "completion_tokens", "custom_llm_provider", "session_id",
                "status", "cache_hit", "messages", "response", "proxy_server_request")
            // the pricing snapshot LiteLLM copies into every row is the catalog's business, not the call's
            .extraReplace("metadata", "json_merge_patch(__meta, '{\"model_map_information\": null}')")
            .extraReplace("request_tags", "__tags");
    }
}
