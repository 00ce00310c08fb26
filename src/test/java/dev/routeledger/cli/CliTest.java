package dev.routeledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract of SPEC §7: commands, JSON keys and exit codes. */
class CliTest extends CliTestBase {
    @TempDir Path dir;


    @Test
    void sampleImportAndInfoSpeakTheContractsJson() throws Exception {
        String ws = dir.resolve("ws.duckdb").toString();
        Path log = dir.resolve("s.jsonl.gz");
        assertThat(run("sample", "--out", log.toString(), "--traces", "500", "--seed", "3", "--json")).isZero();
        JsonNode s = json();
        assertThat(s.get("traces").asLong()).isEqualTo(500);
        assertThat(s.get("calls").asLong()).isGreaterThan(500);
        assertThat(s.get("path").asText()).isEqualTo(log.toString());

        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"request_id\":\"a\",\"timestamp\":\"2026-10-01T00:00:00Z\",\"model\":\"m\",\"cost_usd\":-1}\n");
        assertThat(run("import", log.toString(), bad.toString(), "--workspace", ws, "--json")).as("rejected rows still exit 0").isZero();
        JsonNode files = json().get("files");
        assertThat(files).hasSize(2);
        for (String key : new String[] {"path", "format", "rows_read", "rows_loaded", "rows_duplicate", "rows_rejected", "rows_skipped"}) {
            assertThat(files.get(0).has(key)).as(key).isTrue();
        }
        assertThat(files.get(0).get("rows_loaded").asLong()).isEqualTo(s.get("calls").asLong());
        assertThat(files.get(1).get("rows_rejected").asLong()).isEqualTo(1);

        assertThat(run("info", "--workspace", ws, "--json")).isZero();
        JsonNode info = json();
        assertThat(info.get("calls").asLong()).isEqualTo(s.get("calls").asLong());
        assertThat(info.get("traces").asLong()).isEqualTo(500);
        assertThat(info.get("cost_by_tier")).isNotEmpty();
        assertThat(info.get("unknown_models")).isEmpty();
        assertThat(run("info", "--workspace", ws)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("tier").contains("calls");
    }

