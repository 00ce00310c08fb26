package dev.routeledger.store;

import java.util.List;

/**
 * The workspace's tables. {@code calls} is the canonical log (SPEC §2): a view over {@code calls_main} (where
 * small imports are merged) and one table per large import, each staged once and never copied (see
 * {@link CallsView}). {@code ts} is the call's start as a UTC instant (stored as a naive TIMESTAMP in UTC so that
 * date arithmetic needs no time-zone lookups).
 */
public final class Schema {
    /** Bump when the layout changes; a workspace written by a newer version is refused, never altered. */
    public static final int VERSION = 6;

    /** The canonical columns of a call, in table order (batch_id follows them in {@code calls}). */
    public static final String CALL_COLUMNS = "request_id, trace_id, ts, user_id, team, feature, provider, model, tier,"
        + " routed_tier, router_score, attempt, escalation_reason, confidence, validation, quality, feedback, prompt_tokens,"
        + " completion_tokens, cached_tokens, cost_usd, latency_ms, ttft_ms, status, prompt_hash, cache_hit, shadow, extra";

    private Schema() {}

    /**
     * A 64-bit hash of a call's whole content, for telling a duplicate (same request_id, same content) from a
     * conflict. It is computed when two rows are compared, not stored: only repeated request ids need it.
     *
     * @param qualifier a table name or alias and a dot ("c."), or "" for unqualified columns
     */
    public static String contentHash(String qualifier) {
        StringBuilder sb = new StringBuilder("hash(");
        String[] cols = CALL_COLUMNS.split(",\\s*");
        for (int i = 0; i < cols.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(cols[i].equals("extra") ? "CAST(" + qualifier + "extra AS VARCHAR)" : qualifier + cols[i]);
        }
        return sb.append(')').toString();
    }

