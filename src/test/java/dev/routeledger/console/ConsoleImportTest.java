package dev.routeledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.routeledger.console.screens.ImportScreen;
import dev.routeledger.ingest.Importer;
import dev.routeledger.sample.SampleGenerator;
import dev.routeledger.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/** Imports from the console: rejected rows are shown, and Cancel leaves the workspace as it was. */
class ConsoleImportTest extends ConsoleTestBase {
    static Path dir;

    @BeforeAll
    static void smallWorkspace() throws Exception {
        dir = Files.createTempDirectory("console-import");
        Path log = dir.resolve("first.jsonl");
        new SampleGenerator(new SampleGenerator.Config(300, 5, 1, SampleGenerator.DEFAULT_START)).write(log);
        Path ws = dir.resolve("ws.duckdb");
        try (Workspace w = Workspace.open(ws)) {
            new Importer(w, null).importFile(log, "canonical");
        }
        System.setProperty("routeledger.workspace", ws.toString());
    }

    @Test
    void anImportWithBadRowsShowsItsRejects() throws Exception {
        open("import");
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), String.join("\n",
            "{\"request_id\":\"g1\",\"timestamp\":\"2026-10-03T10:00:00Z\",\"model\":\"gpt-4o\",\"prompt_tokens\":10,\"completion_tokens\":5}",
            "{\"request_id\":\"b1\",\"timestamp\":\"2026-10-03T10:00:01Z\",\"model\":\"gpt-4o\",\"prompt_tokens\":-3}",
            "{this is not json",
            "{\"request_id\":\"g2\",\"timestamp\":\"2026-10-03T10:00:02Z\",\"model\":\"gpt-4o\",\"prompt_tokens\":12,\"completion_tokens\":6}") + "\n");
        ImportScreen screen = (ImportScreen) app.window().screen("import");
        // what the file would load as, before loading
        interact(() -> screen.preview(List.of(bad)));
        awaitIdle();
        // its malformed line stops the preview, not the import
        assertThat(text("#import-preview-title")).contains("bad.jsonl");
        assertThat(node("#import-go", javafx.scene.control.Button.class).isDisabled()).isFalse();
        clickOn("#import-go");
        awaitIdle();
        @SuppressWarnings("unchecked") TableView<ImportScreen.Reject> rejects = node("#import-rejects", TableView.class);
        assertThat(rejects.getItems()).extracting(ImportScreen.Reject::line).containsExactly(2L, 3L);
        assertThat(rejects.getItems().get(0).reason()).containsIgnoringCase("negative");
        assertThat(text("#import-progress")).contains("2 calls loaded").contains("2 rows rejected");
        @SuppressWarnings("unchecked") TableView<ImportScreen.Batch> batches = node("#import-results", TableView.class);
        assertThat(batches.getItems().get(0).rejected()).isEqualTo(2);
    }

    @Test
    void aFileWithUnknownColumnsIsMappedBeforeItLoads() throws Exception {
        open("import");
        Path csv = Files.writeString(dir.resolve("own-proxy.csv"), "call,when,llm,spent\n"
            + "p1,2026-10-04T09:00:00Z,gpt-4o,0.25\np2,2026-10-04T09:01:00Z,gpt-4o-mini,0.01\n");
        ImportScreen screen = (ImportScreen) app.window().screen("import");
        long before = calls();
        interact(() -> screen.preview(List.of(csv)));
        awaitIdle();
        // the proxy's own names: no timestamp or model found, so nothing can load yet
        assertThat(text("#import-preview-title")).contains("matches no log format").contains("Edit the mapping");
        assertThat(node("#import-go", javafx.scene.control.Button.class).isDisabled()).isTrue();
        interact(() -> screen.useMapping(java.util.Map.of(dev.routeledger.ingest.CanonicalField.REQUEST_ID, "call",
            dev.routeledger.ingest.CanonicalField.TIMESTAMP, "when", dev.routeledger.ingest.CanonicalField.MODEL, "llm",
            dev.routeledger.ingest.CanonicalField.COST_USD, "spent")));
        awaitIdle();
        assertThat(text("#import-preview-title")).contains("with your mapping").doesNotContain("Missing");
        clickOn("#import-go");
        awaitIdle();
        assertThat(calls()).isEqualTo(before + 2);
        assertThat(text("#import-progress")).contains("2 calls loaded");
    }

    @Test
    void cancelStopsALongImportAndLeavesTheWorkspaceUnchanged() throws Exception {
        open("import");
        Path big = dir.resolve("big.jsonl");
        if (!Files.exists(big)) new SampleGenerator(new SampleGenerator.Config(300_000, 20, 7, SampleGenerator.DEFAULT_START)).write(big);
        long before = calls();
        ImportScreen screen = (ImportScreen) app.window().screen("import");
        javafx.scene.control.Button cancel = node("#import-cancel", javafx.scene.control.Button.class);
        // the screen's Cancel is live only while an import runs
        assertThat(cancel.isDisabled()).isTrue();
        interact(() -> screen.importFiles(List.of(big)));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, screen::importing);
        Thread.sleep(300);
        assertThat(cancel.isDisabled()).isFalse();
        clickOn("#import-cancel");
        awaitIdle();
        assertThat(text("#import-progress")).startsWith("Cancelled");
        assertThat(calls()).isEqualTo(before);
        assertThat(cancel.isDisabled()).isTrue();
    }

    @Test
    void anotherWorkspaceOpensInTheSameWindowAndIsRemembered() throws Exception {
        awaitIdle();
        Path original = app.session().path();
        Path other = dir.resolve("other.duckdb");
        interact(() -> app.switchTo(other));
        awaitIdle();
        assertThat(app.session().path()).isEqualTo(other);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text("#status-text").contains("other.duckdb"));
        assertThat(text("#status-text")).contains("no calls yet");
        assertThat(ConsoleApp.recentWorkspaces()).startsWith(other.toAbsolutePath().normalize().toString());
        interact(() -> app.switchTo(original));
        awaitIdle();
        assertThat(calls()).isPositive();
    }

    /** The workspace's calls, counted on the console's own connection (the file is open there). */
    private long calls() throws Exception {
        long[] n = new long[1];
        app.session().submit("count", (ws, conn, task) -> {
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM calls")) {
                rs.next();
                return rs.getLong(1);
            }
        }, v -> n[0] = v);
        awaitIdle();
        return n[0];
    }
}
