package dev.routeledger.console;

import dev.routeledger.analytics.Overview;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.FXCollections;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.controlsfx.control.CheckComboBox;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/**
 * Styles, off the FX thread and while the splash is up, a throwaway scene with one of each control the window's
 * first frames style (labels, rail buttons, date pickers, CheckComboBoxes, a chart, tables), a few times over.
 * The first styling of each control type cost the FX thread 60–180 ms at start (SPEC §9: no FX-thread task over
 * 100 ms): loading and initialising the skins' classes, the theme's selectors matched for the first time, and
 * the CSS code run cold. Done here first, the FX thread's first styling finds all of that done and compiled.
 *
 * <p>JavaFX allows building and styling nodes on any thread while their scene is in no showing window; its
 * style caches are locked for that. Nothing of this scene is kept.
 */
final class StyleRehearsal {
    private static final boolean TIMING = System.getenv("RL_TIMING") != null;
    /** How many times the controls are built and styled at most: the first loads, the next ones let the JIT compile. */
    static final int ROUNDS = 3;
    /** The parts of a round: the rail, the filter bar, figures, a chart, a table, the status bar. */
    static final int PARTS = 6;

    private final boolean dark;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile int parts;
    private volatile Throwable failure;

    private StyleRehearsal(boolean dark) {
        this.dark = dark;
    }

    /**
     * Starts the rehearsal on a daemon thread; returns at once. {@code dark}: the theme the window will use. Until
     * {@link #done()} the FX thread must lay out no control with text: JavaFX's control skins share one text
     * layout object for measuring, which two threads at once corrupt.
     */
    static StyleRehearsal start(boolean dark) {
        StyleRehearsal r = new StyleRehearsal(dark);
        Thread t = new Thread(r::run, "style-rehearsal");
        t.setDaemon(true);
        t.start();
        return r;
    }

    /** A rehearsal already over (none wanted). */
    static StyleRehearsal none() {
        StyleRehearsal r = new StyleRehearsal(false);
        r.done.complete(null);
        return r;
    }

    /** Asks the rehearsal to end after the part it is styling, its first round complete (the window is wanted now). */
    void stop() {
        stop.set(true);
    }

    /** Completes when the rehearsal is over (never exceptionally). */
    CompletableFuture<Void> done() {
        return done;
    }

    /** Parts styled so far (six a round). */
    int parts() {
        return parts;
    }

    /** What stopped the rehearsal early, if anything did (it is then only shorter, never an error for the user). */
    Throwable failure() {
        return failure;
    }

    private void run() {
        long t0 = System.nanoTime();
        try {
            // in the order the window's first frames style them; a part is styled whole, then the stop is heeded — from
            // the second round on: the first loads and styles each kind of control once, and a part it missed cost the
            // FX thread 100-150 ms more later (the workspace, its engine loaded ahead, can open before the round ends)
            List<Supplier<Parent>> order = List.of(this::rail, this::filter, this::figures, this::chart, this::table, this::status);
            rounds:
            for (int i = 0; i < ROUNDS; i++) {
                for (Supplier<Parent> part : order) {
                    if (stop.get() && i > 0) break rounds;
                    long p0 = System.nanoTime();
                    Parent root = part.get();
                    root.getStyleClass().addAll("main", dark ? "dark" : "light");
                    Scene scene = new Scene(root, 1200, 800);
                    scene.getStylesheets().add(StyleRehearsal.class.getResource("/dev/routeledger/console/console.css").toExternalForm());
                    root.applyCss();
                    root.layout();
                    parts++;
                    if (TIMING && i == 0) System.err.printf("  rehearsed part %d in %.0f ms%n", parts, (System.nanoTime() - p0) / 1e6);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // a rehearsal only: whatever it did not warm is styled cold on the FX thread, as without it
            failure = e;
            if (TIMING) System.err.println("  style rehearsal stopped: " + e);
        } finally {
            done.complete(null);
        }
        if (TIMING) System.err.printf("  style rehearsal: %d parts in %.0f ms%n", parts, (System.nanoTime() - t0) / 1e6);
    }

    private Parent rail() {
        VBox rail = MainWindow.emptyRail();
        for (String s : List.of("Overview", "Breakdown")) rail.getChildren().add(MainWindow.navButton(s, Material2OutlinedMZ.WB_SUNNY));
        return rail;
    }

    private Parent filter() {
        CheckComboBox<String> users = new CheckComboBox<>(FXCollections.observableArrayList("a", "b"));
        users.setTitle("Users");
        DatePicker from = new DatePicker(LocalDate.of(2026, 1, 1));
        HBox filter = new HBox(8, new Label("From"), from, users, new ComboBox<>(FXCollections.observableArrayList("x")), new TextField("t"), new Button("Reset"));
        filter.getStyleClass().add("filter-bar");
        return filter;
    }

    private Parent figures() {
        Label value = new Label("$113.28");
        value.getStyleClass().add("kpi-value");
        Label caption = new Label("Spend");
        caption.getStyleClass().add("kpi-label");
        VBox kpi = new VBox(4, caption, value);
        kpi.getStyleClass().add("kpi-card");
        return new ScrollPane(kpi);
    }

    private Parent chart() {
        StackedBarChart<String, Number> chart = new StackedBarChart<>(new CategoryAxis(), new NumberAxis());
        chart.setAnimated(false);
        // as many bars as the overview's month by day, filled as the overview fills its chart
        List<String> days = new java.util.ArrayList<>();
        for (int d = 1; d <= 31; d++) days.add(String.format("10-%02d", d));
        Map<String, double[]> bySeries = new java.util.LinkedHashMap<>();
        for (int t = 1; t <= 3; t++) {
            double[] values = new double[days.size()];
            for (int d = 1; d <= 31; d++) values[d - 1] = 1.0 + (d * t) % 5;
            bySeries.put("tier " + t, values);
        }
        StackedBars.fill(chart, days, bySeries);
        return new VBox(chart);
    }

    /**
     * A table of the overview's own rows: its cells compare items with the record's {@code equals}, whose first call
     * links the JVM's record methods (40-130 ms, once per JVM) — here, rather than in the overview's first layout.
     */
    private Parent table() {
        TableView<Overview.Line> table = new TableView<>(FXCollections.observableArrayList(List.of(
            new Overview.Line("a", 1.5, 0.6, 3), new Overview.Line("b", 1.0, 0.4, 2))));
        TableColumn<Overview.Line, String> name = new TableColumn<>("name");
        name.setCellValueFactory(r -> new SimpleStringProperty(r.getValue().name()));
        TableColumn<Overview.Line, String> cost = new TableColumn<>("cost");
        cost.setCellValueFactory(r -> new SimpleStringProperty(Fmt.usd(r.getValue().costUsd())));
        cost.getStyleClass().add("numeric");
        table.getColumns().add(name);
        table.getColumns().add(cost);
        table.setPrefHeight(120);
        return new VBox(table);
    }

    private Parent status() {
        HBox status = new HBox(10, new Label("status"), new ProgressBar(0.5), new Button("Cancel"));
        status.getStyleClass().add("status-bar");
        return status;
    }
}
