package dev.routeledger.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.routeledger.analytics.WorkspaceSummary;
import dev.routeledger.analytics.WorkspaceSummaryQuery;
import dev.routeledger.ingest.Importer;
import dev.routeledger.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Catalog cost, model matching, effective cost, overrides and discounts (SPEC §4), on calls built by hand. */
class CatalogCostTest {
    @TempDir Path dir;
    Workspace ws;

    @BeforeEach
    void load() throws Exception {
        ws = Workspace.open(dir.resolve("ws.duckdb"));
        Path log = dir.resolve("calls.jsonl");
        Files.writeString(log, String.join("\n",
            // 800 uncached × 2.5e-6 + 200 cached × 1.25e-6 + 100 out × 1e-5 = 0.00325
            line("c1", "gpt-4o", "openai", 1000, 200, 100, null, false, "ok"),
            line("c2", "openai/gpt-4o", "openai", 1000, 200, 100, null, false, "ok"),
            line("c3", "gpt-4o-mini-2099-01-01", "openai", 1_000_000, 0, 0, null, false, "ok"),
            line("c4", "acme-private-llm", "acme", 5000, 0, 500, null, false, "ok"),
            // long context: 200,000 × 6e-6 + 50,000 × 6e-7 + 1,000 × 2.25e-5 = 1.2525
            line("c5", "anthropic.claude-sonnet-4-20250514-v1:0", "bedrock", 250_000, 50_000, 1000, null, false, "ok"),
            line("c6", "anthropic.claude-sonnet-4-20250514-v1:0", "bedrock", 1000, 0, 100, null, false, "ok"),
            line("c7", "gpt-4o", "openai", 1000, 0, 100, null, true, "ok"),
            line("c8", "claude-3-haiku-20240307", "anthropic", 1000, 0, 100, 0.01, false, "ok"),
            line("c9", "gpt-4o", "openai", 1000, 0, 0, null, false, "error")) + "\n");
        new Importer(ws, null).importFile(log, "auto");
    }

    static String line(String id, String model, String provider, long prompt, long cached, long completion, Double cost, boolean cacheHit, String status) {
        return "{\"request_id\":\"" + id + "\",\"timestamp\":\"2026-10-10T10:00:00Z\",\"model\":\"" + model + "\",\"provider\":\"" + provider
            + "\",\"prompt_tokens\":" + prompt + ",\"cached_tokens\":" + cached + ",\"completion_tokens\":" + completion
            + (cost == null ? "" : ",\"cost_usd\":" + cost) + ",\"cache_hit\":" + cacheHit + ",\"status\":\"" + status + "\"}";
    }

    @AfterEach
    void close() {
        ws.close();
    }

    Map<String, Object> costs(String id) throws Exception {
        try (PreparedStatement ps = ws.connection().prepareStatement(
                "SELECT price_key, cost_catalog, cost_effective, cost_source, discount_pct, long_context FROM calls_costed WHERE request_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                Map<String, Object> m = new HashMap<>();
                for (int i = 1; i <= 6; i++) m.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                return m;
            }
        }
    }

    @Test
    void catalogCostSplitsUncachedCachedAndOutput() throws Exception {
        Map<String, Object> c1 = costs("c1");
        assertThat(c1.get("price_key")).isEqualTo("gpt-4o");
        assertThat((Double) c1.get("cost_catalog")).isCloseTo(0.00325, within(1e-12));
        assertThat((Double) c1.get("cost_effective")).isCloseTo(0.00325, within(1e-12));
        assertThat(c1.get("cost_source")).isEqualTo("catalog");
    }

