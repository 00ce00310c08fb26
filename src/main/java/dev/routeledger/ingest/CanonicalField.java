package dev.routeledger.ingest;

import java.util.List;
import java.util.Locale;

/**
 * The canonical log's fields (SPEC §2), with the column names other tools use for them.
 * Aliases are compared after {@link #normalise(String)}: case, '_', '-', '.' and spaces do not matter.
 */
public enum CanonicalField {
    REQUEST_ID("request_id", Kind.TEXT, "id", "call_id", "requestid"),
    TRACE_ID("trace_id", Kind.TEXT, "trace", "session_id", "conversation_id", "thread_id"),
    TIMESTAMP("timestamp", Kind.TIMESTAMP, "ts", "time", "created_at", "start_time", "started_at", "request_time",
        "datetime", "date_time", "created"),
    USER_ID("user_id", Kind.TEXT, "user", "end_user", "customer_id", "customer", "user_email"),
    TEAM("team", Kind.TEXT, "team_name", "team_alias", "team_id", "org_unit", "department"),
    FEATURE("feature", Kind.TEXT, "endpoint", "use_case", "feature_name", "app", "application"),
    PROVIDER("provider", Kind.TEXT, "custom_llm_provider", "llm_provider", "vendor"),
    MODEL("model", Kind.TEXT, "model_name", "served_model", "response_model"),
    TIER("tier", Kind.TIER, "model_tier"),
    ROUTED_TIER("routed_tier", Kind.TIER, "router_tier", "initial_tier"),
    ROUTER_SCORE("router_score", Kind.UNIT, "routing_score", "router_probability"),
    ATTEMPT("attempt", Kind.TIER, "attempt_number", "attempt_no"),
    ESCALATION_REASON("escalation_reason", Kind.TEXT, "escalation"),
    CONFIDENCE("confidence", Kind.UNIT, "confidence_score"),
    VALIDATION("validation", Kind.VALIDATION, "validation_result", "validation_status"),
    QUALITY("quality", Kind.UNIT, "quality_score", "judge_score"),
    FEEDBACK("feedback", Kind.FEEDBACK, "user_feedback"),
    PROMPT_TOKENS("prompt_tokens", Kind.COUNT, "input_tokens", "tokens_in", "prompt_token_count"),
    COMPLETION_TOKENS("completion_tokens", Kind.COUNT, "output_tokens", "tokens_out", "completion_token_count"),
    CACHED_TOKENS("cached_tokens", Kind.COUNT, "cache_read_tokens", "cached_input_tokens", "cache_read_input_tokens",
        "prompt_cache_read_tokens"),
    COST_USD("cost_usd", Kind.AMOUNT, "cost", "spend", "total_cost", "cost_dollars", "usd"),
    LATENCY_MS("latency_ms", Kind.AMOUNT, "latency", "duration_ms", "response_time_ms", "elapsed_ms"),
    TTFT_MS("ttft_ms", Kind.AMOUNT, "ttft", "time_to_first_token", "time_to_first_token_ms"),
    STATUS("status", Kind.STATUS, "state", "outcome"),
    PROMPT_HASH("prompt_hash", Kind.TEXT, "prompt_sha256", "input_hash"),
    CACHE_HIT("cache_hit", Kind.BOOL, "cached", "from_cache"),
    SHADOW("shadow", Kind.BOOL, "is_shadow");

    /** How a field's values are read and checked. */
    public enum Kind {
        TEXT("VARCHAR"), TIMESTAMP("VARCHAR"), TIER("BIGINT"), UNIT("DOUBLE"), COUNT("BIGINT"), AMOUNT("DOUBLE"),
        BOOL("BOOLEAN"), STATUS("VARCHAR"), VALIDATION("VARCHAR"), FEEDBACK("VARCHAR");

        /** The type asked of DuckDB's reader on the fast path. */
        public final String readerType;

        Kind(String readerType) { this.readerType = readerType; }

        /** Whether the fast reader hands this kind over already typed (so it needs no parsing or type check). */
        public boolean typedByReader() { return !readerType.equals("VARCHAR"); }
    }

    /** Source keys holding prompt text: hashed into prompt_hash, never stored (SPEC §2, privacy). */
    public static final List<String> PROMPT_TEXT_KEYS = List.of("prompt", "messages", "input", "prompt_text");
    /** Source keys holding response text: never stored. */
    public static final List<String> RESPONSE_TEXT_KEYS = List.of("response", "completion", "output", "response_text");

    /** The canonical (file and JSON) name. */
    public final String column;
    /** The workspace column: the same, except the timestamp, which is {@code ts} there. */
    public final String db;
    public final Kind kind;
    private final List<String> aliases;

    CanonicalField(String column, Kind kind, String... aliases) {
        this.column = column;
        this.db = column.equals("timestamp") ? "ts" : column;
        this.kind = kind;
        this.aliases = List.of(aliases);
    }

    public boolean isRequired() {
        return this == REQUEST_ID || this == TIMESTAMP || this == MODEL;
    }

    /** Whether a source column name means this field: its canonical name first, then its aliases. */
    public int matchRank(String sourceName) {
        String n = normalise(sourceName);
        if (n.equals(normalise(column))) return 0;
        for (int i = 0; i < aliases.size(); i++) {
            if (n.equals(normalise(aliases.get(i)))) return i + 1;
        }
        return -1;
    }

    public static String normalise(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (char c : name.trim().toLowerCase(Locale.ROOT).toCharArray()) {
            if (c != '_' && c != '-' && c != ' ' && c != '.') sb.append(c);
        }
        return sb.toString();
    }
}
