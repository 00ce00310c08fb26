package dev.routeledger.ingest;

import static dev.routeledger.ingest.ImportFixture.call;
import static dev.routeledger.ingest.ImportFixture.count;
import static dev.routeledger.ingest.ImportFixture.rejects;
import static dev.routeledger.ingest.ImportFixture.string;
import static dev.routeledger.ingest.ImportFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** SPEC §10: atomic per file, nothing lost or counted twice, bad files never crash and never half-load. */
class ImporterIntegrityTest extends ImportTestBase {

    private void assertWorkspaceEmpty() throws Exception {
        assertThat(count(ws, "SELECT count(*) FROM calls")).isZero();
        assertThat(count(ws, "SELECT count(*) FROM import_batches")).isZero();
        assertThat(count(ws, "SELECT count(*) FROM rejected_rows")).isZero();
    }

    @Test
    void reimportingAFileLoadsNothingNew() throws Exception {
        Path f = write(dir, "a.jsonl", call("1", "") + "\n" + call("2", "") + "\n");
        ImportResult first = importer.importFile(f, "canonical");
        ImportResult again = importer.importFile(f, "canonical");
        assertThat(first.rowsLoaded()).isEqualTo(2);
        assertThat(again.rowsLoaded()).isZero();
        assertThat(again.rowsDuplicate()).isEqualTo(2);
        assertThat(again.sameFileAsBatch()).isEqualTo(first.batchId());
        ImportFixture.assertBalanced(again);
        assertThat(count(ws, "SELECT count(*) FROM calls")).isEqualTo(2);
    }

    @Test
    void aKnownRequestIdWithOtherContentIsAConflictAndTheOriginalStays() throws Exception {
        importer.importFile(write(dir, "a.jsonl", call("1", "") + "\n"), "canonical");
        ImportResult r = importer.importFile(write(dir, "b.jsonl",
            call("1", "").replace("0.0012", "9.99") + "\n" + call("1b", "") + "\n"), "canonical");
        assertThat(r.rowsLoaded()).isEqualTo(1);
        assertThat(r.rowsConflict()).isEqualTo(1);
        assertThat(r.rowsRejected()).isEqualTo(1);
        ImportFixture.assertBalanced(r);
        assertThat(rejects(ws, r.batchId())).containsExactly("1: request_id 1 was already imported with different content (batch 1)");
        assertThat(string(ws, "SELECT cost_usd FROM calls WHERE request_id = '1'")).isEqualTo("0.0012");
    }

    @Test
    void repeatsInsideOneFileAreDuplicatesOrConflicts() throws Exception {
        String body = call("x", "") + "\n" + call("x", "") + "\n" + call("x", "").replace("gpt-4o-mini", "gpt-4o") + "\n";
        ImportResult r = importer.importFile(write(dir, "rep.jsonl", body), "canonical");
        assertThat(r.rowsLoaded()).isEqualTo(1);
        assertThat(r.rowsDuplicate()).isEqualTo(1);
        assertThat(r.rowsConflict()).isEqualTo(1);
        ImportFixture.assertBalanced(r);
        assertThat(rejects(ws, r.batchId())).containsExactly("3: conflicting duplicate of request_id x (record 1 of this file has different content)");
        assertThat(string(ws, "SELECT model FROM calls WHERE request_id = 'x'")).isEqualTo("gpt-4o-mini");
    }

