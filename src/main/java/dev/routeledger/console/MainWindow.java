package dev.routeledger.console;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.routeledger.analytics.WorkspaceSummary;
import dev.routeledger.analytics.WorkspaceSummaryQuery;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Application;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/**
 * The console's one window: the navigation rail on the left, the filter bar on top, the current screen in the
 * middle, the status bar (workspace, counts, background work with Cancel) at the bottom.
 */
public final class MainWindow {
    private static final boolean TIMING = System.getenv("RL_TIMING") != null;
    private final Session session;
    private final List<Screen> screens;
    private final BorderPane root = new BorderPane();
    private final StackPane center = new StackPane();
    private final ToggleGroup nav = new ToggleGroup();
    private final FilterBar filterBar;
    private final Label status = new Label();
    private Screen current;
    private boolean dark;
    private final ScreenWarmup warmup;

    public MainWindow(Session session, List<Screen> screens, boolean dark) {
        this.session = session;
        this.screens = screens;
        this.dark = dark;
        this.filterBar = new FilterBar(session);
        root.setLeft(rail());
        VBox.setVgrow(center, Priority.ALWAYS);
        root.setCenter(new VBox(filterBar, center));
        root.setBottom(statusBar());
        root.getStyleClass().add("main");
        session.filter().addListener((o, a, b) -> reshow());
        session.dataVersion().addListener((o, a, b) -> {
            filterBar.reloadChoices();
            refreshStatus();
            reshow();
        });
        session.onError(this::showError);
        warmup = new ScreenWarmup(center, () -> session.pending() == 0);
    }

