package dev.routeledger.ingest;

import static dev.routeledger.ingest.ImportFixture.count;
import static dev.routeledger.ingest.ImportFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.routeledger.analytics.Breakdown;
import dev.routeledger.analytics.Dimension;
import dev.routeledger.analytics.Filter;
import dev.routeledger.analytics.WorkspaceSummaryQuery;
import dev.routeledger.cost.PriceOverrides;
import dev.routeledger.store.TierMap;
import dev.routeledger.store.Workspace;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The facts stored with each call (tier, catalog and effective cost, multi-call trace) agree with the prices and
 * the tier map through every change, in both places rows live (a batch's own table and calls_main), and traces
 * are counted once even when they continue across imports.
 */
class CallFactsTest extends ImportTestBase {
    // gpt-4o-mini in the bundled LiteLLM catalog
    static final double IN = 1.5e-7, OUT = 6e-7, CACHED = 7.5e-8;

    static String call(String id, String trace, String fields) {
        return "{\"request_id\":\"" + id + "\",\"trace_id\":\"" + trace + "\",\"timestamp\":\"2026-10-05T10:00:0" + id.length() + "Z\","
            + "\"user_id\":\"u1\",\"feature\":\"email-triage\",\"prompt_tokens\":1000,\"completion_tokens\":200" + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    private static final String MINI = "\"model\":\"gpt-4o-mini\",\"provider\":\"openai\"";

    /** Each call of both files, by request id: a = logged, b = catalog with cached tokens, c = unknown model, d = cache hit, e = error. */
    private void importBoth() throws Exception {
        String rows = call("a", "t1", MINI + ",\"cost_usd\":0.5") + "\n"
            + call("b", "t2", MINI + ",\"cached_tokens\":400") + "\n"
            + call("c", "t3", "\"model\":\"acme-secret-model\"") + "\n"
            + call("d", "t4", MINI + ",\"cache_hit\":true") + "\n"
            + call("e", "t5", MINI + ",\"status\":\"error\"") + "\n";
        new Importer(ws, null, 1).importFile(write(dir, "kept.jsonl", rows), "canonical"); // a table of its own
        importer.importFile(write(dir, "main.jsonl", rows.replace("\"request_id\":\"", "\"request_id\":\"m")), "canonical"); // into calls_main
    }

    private double cost(String id) throws Exception {
        try (Statement s = ws.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT cost_effective FROM calls WHERE request_id = '" + id + "'")) {
            rs.next();
            double v = rs.getDouble(1);
            return rs.wasNull() ? Double.NaN : v;
        }
    }

    @Test
    void storedCostsFollowTheCatalogOverridesDiscountsAndTierMap() throws Exception {
        importBoth();
        assertThat(count(ws, "SELECT count(*) FROM import_batches WHERE table_name IS NOT NULL")).isEqualTo(1);
        double catalogB = 600 * IN + 400 * CACHED + 200 * OUT;
        for (String p : List.of("", "m")) {
            assertThat(cost(p + "a")).isEqualTo(0.5);
            assertThat(cost(p + "b")).isCloseTo(catalogB, within(1e-12));
            assertThat(cost(p + "c")).isNaN(); // unpriced, never $0
            assertThat(cost(p + "d")).isZero();
            assertThat(cost(p + "e")).isZero();
        }
        // an override re-prices the stored catalog costs everywhere; logged costs stay
        PriceOverrides.setPrice(ws.connection(), "gpt-4o-mini", 1.0, 2.0, null);
        for (String p : List.of("", "m")) {
            assertThat(cost(p + "b")).isCloseTo(1000 * 1e-6 + 200 * 2e-6, within(1e-12));
            assertThat(cost(p + "a")).isEqualTo(0.5);
        }
        // a discount applies to logged and catalog costs alike
        PriceOverrides.setDiscount(ws.connection(), "provider", "OpenAI", 10);
        assertThat(cost("ma")).isCloseTo(0.45, within(1e-12));
        assertThat(cost("b")).isCloseTo(0.9 * (1000 * 1e-6 + 200 * 2e-6), within(1e-12));
        PriceOverrides.removeDiscount(ws.connection(), "provider", "openai");
        PriceOverrides.removePrice(ws.connection(), "gpt-4o-mini");
        assertThat(cost("mb")).isCloseTo(catalogB, within(1e-12));
        // the tier map: the unknown model gets a tier in both tables once mapped
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE request_id IN ('c', 'mc') AND eff_tier IS NULL")).isEqualTo(2);
        new TierMap(ws).set("acme-*", 3);
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE request_id IN ('c', 'mc') AND eff_tier = 3")).isEqualTo(2);
        // the stored costs are what calls_costed's prices give, call by call
        assertThat(count(ws, "SELECT count(*) FROM calls_costed WHERE cost_source = 'catalog' AND status = 'ok' AND NOT coalesce(cache_hit, false) AND abs(cost_catalog - ("
            + "greatest(prompt_tokens - coalesce(cached_tokens, 0), 0) * price_in + coalesce(cached_tokens, 0) * coalesce(price_cached, price_in)"
            + " + completion_tokens * price_out)) > 1e-15")).isZero();
    }

    @Test
    void aTraceIsCountedOnceWhenItsCallsSpanFilesAndTables() throws Exception {
        // t1 has two calls in the first file; t3 continues from the first file (its own table) into the second (calls_main)
        new Importer(ws, null, 1).importFile(write(dir, "one.jsonl", call("1", "t1", MINI) + "\n" + call("22", "t1", MINI) + "\n"
            + call("3", "t2", MINI) + "\n" + call("44", "t3", MINI) + "\n"), "canonical");
        importer.importFile(write(dir, "two.jsonl", call("555", "t3", MINI) + "\n" + call("6", "t4", MINI) + "\n"), "canonical");
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE multi_call")).isEqualTo(4);
        assertThat(count(ws, "SELECT count(DISTINCT trace_id) FROM calls WHERE multi_call")).isEqualTo(2);
        // and a third file that continues the single-call trace t2 of the first one
        importer.importFile(write(dir, "three.jsonl", call("7777", "t2", MINI) + "\n"), "canonical");
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE multi_call")).isEqualTo(6);

        Breakdown.Result byDay = Breakdown.run(ws.connection(), List.of(Dimension.DAY), Filter.ALL);
        assertThat(byDay.rows()).singleElement().satisfies(r -> {
            assertThat(r.calls()).isEqualTo(7);
            assertThat(r.traces()).isEqualTo(4);
            assertThat(r.keys()).containsExactly("2026-10-05");
        });
        assertThat(WorkspaceSummaryQuery.run(ws).traces()).isEqualTo(4);
        // a time range counts a trace where it starts: of t1 (started before the range) and t3 (in it), only t3;
        // every call in the range counts
        Filter one = new Filter(null, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), false)
            .withRange(java.time.LocalDateTime.parse("2026-10-05T10:00:02"), java.time.LocalDateTime.parse("2026-10-05T10:00:04"));
        assertThat(Breakdown.run(ws.connection(), List.of(Dimension.FEATURE), one).rows()).singleElement().satisfies(r -> {
            assertThat(r.calls()).isEqualTo(3); // 22 (t1), 44 and 555 (t3): the ids' lengths are their seconds
            assertThat(r.traces()).isEqualTo(1);
        });
        // a filter on models or tiers splits cascades: a trace with a call in the group counts once there
        Filter byModel = Filter.ALL.withRange(java.time.LocalDateTime.parse("2026-10-05T10:00:02"), java.time.LocalDateTime.parse("2026-10-05T10:00:04"));
        byModel = new Filter(byModel.from(), byModel.to(), List.of(), List.of(), List.of(), List.of(), List.of(modelOf(ws)), List.of(), false);
        assertThat(Breakdown.run(ws.connection(), List.of(Dimension.FEATURE), byModel).rows()).singleElement().satisfies(r -> {
            assertThat(r.calls()).isEqualTo(3);
            assertThat(r.traces()).isEqualTo(2);
        });
        // by tier, a trace counts under every tier it touched
        assertThat(Breakdown.run(ws.connection(), List.of(Dimension.TIER), one).rows()).singleElement().satisfies(r -> assertThat(r.traces()).isEqualTo(2));
    }

    private static String modelOf(Workspace ws) throws Exception {
        try (Statement s = ws.connection().createStatement(); var rs = s.executeQuery("SELECT any_value(model) FROM calls")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void anUpgradedWorkspaceGetsItsCallsFacts() throws Exception {
        importBoth();
        try (Statement s = ws.connection().createStatement()) {
            // what a version-3 workspace looked like: no fact columns anywhere
            s.execute("CREATE OR REPLACE VIEW calls AS SELECT 1");
            s.execute("DROP VIEW calls_costed");
            for (String t : List.of("calls_main", "calls_batch_1")) {
                for (String c : List.of("eff_tier", "cost_catalog", "cost_effective", "multi_call", "label", "decile")) s.execute("ALTER TABLE " + t + " DROP COLUMN " + c);
            }
            s.execute("UPDATE workspace_meta SET value = '3' WHERE key = 'schema_version'");
        }
        ws.close();
        ws = Workspace.open(dir.resolve("ws.duckdb"));
        assertThat(cost("b")).isCloseTo(600 * IN + 400 * CACHED + 200 * OUT, within(1e-12));
        assertThat(cost("ma")).isEqualTo(0.5);
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE eff_tier IS NULL")).isEqualTo(2);
        // the two files share trace ids: every call is now in a two-call trace
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE multi_call")).isEqualTo(10);
    }

    @Test
    void aVersion4WorkspaceGetsItsTraceHeadsAndDerivedFacts() throws Exception {
        importBoth();
        try (Statement s = ws.connection().createStatement()) {
            // what a version-4 workspace looked like: no trace heads, no derived facts
            for (String t : List.of("calls_main", "calls_batch_1")) {
                for (String c : List.of("trace_head", "repeat_gap_us", "user_repeat", "tier_last", "dim_heads")) s.execute("ALTER TABLE " + t + " DROP COLUMN " + c);
            }
            s.execute("DROP TABLE derived_facts");
            s.execute("UPDATE workspace_meta SET value = '4' WHERE key = 'schema_version'");
            // both files' calls of a trace start at the same second: the second file's (calls_main) one second later,
            // so each trace's first call is in the first file's own table
            s.execute("UPDATE calls_main SET ts = ts + INTERVAL 1 SECOND");
        }
        ws.close();
        ws = Workspace.open(dir.resolve("ws.duckdb"));
        assertThat(ws.schemaVersion()).isEqualTo(dev.routeledger.store.Schema.VERSION);
        // ten calls in five two-call traces: one head each, the trace's first call, though it is in the batch's own table
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE trace_head")).isEqualTo(5);
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE trace_head AND length(request_id) = 1")).isEqualTo(5);
        assertThat(count(ws, "SELECT count(DISTINCT trace_id) FROM calls WHERE trace_head")).isEqualTo(5);
        assertThat(WorkspaceSummaryQuery.run(ws).traces()).isEqualTo(count(ws, "SELECT count(DISTINCT trace_id) FROM calls"));
        dev.routeledger.analytics.Escalations.run(ws.connection(), Filter.ALL, null);
        assertThat(count(ws, "SELECT count(*) FROM multi_trace_facts")).isEqualTo(5);
    }

    @Test
    void aVersion5WorkspaceGetsItsHeadsPerTierOnTheNextBuildOfTheDerivedFacts() throws Exception {
        importBoth(); // five two-call traces, each with its two calls at one tier
        dev.routeledger.analytics.TraceFacts.ensure(ws.connection());
        try (Statement s = ws.connection().createStatement()) {
            // what a version-5 workspace looked like: derived facts built, no heads per tier
            for (String t : List.of("calls_main", "calls_batch_1")) s.execute("ALTER TABLE " + t + " DROP COLUMN dim_heads");
            s.execute("UPDATE workspace_meta SET value = '5' WHERE key = 'schema_version'");
        }
        ws.close();
        ws = Workspace.open(dir.resolve("ws.duckdb"));
        assertThat(ws.schemaVersion()).isEqualTo(dev.routeledger.store.Schema.VERSION);
        assertThat(dev.routeledger.analytics.TraceFacts.built(ws.connection())).isFalse();
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE dim_heads IS NOT NULL")).isZero();
        dev.routeledger.analytics.TraceFacts.ensure(ws.connection());
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE dim_heads & " + dev.routeledger.store.CallFacts.TIER_HEAD + " <> 0")).isEqualTo(5);
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE dim_heads IS NOT NULL")).isEqualTo(10);
    }

    @Test
    void theDerivedTraceFactsAreRebuiltAfterARepricing() throws Exception {
        importBoth(); // five two-call traces
        dev.routeledger.analytics.Escalations.run(ws.connection(), Filter.ALL, null);
        double before = count(ws, "SELECT round(sum(cost) * 1e6) FROM multi_trace_facts");
        try (Statement s = ws.connection().createStatement()) {
            s.execute("INSERT INTO discounts VALUES ('provider', 'openai', 50, now())");
        }
        dev.routeledger.store.ModelCosting.refresh(ws.connection());
        dev.routeledger.analytics.Escalations.run(ws.connection(), Filter.ALL, null);
        // every call with a cost is OpenAI's: the traces' stored costs halve with the discount
        assertThat(before).isPositive();
        assertThat((double) count(ws, "SELECT round(sum(cost) * 1e6) FROM multi_trace_facts")).isCloseTo(before / 2, within(1.0));
    }

    @Test
    void callsLeftWithoutFactsByAnInterruptedImportAreCompletedWhenTheWorkspaceOpens() throws Exception {
        importBoth();
        try (Statement s = ws.connection().createStatement()) {
            // what a crash between the import's commit and its facts leaves: rows saved, their facts not yet
            s.execute("UPDATE calls_batch_1 SET eff_tier = NULL, cost_catalog = NULL, cost_effective = NULL, multi_call = NULL");
        }
        assertThat(cost("b")).isNaN();
        ws.close();
        ws = Workspace.open(dir.resolve("ws.duckdb"));
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE multi_call IS NULL")).isZero();
        assertThat(cost("b")).isCloseTo(600 * IN + 400 * CACHED + 200 * OUT, within(1e-12));
        assertThat(cost("a")).isEqualTo(0.5);
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE multi_call")).isEqualTo(10); // both files share their trace ids
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE eff_tier IS NULL")).isEqualTo(2);
    }
}
