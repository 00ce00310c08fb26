package dev.routeledger.ingest;

import static dev.routeledger.ingest.CanonicalField.*;
import static dev.routeledger.ingest.JsonSql.firstText;
import static dev.routeledger.ingest.JsonSql.text;

import java.util.Map;
import java.util.Set;

/**
 * Helicone's request records (SPEC §3): the {@code @helicone/export} CSV (whose last column is {@code cost} or
 * {@code cost_usd} depending on the version) and its JSON/JSONL rows, and the {@code {data, error}} pages of
 * its query API. Custom properties ({@code Helicone-Property-*}) feed feature, team and the routing fields by name.
 */
final class HeliconeFormat implements SourceFormat {
    /** ClickHouse stores cost as USD × 1e9; Helicone's API divides, raw rows and some mocks do not. */
    static final double NANO = 1e9;
    private static final String COST = "coalesce(" + JsonSql.text("r", "cost") + ", " + JsonSql.text("r", "cost_usd") + ")";

    @Override
    public String name() { return "helicone"; }

    @Override
    public boolean matches(Set<String> keys) {
        Set<String> n = SourceFormat.normalised(keys);
        return SourceFormat.count(n, "response_id", "request_created_at", "response_created_at", "request_properties",
            "request_user_id", "helicone_user", "delay_ms", "response_status", "request_body") >= 2;
    }

    @Override
    public String expects() {
        return "helicone (response_id, request_created_at, request_properties, request_user_id, model, cost, …)";
    }

    /**
     * Whether the file's costs are in nano-dollars: every cost a whole number and the largest at least 1000
     * (a real USD cost is fractional; one call costing $1,000 or more in whole dollars is not a log, it is an error).
     */
    @Override
    public String hintSql(String recordsSql) {
        return "SELECT CASE WHEN count(c) > 0 AND count(c) FILTER (WHERE c <> floor(c)) = 0 AND max(c) >= 1000 THEN 'nano' ELSE 'usd' END"
            + " AS cost_unit FROM (SELECT TRY_CAST(" + COST + " AS DOUBLE) AS c FROM (" + recordsSql + "))";
    }

    @Override
    public SourceMapping mapping(Set<String> keys, Map<String, String> hints) {
        boolean nano = "nano".equals(hints.get("cost_unit"));
        String code = "TRY_CAST(" + firstText("r", "response_status", "status") + " AS INTEGER)";
        SourceMapping m = new SourceMapping()
            .let("__props", "coalesce(rl_get(r, 'request_properties'), rl_get(r, 'properties'))")
            .set(REQUEST_ID, firstText("r", "request_id", "response_id"), "request_id, else response_id")
            .set(TIMESTAMP, firstText("r", "request_created_at", "created_at", "response_created_at"), "request_created_at")
            .set(USER_ID, "coalesce(" + firstText("r", "request_user_id", "user_id") + ", rl_txt(rl_prop(__props, 'user_id')))",
                "request_user_id")
            .set(MODEL, firstText("r", "response_model", "request_model", "model", "model_override"), "response_model, else request_model / model")
            .set(PROVIDER, "lower(" + text("r", "provider") + ")", "provider (lower-cased)")
            .set(PROMPT_TOKENS, text("r", "prompt_tokens"), "prompt_tokens")
            .set(COMPLETION_TOKENS, text("r", "completion_tokens"), "completion_tokens")
            .set(CACHED_TOKENS, text("r", "prompt_cache_read_tokens"), "prompt_cache_read_tokens")
            .set(COST_USD, nano ? "CAST(TRY_CAST(" + COST + " AS DOUBLE) / " + NANO + " AS VARCHAR)" : COST,
                nano ? "cost ÷ 1e9 (stored as nano-USD)" : "cost (or cost_usd)")
            .set(LATENCY_MS, firstText("r", "delay_ms", "latency"), "delay_ms (or latency)")
            .set(TTFT_MS, text("r", "time_to_first_token"), "time_to_first_token")
            .set(STATUS, "CASE WHEN " + code + " IS NULL THEN NULL WHEN " + code + " BETWEEN 200 AND 299 THEN 'ok' WHEN " + code
                + " = 429 THEN 'rate_limited' WHEN " + code + " IN (408, 504) THEN 'timeout' ELSE 'error' END", "response_status (HTTP code)")
            .set(TRACE_ID, "coalesce(rl_txt(rl_prop(__props, 'helicone_session_id')), rl_txt(rl_prop(__props, 'trace_id')))",
                "request_properties.Helicone-Session-Id")
            .set(FEEDBACK, "CASE lower(" + text("r", "feedback_rating") + ") WHEN 'true' THEN 'up' WHEN 'false' THEN 'down' END",
                "feedback_rating")
            .fallbackBag("__props", "request_properties")
            // a body Helicone did not store is a placeholder, not the prompt
            .prompt("CASE WHEN " + text("r", "request_body") + " NOT LIKE '%helicone_message%' THEN " + text("r", "request_body") + " END")
            .consumes("request_id", "request_created_at", "request_user_id", "prompt_tokens", "completion_tokens",
                "prompt_cache_read_tokens", "cost", "cost_usd", "delay_ms", "time_to_first_token", "request_body", "response_body")
            .extraReplace("request_properties", "rl_get(r, 'request_properties')");
        if (nano) m.warn("cost is stored as USD × 1e9 (Helicone's ClickHouse unit): divided by 1e9");
        return m;
    }
}