    @Test
    void aTruncatedGzipIsRefusedWholeAndLeavesNothing() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) sb.append(call("r" + i, "")).append('\n');
        Path gz = ImportFixture.gzip(dir, "full.jsonl.gz", sb.toString());
        byte[] bytes = Files.readAllBytes(gz);
        Path cut = ImportFixture.writeBytes(dir, "cut.jsonl.gz", Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> importer.importFile(cut, "canonical"))
            .isInstanceOf(ImportException.class).hasMessageContaining("truncated or corrupt").hasMessageContaining("nothing was imported");
        assertWorkspaceEmpty();
        ImportResult whole = importer.importFile(gz, "canonical");
        assertThat(whole.rowsLoaded()).isEqualTo(5000);
    }

    @Test
    void binaryGarbageIsRefusedWithAPlainMessage() throws Exception {
        byte[] junk = new byte[20_000];
        new java.util.Random(7).nextBytes(junk);
        Path f = ImportFixture.writeBytes(dir, "garbage.jsonl", junk);
        assertThatThrownBy(() -> importer.importFile(f, "canonical"))
            .isInstanceOf(ImportException.class).hasMessageContaining("binary data").hasMessageContaining("Nothing was imported");
        assertWorkspaceEmpty();
    }

    @Test
    void anEmptyFileImportsAsNothing() throws Exception {
        ImportResult r = importer.importFile(write(dir, "empty.jsonl", ""), "canonical");
        assertThat(r.rowsRead()).isZero();
        ImportResult gz = importer.importFile(ImportFixture.gzip(dir, "empty.csv.gz", ""), "canonical");
        assertThat(gz.rowsRead()).isZero();
        assertThat(count(ws, "SELECT count(*) FROM calls")).isZero();
    }

    @Test
    void byteOrderMarksAndCrlfAreReadAsText() throws Exception {
        String jsonl = "\uFEFF" + call("b1", "") + "\r\n" + call("b2", "") + "\r\n";
        ImportResult j = importer.importFile(write(dir, "bom.jsonl", jsonl), "canonical");
        assertThat(j.rowsLoaded()).isEqualTo(2);
        String csv = "\uFEFFrequest_id,timestamp,model\r\nc1,2026-10-05T10:00:00Z,gpt-4o\r\nc2,2026-10-05T10:00:00Z,gpt-4o\r\n";
        ImportResult c = importer.importFile(write(dir, "bom.csv", csv), "canonical");
        assertThat(c.rowsLoaded()).isEqualTo(2);
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE request_id IN ('b1','b2','c1','c2')")).isEqualTo(4);
    }

    @Test
    void aFiftyMegabyteLineLoadsWithItsPromptHashedNotStored() throws Exception {
        Path f = dir.resolve("huge.jsonl");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write((call("small-1", "") + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(call("huge", "\"prompt\":\"").getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "lorem ipsum ".repeat(1000).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 50 * 1024 * 1024 / chunk.length; i++) out.write(chunk);
            out.write("\"}\n".getBytes(StandardCharsets.UTF_8));
            out.write((call("small-2", "") + "\n").getBytes(StandardCharsets.UTF_8));
        }
        ImportResult r = importer.importFile(f, "canonical");
        assertThat(r.rowsLoaded()).isEqualTo(3);
        assertThat(string(ws, "SELECT prompt_hash FROM calls WHERE request_id = 'huge'")).hasSize(16);
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE extra IS NOT NULL")).isZero();
    }

    @Test
    void timestampsInEveryAcceptedFormLandAsUtcInstants() throws Exception {
        String[] forms = {"2026-10-05T12:00:00Z", "2026-10-05T14:00:00+02:00", "2026-10-05T12:00:00", "2026-10-05 12:00:00",
            "2026-10-05T12:00:00.000Z", "1791201600000", "1791201600"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < forms.length; i++) {
            String ts = forms[i].matches("[0-9]+") ? forms[i] : "\"" + forms[i] + "\"";
            sb.append("{\"request_id\":\"t").append(i).append("\",\"timestamp\":").append(ts).append(",\"model\":\"m\"}\n");
        }
        ImportResult r = importer.importFile(write(dir, "ts.jsonl", sb.toString()), "canonical");
        assertThat(r.rowsLoaded()).isEqualTo(forms.length);
        assertThat(count(ws, "SELECT count(DISTINCT ts) FROM calls")).isEqualTo(1);
        assertThat(string(ws, "SELECT strftime(min(ts), '%Y-%m-%dT%H:%M:%S') FROM calls")).isEqualTo("2026-10-05T12:00:00");
    }

    @Test
    void aliasesAndCaseAreMatchedAndUnknownColumnsKeptInExtra() throws Exception {
        String csv = "Request-ID,Created_At,Model_Name,User,Input_Tokens,Output_Tokens,Cost,Custom_Tag\n"
            + "a1,2026-10-05T10:00:00Z,gpt-4o,alice,100,20,0.5,blue\n";
        ImportResult r = importer.importFile(write(dir, "alias.csv", csv), "canonical");
        assertThat(r.rowsLoaded()).isEqualTo(1);
        assertThat(r.columns()).containsEntry("User", "user_id").containsEntry("Cost", "cost_usd").containsEntry("Custom_Tag", "extra");
        assertThat(string(ws, "SELECT user_id || '/' || prompt_tokens || '/' || completion_tokens || '/' || cost_usd || '/' || (extra->>'Custom_Tag') FROM calls"))
            .isEqualTo("alice/100/20/0.5/blue");
    }

    @Test
    void parquetLoadsAndItsBadRowsAreRejectedByRowNumber() throws Exception {
        Path pq = dir.resolve("calls.parquet");
        try (var s = ws.connection().createStatement()) {
            s.execute("COPY (SELECT 'p' || i AS request_id, TIMESTAMP '2026-10-05 10:00:00' + INTERVAL (i) MINUTE AS timestamp,"
                + " 'gpt-4o' AS model, CASE WHEN i = 3 THEN -1 ELSE 10 END AS prompt_tokens, 'x' AS note FROM range(1, 6) t(i))"
                + " TO '" + pq + "' (FORMAT parquet)");
        }
        ImportResult r = importer.importFile(pq, "canonical");
        assertThat(r.rowsLoaded()).isEqualTo(4);
        assertThat(rejects(ws, r.batchId())).containsExactly("3: prompt_tokens is negative: -1");
    }

    @Test
    void cancelBeforeTheCommitLeavesTheWorkspaceAsItWas() throws Exception {
        Path f = write(dir, "c.jsonl", call("1", "") + "\n" + call("2", "\"cost_usd\":-1").replace(",\"cost_usd\":0.0012", "") + "\n");
        for (String when : new String[] {"reading", "saving"}) {
            AtomicReference<Importer> ref = new AtomicReference<>();
            Importer cancelling = new Importer(ws, (file, step) -> {
                if (step.equals(when)) ref.get().cancel();
            });
            ref.set(cancelling);
            assertThatThrownBy(() -> cancelling.importFile(f, "canonical")).isInstanceOf(ImportCancelledException.class);
            assertWorkspaceEmpty();
        }
        assertThat(importer.importFile(f, "canonical").rowsLoaded()).isEqualTo(1);
    }

    @Test
    void anUnknownFormatIsAUsageLevelRefusal() {
        assertThatThrownBy(() -> importer.importFile(write(dir, "a.jsonl", call("1", "")), "bogus"))
            .isInstanceOf(ImportException.class).hasMessageContaining("Unknown format 'bogus'");
    }

    @Test
    void gzipCsvAndJsonArrayContainersLoad() throws Exception {
        Path gz = ImportFixture.gzip(dir, "calls.csv.gz", "request_id,timestamp,model\ng1,2026-10-05T10:00:00Z,gpt-4o\n");
        assertThat(importer.importFile(gz, "canonical").rowsLoaded()).isEqualTo(1);
        Path arr = write(dir, "calls.json", "[" + call("j1", "") + ",\n" + call("j2", "") + "]");
        assertThat(importer.importFile(arr, "canonical").rowsLoaded()).isEqualTo(2);
    }

    @Test
    void surroundingSpacesAreTrimmedAndEmptyTextIsMissing() throws Exception {
        String csv = "request_id,timestamp,model,user_id,team\n"
            + "\"  s1 \",2026-10-05T10:00:00Z,\" gpt-4o\",\"\",\"   \"\n"
            + "\"   \",2026-10-05T10:00:00Z,gpt-4o,u,t\n";
        ImportResult r = importer.importFile(write(dir, "spaces.csv", csv), "canonical");
        assertThat(r.rowsLoaded()).isEqualTo(1);
        assertThat(rejects(ws, r.batchId())).containsExactly("3: missing request_id");
        assertThat(string(ws, "SELECT request_id || '|' || model || '|' || coalesce(user_id, 'NULL') || '|' || coalesce(team, 'NULL') FROM calls"))
            .isEqualTo("s1|gpt-4o|NULL|NULL");
    }

    /** Cancel while DuckDB is reading: the running statement is cancelled and nothing of the file is written. */
    @Test
    void cancelDuringTheReadStopsTheQueryAndLeavesNothing() throws Exception {
        StringBuilder sb = new StringBuilder(200_000_000);
        for (int i = 0; i < 800_000; i++) sb.append(call("c" + i, "")).append('\n');
        Path big = write(dir, "big.jsonl", sb.toString());
        sb = null;
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        java.util.List<String> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicReference<Importer> ref = new AtomicReference<>(new Importer(ws, (file, step) -> {
            steps.add(step);
            if (step.equals("reading")) reading.countDown();
        }));
        Thread canceller = new Thread(() -> {
            try {
                reading.await();
                Thread.sleep(400); // DuckDB is inside its read of the 190 MB file by now
                ref.get().cancel();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        canceller.start();
        assertThatThrownBy(() -> ref.get().importFile(big, "canonical")).isInstanceOf(ImportCancelledException.class);
        canceller.join();
        assertWorkspaceEmpty();
        // the read itself was stopped (Statement.cancel), not waited out until the next step
        assertThat(steps).containsExactly("reading");
    }
}
