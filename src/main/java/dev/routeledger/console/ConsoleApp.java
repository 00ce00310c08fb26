package dev.routeledger.console;

import dev.routeledger.analytics.WorkspaceSummary;
import dev.routeledger.analytics.WorkspaceSummaryQuery;
import dev.routeledger.ingest.Importer;
import dev.routeledger.store.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javafx.application.Application;
import javafx.beans.property.SimpleStringProperty;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * The first console: one window with the workspace's calls and spend per tier. It opens the bundled sample
 * logs (imported once into a workspace under the user's home) unless a workspace is given with
 * {@code -Droutledger.workspace=FILE}. All database work runs off the FX thread.
 */
public class ConsoleApp extends Application {
    private final Label headline = new Label("Opening the workspace …");
    private final Label detail = new Label();
    private final ProgressBar progress = new ProgressBar();
    private final TableView<String[]> tiers = new TableView<>();

    public static void launchConsole(String[] args) {
        Application.launch(ConsoleApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        headline.setId("headline");
        tiers.setId("tiers");
        headline.setStyle("-fx-font-size: 22px; -fx-font-weight: bold;");
        detail.setStyle("-fx-font-size: 13px; -fx-text-fill: #555;");
        progress.setMaxWidth(Double.MAX_VALUE);
        addColumn("Tier", 0, 120);
        addColumn("Calls", 1, 140);
        addColumn("Spend", 2, 160);
        addColumn("Share", 3, 100);
        detail.setWrapText(true);
        tiers.setPlaceholder(new Label("No calls yet: import a log with `routeledger import FILE`."));
        VBox top = new VBox(6, headline, detail, progress);
        top.setPadding(new Insets(16));
        BorderPane root = new BorderPane(tiers, top, null, null, null);
        BorderPane.setMargin(tiers, new Insets(0, 16, 16, 16));
        stage.setTitle("RouteLedger");
        stage.setScene(new Scene(root, 720, 420));
        stage.show();

        Task<WorkspaceSummary> load = new Task<>() {
            @Override
            protected WorkspaceSummary call() throws Exception {
                Path wsPath = workspacePath();
                updateMessage("Workspace " + wsPath);
                try (Workspace ws = Workspace.open(wsPath)) {
                    WorkspaceSummary s = WorkspaceSummaryQuery.run(ws);
                    if (s.calls() == 0 && System.getProperty("routeledger.workspace") == null) {
                        Importer importer = new Importer(ws, (file, step) -> updateMessage("Importing " + file + ": " + step));
                        for (Path p : sampleLogs()) importer.importFile(p, "canonical");
                        s = WorkspaceSummaryQuery.run(ws);
                    }
                    return s;
                }
            }
        };
        detail.textProperty().bind(load.messageProperty());
        load.setOnSucceeded(e -> show(load.getValue()));
        load.setOnFailed(e -> {
            detail.textProperty().unbind();
            progress.setVisible(false);
            headline.setText("Could not open the workspace");
            detail.setText(load.getException().getMessage());
        });
        Thread t = new Thread(load, "console-load");
        t.setDaemon(true);
        t.start();
    }

    private void addColumn(String title, int index, double width) {
        TableColumn<String[], String> c = new TableColumn<>(title);
        c.setCellValueFactory(v -> new SimpleStringProperty(v.getValue()[index]));
        c.setPrefWidth(width);
        c.setStyle(index == 0 ? "" : "-fx-alignment: CENTER-RIGHT;");
        tiers.getColumns().add(c);
    }

    private void show(WorkspaceSummary s) {
        detail.textProperty().unbind();
        progress.setVisible(false);
        List<String[]> rows = new ArrayList<>();
        for (WorkspaceSummary.TierSpend t : s.byTier()) {
            rows.add(new String[] {t.tier() == null ? "unknown" : "Tier " + t.tier(), String.format("%,d", t.calls()),
                String.format("$%,.2f", t.costUsd()), s.costUsd() > 0 ? String.format("%.1f %%", 100 * t.costUsd() / s.costUsd()) : "–"});
        }
        tiers.getItems().setAll(rows);
        // The headline goes last: it is what tells a watcher (and the UI test) that the figures are in.
        headline.setText(String.format("%,d calls · $%,.2f spend", s.calls(), s.costUsd()));
        String pricing = s.catalogEstimatedUsd() > 0 ? String.format("$%,.2f of it estimated from catalog prices", s.catalogEstimatedUsd())
            : "all spend as the gateway logged it";
        if (!s.unpricedModels().isEmpty()) pricing += String.format(" · %,d calls of %d models have no price", s.callsWithoutCost(), s.unpricedModels().size());
        if (s.discounted()) pricing += " · after negotiated discounts";
        detail.setText(String.format("%s · %,d traces · %,d users · %s to %s UTC%n%s", s.workspace(), s.traces(), s.users(),
            s.from() == null ? "-" : s.from().toLocalDate(), s.to() == null ? "-" : s.to().toLocalDate(), pricing));
    }

    static Path workspacePath() {
        String given = System.getProperty("routeledger.workspace");
        if (given != null) return Path.of(given);
        return Path.of(System.getProperty("user.home"), ".routeledger", "sample.duckdb");
    }

    /** The bundled sample logs: ./sample-logs, or beside the jar's folder. */
    static List<Path> sampleLogs() throws IOException {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("sample-logs")));
        try {
            Path jar = Path.of(ConsoleApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (jar.getParent() != null && jar.getParent().getParent() != null) candidates.add(jar.getParent().getParent().resolve("sample-logs"));
        } catch (Exception ignored) {
            // not started from a jar
        }
        for (Path dir : candidates) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    List<Path> logs = files.filter(p -> p.getFileName().toString().matches(".*\\.(jsonl|csv|parquet)(\\.gz)?")).sorted().toList();
                    if (!logs.isEmpty()) return logs;
                }
            }
        }
        return List.of();
    }
}