    public Scene scene(double width, double height) {
        Scene scene = new Scene(root, width, height);
        scene.getStylesheets().add(MainWindow.class.getResource("/dev/routeledger/console/console.css").toExternalForm());
        applyTheme();
        for (int i = 0; i < screens.size() && i < 9; i++) {
            int at = i;
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.getKeyCode(String.valueOf(i + 1)), KeyCombination.SHORTCUT_DOWN), () -> show(screens.get(at)));
        }
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> filterBar.from().requestFocus());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN), () -> toggleTheme(true));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN), () -> {
            if (current instanceof Exportable x) x.export(root.getScene().getWindow());
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), () -> screens.stream()
            .filter(s -> s instanceof Exportable.Opens).findFirst().ifPresent(s -> {
                show(s);
                ((Exportable.Opens) s).open(root.getScene().getWindow());
            }));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), session::cancelRunning);
        return scene;
    }

    /** Opens the window's content: the first screen, the status line, the filter's choices. */
    public void start() {
        // the first screen's figures first: the work queues on one thread, and the filter's choices (a distinct
        // scan per column) can wait until the figures are in
        show(screens.get(0));
        refreshStatus();
        filterBar.reloadChoices();
        // the window comes together over a few frames, then the other screens are built and styled while the user
        // reads the first (ScreenWarmup)
        warmup.assemble(List.of(root.getLeft(), filterBar, root.getBottom(), screens.get(0).view()), () -> warmup.start(screens));
    }

    /** Stops the window's background preparation: it is being replaced. */
    public void close() {
        warmup.stop();
    }

    /** Whether the window is still coming together after its start (a few frames). */
    public boolean assembling() {
        return warmup.assembling();
    }

    /** Whether screens not shown yet are still being prepared in idle time. */
    public boolean warming() {
        return warmup.running();
    }

    public void show(Screen s) {
        current = s;
        long t0 = System.nanoTime();
        warmup.finish(s);
        // a view being warmed stays where it is (hidden): only the shown screen's view changes
        center.getChildren().removeIf(n -> n.isVisible() && n != s.view());
        if (!center.getChildren().contains(s.view())) center.getChildren().add(0, s.view());
        if (TIMING) System.err.printf("  %s: view built and attached in %.0f ms%n", s.key(), (System.nanoTime() - t0) / 1e6);
        for (var t : nav.getToggles()) {
            if (t.getUserData() == s) nav.selectToggle(t);
        }
        s.showFor(session.filter().get(), session.dataVersion().get());
    }

    public Screen screen(String key) {
        return screens.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    }

    public List<Screen> screens() { return screens; }

    public FilterBar filterBar() { return filterBar; }

    public boolean dark() { return dark; }

    private void reshow() {
        if (current != null) current.showFor(session.filter().get(), session.dataVersion().get());
    }

    /** The navigation rail with the brand, no buttons yet (the style rehearsal builds one too). */
    static VBox emptyRail() {
        VBox rail = new VBox(2);
        rail.getStyleClass().add("nav-rail");
        Label brand = new Label("RouteLedger");
        brand.getStyleClass().add("brand");
        rail.getChildren().add(brand);
        return rail;
    }

    /** A screen's button on the rail. */
    static ToggleButton navButton(String title, org.kordamp.ikonli.Ikon icon) {
        ToggleButton b = new ToggleButton(title, new FontIcon(icon));
        b.setMaxWidth(Double.MAX_VALUE);
        b.setAlignment(Pos.CENTER_LEFT);
        b.setContentDisplay(ContentDisplay.LEFT);
        b.setGraphicTextGap(10);
        b.getStyleClass().add("nav-button");
        return b;
    }

    private VBox rail() {
        VBox rail = emptyRail();
        int i = 1;
        for (Screen s : screens) {
            ToggleButton b = navButton(s.title(), s.icon());
            b.setId("nav-" + s.key());
            b.setUserData(s);
            b.setToggleGroup(nav);
            Ui.tooltip(b, s.title() + "  (Ctrl+" + i++ + ")");
            b.setOnAction(e -> {
                show(s);
                b.setSelected(true);
            });
            rail.getChildren().add(b);
        }
        Region gap = new Region();
        VBox.setVgrow(gap, Priority.ALWAYS);
        Button theme = new Button("Theme", new FontIcon(Material2OutlinedMZ.WB_SUNNY));
        theme.setId("theme-toggle");
        theme.getStyleClass().add("nav-button");
        theme.setMaxWidth(Double.MAX_VALUE);
        theme.setAlignment(Pos.CENTER_LEFT);
        Ui.tooltip(theme, "Light or dark (Ctrl+D)");
        theme.setOnAction(e -> toggleTheme(true));
        rail.getChildren().addAll(gap, theme);
        rail.setPadding(new Insets(12, 8, 12, 8));
        rail.setPrefWidth(190);
        return rail;
    }

    private HBox statusBar() {
        status.setId("status-text");
        Label busy = new Label();
        busy.setId("status-busy");
        busy.textProperty().bind(session.busy());
        ProgressBar bar = new ProgressBar();
        bar.setPrefWidth(120);
        // indeterminate until the work reports how far it is
        bar.progressProperty().bind(javafx.beans.binding.Bindings.when(session.progress().greaterThan(0)).then(session.progress()).otherwise(-1.0));
        bar.visibleProperty().bind(session.busy().isNotEmpty());
        Button cancel = new Button("Cancel");
        cancel.setId("status-cancel");
        cancel.visibleProperty().bind(session.busy().isNotEmpty());
        cancel.setOnAction(e -> session.cancelRunning());
        HBox bar2 = new HBox(10, status, Ui.grow(), busy, bar, cancel);
        bar2.setAlignment(Pos.CENTER_LEFT);
        bar2.getStyleClass().add("status-bar");
        return bar2;
    }

    /** The workspace and its counts in the status bar. */
    public void refreshStatus() {
        session.submit("Counting the workspace", (ws, conn, task) -> WorkspaceSummaryQuery.run(ws), (WorkspaceSummary s) ->
            status.setText(s.from() == null ? s.workspace() + "  ·  no calls yet: import a log (Ctrl+O)"
                : String.format("%s  ·  %s calls  ·  %s traces  ·  %s users  ·  %s to %s UTC", s.workspace(), Fmt.count(s.calls()),
                Fmt.count(s.traces()), Fmt.count(s.users()), s.from().toLocalDate(), s.to().toLocalDate())));
    }

    /** Light to dark or back; {@code remember}: the next start opens in it. */
    public void toggleTheme(boolean remember) {
        dark = !dark;
        applyTheme();
        if (remember) java.util.prefs.Preferences.userNodeForPackage(ConsoleApp.class).putBoolean("dark", dark);
    }

    /** Makes the light or dark AtlantaFX theme the application's stylesheet. */
    static void applyTheme(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
    }

    private void applyTheme() {
        applyTheme(dark);
        root.getStyleClass().removeAll("dark", "light");
        root.getStyleClass().add(dark ? "dark" : "light");
    }

    /** An error from background work, in plain words. */
    private void showError(Throwable e) {
        System.getLogger("routeledger.console").log(System.Logger.Level.WARNING, "background work failed", e);
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        Alert a = new Alert(Alert.AlertType.ERROR, msg.lines().findFirst().orElse(msg));
        a.setHeaderText("That did not work");
        a.initOwner(root.getScene() == null ? null : root.getScene().getWindow());
        a.show();
    }

    public BorderPane root() { return root; }

    /**
     * Loads (without initialising) the screens' classes and the classes they name, off the FX thread: loading them
     * in the task that builds the window kept the FX thread 40 ms longer.
     */
    static void loadScreenClasses() {
        ClassLoader cl = MainWindow.class.getClassLoader();
        for (String name : List.of("OverviewScreen", "BreakdownScreen", "MonthlyScreen", "PowerUsersScreen", "EscalationsScreen", "PolicyLabScreen",
            "PricesScreen", "ImportScreen")) {
            try {
                Class<?> c = Class.forName("dev.routeledger.console.screens." + name, false, cl);
                for (java.lang.reflect.Field f : c.getDeclaredFields()) f.getType(); // the types of its fields, loaded with it
            } catch (ClassNotFoundException | LinkageError e) {
                // nothing lost: the class loads when first used, as it would anyway
            }
        }
    }

    /** @param openWorkspace opens another workspace in the window (the Import screen's recent workspaces) */
    public static List<Screen> allScreens(Session s, java.util.function.Consumer<java.nio.file.Path> openWorkspace) {
        List<Screen> out = new ArrayList<>();
        out.add(new dev.routeledger.console.screens.OverviewScreen(s));
        out.add(new dev.routeledger.console.screens.BreakdownScreen(s));
        out.add(new dev.routeledger.console.screens.MonthlyScreen(s));
        out.add(new dev.routeledger.console.screens.PowerUsersScreen(s));
        out.add(new dev.routeledger.console.screens.EscalationsScreen(s));
        out.add(new dev.routeledger.console.screens.PolicyLabScreen(s));
        out.add(new dev.routeledger.console.screens.PricesScreen(s));
        out.add(new dev.routeledger.console.screens.ImportScreen(s, openWorkspace));
        return out;
    }
}
