package dev.routeledger.console;

import dev.routeledger.ingest.Importer;
import dev.routeledger.store.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;
import java.util.stream.Stream;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.stage.Stage;

/**
 * The desktop console (SPEC §8). It opens the workspace given with {@code -Droutledger.workspace=FILE}, else the
 * last one opened, else the bundled sample logs (imported once into a workspace under the user's home) — so a
 * new user sees every screen populated. The window shows at once; the workspace opens in the background.
 */
public class ConsoleApp extends Application {
    private static final Preferences PREFS = Preferences.userNodeForPackage(ConsoleApp.class);
    private Session session;
    private Stage stage;
    private MainWindow window;

    public static void launchConsole(String[] args) {
        Application.launch(ConsoleApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        Workspace.preloadEngine(); // started by the launcher already; here for a console started otherwise (screenshots, tests)
        this.stage = stage;
        stage.setTitle("RouteLedger");
        stage.getIcons().addAll(Icons.window());
        stage.setOnCloseRequest(e -> {
            PREFS.putDouble("width", stage.getWidth());
            PREFS.putDouble("height", stage.getHeight());
        });
        // the theme before the splash: its large stylesheet is parsed while the workspace opens on its own thread,
        // not in the main window's first frame (MainWindow sets the same one again, which costs nothing)
        long themed = System.nanoTime();
        MainWindow.applyTheme(PREFS.getBoolean("dark", false));
        if (TIMING) System.err.printf("theme read %.2f s%n", (System.nanoTime() - themed) / 1e9);
        // the controls' first styling rehearsed off the FX thread while the splash is up and the workspace opens
        // (StyleRehearsal). Until it is over the FX thread lays out no control with text (the splash's texts are
        // Text nodes, its spinner has none), and the main window is built once it is.
        // once per process: a second console (tests) finds the controls warm, and its rehearsal would style beside the
        // first one's windows, which lay out text on the FX thread
        rehearsal = REHEARSE && REHEARSED.compareAndSet(false, true) ? StyleRehearsal.start(PREFS.getBoolean("dark", false)) : StyleRehearsal.none();
        open(workspacePath(), PREFS.getDouble("width", 1360), PREFS.getDouble("height", 860), null);
    }

    /** Opens another workspace in this window (the current one is closed first). */
    public void switchTo(Path workspace) {
        if (window != null) window.close();
        Session old = session;
        session = null;
        window = null;
        open(workspace, stage.getScene().getWidth(), stage.getScene().getHeight(), old);
    }

    /**
     * Shows the splash and opens {@code wsPath} on a thread of its own; {@code old} (or null), the session being
     * left, is closed on that thread first: its work stopped and its workspace checkpointed and closed, which can
     * take seconds and must not hold the FX thread (and the same file may be the one opened next).
     */
    private void open(Path wsPath, double width, double height, Session old) {
        long started = System.nanoTime();
        // the workspace opens while the splash is drawn
        Task<Workspace> open = new Task<>() {
            @Override
            protected Workspace call() throws Exception {
                if (old != null) {
                    updateMessage("Closing " + old.describe() + " …");
                    old.close();
                }
                updateMessage(wsPath.toString());
                long t0 = System.nanoTime();
                Workspace ws = Workspace.open(wsPath);
                if (TIMING) System.err.printf("workspace open %.2f s%n", (System.nanoTime() - t0) / 1e9);
                if (isSampleWorkspace(wsPath) && isEmpty(ws)) {
                    Importer importer = new Importer(ws, (file, step) -> updateMessage("Importing the sample logs: " + file + ": " + step));
                    for (Path p : sampleLogs()) importer.importFile(p, "canonical");
                }
                MainWindow.loadScreenClasses(); // while the rehearsal ends its round, not in the window's first task
                return ws;
            }
        };
        Thread opener = new Thread(open, "console-open");
        opener.setDaemon(true);
        opener.start();
        Text opening = new Text("Opening the workspace …");
        opening.setId("opening");
        Text detail = new Text();
        detail.setWrappingWidth(Math.max(200, width * 0.7));
        for (Text t : List.of(opening, detail)) t.setStyle("-fx-fill: -color-fg-default;");
        VBox splash = new VBox(12, new ProgressIndicator(), opening, detail);
        splash.setAlignment(Pos.CENTER);
        stage.setScene(new Scene(splash, width, height));
        stage.show();
        if (TIMING) System.err.printf("splash shown %.2f s%n", (System.nanoTime() - started) / 1e9);

        detail.textProperty().bind(open.messageProperty()); // a Text node: measured with its own layout, safe meanwhile
        // once the workspace is open the rehearsal ends after the part it is on (its first round done), then the window is built
        open.setOnSucceeded(e -> {
            rehearsal.stop();
            rehearsal.done().thenRun(() -> Platform.runLater(() -> showWindow(open.getValue(), started)));
        });
        open.setOnFailed(e -> {
            rehearsal.stop();
            rehearsal.done().thenRun(() -> Platform.runLater(() -> {
                detail.textProperty().unbind();
                opening.setText("Could not open the workspace");
                detail.setText(Workspace.firstLine(open.getException()));
            }));
        });
    }

    private void showWindow(Workspace ws, long started) {
        if (ws.path() != null) remember(ws.path());
        long b0 = System.nanoTime();
        session = new Session(ws);
        MainWindow w = new MainWindow(session, MainWindow.allScreens(session, this::switchTo), PREFS.getBoolean("dark", false));
        if (TIMING) System.err.printf("workspace ready %.2f s (the window built in %.0f ms)%n", (System.nanoTime() - started) / 1e9, (System.nanoTime() - b0) / 1e6);
        // the scene and the first screen in a task of their own: building the window and then showing it in one
        // task kept the FX thread 90-125 ms (the splash's frames and any input waited)
        Platform.runLater(() -> {
            stage.setScene(w.scene(stage.getScene().getWidth(), stage.getScene().getHeight()));
            stage.setTitle("RouteLedger — " + ws.describe());
            w.start();
            // published once started: whoever sees the window sees its work submitted and its assembly begun
            window = w;
            if (TIMING) System.err.printf("main window built %.2f s%n", (System.nanoTime() - started) / 1e9);
        });
    }

    /** The last workspace, and the recent ones (newest first, at most {@value #RECENT}). */
    private static void remember(Path ws) {
        String p = ws.toAbsolutePath().normalize().toString();
        PREFS.put("workspace", p);
        java.util.List<String> recent = new java.util.ArrayList<>(recentWorkspaces());
        recent.remove(p);
        recent.add(0, p);
        PREFS.put("recent", String.join("\n", recent.subList(0, Math.min(RECENT, recent.size()))));
    }

    static final int RECENT = 8;

    /** Workspaces opened before that still exist, newest first. */
    public static List<String> recentWorkspaces() {
        return PREFS.get("recent", "").lines().filter(l -> !l.isBlank() && Files.exists(Path.of(l))).toList();
    }

    @Override
    public void stop() {
        if (window != null) window.close(); // its background preparation of screens
        if (session != null) session.close();
    }

    /** The window, once the workspace is open (for tests and screenshots). */
    public MainWindow window() { return window; }

    public Session session() { return session; }

    private static final boolean TIMING = System.getenv("RL_TIMING") != null;
    /** {@code -Droutledger.rehearsal=false} starts without the style rehearsal (to measure what it gives). */
    private static final boolean REHEARSE = !"false".equals(System.getProperty("routeledger.rehearsal"));
    private static final java.util.concurrent.atomic.AtomicBoolean REHEARSED = new java.util.concurrent.atomic.AtomicBoolean();
    private StyleRehearsal rehearsal;

    private static boolean isEmpty(Workspace ws) throws java.sql.SQLException {
        try (var s = ws.connection().createStatement(); var rs = s.executeQuery("SELECT count(*) FROM (SELECT 1 FROM calls LIMIT 1)")) {
            rs.next();
            return rs.getLong(1) == 0;
        }
    }

    static Path workspacePath() {
        String given = System.getProperty("routeledger.workspace");
        if (given != null) return Path.of(given);
        String last = PREFS.get("workspace", null);
        if (last != null && Files.exists(Path.of(last))) return Path.of(last);
        return sampleWorkspace();
    }

    static Path sampleWorkspace() {
        return Path.of(System.getProperty("user.home"), ".routeledger", "sample.duckdb");
    }

    private static boolean isSampleWorkspace(Path p) {
        return p.toAbsolutePath().normalize().equals(sampleWorkspace().toAbsolutePath().normalize());
    }

    /** The bundled sample logs: ./sample-logs, or beside the jar's folder. */
    static List<Path> sampleLogs() throws IOException {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("sample-logs")));
        try {
            Path jar = Path.of(ConsoleApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // beside the jar (the installed app: lib/app/sample-logs), or beside the jar's folder (target/../sample-logs)
            if (jar.getParent() != null) candidates.add(jar.getParent().resolve("sample-logs"));
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
