package dev.routeledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateways' own records (test fixtures, docs examples and UI downloads copied from LiteLLM, Helicone and
 * Langfuse with their SOURCES.md) load with the right values, field by field.
 */
class SourceFormatsTest extends ImportTestBase {

    Path resource(String name) throws IOException {
        Path p = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
        try (InputStream in = getClass().getResourceAsStream("/formats/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    /** One stored call as column → value. */
    Map<String, Object> call(String requestId) throws Exception {
        try (Statement s = ws.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT * EXCLUDE (extra), CAST(extra AS VARCHAR) AS extra FROM calls WHERE request_id = '"
                 + requestId.replace("'", "''") + "'")) {
            assertThat(rs.next()).as("call " + requestId + " is stored").isTrue();
            Map<String, Object> row = new HashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
            return row;
        }
    }

    double sum(String sql) throws Exception {
        try (Statement s = ws.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    @Test
    void liteLlmSpendLogPayloadWithJsonEncodedMetadata() throws Exception {
        ImportResult r = importer.importFile(resource("litellm/litellm-tests__gcs_pub_sub_body__spend_logs_payload.json"), "auto");
        assertThat(r.format()).isEqualTo("litellm");
        assertThat(r.rowsLoaded()).isEqualTo(1);
        Map<String, Object> c = call("chatcmpl-2283081b-dc89-41f6-93e6-d4f914774027");
        assertThat(c.get("trace_id")).isEqualTo("1234567890"); // session_id is the trace
        assertThat(c.get("ts").toString()).startsWith("2025-01-24 09:20:46.847371"); // tz-naive = UTC
        assertThat(c.get("model")).isEqualTo("gpt-4o");
        assertThat(c.get("provider")).isEqualTo("openai");
        assertThat((Double) c.get("cost_usd")).isCloseTo(0.000225, within(1e-12));
        assertThat(c.get("prompt_tokens")).isEqualTo(10L);
        assertThat(c.get("completion_tokens")).isEqualTo(20L);
        assertThat((Double) c.get("latency_ms")).isCloseTo(4.583, within(1e-9)); // endTime − startTime
        assertThat(c.get("status")).isEqualTo("ok");
        assertThat(c.get("cache_hit")).isEqualTo(false); // "None"
        assertThat(c.get("user_id")).isNull(); // user and end_user are ""
        // the metadata string is kept as an object, without LiteLLM's copy of the price catalog
        assertThat((String) c.get("extra")).contains("\"usage_object\"").doesNotContain("model_map_information");
    }

    @Test
    void liteLlmAnthropicRowsKeepCacheReadsInsidePromptTokens() throws Exception {
        Path log = resource("litellm/litellm-tests__test_spend_management_endpoints__expected_SpendLogsPayload__TRANSCRIBED.json");
        // the fixture's three payloads share one request_id: the first loads, the others are reported conflicts
        ImportResult r = importer.importFile(log, "auto");
        assertThat(r.format()).isEqualTo("litellm");
        assertThat(r.rowsRead()).isEqualTo(3);
        assertThat(r.rowsLoaded()).isEqualTo(1);
        assertThat(r.rowsConflict()).isEqualTo(2);
        assertThat(r.balanced()).isTrue();
        Map<String, Object> anthropic = importer.dryRun(log, "auto", null, 3).rows().get(1);
        assertThat(anthropic).containsEntry("provider", "anthropic").containsEntry("model", "claude-3-7-sonnet-20250219");
        // NOTES.md: 2095 × 3e-6 + 503 × 15e-6 = 0.01383; prompt_tokens already holds the cache reads
        assertThat(anthropic).containsEntry("prompt_tokens", 2095L).containsEntry("completion_tokens", 503L);
        assertThat((Double) anthropic.get("cost_usd")).isCloseTo(0.01383, within(1e-9));
    }

    @Test
    void liteLlmPagedSpendLogsV2AndEndUserAttribution() throws Exception {
        Path page = dir.resolve("spend-logs-v2-page.json");
        Files.writeString(page, """
            {"data": [
              {"request_id": "a1", "startTime": "2026-10-01T10:00:00.000Z", "endTime": "2026-10-01T10:00:01.250Z",
               "model": "gpt-4o-mini", "model_group": "cheap", "user": "key-owner", "end_user": "customer-9", "spend": 0.0012,
               "prompt_tokens": 100, "completion_tokens": 20, "request_tags": ["User-Agent: litellm/1.0", "invoice-extraction"],
               "metadata": {"user_api_key_team_alias": "finance", "spend_logs_metadata": {"tier": 2, "router_score": 0.41,
                 "escalation_reason": "boundary_band", "product_area": "billing"},
                 "additional_usage_values": {"prompt_tokens_details": {"cached_tokens": 64}}},
               "status": "success", "session_id": "t-1", "cache_hit": "False"},
              {"request_id": "a2", "startTime": "2026-10-01 10:00:02", "model": "", "model_group": "strong", "user": "key-owner",
               "spend": 0, "prompt_tokens": 0, "completion_tokens": 0, "status": "failure", "session_id": "t-1",
               "metadata": {"error_information": {"error_code": "429"}}}
            ], "total": 2, "page": 1, "page_size": 50, "total_pages": 1}
            """);
        ImportResult r = importer.importFile(page, "auto");
        assertThat(r.format()).isEqualTo("litellm");
        assertThat(r.rowsLoaded()).isEqualTo(2);
        Map<String, Object> a1 = call("a1");
        assertThat(a1.get("user_id")).isEqualTo("customer-9"); // end_user, not the key owner
        assertThat(a1.get("team")).isEqualTo("finance");
        assertThat(a1.get("feature")).isEqualTo("invoice-extraction"); // User-Agent tags are not features
        assertThat(a1.get("tier")).isEqualTo(2);
        assertThat((Double) a1.get("router_score")).isCloseTo(0.41, within(1e-12));
        assertThat(a1.get("escalation_reason")).isEqualTo("boundary_band");
        assertThat(a1.get("cached_tokens")).isEqualTo(64L);
        assertThat((Double) a1.get("latency_ms")).isCloseTo(1250.0, within(1e-9));
        assertThat(a1.get("model")).isEqualTo("gpt-4o-mini"); // what served, not the group asked for
        Map<String, Object> a2 = call("a2");
        assertThat(a2.get("status")).isEqualTo("error");
        assertThat(a2.get("model")).isEqualTo("strong"); // a failed call has no served model: the group asked for
        assertThat(a2.get("user_id")).isEqualTo("key-owner");
        assertThat(a2.get("trace_id")).isEqualTo("t-1");
    }

    @Test
    void liteLlmCsvExportOfTheSpendLogsTable() throws Exception {
        Path csv = dir.resolve("LiteLLM_SpendLogs.csv");
        Files.writeString(csv, "request_id,call_type,api_key,spend,total_tokens,prompt_tokens,completion_tokens,\"startTime\",\"endTime\","
            + "model,model_group,custom_llm_provider,\"user\",metadata,cache_hit,request_tags,team_id,end_user,session_id,status\n"
            + "r1,acompletion,88dc,0.00042,150,100,50,2026-10-02 08:00:00.123,2026-10-02 08:00:00.923,groq/llama-3.3-70b-versatile,fast,groq,"
            + "owner,\"{\"\"spend_logs_metadata\"\": {\"\"feature\"\": \"\"telegram-support\"\"}}\",False,[],team-a,,s-9,success\n");
        ImportResult r = importer.importFile(csv, "auto");
        assertThat(r.format()).isEqualTo("litellm");
        Map<String, Object> c = call("r1");
        assertThat(c.get("feature")).isEqualTo("telegram-support"); // no tags: spend_logs_metadata.feature
        assertThat(c.get("team")).isEqualTo("team-a");
        assertThat(c.get("user_id")).isEqualTo("owner");
        assertThat((Double) c.get("latency_ms")).isCloseTo(800.0, within(1e-9));
        assertThat((Double) c.get("cost_usd")).isCloseTo(0.00042, within(1e-12));
        assertThat(c.get("ts").toString()).startsWith("2026-10-02 08:00:00.123");
    }

    @Test
    void heliconeNanoDollarCostsAreConvertedAndHttpStatusesMapped() throws Exception {
        ImportResult r = importer.importFile(resource("helicone/helicone-tests__requestController.test__mockRequestData_HeliconeRequest__TRANSCRIBED.jsonl"), "auto");
        assertThat(r.format()).isEqualTo("helicone");
        assertThat(r.warnings()).anyMatch(w -> w.contains("1e9"));
        Map<String, Object> ok = call("fac84b2d-fd86-4ee8-b246-08ba0c7ddab3");
        // 13 in / 30 out of gpt-4o-mini = $0.00001995, stored by ClickHouse as 19950
        assertThat((Double) ok.get("cost_usd")).isCloseTo(0.00001995, within(1e-15));
        assertThat(ok.get("prompt_tokens")).isEqualTo(13L);
        assertThat(ok.get("completion_tokens")).isEqualTo(30L);
        assertThat(ok.get("provider")).isEqualTo("openai"); // OPENAI
        assertThat(ok.get("ts").toString()).startsWith("2025-08-16 20:44:24.11");
        assertThat(call("06a3e048-2407-4e88-851f-5a7890dda2c9").get("status")).isEqualTo("error"); // HTTP 400
    }

    @Test
    void heliconeUsdRowsAndTheJsonArrayLoadTheSameRecords() throws Exception {
        ImportResult a = importer.importFile(resource("helicone/helicone-tests__clickhouseMockData__mockRequestResponseData_request_response_rmt__TRANSCRIBED.json"), "auto");
        assertThat(a.format()).isEqualTo("helicone");
        assertThat(a.warnings()).noneMatch(w -> w.contains("1e9")); // fractional costs are dollars already
        Map<String, Object> c = call("req-001");
        assertThat((Double) c.get("cost_usd")).isCloseTo(0.005, within(1e-12));
        assertThat(c.get("user_id")).isEqualTo("user-001");
        assertThat(c.get("model")).isEqualTo("gpt-4");
        ImportResult json = importer.importFile(resource("helicone/helicone-tests__requestController.test__mockRequestData_HeliconeRequest__TRANSCRIBED.json"), "auto");
        ImportResult jsonl = importer.importFile(resource("helicone/helicone-tests__requestController.test__mockRequestData_HeliconeRequest__TRANSCRIBED.jsonl"), "auto");
        assertThat(json.rowsLoaded()).isPositive();
        assertThat(jsonl.rowsLoaded()).isZero();
        assertThat(jsonl.rowsDuplicate()).isEqualTo(json.rowsLoaded()); // the same requests, recognised
    }

    @Test
    void heliconeExportCsvWithPropertiesAndDoublyQuotedObjects() throws Exception {
        Path csv = dir.resolve("helicone-export.csv");
        // the export tool JSON-stringifies objects and doubles their quotes twice
        Files.writeString(csv, Files.readString(resource("helicone/helicone-export-tool__csv_header__VERBATIM_FROM_CODE.csv")).strip() + "\n"
            + "\"r-77\",\"2026-10-03 12:00:01.500\",\"200\",\"2026-10-03 12:00:00.000\",\"{\"\"\"\"messages\"\"\"\":[]}\","
            + "\"{\"\"\"\"Helicone-Property-Feature\"\"\"\":\"\"\"\"contract-analysis\"\"\"\",\"\"\"\"Helicone-Property-Team\"\"\"\":\"\"\"\"legal\"\"\"\","
            + "\"\"\"\"Helicone-Session-Id\"\"\"\":\"\"\"\"sess-5\"\"\"\"}\",\"u-1\",\"claude-3-opus-20240229\",\"900\",\"120\",\"1500\",\"0.0225\"\n");
        ImportResult r = importer.importFile(csv, "auto");
        assertThat(r.format()).isEqualTo("helicone");
        assertThat(r.rowsLoaded()).as(r.toString()).isEqualTo(1);
        Map<String, Object> c = call("r-77");
        assertThat(c.get("feature")).isEqualTo("contract-analysis");
        assertThat(c.get("team")).isEqualTo("legal");
        assertThat(c.get("trace_id")).isEqualTo("sess-5");
        assertThat(c.get("user_id")).isEqualTo("u-1");
        assertThat((Double) c.get("latency_ms")).isCloseTo(1500.0, within(1e-9));
        assertThat((Double) c.get("cost_usd")).isCloseTo(0.0225, within(1e-12));
    }

    @Test
    void langfuseTraceDownloadsLoadOnlyGenerations() throws Exception {
        String[] files = {"agno-2025-06-11", "autogen-2025-06-06", "beeai-2025-08-01", "google-adk-2025-08-28", "google-gemini-2025-08-01",
            "google-vertex-tools-langchain-2025-09-19", "koog-2025-08-26", "langgraph-2025-08-22", "llamaindex-2025-06-05",
            "microsoft-agent-2025-10-14", "openai-agents-2025-09-30", "openai-assistants-2024-05-29", "pydantic-ai-tools-2025-12-04"};
        long loaded = 0, skipped = 0;
        for (String f : files) {
            ImportResult r = importer.importFile(resource("langfuse/langfuse-ui-trace-download__" + f + ".json"), "auto");
            assertThat(r.format()).isEqualTo("langfuse");
            assertThat(r.balanced()).isTrue();
            assertThat(r.rowsRejected()).as(f).isZero();
            loaded += r.rowsLoaded();
            skipped += r.rowsSkipped();
        }
        assertThat(loaded).isEqualTo(28); // the GENERATION observations of the 13 traces
        assertThat(skipped).isEqualTo(63);
        assertThat(sum("SELECT sum(cost_usd) FROM calls")).isCloseTo(0.017476749995, within(1e-12));
        Map<String, Object> c = call("83517f9062f5ada4"); // autogen
        assertThat(c.get("trace_id")).isEqualTo("1b72c51fabed12ae7df83bfd4a09f545");
        assertThat(c.get("user_id")).isEqualTo("user_123"); // from the trace
        assertThat(c.get("feature")).isEqualTo("autogen"); // the trace's first tag
        assertThat(c.get("model")).isEqualTo("gpt-4o");
        assertThat(c.get("prompt_tokens")).isEqualTo(41L);
        assertThat(c.get("completion_tokens")).isEqualTo(3L);
        // the download's latency field says 628 (ms) for this observation; end − start agrees
        assertThat((Double) c.get("latency_ms")).isCloseTo(628.0, within(1e-9));
    }

    @Test
    void langfuseGeminiReasoningTokensAreNotCountedTwice() throws Exception {
        importer.importFile(resource("langfuse/langfuse-ui-trace-download__google-gemini-2025-08-01.json"), "langfuse");
        try (Statement s = ws.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT prompt_tokens, completion_tokens FROM calls")) {
            rs.next();
            // usageDetails: input 6, output 2055 (reasoning 1104 inside it), total 2061
            assertThat(rs.getLong(1)).isEqualTo(6);
            assertThat(rs.getLong(2)).isEqualTo(2055);
        }
    }

    @Test
    void langfusePublicApiPageInSeconds() throws Exception {
        ImportResult r = importer.importFile(resource("langfuse/langfuse-docs__api-public-v2-observations__sample-response.json"), "auto");
        assertThat(r.format()).isEqualTo("langfuse");
        Map<String, Object> c = call("support-chat-7-950dc53a-gen");
        assertThat((Double) c.get("latency_ms")).isCloseTo(581.0, within(1e-9)); // the API's latency is 0.581 s
        assertThat((Double) c.get("ttft_ms")).isCloseTo(120.0, within(1e-9));
        assertThat((Double) c.get("cost_usd")).isCloseTo(0.00083, within(1e-12)); // costDetails.total, not input + output
        assertThat(c.get("prompt_tokens")).isEqualTo(98L);
        assertThat(c.get("completion_tokens")).isEqualTo(68L);
    }

    @Test
    void langfuseBlobExportCsvInSnakeCase() throws Exception {
        Path csv = dir.resolve("observations.csv");
        Files.writeString(csv, "id,trace_id,type,start_time,end_time,provided_model_name,usage_details,cost_details,total_cost,user_id,trace_tags,level\n"
            + "\"o1\",\"t1\",\"GENERATION\",\"2024-05-29 13:46:19.963000\",\"2024-05-29 13:46:21.463000\",\"gpt-4o\","
            + "\"{\"\"input\"\":120,\"\"input_cache_read\"\":20,\"\"output\"\":30,\"\"total\"\":170}\",\"{\"\"total\"\":0.0011}\",\"0.0011\",\"u9\",\"[\"\"support\"\"]\",\"DEFAULT\"\n"
            + "\"o2\",\"t1\",\"SPAN\",\"2024-05-29 13:46:19.000000\",\"2024-05-29 13:46:22.000000\",\"\",\"{}\",\"{}\",\"\",\"u9\",\"[]\",\"DEFAULT\"\n"
            + "\"o3\",\"t1\",\"GENERATION\",\"2024-05-29 13:46:22.000000\",\"\",\"gpt-4o\",\"{}\",\"{}\",\"0\",\"u9\",\"[]\",\"ERROR\"\n");
        ImportResult r = importer.importFile(csv, "auto");
        assertThat(r.format()).isEqualTo("langfuse");
        assertThat(r.rowsLoaded()).isEqualTo(2);
        assertThat(r.rowsSkipped()).isEqualTo(1);
        Map<String, Object> c = call("o1");
        assertThat(c.get("prompt_tokens")).isEqualTo(140L); // input keys: input + input_cache_read
        assertThat(c.get("cached_tokens")).isEqualTo(20L);
        assertThat(c.get("completion_tokens")).isEqualTo(30L);
        assertThat((Double) c.get("latency_ms")).isCloseTo(1500.0, within(1e-9));
        assertThat(c.get("feature")).isEqualTo("support");
        Map<String, Object> o3 = call("o3");
        assertThat(o3.get("status")).isEqualTo("error");
        assertThat(o3.get("latency_ms")).isNull(); // no end time: unknown, not zero
    }

    @Test
    void aFileThatMatchesNoFormatIsRefusedWithWhatWasExpected() throws Exception {
        Path csv = dir.resolve("weather.csv");
        Files.writeString(csv, "city,temperature\nOslo,3\n");
        assertThatThrownBy(() -> importer.importFile(csv, "auto"))
            .isInstanceOf(ImportException.class)
            .hasMessageContaining("matches no log format")
            .hasMessageContaining("litellm").hasMessageContaining("langfuse").hasMessageContaining("eval-wide")
            .hasMessageContaining("city, temperature");
        assertThat(sum("SELECT count(*) FROM import_batches")).isZero();
    }

    @Test
    void formatOverridesDetection() throws Exception {
        Path log = resource("litellm/litellm-tests__gcs_pub_sub_body__spend_logs_payload.json");
        ImportResult r = importer.importFile(log, "canonical");
        assertThat(r.format()).isEqualTo("canonical");
        assertThat(call("chatcmpl-2283081b-dc89-41f6-93e6-d4f914774027").get("trace_id")).isEqualTo("1234567890");
    }

    @Test
    void dryRunShowsTheFormatAndRowsAndWritesNothing() throws Exception {
        Importer.DryRun d = importer.dryRun(resource("langfuse/langfuse-ui-trace-download__autogen-2025-06-06.json"), "auto", null, 5);
        assertThat(d.format()).isEqualTo("langfuse");
        assertThat(d.columns()).containsEntry("traceId", "trace_id");
        assertThat(d.rows()).hasSize(2);
        assertThat(d.rows().get(1)).containsEntry("request_id", "83517f9062f5ada4").containsEntry("model", "gpt-4o");
        assertThat(d.rows().get(0)).containsEntry("disposition", "skipped");
        assertThat(sum("SELECT count(*) FROM calls") + sum("SELECT count(*) FROM import_batches")).isZero();
    }

    @Test
    void dryRunReadsAFileWithAMalformedLine() throws Exception {
        Importer.DryRun c = dryRunOf("canonical-broken.jsonl",
            "{\"request_id\":\"c1\",\"timestamp\":\"2026-10-01T10:00:00Z\",\"model\":\"gpt-4o\",\"cost_usd\":0.1,\"user_id\":\"u\"}",
            "{\"request_id\": \"broken\", \"timestamp\": ",
            "{\"request_id\":\"c3\",\"timestamp\":\"2026-10-01T10:00:01Z\",\"model\":\"gpt-4o\",\"cost_usd\":0.2,\"user_id\":\"u\"}");
        assertThat(c.format()).isEqualTo("canonical");
        assertThat(c.rows()).extracting(r -> r.get("request_id")).contains("c1", "c3");

        Importer.DryRun l = dryRunOf("spend-broken.jsonl",
            "{\"request_id\":\"l1\",\"startTime\":\"2026-10-01 10:00:00\",\"model\":\"gpt-4o\",\"spend\":0.1,\"api_key\":\"h\"}",
            "{not json",
            "{\"request_id\":\"l3\",\"startTime\":\"2026-10-01 10:00:00\",\"model\":\"gpt-4o\",\"spend\":0.1,\"api_key\":\"h\"}");
        assertThat(l.format()).isEqualTo("litellm");
        assertThat(l.rows()).extracting(r -> r.get("request_id")).contains("l1", "l3");
        assertThat(sum("SELECT count(*) FROM calls") + sum("SELECT count(*) FROM import_batches")).isZero();
    }

    /** The preview of a JSONL file of {@code lines}, its format detected. */
    private Importer.DryRun dryRunOf(String name, String... lines) throws Exception {
        Path log = dir.resolve(name);
        Files.writeString(log, String.join("\n", lines) + "\n");
        return importer.dryRun(log, "auto", null, 5);
    }

    @Test
    void badRowsInAGatewayLogAreRejectedWithTheirLineAndTheRestLoads() throws Exception {
        Path log = dir.resolve("spend.jsonl");
        Files.writeString(log, String.join("\n",
            "{\"request_id\":\"l1\",\"startTime\":\"2026-10-01 10:00:00\",\"model\":\"gpt-4o\",\"spend\":0.1,\"api_key\":\"h\"}",
            "{\"request_id\":\"l2\",\"startTime\":\"yesterday\",\"model\":\"gpt-4o\",\"spend\":0.1,\"api_key\":\"h\"}",
            "{not json",
            "{\"request_id\":\"l4\",\"startTime\":\"2026-10-01 10:00:00\",\"model\":\"gpt-4o\",\"spend\":-3,\"api_key\":\"h\"}",
            "{\"request_id\":\"l5\",\"startTime\":\"2026-10-01 10:00:00\",\"model\":\"gpt-4o\",\"spend\":\"NaN\",\"api_key\":\"h\"}",
            "{\"request_id\":\"l6\",\"startTime\":\"2026-10-01 10:00:00\",\"model\":\"gpt-4o\",\"spend\":0.1,\"prompt_tokens\":-5,\"api_key\":\"h\"}")
            + "\n");
        ImportResult r = importer.importFile(log, "litellm");
        assertThat(r.rowsLoaded()).isEqualTo(1);
        assertThat(r.rowsRejected()).isEqualTo(5);
        assertThat(r.balanced()).isTrue();
        Map<Long, String> byLine = new HashMap<>();
        try (Statement s = ws.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT line_no, reason FROM rejected_rows")) {
            while (rs.next()) byLine.put(rs.getLong(1), rs.getString(2));
        }
        assertThat(byLine.get(2L)).contains("unknown timestamp format");
        assertThat(byLine.get(3L)).contains("malformed JSON");
        assertThat(byLine.get(4L)).contains("cost_usd is negative");
        assertThat(byLine.get(5L)).contains("cost_usd");
        assertThat(byLine.get(6L)).contains("prompt_tokens is negative");
    }

    @Test
    void heliconeExportWithATrailingCommaOrACutEndStillLoadsItsGoodRecords() throws Exception {
        String rec = "{\"response_id\":\"%s\",\"request_created_at\":\"2025-08-16 00:31:37.520\",\"request_properties\":{},\"model\":\"gpt-4o\",\"cost\":0.001}";
        Path trailing = dir.resolve("export.json");
        // the export tool writes ",\n" after every record, also the last
        Files.writeString(trailing, "[\n" + rec.formatted("a") + ",\n" + rec.formatted("b") + ",\n]\n");
        ImportResult r = importer.importFile(trailing, "auto");
        assertThat(r.format()).isEqualTo("helicone");
        assertThat(r.rowsLoaded()).isEqualTo(2);
        Path cut = dir.resolve("cut.json");
        Files.writeString(cut, "[\n" + rec.formatted("c") + ",\n" + rec.formatted("d") + ",\n{\"response_id\": \"e\", \"req");
        ImportResult c = importer.importFile(cut, "helicone");
        assertThat(c.rowsLoaded()).isEqualTo(2);
        assertThat(c.rowsRejected()).isEqualTo(1);
        assertThat(c.balanced()).isTrue();
    }

    @Test
    void heliconeCsvOfTheOtherToolVersionWithCostUsd() throws Exception {
        Path csv = dir.resolve("helicone-v2.csv");
        Files.writeString(csv, "response_id,response_created_at,response_status,request_created_at,request_body,request_properties,"
            + "request_user_id,model,prompt_tokens,completion_tokens,latency,cost_usd\n"
            + "\"r-1\",\"2026-10-04 08:00:01.000\",\"429\",\"2026-10-04 08:00:00.000\",,,\"u-2\",\"gpt-4o\",\"10\",\"0\",\"90\",\"0.000025\"\n");
        ImportResult r = importer.importFile(csv, "auto");
        assertThat(r.format()).isEqualTo("helicone");
        Map<String, Object> c = call("r-1");
        assertThat((Double) c.get("cost_usd")).isCloseTo(0.000025, within(1e-15));
        assertThat(c.get("status")).isEqualTo("rate_limited");
        assertThat((Double) c.get("latency_ms")).isCloseTo(90.0, within(1e-9));
    }

    @Test
    void langfuseCamelCaseJsonlExportAndDetectionOverPlainKeys() throws Exception {
        Path jsonl = dir.resolve("observations.jsonl");
        Files.writeString(jsonl, String.join("\n",
            "{\"id\":\"g1\",\"traceId\":\"t9\",\"type\":\"GENERATION\",\"startTime\":\"2026-10-05T10:00:00.000Z\","
                + "\"endTime\":\"2026-10-05T10:00:02.500Z\",\"completionStartTime\":\"2026-10-05T10:00:00.400Z\",\"model\":\"claude-3-haiku-20240307\","
                + "\"usageDetails\":{\"input\":300,\"output\":40,\"total\":340},\"totalCost\":0.000125,\"userId\":\"u7\","
                + "\"traceTags\":[\"email-triage\"],\"metadata\":{\"tier\":2,\"router_score\":0.61},\"level\":\"DEFAULT\"}",
            "{\"id\":\"e1\",\"traceId\":\"t9\",\"type\":\"EVENT\",\"startTime\":\"2026-10-05T10:00:00.000Z\",\"model\":null,"
                + "\"usageDetails\":{},\"totalCost\":0}")
            + "\n");
        ImportResult r = importer.importFile(jsonl, "auto");
        assertThat(r.format()).isEqualTo("langfuse");
        assertThat(r.rowsLoaded()).isEqualTo(1);
        assertThat(r.rowsSkipped()).isEqualTo(1);
        Map<String, Object> c = call("g1");
        assertThat(c.get("feature")).isEqualTo("email-triage");
        assertThat(c.get("tier")).isEqualTo(2); // from metadata, by its canonical name
        assertThat((Double) c.get("router_score")).isCloseTo(0.61, within(1e-12));
        assertThat((Double) c.get("latency_ms")).isCloseTo(2500.0, within(1e-9));
        assertThat((Double) c.get("ttft_ms")).isCloseTo(400.0, within(1e-9));
        assertThat(c.get("prompt_tokens")).isEqualTo(300L);
        assertThat(c.get("completion_tokens")).isEqualTo(40L);
    }

    @Test
    void gatewayFilesWithBomCrlfOrATruncatedGzipAreHandledLikeCanonicalOnes() throws Exception {
        // a Helicone CSV saved by a Windows spreadsheet: BOM and CRLF line ends
        Path csv = dir.resolve("helicone-bom.csv");
        String body = "response_id,response_created_at,response_status,request_created_at,request_body,request_properties,"
            + "request_user_id,model,prompt_tokens,completion_tokens,latency,cost\r\n"
            + "\"r-9\",\"2026-10-04 08:00:01.000\",\"200\",\"2026-10-04 08:00:00.000\",,,\"u-9\",\"gpt-4o\",\"10\",\"5\",\"90\",\"0.0001\"\r\n";
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Files.write(csv, concat(bom, body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        ImportResult r = importer.importFile(csv, "auto");
        assertThat(r.format()).isEqualTo("helicone");
        assertThat(r.rowsLoaded()).isEqualTo(1);
        assertThat(call("r-9").get("user_id")).isEqualTo("u-9");
        // a LiteLLM JSONL export whose gzip was cut off: refused whole, nothing written
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sb.append("{\"request_id\":\"g").append(i).append("\",\"startTime\":\"2026-10-01 10:00:00\",\"model\":\"gpt-4o\",\"spend\":0.1,")
                .append("\"api_key\":\"h\",\"metadata\":{\"spend_logs_metadata\":{\"note\":\"").append("x".repeat(i % 97)).append("\"}}}\n");
        }
        Path gz = ImportFixture.gzip(dir, "spend.jsonl.gz", sb.toString());
        byte[] all = Files.readAllBytes(gz);
        Path cut = dir.resolve("spend-cut.jsonl.gz");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        long before = (long) sum("SELECT count(*) FROM calls");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> importer.importFile(cut, "litellm"))
            .isInstanceOf(ImportException.class).hasMessageContaining("gzip");
        assertThat((long) sum("SELECT count(*) FROM calls")).isEqualTo(before);
        assertThat(importer.importFile(gz, "auto").rowsLoaded()).isEqualTo(2000);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