    @Test
    void aLineBreakInALoggedNameStaysInsideItsTableRow() throws Exception {
        String ws = dir.resolve("nl.duckdb").toString();
        Path csv = dir.resolve("nl.csv");
        // a quoted CSV field may hold a line break (and a tab): it is the feature's name, and must not split the row
        Files.writeString(csv, "request_id,timestamp,model,cost_usd,feature\r\nb1,2026-10-01T10:00:00Z,gpt-4o,0.25,\"multi\r\nline\"\r\n"
            + "b2,2026-10-01T10:00:00Z,gpt-4o,0.30,\"tab\there\"\r\n");
        assertThat(run("import", csv.toString(), "--workspace", ws)).isZero();
        assertThat(run("report", "--by", "feature", "--workspace", ws)).isZero();
        java.util.List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        // header, rule, two rows, total
        assertThat(lines).hasSize(5);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("multi\\r\\nline ")).anySatisfy(l -> assertThat(l).startsWith("tab\\there "));
        assertThat(run("report", "--by", "feature", "--workspace", ws, "--json")).isZero();
        assertThat(json().get("rows").findValuesAsText("feature")).contains("multi\r\nline", "tab\there");
    }

    @Test
    void aNumberThatIsNotFiniteIsWrittenAsNullNotAsAString() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode n = Output.object().put("cost_usd", Double.NaN).put("ok", 1.5);
        n.putArray("ci").add(Double.NEGATIVE_INFINITY).add(2.0);
        n.putObject("inner").put("share", Double.POSITIVE_INFINITY);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Output.json(new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8), n);
        JsonNode back = Output.JSON.readTree(bytes.toString(StandardCharsets.UTF_8));
        assertThat(back.get("cost_usd").isNull()).isTrue();
        assertThat(back.get("ok").asDouble()).isEqualTo(1.5);
        assertThat(back.get("ci").get(0).isNull()).isTrue();
        assertThat(back.get("ci").get(1).asDouble()).isEqualTo(2.0);
        assertThat(back.get("inner").get("share").isNull()).isTrue();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("NaN").doesNotContain("Infinity");
    }

    @Test
    void usageErrorsExitTwoAndFailuresExitOne() throws Exception {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(run("import")).isEqualTo(2);
        assertThat(run("sample", "--traces", "ten", "--out", "x.jsonl")).isEqualTo(2);
        assertThat(run("info", "--bogus")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --bogus");
        assertThat(run("report", "--by", "team,team", "--workspace", dir.resolve("w.duckdb").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--by names team twice");
        assertThat(run("import", dir.resolve("missing.jsonl").toString(), "--workspace", dir.resolve("w.duckdb").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("File not found");
        Path notWs = dir.resolve("notes.txt");
        Files.writeString(notWs, "hello");
        assertThat(run("info", "--workspace", notWs.toString())).isEqualTo(1);
    }

    @Test
    void theTierMapCanBeEdited() throws Exception {
        String ws = dir.resolve("t.duckdb").toString();
        assertThat(run("tiers", "--workspace", ws, "--set", "acme/*=2", "--json")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("acme/*");
        assertThat(run("tiers", "--workspace", ws, "--set", "acme/*=zero")).isEqualTo(2);
        assertThat(run("tiers", "--workspace", ws, "--remove", "acme/*")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("acme/*");
    }

    @Test
    void dryRunPricesReconcileAndPullSpeakPlainly() throws Exception {
        String ws = dir.resolve("ws.duckdb").toString();
        Path page = dir.resolve("page.json");
        Files.writeString(page, "{\"data\": [{\"request_id\": \"r1\", \"startTime\": \"2026-10-01 10:00:00\", \"model\": \"gpt-4o\","
            + " \"spend\": 0.5, \"prompt_tokens\": 1000, \"completion_tokens\": 100, \"api_key\": \"h\"}], \"total\": 1, \"page\": 1,"
            + " \"page_size\": 50, \"total_pages\": 1}");
        assertThat(run("import", page.toString(), "--dry-run", "--workspace", ws, "--json")).isZero();
        JsonNode dry = json().get("files").get(0);
        assertThat(dry.get("format").asText()).isEqualTo("litellm");
        assertThat(dry.get("rows").get(0).get("request_id").asText()).isEqualTo("r1");
        assertThat(Files.exists(Path.of(ws))).as("a dry run opens no workspace").isFalse();

        assertThat(run("import", page.toString(), "--format", "nonsense", "--workspace", ws)).isEqualTo(2);
        assertThat(run("import", page.toString(), "--workspace", ws, "--json")).isZero();
        assertThat(run("reconcile", "--workspace", ws, "--month", "2026-10", "--json")).isZero();
        JsonNode rec = json();
        // logged $0.50 against 1000 × 2.5e-6 + 100 × 1e-5 = $0.0035 from the catalog
        assertThat(rec.get("calls_differing").asLong()).isEqualTo(1);
        assertThat(rec.get("differing_calls").get(0).get("catalog_usd").asDouble()).isCloseTo(0.0035, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(run("reconcile", "--workspace", ws, "--month", "October")).isEqualTo(2);

        assertThat(run("prices", "--workspace", ws, "--discount", "provider:openai=25")).isZero();
        assertThat(run("prices", "--workspace", ws, "--model", "gpt-4o", "--json")).isZero();
        JsonNode prices = json();
        assertThat(prices.get("models").get(0).get("catalog_key").asText()).isEqualTo("gpt-4o");
        assertThat(prices.get("discounts").get(0).get("percent").asDouble()).isEqualTo(25);
        assertThat(run("prices", "--workspace", ws, "--discount", "provider:openai=120")).isEqualTo(2);
        assertThat(run("info", "--workspace", ws, "--json")).isZero();
        assertThat(json().get("cost_usd").asDouble()).isCloseTo(0.375, org.assertj.core.api.Assertions.within(1e-12));

        assertThat(run("pull", "litellm", "--url", "https://proxy.example.com", "--api-key-env", "ROUTELEDGER_TEST_UNSET_VARIABLE",
            "--workspace", ws)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("ROUTELEDGER_TEST_UNSET_VARIABLE is not set");
    }
}
