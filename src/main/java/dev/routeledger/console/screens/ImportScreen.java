package dev.routeledger.console.screens;

import dev.routeledger.analytics.Filter;
import dev.routeledger.console.Exportable;
import dev.routeledger.console.Fmt;
import dev.routeledger.console.Screen;
import dev.routeledger.console.Session;
import dev.routeledger.console.Ui;
import dev.routeledger.ingest.FormatDetector;
import dev.routeledger.ingest.ImportCancelledException;
import dev.routeledger.ingest.ImportResult;
import dev.routeledger.ingest.Importer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;

/**
 * Import (SPEC §8): open or drop log files, pick a format or let it be detected, watch the import's progress with
 * Cancel (a cancelled file leaves the workspace as it was), then see what loaded and the rejected rows with their
 * line and reason, exportable as CSV.
 */
public final class ImportScreen extends Screen implements Exportable.Opens, Exportable {
    public record Reject(String file, Long line, String reason, String raw) {}

    /** An import of the workspace's history (import_batches). */
    public record Batch(int id, String path, String format, long read, long loaded, long duplicate, long rejected, long skipped, String finished,
                        double seconds) {}

    private final ComboBox<String> format = new ComboBox<>();
    private Label progress;
    private TableView<Batch> results;
    private TableView<Reject> rejects;
    private volatile Importer running;

    public ImportScreen(Session session) {
        super(session);
    }

    @Override public String title() { return "Import"; }
    @Override public String key() { return "import"; }
    @Override public Ikon icon() { return Material2OutlinedAL.FILE_UPLOAD; }