    static final List<String> DDL = List.of(
        """
        CREATE TABLE IF NOT EXISTS workspace_meta (
            key   VARCHAR PRIMARY KEY,
            value VARCHAR NOT NULL)""",
        """
        CREATE TABLE IF NOT EXISTS calls_main (
            request_id        VARCHAR NOT NULL,
            trace_id          VARCHAR NOT NULL,
            ts                TIMESTAMP NOT NULL,
            user_id           VARCHAR,
            team              VARCHAR,
            feature           VARCHAR,
            provider          VARCHAR,
            model             VARCHAR NOT NULL,
            tier              INTEGER,
            routed_tier       INTEGER,
            router_score      DOUBLE,
            attempt           INTEGER,
            escalation_reason VARCHAR,
            confidence        DOUBLE,
            validation        VARCHAR,
            quality           DOUBLE,
            feedback          VARCHAR,
            prompt_tokens     BIGINT,
            completion_tokens BIGINT,
            cached_tokens     BIGINT,
            cost_usd          DOUBLE,
            latency_ms        DOUBLE,
            ttft_ms           DOUBLE,
            status            VARCHAR,
            prompt_hash       VARCHAR,
            cache_hit         BOOLEAN,
            shadow            BOOLEAN NOT NULL DEFAULT false,
            extra             JSON,
            batch_id          INTEGER NOT NULL)""",
        // Version 4: the stored facts of every call (CallFacts); ALTER so that older workspaces get them too.
        "ALTER TABLE calls_main ADD COLUMN IF NOT EXISTS eff_tier INTEGER",
        "ALTER TABLE calls_main ADD COLUMN IF NOT EXISTS cost_catalog DOUBLE",
        "ALTER TABLE calls_main ADD COLUMN IF NOT EXISTS cost_effective DOUBLE",
        "ALTER TABLE calls_main ADD COLUMN IF NOT EXISTS multi_call BOOLEAN DEFAULT false",
        "ALTER TABLE calls_main ADD COLUMN IF NOT EXISTS label TINYINT",
        "ALTER TABLE calls_main ADD COLUMN IF NOT EXISTS decile TINYINT",
        // Version 5: the head of each multi-call trace (CallFacts) and facts derived across calls (analytics.TraceFacts), and which of them are current.
        "ALTER TABLE calls_main ADD COLUMN IF NOT EXISTS trace_head BOOLEAN",
        "ALTER TABLE calls_main ADD COLUMN IF NOT EXISTS repeat_gap_us BIGINT",
        "ALTER TABLE calls_main ADD COLUMN IF NOT EXISTS user_repeat BOOLEAN",
        "ALTER TABLE calls_main ADD COLUMN IF NOT EXISTS tier_last BOOLEAN",
        // Version 6: each multi-call trace's head at each tier, model, provider and status (analytics.TraceFacts).
        "ALTER TABLE calls_main ADD COLUMN IF NOT EXISTS dim_heads TINYINT",
        DerivedFacts.DDL,
        """
        CREATE TABLE IF NOT EXISTS import_batches (
            batch_id       INTEGER PRIMARY KEY,
            path           VARCHAR NOT NULL,
            size_bytes     BIGINT NOT NULL,
            content_hash   VARCHAR NOT NULL,
            format         VARCHAR NOT NULL,
            rows_read      BIGINT NOT NULL,
            rows_loaded    BIGINT NOT NULL,
            rows_duplicate BIGINT NOT NULL,
            rows_rejected  BIGINT NOT NULL,
            rows_skipped   BIGINT NOT NULL,
            rows_conflict  BIGINT NOT NULL,
            started_at     TIMESTAMP NOT NULL,
            finished_at    TIMESTAMP NOT NULL,
            table_name     VARCHAR)""",
        """
        CREATE TABLE IF NOT EXISTS rejected_rows (
            batch_id  INTEGER NOT NULL,
            record_no BIGINT,
            line_no   BIGINT,
            reason   VARCHAR NOT NULL,
            raw      VARCHAR)""",
        """
        CREATE TABLE IF NOT EXISTS tier_map (
            pattern VARCHAR PRIMARY KEY,
            tier    INTEGER NOT NULL CHECK (tier >= 1))""",
        // All calls; CallsView redefines it as calls_main plus each large import's own table.
        "CREATE OR REPLACE VIEW calls AS SELECT " + CALL_COLUMNS + ", batch_id, " + CallFacts.COLUMNS + " FROM calls_main",
        // Version 2: the price catalog (SPEC §4), the user's overrides and discounts, and which entry prices each model.
        """
        CREATE TABLE IF NOT EXISTS price_catalog (
            model_key                 VARCHAR PRIMARY KEY,
            provider                  VARCHAR,
            mode                      VARCHAR,
            input_per_token           DOUBLE,
            output_per_token          DOUBLE,
            cache_read_per_token      DOUBLE,
            cache_write_per_token     DOUBLE,
            long_context_threshold    BIGINT,
            input_per_token_long      DOUBLE,
            output_per_token_long     DOUBLE,
            cache_read_per_token_long DOUBLE,
            max_input_tokens          BIGINT)""",
        """
        CREATE TABLE IF NOT EXISTS price_catalog_info (
            key   VARCHAR PRIMARY KEY,
            value VARCHAR)""",
        """
        CREATE TABLE IF NOT EXISTS price_overrides (
            model                VARCHAR PRIMARY KEY,
            input_per_token      DOUBLE NOT NULL CHECK (input_per_token >= 0),
            output_per_token     DOUBLE NOT NULL CHECK (output_per_token >= 0),
            cache_read_per_token DOUBLE CHECK (cache_read_per_token >= 0),
            set_at               TIMESTAMP NOT NULL)""",
        """
        CREATE TABLE IF NOT EXISTS discounts (
            scope   VARCHAR NOT NULL CHECK (scope IN ('provider', 'model')),
            name    VARCHAR NOT NULL,
            percent DOUBLE NOT NULL CHECK (percent >= 0 AND percent < 100),
            set_at  TIMESTAMP NOT NULL,
            PRIMARY KEY (scope, name))""",
        """
        CREATE TABLE IF NOT EXISTS price_matches (
            model     VARCHAR NOT NULL,
            provider  VARCHAR,
            model_key VARCHAR,
            how       VARCHAR NOT NULL)""",
        // Where each pull from a gateway API got to, so the next one resumes there. Never the API key.
        """
        CREATE TABLE IF NOT EXISTS pull_state (
            source    VARCHAR NOT NULL,
            url       VARCHAR NOT NULL,
            last_time TIMESTAMP NOT NULL,
            pulled_at TIMESTAMP NOT NULL,
            PRIMARY KEY (source, url))""",
        // Everything that prices and tiers a (model, provider) of the log, one small row each, recomputed by
        // ModelCosting.refresh whenever the tier map, the catalog, an override, a discount or the models change.
        // The views below join it once: joining the catalog, overrides, discounts and tier globs per call made a
        // grouped query over calls_costed four times slower than over calls (0.95 s against 0.22 s at 1 M calls).
        """
        CREATE TABLE IF NOT EXISTS model_costing (
            model          VARCHAR NOT NULL,
            provider_key   VARCHAR NOT NULL,
            map_tier       INTEGER,
            price_key      VARCHAR,
            overridden     BOOLEAN NOT NULL,
            in_p           DOUBLE,
            out_p          DOUBLE,
            cached_p       DOUBLE,
            long_threshold BIGINT,
            in_long        DOUBLE,
            out_long       DOUBLE,
            cached_long    DOUBLE,
            discount_pct   DOUBLE NOT NULL)""",
        // A model's tier from the map: the exact name wins, else the longest matching glob (the most specific).
        "CREATE OR REPLACE VIEW model_tiers AS SELECT model, any_value(map_tier) AS tier FROM model_costing GROUP BY model",
        "DROP VIEW IF EXISTS calls_tiered",
        // Every call with its stored facts (CallFacts: eff_tier, cost_catalog, cost_effective) and the prices behind
        // them, for the views that show prices (reconcile, prices). Analytics read calls: this join costs time.
        """
        CREATE OR REPLACE VIEW calls_costed AS
        SELECT c.*, mc.price_key,
               coalesce(c.prompt_tokens > mc.long_threshold, false) AS long_context,
               coalesce(mc.overridden, false) AS price_overridden,
               CASE WHEN c.prompt_tokens > mc.long_threshold AND mc.in_long IS NOT NULL THEN mc.in_long ELSE mc.in_p END AS price_in,
               CASE WHEN c.prompt_tokens > mc.long_threshold AND mc.out_long IS NOT NULL THEN mc.out_long ELSE mc.out_p END AS price_out,
               CASE WHEN c.prompt_tokens > mc.long_threshold AND mc.cached_long IS NOT NULL THEN mc.cached_long ELSE mc.cached_p END AS price_cached,
               coalesce(mc.discount_pct, 0) AS discount_pct,
               CASE WHEN c.cost_usd IS NOT NULL THEN 'logged' WHEN c.cost_catalog IS NOT NULL THEN 'catalog' ELSE 'unpriced' END AS cost_source
          FROM calls c LEFT JOIN model_costing mc ON mc.model = c.model AND mc.provider_key = coalesce(c.provider, '')""");