    @Test
    void modelNamesMatchWithAndWithoutProviderPrefixAndDates() throws Exception {
        assertThat(costs("c2").get("price_key")).isEqualTo("gpt-4o");
        assertThat((Double) costs("c2").get("cost_catalog")).isCloseTo(0.00325, within(1e-12));
        assertThat(costs("c3").get("price_key")).isEqualTo("gpt-4o-mini"); // undated
        assertThat((Double) costs("c3").get("cost_catalog")).isCloseTo(0.15, within(1e-12));
        Map<String, String> keys = Map.of("gpt-4o", "gpt-4o", "groq/llama-3.3-70b-versatile", "groq/llama-3.3-70b-versatile");
        assertThat(PriceMatches.match("llama-3.3-70b-versatile", "groq", keys).how()).isEqualTo("with provider prefix");
        assertThat(PriceMatches.match("azure/gpt-4o", "azure", keys).modelKey()).isEqualTo("gpt-4o");
        assertThat(PriceMatches.match("GPT-4o", null, keys).modelKey()).isEqualTo("gpt-4o");
        assertThat(PriceMatches.match("gpt-5-nano", "openai", keys)).isNull();
    }

    @Test
    void aModelTheCatalogLacksIsListedNotCostedAtZero() throws Exception {
        Map<String, Object> c4 = costs("c4");
        assertThat(c4.get("price_key")).isNull();
        assertThat(c4.get("cost_catalog")).isNull();
        assertThat(c4.get("cost_effective")).isNull();
        assertThat(c4.get("cost_source")).isEqualTo("unpriced");
        WorkspaceSummary s = WorkspaceSummaryQuery.run(ws);
        assertThat(s.unpricedModels()).extracting(WorkspaceSummary.UnknownModel::model).containsExactly("acme-private-llm");
        assertThat(s.callsWithoutCost()).isEqualTo(1);
    }

    @Test
    void longContextPricesApplyAboveTheThreshold() throws Exception {
        assertThat((Boolean) costs("c5").get("long_context")).isTrue();
        assertThat((Double) costs("c5").get("cost_catalog")).isCloseTo(1.2525, within(1e-9));
        assertThat((Boolean) costs("c6").get("long_context")).isFalse();
        assertThat((Double) costs("c6").get("cost_catalog")).isCloseTo(0.0045, within(1e-12));
    }

    @Test
    void cacheHitsAndFailedCallsCostNothingAndLoggedCostWins() throws Exception {
        assertThat((Double) costs("c7").get("cost_catalog")).isZero();
        assertThat((Double) costs("c9").get("cost_catalog")).isZero();
        Map<String, Object> c8 = costs("c8");
        assertThat((Double) c8.get("cost_catalog")).isCloseTo(1000 * 2.5e-7 + 100 * 1.25e-6, within(1e-12));
        assertThat((Double) c8.get("cost_effective")).isCloseTo(0.01, within(1e-12)); // the gateway's figure
        assertThat(c8.get("cost_source")).isEqualTo("logged");
    }

    @Test
    void overridesAndDiscountsChangeEveryFigure() throws Exception {
        PriceOverrides.setPrice(ws.connection(), "acme-private-llm", 1.0, 2.0, null); // $/Mtok
        assertThat((Double) costs("c4").get("cost_catalog")).isCloseTo(5000 * 1e-6 + 500 * 2e-6, within(1e-12));
        assertThat(costs("c4").get("cost_source")).isEqualTo("catalog");
        PriceOverrides.setDiscount(ws.connection(), "provider", "Anthropic", 20);
        assertThat((Double) costs("c8").get("cost_effective")).isCloseTo(0.008, within(1e-12));
        PriceOverrides.setDiscount(ws.connection(), "model", "claude-3-haiku-20240307", 30); // a model's discount wins
        assertThat((Double) costs("c8").get("cost_effective")).isCloseTo(0.007, within(1e-12));
        WorkspaceSummary s = WorkspaceSummaryQuery.run(ws);
        assertThat(s.discounted()).isTrue();
        assertThat(s.unpricedModels()).isEmpty();
        double estimated = 0.00325 * 2 + 0.15 + 0.006 + 1.2525 + 0.0045; // c1 c2 c3 c4 c5 c6 (c7, c9 cost 0)
        assertThat(s.catalogEstimatedUsd()).isCloseTo(estimated, within(1e-9));
        assertThat(s.costUsd()).isCloseTo(estimated + 0.007, within(1e-9));
        PriceOverrides.removePrice(ws.connection(), "acme-private-llm");
        assertThat(costs("c4").get("cost_source")).isEqualTo("unpriced");
    }
}