    @Override
    protected Node build() {
        List<String> formats = new ArrayList<>(List.of("auto"));
        formats.addAll(FormatDetector.names());
        format.setItems(FXCollections.observableArrayList(formats));
        format.setValue("auto");
        format.setId("import-format");
        Button open = new Button("Open files …");
        open.setId("import-open");
        open.setOnAction(e -> open(open.getScene().getWindow()));
        Button cancel = new Button("Cancel import");
        cancel.setId("import-cancel");
        cancel.setOnAction(e -> cancel());
        progress = new Label("Drop log files here, or open them (Ctrl+O). Canonical JSONL/CSV/Parquet, LiteLLM, Helicone, Langfuse and eval sets.");
        progress.setId("import-progress");
        progress.setWrapText(true);
        results = Ui.table("import-results", "Nothing imported into this workspace yet.");
        Ui.text(results, "File", b -> Path.of(b.path()).getFileName().toString(), 220);
        Ui.text(results, "Format", Batch::format, 90);
        Ui.number(results, "Read", Batch::read, Fmt::count, 80);
        Ui.number(results, "Loaded", Batch::loaded, Fmt::count, 80);
        Ui.number(results, "Duplicate", Batch::duplicate, Fmt::count, 80);
        Ui.number(results, "Rejected", Batch::rejected, Fmt::count, 80);
        Ui.number(results, "Skipped", Batch::skipped, Fmt::count, 70);
        Ui.number(results, "Rows/s", b -> b.seconds() > 0 ? Math.round(b.read() / b.seconds()) : 0L, Fmt::count, 80);
        Ui.text(results, "Finished (UTC)", Batch::finished, 150);
        results.setPrefHeight(180);
        rejects = Ui.table("import-rejects", "No rejected rows.");
        Ui.text(rejects, "File", Reject::file, 160);
        Ui.number(rejects, "Line", r -> r.line() == null ? -1L : r.line(), v -> v < 0 ? "–" : Fmt.count(v), 70);
        Ui.text(rejects, "Reason", Reject::reason, 320);
        Ui.text(rejects, "Row", Reject::raw, 360);
        Button export = new Button("Export rejected rows …");
        export.setOnAction(e -> export(export.getScene().getWindow()));
        VBox page = Ui.page(Ui.title("Import"), Ui.row(8, open, new Label("Format"), format, cancel), progress,
            Ui.section("Imported"), results, Ui.row(8, Ui.section("Rejected rows"), Ui.grow(), export), rejects);
        page.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
            e.consume();
        });
        page.setOnDragDropped(this::dropped);
        return page;
    }

    private void dropped(DragEvent e) {
        if (e.getDragboard().hasFiles()) importFiles(e.getDragboard().getFiles().stream().map(File::toPath).toList());
        e.setDropCompleted(true);
        e.consume();
    }

    @Override
    public void open(Window owner) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Import gateway logs");
        List<File> files = fc.showOpenMultipleDialog(owner);
        if (files != null) importFiles(files.stream().map(File::toPath).toList());
    }

    /** Imports the files one after the other (each atomic), then reloads every screen. */
    public void importFiles(List<Path> files) {
        String fmt = format.getValue();
        session.submit("Importing " + files.size() + (files.size() == 1 ? " file" : " files"), (ws, conn, task) -> {
            List<ImportResult> done = new ArrayList<>();
            for (Path f : files) {
                long t0 = System.nanoTime();
                Importer importer = new Importer(ws, (file, step) -> Platform.runLater(() -> progress.setText(file + ": " + step
                    + String.format(" (%.0f s)", (System.nanoTime() - t0) / 1e9))));
                running = importer;
                session.cancelWith(importer::cancel);
                try {
                    done.add(importer.importFile(f, fmt));
                } catch (ImportCancelledException c) {
                    Platform.runLater(() -> progress.setText("Cancelled: " + f.getFileName() + " was not imported; the workspace is as it was."));
                    break;
                } finally {
                    running = null;
                    session.cancelWith(null);
                }
            }
            return done;
        }, done -> {
            if (!done.isEmpty()) {
                long loaded = done.stream().mapToLong(ImportResult::rowsLoaded).sum();
                long rejected = done.stream().mapToLong(ImportResult::rowsRejected).sum();
                if (!progress.getText().startsWith("Cancelled")) {
                    progress.setText(String.format("Imported %s: %s calls loaded, %s rows rejected.", done.size() == 1 ? Path.of(done.get(0).path()).getFileName()
                        : done.size() + " files", Fmt.count(loaded), Fmt.count(rejected)));
                }
                session.dataChanged();
            }
        });
    }

    /** The workspace's imports, newest first, and the rejected rows of the newest ones (at most 1,000 rows). */
    private static Object[] history(java.sql.Connection conn) throws Exception {
        List<Batch> batches = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT batch_id, path, format, rows_read, rows_loaded, rows_duplicate, rows_rejected, rows_skipped,"
                + " strftime(finished_at, '%Y-%m-%d %H:%M'), epoch_ms(finished_at) - epoch_ms(started_at) FROM import_batches ORDER BY batch_id DESC");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                batches.add(new Batch(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                    rs.getString(9), rs.getLong(10) / 1000.0));
            }
        }
        List<Reject> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT b.path, r.line_no, r.reason, left(r.raw, 300) FROM rejected_rows r JOIN import_batches b USING (batch_id)"
                + " ORDER BY r.batch_id DESC, r.line_no LIMIT 1000");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long line = rs.getLong(2);
                out.add(new Reject(Path.of(rs.getString(1)).getFileName().toString(), rs.wasNull() ? null : line, rs.getString(3), rs.getString(4)));
            }
        }
        return new Object[] {batches, out};
    }

    /** Stops the running import: the file being imported is rolled back. */
    public void cancel() {
        session.cancelRunning();
    }

    @Override
    public void export(Window owner) {
        if (rejects.getItems().isEmpty()) return;
        FileChooser fc = new FileChooser();
        fc.setTitle("Export the rejected rows");
        fc.setInitialFileName("rejected-rows.csv");
        File f = fc.showSaveDialog(owner);
        if (f == null) return;
        List<Reject> rows = List.copyOf(rejects.getItems());
        session.submit("Exporting rejected rows", (ws, conn, task) -> {
            List<com.fasterxml.jackson.databind.node.ObjectNode> lines = new ArrayList<>();
            for (Reject r : rows) {
                var o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                o.put("file", r.file());
                if (r.line() == null) o.putNull("line"); else o.put("line", r.line());
                o.put("reason", r.reason());
                o.put("row", r.raw());
                lines.add(o);
            }
            dev.routeledger.export.CsvExport.rows(lines, f.toPath());
            return f;
        }, x -> { });
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void load(Filter filter) {
        session.submit("Reading the imports", (ws, conn, task) -> history(conn), r -> {
            results.getItems().setAll((List<Batch>) r[0]);
            rejects.getItems().setAll((List<Reject>) r[1]);
        });
    }

    /** For tests: whether an import is running. */
    public boolean importing() { return running != null; }

    static boolean exists(Path p) { return Files.exists(p); }
}
