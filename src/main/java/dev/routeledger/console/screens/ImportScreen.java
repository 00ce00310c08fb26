package dev.routeledger.console.screens;

import dev.routeledger.console.TableRows;
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
import javafx.scene.control.TextField;
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
    /** On the FX thread: from the submit of an import to the end of its last file. */
    private final javafx.beans.property.BooleanProperty importInProgress = new javafx.beans.property.SimpleBooleanProperty(false);
    private List<Path> chosen = List.of();
    private dev.routeledger.ingest.UserMapping mapping;
    private String detected;
    private VBox preview;
    private Label previewTitle;
    private TableView<String[]> previewTable;
    private Button importButton;

    private final java.util.function.Consumer<Path> openWorkspace;
    private final javafx.scene.control.ListView<String> recent = new javafx.scene.control.ListView<>();

    public ImportScreen(Session session, java.util.function.Consumer<Path> openWorkspace) {
        super(session);
        this.openWorkspace = openWorkspace;
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
        // live only while an import runs: a Cancel that does nothing reads as broken
        cancel.disableProperty().bind(importInProgress.not());
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
        previewTitle = new Label();
        previewTitle.setId("import-preview-title");
        previewTitle.setWrapText(true);
        previewTable = Ui.table("import-preview", "");
        Ui.text(previewTable, "Canonical field", r -> r[0], 150);
        Ui.text(previewTable, "From the file's", r -> r[1], 220);
        Ui.text(previewTable, "First row", r -> r[2], 300);
        previewTable.setPrefHeight(220);
        importButton = new Button("Import");
        importButton.setId("import-go");
        importButton.setDefaultButton(true);
        importButton.setOnAction(e -> importFiles(chosen));
        Button edit = new Button("Edit the mapping …");
        edit.setId("import-mapping");
        edit.setOnAction(e -> editMapping());
        Button drop = new Button("Discard");
        drop.setOnAction(e -> showPreview(false));
        preview = new VBox(8, Ui.section("Before loading"), previewTitle, previewTable, Ui.row(8, importButton, edit, drop));
        preview.getStyleClass().add("card");
        showPreview(false);
        format.setOnAction(e -> {
            if (!chosen.isEmpty()) preview(chosen);
        });
        recent.setId("import-recent");
        recent.setPrefHeight(110);
        recent.setPlaceholder(new Label("No other workspaces yet."));
        recent.setOnMouseClicked(e -> {
            String sel = recent.getSelectionModel().getSelectedItem();
            if (e.getClickCount() == 2 && sel != null && !sel.equals(String.valueOf(session.path()))) openWorkspace.accept(Path.of(sel));
        });
        Button other = new Button("Open workspace …");
        other.setId("import-workspace");
        Button fresh = new Button("New workspace …");
        for (Button b : List.of(other, fresh)) {
            b.setOnAction(e -> {
                FileChooser fc = new FileChooser();
                fc.setTitle(b == fresh ? "Create a workspace" : "Open a workspace");
                fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("RouteLedger workspace", "*.duckdb"));
                if (b == fresh) fc.setInitialFileName("team.duckdb");
                File f = b == fresh ? fc.showSaveDialog(b.getScene().getWindow()) : fc.showOpenDialog(b.getScene().getWindow());
                if (f != null) openWorkspace.accept(f.toPath());
            });
        }
        VBox page = Ui.page(Ui.title("Import"), Ui.row(8, open, new Label("Format"), format, cancel), progress, preview,
            Ui.section("Imported"), results, Ui.row(8, Ui.section("Rejected rows"), Ui.grow(), export), rejects,
            Ui.row(8, Ui.section("Workspaces"), Ui.grow(), other, fresh), Ui.hint("This one: " + session.describe() + ". Double-click a recent one to open it."), recent);
        page.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
            e.consume();
        });
        page.setOnDragDropped(this::dropped);
        javafx.scene.control.ScrollPane sp = new javafx.scene.control.ScrollPane(page);
        sp.setFitToWidth(true);
        return sp;
    }

    private void dropped(DragEvent e) {
        if (e.getDragboard().hasFiles()) preview(e.getDragboard().getFiles().stream().map(File::toPath).toList());
        e.setDropCompleted(true);
        e.consume();
    }

    @Override
    public void open(Window owner) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Import gateway logs");
        List<File> files = fc.showOpenMultipleDialog(owner);
        if (files != null) preview(files.stream().map(File::toPath).toList());
    }

    /**
     * Shows what the first file would load as, before anything is written: the detected (or chosen) format, which
     * of its columns fills each canonical field, and the first row as it would be stored.
     */
    public void preview(List<Path> files) {
        chosen = List.copyOf(files);
        String fmt = format.getValue();
        dev.routeledger.ingest.UserMapping m = mapping;
        session.submit("Reading " + files.get(0).getFileName(), (ws, conn, task) -> {
            try {
                return new Importer(ws, null).dryRun(files.get(0), fmt, m, 1);
            } catch (dev.routeledger.ingest.ImportException e) {
                return e;
            }
        }, result -> {
            if (result instanceof dev.routeledger.ingest.ImportException e) {
                previewFailed(files, e.getMessage());
                return;
            }
            Importer.DryRun d = (Importer.DryRun) result;
            detected = d.format();
            java.util.Map<String, String> bySource = d.columns();
            java.util.Map<String, String> byField = new java.util.LinkedHashMap<>();
            bySource.forEach((src, field) -> byField.put(field, src));
            List<String[]> rows = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            java.util.Map<String, Object> first = d.rows().isEmpty() ? java.util.Map.of() : d.rows().get(0);
            for (dev.routeledger.ingest.CanonicalField f : dev.routeledger.ingest.CanonicalField.values()) {
                String src = byField.get(f.column);
                if (src == null && f.isRequired()) missing.add(f.column);
                if (src == null && !f.isRequired()) continue;
                Object v = first.get(f.column);
                rows.add(new String[] {f.column + (f.isRequired() ? " *" : ""), src == null ? "— none: every row would be rejected" : src,
                    v == null ? "" : String.valueOf(v)});
            }
            TableRows.setAll(previewTable, rows);
            previewTitle.setText(files.size() + (files.size() == 1 ? " file" : " files") + "; " + files.get(0).getFileName() + " reads as "
                + d.format() + (m != null ? " with your mapping" : "") + (missing.isEmpty() ? "." : ". Missing: " + String.join(", ", missing)
                + " — edit the mapping to say which of the file's fields hold them.")
                + (d.warnings().isEmpty() ? "" : " " + String.join("; ", d.warnings())));
            importButton.setDisable(!missing.isEmpty());
            showPreview(true);
        });
    }

    /**
     * The first records could not be read as a preview. A file in no known format needs a mapping first; any
     * other problem (a malformed line, say) is for the import itself, which rejects bad rows with their line.
     */
    private void previewFailed(List<Path> files, String message) {
        previewTable.getItems().clear();
        detected = null;
        boolean unknown = message.contains("matches no log format");
        previewTitle.setText(files.get(0).getFileName() + ": " + message.replaceAll("\\s*\\R\\s*", " ").strip()
            + (unknown ? " Edit the mapping to say which of its fields hold the canonical ones (timestamp and model at least)."
                : " Importing it rejects the rows that cannot be read, each with its line and reason."));
        importButton.setDisable(unknown);
        showPreview(true);
    }

    private void showPreview(boolean show) {
        preview.setVisible(show);
        preview.setManaged(show);
        if (!show) {
            chosen = List.of();
            mapping = null;
        }
    }

    /** A mapping for fields the format did not find: canonical field → the file's field (a dotted path for nested JSON). */
    private void editMapping() {
        javafx.scene.control.Dialog<java.util.Map<dev.routeledger.ingest.CanonicalField, String>> d = new javafx.scene.control.Dialog<>();
        d.setTitle("Column mapping");
        d.setHeaderText("Which field of the file holds each canonical field? Leave blank to keep what was detected.\n"
            + "Nested JSON fields are dotted paths, e.g. metadata.product_area.");
        javafx.scene.layout.GridPane grid = new javafx.scene.layout.GridPane();
        grid.setHgap(10);
        grid.setVgap(6);
        java.util.Map<dev.routeledger.ingest.CanonicalField, TextField> inputs = new java.util.LinkedHashMap<>();
        int row = 0;
        for (dev.routeledger.ingest.CanonicalField f : dev.routeledger.ingest.CanonicalField.values()) {
            TextField t = new TextField(mapping != null && mapping.fields().containsKey(f) ? mapping.fields().get(f) : "");
            t.setId("mapping-" + f.column);
            t.setPromptText(currentSource(f));
            grid.add(new Label(f.column + (f.isRequired() ? " *" : "")), 0, row);
            grid.add(t, 1, row++);
            inputs.put(f, t);
        }
        javafx.scene.control.ScrollPane sp = new javafx.scene.control.ScrollPane(grid);
        sp.setPrefSize(520, 460);
        d.getDialogPane().setContent(sp);
        d.getDialogPane().getButtonTypes().addAll(javafx.scene.control.ButtonType.OK, javafx.scene.control.ButtonType.CANCEL);
        d.setResultConverter(b -> {
            if (b != javafx.scene.control.ButtonType.OK) return null;
            java.util.Map<dev.routeledger.ingest.CanonicalField, String> out = new java.util.LinkedHashMap<>();
            inputs.forEach((f, t) -> {
                if (!t.getText().isBlank()) out.put(f, t.getText().strip());
            });
            return out;
        });
        d.initOwner(preview.getScene().getWindow());
        d.showAndWait().ifPresent(this::useMapping);
    }

    /** Reads the chosen files with {@code fields} (canonical field → the file's field) and previews them again. */
    public void useMapping(java.util.Map<dev.routeledger.ingest.CanonicalField, String> fields) {
        // the format the file was read in, else the one chosen; a file in no known format is the canonical log
        // under other names
        String as = !"auto".equals(format.getValue()) ? format.getValue() : detected != null ? detected : "canonical";
        mapping = fields.isEmpty() ? null : new dev.routeledger.ingest.UserMapping(Path.of("the console's mapping"), as, fields);
        preview(chosen);
    }

    private String currentSource(dev.routeledger.ingest.CanonicalField f) {
        for (String[] r : previewTable.getItems()) {
            if (r[0].startsWith(f.column + " ") || r[0].equals(f.column)) return r[1].startsWith("—") ? "" : r[1];
        }
        return "";
    }

    /** Imports the files one after the other (each atomic), then reloads every screen. */
    public void importFiles(List<Path> files) {
        String fmt = format.getValue();
        dev.routeledger.ingest.UserMapping m = mapping;
        showPreview(false);
        importInProgress.set(true);
        session.submit("Importing " + files.size() + (files.size() == 1 ? " file" : " files"), (ws, conn, task) -> {
            List<ImportResult> done = new ArrayList<>();
            try {
                importEach(ws, files, fmt, m, done);
            } finally {
                Platform.runLater(() -> importInProgress.set(false));
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

    /** Imports {@code files} one after the other into {@code done}, each atomic; a cancel stops at the file it hits. */
    private void importEach(dev.routeledger.store.Workspace ws, List<Path> files, String fmt, dev.routeledger.ingest.UserMapping m, List<ImportResult> done)
            throws Exception {
        for (Path f : files) {
            long t0 = System.nanoTime();
            Importer importer = new Importer(ws, (file, step) -> Platform.runLater(() -> progress.setText(file + ": " + step
                + String.format(" (%.0f s)", (System.nanoTime() - t0) / 1e9))));
            running = importer;
            session.cancelWith(importer::cancel);
            try {
                done.add(importer.importFile(f, fmt, m));
            } catch (ImportCancelledException c) {
                Platform.runLater(() -> progress.setText("Cancelled: " + f.getFileName() + " was not imported; the workspace is as it was."));
                break;
            } finally {
                running = null;
                session.cancelWith(null);
            }
        }
    }

    /** The workspace's imports, newest first, and the rejected rows of the newest ones (at most 1,000 rows). */
    record History(List<Batch> batches, List<Reject> rejects) {}

    private static History history(java.sql.Connection conn) throws Exception {
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
        return new History(batches, out);
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
    protected void load(Filter filter) {
        recent.getItems().setAll(dev.routeledger.console.ConsoleApp.recentWorkspaces());
        session.submit("Reading the imports", (ws, conn, task) -> history(conn), r -> {
            TableRows.setAll(results, r.batches());
            TableRows.setAll(rejects, r.rejects());
        });
    }

    /** For tests: whether an import is running. */
    public boolean importing() { return running != null; }
}