    /** Recomputes {@code model_costing} from the price matches, the catalog, overrides, discounts and the tier map. */
    public static final String REFRESH_MODEL_COSTING = """
        INSERT INTO model_costing
        SELECT pm.model, coalesce(pm.provider, ''),
               (SELECT t.tier FROM tier_map t WHERE pm.model = t.pattern OR pm.model GLOB t.pattern
                 ORDER BY (pm.model = t.pattern) DESC, length(t.pattern) DESC, t.pattern LIMIT 1),
               pm.model_key, o.model IS NOT NULL,
               coalesce(o.input_per_token, p.input_per_token), coalesce(o.output_per_token, p.output_per_token),
               CASE WHEN o.model IS NOT NULL THEN o.cache_read_per_token ELSE p.cache_read_per_token END,
               CASE WHEN o.model IS NULL THEN p.long_context_threshold END,
               p.input_per_token_long, p.output_per_token_long, p.cache_read_per_token_long,
               coalesce(dm.percent, dp.percent, 0)
          FROM (SELECT DISTINCT model, provider, model_key FROM price_matches) pm
          LEFT JOIN price_catalog p ON p.model_key = pm.model_key
          LEFT JOIN price_overrides o ON o.model = pm.model
          LEFT JOIN discounts dm ON dm.scope = 'model' AND dm.name = pm.model
          LEFT JOIN discounts dp ON dp.scope = 'provider' AND dp.name = lower(coalesce(pm.provider, p.provider))""";
}
