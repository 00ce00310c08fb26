package dev.routeledger.ingest;

import static dev.routeledger.ingest.ImportFixture.call;
import static dev.routeledger.ingest.ImportFixture.count;
import static dev.routeledger.ingest.ImportFixture.rejects;
import static dev.routeledger.ingest.ImportFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** SPEC §10: each bad row is rejected with its line number and reason, and the rest of the file loads. */
class ImporterRejectsTest extends ImportTestBase {

    @Test
    void everyKindOfBadRowIsRejectedWithItsLineAndTheRestLoads() throws Exception {
        String jsonl = String.join("\n",
            call("ok-1", ""),                                                          // 1
            "{\"request_id\": \"broken\", \"timestamp\": ",                             // 2 malformed JSON
            call("bad-type", "\"cached_tokens\":\"lots\""),                             // 3 wrong type
            call("neg-tokens", "\"cached_tokens\":-5"),                                 // 4 negative tokens
            call("neg-cost", "\"latency_ms\":-1"),                                      // 5 negative latency
            call("nan", "\"confidence\":\"NaN\""),                                      // 6 NaN
            call("score", "\"router_score\":1.5"),                                      // 7 out of range score
            "{\"timestamp\":\"2026-10-05T10:00:00Z\",\"model\":\"gpt-4o\"}",            // 8 missing request_id
            "{\"request_id\":\"no-ts\",\"model\":\"gpt-4o\"}",                          // 9 missing timestamp
            "{\"request_id\":\"no-model\",\"timestamp\":\"2026-10-05T10:00:00Z\"}",     // 10 missing model
            call("bad-ts", "").replace("2026-10-05T10:00:00Z", "05/10/2026 10am"),      // 11 unknown timestamp
            "[1, 2, 3]",                                                                // 12 not an object
            "",                                                                         // 13 blank: not a record
            call("ok-2", "")) + "\n";                                                   // 14
        ImportResult r = importer.importFile(write(dir, "bad.jsonl", jsonl), "canonical");

        ImportFixture.assertBalanced(r);
        assertThat(r.rowsRead()).isEqualTo(13);
        assertThat(r.rowsLoaded()).isEqualTo(2);
        assertThat(r.rowsRejected()).isEqualTo(11);
        assertThat(r.reader()).isEqualTo("careful");
        assertThat(rejects(ws, r.batchId())).containsExactly(
            "2: malformed JSON (or text that is not UTF-8)",
            "3: cached_tokens is not a whole number: lots",
            "4: cached_tokens is negative: -5",
            "5: latency_ms is negative: -1.0",
            "6: confidence is not a finite number: NaN",
            "7: router_score is above 1: 1.5",
            "8: missing request_id",
            "9: missing timestamp",
            "10: missing model",
            "11: unknown timestamp format: 05/10/2026 10am",
            "12: not a JSON object");
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE request_id IN ('ok-1', 'ok-2')")).isEqualTo(2);
        assertThat(ImportFixture.string(ws, "SELECT raw FROM rejected_rows WHERE line_no = 2"))
            .isEqualTo("{\"request_id\": \"broken\", \"timestamp\": ");
    }

    @Test
    void aFirstLineThatIsAnArrayIsABadRecordNotAJsonArrayFile() throws Exception {
        // detected as JSON Lines (one value per line, with auto detection), so the array line is rejected and the rest loads
        String jsonl = "[1, 2, 3]\n" + call("a", "") + "\n" + call("b", "") + "\n";
        ImportResult r = importer.importFile(write(dir, "array-first.jsonl", jsonl), "auto");
        ImportFixture.assertBalanced(r);
        assertThat(r.rowsLoaded()).isEqualTo(2);
        assertThat(rejects(ws, r.batchId())).containsExactly("1: not a JSON object");
        // a JSON array document, on one line or spread over many, is still read as one array of records
        ImportResult one = importer.importFile(write(dir, "one-line.json", "[" + call("c", "") + ", " + call("d", "") + "]\n"), "auto");
        assertThat(one.rowsLoaded()).isEqualTo(2);
        ImportResult pretty = importer.importFile(write(dir, "pretty.json", "[\n  " + call("e", "") + ",\n  " + call("f", "") + "\n]\n"), "auto");
        assertThat(pretty.rowsLoaded()).isEqualTo(2);
    }

