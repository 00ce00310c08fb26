package dev.routeledger.ingest;

import static dev.routeledger.ingest.ImportFixture.call;
import static dev.routeledger.ingest.ImportFixture.count;
import static dev.routeledger.ingest.ImportFixture.rejects;
import static dev.routeledger.ingest.ImportFixture.string;
import static dev.routeledger.ingest.ImportFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Large batches keep the table they were staged into; {@code calls} is the view over all of them. */
class OwnBatchTableTest extends ImportTestBase {

    private Importer keepingTables(ImportListener listener) {
        return new Importer(ws, listener, 1); // every batch with a loaded row keeps its own table
    }

    private long tables(String like) throws Exception {
        return count(ws, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '" + like + "'");
    }

    @Test
    void aKeptBatchTableHoldsOnlyItsGoodRowsAndIsSeenThroughCalls() throws Exception {
        Path a = write(dir, "a.jsonl", call("1", "") + "\n" + call("2", "\"cost_usd\":-1").replace(",\"cost_usd\":0.0012", "") + "\n"
            + call("3", "") + "\n" + call("3", "") + "\n");
        ImportResult r = keepingTables(null).importFile(a, "canonical");
        assertThat(r.rowsLoaded()).isEqualTo(2);
        assertThat(r.rowsDuplicate()).isEqualTo(1);
        assertThat(rejects(ws, r.batchId())).containsExactly("2: cost_usd is negative: -1.0");
        assertThat(string(ws, "SELECT table_name FROM import_batches WHERE batch_id = " + r.batchId())).isEqualTo("calls_batch_1");
        assertThat(count(ws, "SELECT count(*) FROM calls_batch_1")).isEqualTo(2);
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE batch_id = 1")).isEqualTo(2);
        assertThat(count(ws, "SELECT count(*) FROM calls_main")).isZero();

        // a small import merges into calls_main; both are in calls, and repeats are found across them
        Path b = write(dir, "b.jsonl", call("3", "") + "\n" + call("1", "").replace("0.0012", "7.0") + "\n" + call("4", "") + "\n");
        ImportResult r2 = importer.importFile(b, "canonical");
        assertThat(r2.rowsLoaded()).isEqualTo(1);
        assertThat(r2.rowsDuplicate()).isEqualTo(1);
        assertThat(r2.rowsConflict()).isEqualTo(1);
        assertThat(string(ws, "SELECT table_name FROM import_batches WHERE batch_id = " + r2.batchId())).isNull();
        assertThat(count(ws, "SELECT count(*) FROM calls")).isEqualTo(3);
        assertThat(string(ws, "SELECT cost_usd FROM calls WHERE request_id = '1'")).isEqualTo("0.0012");
        assertThat(tables("calls_import_%")).isZero();
    }

    @Test
    void aCancelledOrFailedLargeImportLeavesNoTableBehind() throws Exception {
        Path f = write(dir, "c.jsonl", call("1", "") + "\n" + call("2", "") + "\n");
        AtomicReference<Importer> ref = new AtomicReference<>();
        ref.set(keepingTables((file, step) -> {
            if (step.equals("saving")) ref.get().cancel();
        }));
        assertThatThrownBy(() -> ref.get().importFile(f, "canonical")).isInstanceOf(ImportCancelledException.class);
        assertThat(tables("calls_import_%") + tables("calls_batch_%")).isZero();
        assertThat(count(ws, "SELECT count(*) FROM calls")).isZero();
        assertThat(count(ws, "SELECT count(*) FROM import_batches")).isZero();

        ImportResult ok = keepingTables(null).importFile(f, "canonical");
        assertThat(ok.rowsLoaded()).isEqualTo(2);
        assertThat(count(ws, "SELECT count(*) FROM calls")).isEqualTo(2);
    }

    @Test
    void theViewSurvivesReopeningTheWorkspace() throws Exception {
        keepingTables(null).importFile(write(dir, "a.jsonl", call("1", "") + "\n"), "canonical");
        importer.importFile(write(dir, "b.jsonl", call("2", "") + "\n"), "canonical");
        ws.close();
        ws = dev.routeledger.store.Workspace.open(dir.resolve("ws.duckdb"));
        assertThat(count(ws, "SELECT count(*) FROM calls")).isEqualTo(2);
        assertThat(count(ws, "SELECT count(*) FROM calls WHERE eff_tier = 2")).isEqualTo(2);
    }

    @Test
    void anOlderWorkspaceUpgradedInPlaceKeepsItsBatchTablesInCalls() throws Exception {
        Path f = write(dir, "d.jsonl", call("1", "") + "\n" + call("2", "") + "\n");
        keepingTables(null).importFile(f, "canonical");
        importer.importFile(write(dir, "e.jsonl", call("3", "") + "\n"), "canonical");
        ws.connection().createStatement().execute("UPDATE workspace_meta SET value = '1' WHERE key = 'schema_version'");
        ws.close();
        ws = dev.routeledger.store.Workspace.open(dir.resolve("ws.duckdb")); // upgrades: the DDL runs again
        assertThat(ws.schemaVersion()).isEqualTo(dev.routeledger.store.Schema.VERSION);
        assertThat(count(ws, "SELECT count(*) FROM calls")).isEqualTo(3);
        assertThat(count(ws, "SELECT count(*) FROM calls_costed WHERE price_key IS NOT NULL")).isEqualTo(3);
    }
}