    @Test
    void theFastPathRejectsValuesItCanTypeButThatBreakTheRules() throws Exception {
        // every line is valid JSON with the right types, so DuckDB's typed reader takes it in one go
        String jsonl = call("a", "") + "\n" + call("b", "\"cost_usd\":-0.5").replace(",\"cost_usd\":0.0012", "") + "\n"
            + call("c", "\"quality\":7") + "\n" + call("d", "\"tier\":0") + "\n" + call("e", "") + "\n";
        ImportResult r = importer.importFile(write(dir, "typed.jsonl", jsonl), "canonical");
        assertThat(r.reader()).isEqualTo("fast");
        ImportFixture.assertBalanced(r);
        assertThat(r.rowsLoaded()).isEqualTo(2);
        assertThat(rejects(ws, r.batchId())).containsExactly(
            "2: cost_usd is negative: -0.5",
            "3: quality is above 1: 7.0",
            "4: tier must be at least 1: 0");
    }

    @Test
    void latin1BytesRejectTheirLineOnly() throws Exception {
        byte[] good = (call("g1", "") + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bad = (call("caf\u00e9", "") + "\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] good2 = (call("g2", "") + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] all = new byte[good.length + bad.length + good2.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        System.arraycopy(good2, 0, all, good.length + bad.length, good2.length);
        ImportResult r = importer.importFile(ImportFixture.writeBytes(dir, "latin1.jsonl", all), "canonical");
        ImportFixture.assertBalanced(r);
        assertThat(r.rowsLoaded()).isEqualTo(2);
        assertThat(rejects(ws, r.batchId())).containsExactly("2: malformed JSON (or text that is not UTF-8)");
    }

    @Test
    void csvRowsThatAreBrokenAsCsvOrHoldBadValuesAreRejectedWithTheirPhysicalLine() throws Exception {
        String csv = "request_id,timestamp,model,prompt_tokens,notes\r\n"      // 1
            + "r1,2026-10-05 10:00:00,gpt-4o,10,\"two\r\nlines\"\r\n"            // 2-3 multi-line cell
            + "r2,2026-10-05 10:00:01,gpt-4o,-3,x\r\n"                           // 4 negative tokens
            + "r3,2026-10-05 10:00:02,gpt-4o,10,x,surplus\r\n"                   // 5 too many columns
            + "r4,2026-10-05 10:00:03,gpt-4o,abc,x\r\n"                          // 6 wrong type
            + "r5,2026-10-05 10:00:04,gpt-4o,10,x\r\n";                          // 7
        ImportResult r = importer.importFile(write(dir, "calls.csv", csv), "canonical");
        ImportFixture.assertBalanced(r);
        assertThat(r.rowsRead()).isEqualTo(5);
        assertThat(r.rowsLoaded()).isEqualTo(2);
        assertThat(rejects(ws, r.batchId())).hasSize(3);
        assertThat(rejects(ws, r.batchId()).get(0)).isEqualTo("4: prompt_tokens is negative: -3");
        assertThat(rejects(ws, r.batchId()).get(1)).startsWith("5: TOO MANY COLUMNS");
        assertThat(rejects(ws, r.batchId()).get(2)).isEqualTo("6: prompt_tokens is not a whole number: abc");
        assertThat(ImportFixture.string(ws, "SELECT extra->>'notes' FROM calls WHERE request_id = 'r1'")).isEqualTo("two\r\nlines");
    }

    /** A large file is read by several DuckDB threads; the line numbers of rejects must still be exact. */
    @Test
    void lineNumbersStayExactInALargeFileReadInParallel() throws Exception {
        for (boolean malformedLine : new boolean[] {false, true}) {
            StringBuilder sb = new StringBuilder(80_000_000);
            java.util.List<String> expected = new java.util.ArrayList<>();
            for (int line = 1; line <= 300_000; line++) {
                if (line % 37_001 == 0) {
                    sb.append(call("bad-" + line, "\"cached_tokens\":-" + line)).append('\n');
                    expected.add(line + ": cached_tokens is negative: -" + line);
                } else if (malformedLine && line == 299_000) {
                    sb.append("{\"request_id\": oops}\n");
                    expected.add(line + ": malformed JSON (or text that is not UTF-8)");
                } else {
                    sb.append(call((malformedLine ? "m" : "f") + line, "")).append('\n');
                }
            }
            ImportResult r = importer.importFile(write(dir, "big-" + malformedLine + ".jsonl", sb.toString()), "canonical");
            assertThat(r.reader()).isEqualTo(malformedLine ? "careful" : "fast");
            ImportFixture.assertBalanced(r);
            assertThat(rejects(ws, r.batchId())).containsExactlyElementsOf(expected.stream()
                .sorted(java.util.Comparator.comparingInt(x -> Integer.parseInt(x.substring(0, x.indexOf(':'))))).toList());
            assertThat(ImportFixture.string(ws, "SELECT raw FROM rejected_rows WHERE batch_id = " + r.batchId() + " ORDER BY line_no LIMIT 1"))
                .contains("\"request_id\":\"bad-37001\"");
        }
    }
}
