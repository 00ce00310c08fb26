package dev.routeledger.console;

import dev.routeledger.analytics.Filter;
import dev.routeledger.store.Workspace;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.concurrent.Task;

/**
 * One open workspace and the work done on it. All database work runs on one background thread that owns the
 * workspace's connection (DuckDB connections are not for concurrent use): the FX thread only submits
 * {@link Work} and receives results. The current filter is shared by every screen.
 */
public final class Session implements AutoCloseable {
    /** Database work: runs on the session's thread with the workspace. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Workspace ws, Connection conn, Task<?> task) throws Exception;
    }

    private static final boolean TIMING = System.getenv("RL_TIMING") != null;
    private final Workspace workspace;
    private final CancellableConnection conn;
    private final ExecutorService db = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "routeledger-db");
        t.setDaemon(true);
        return t;
    });
    private final ObjectProperty<Filter> filter = new SimpleObjectProperty<>(Filter.ALL);
    /** Bumped when the workspace's calls change (an import): screens reload. */
    private final ObjectProperty<Long> dataVersion = new SimpleObjectProperty<>(0L);
    private final ReadOnlyStringWrapper busy = new ReadOnlyStringWrapper("");
    private final javafx.beans.property.DoubleProperty progress = new javafx.beans.property.SimpleDoubleProperty(0);
    private Task<?> current;
    /** The work running on the database thread and its label (set there, read by {@link #step}). */
    private volatile Task<?> running;
    private volatile String runningLabel = "";
    private volatile Runnable cancelHook;
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    private Consumer<Throwable> errors = e -> { };

    public Session(Workspace workspace) {
        this.workspace = workspace;
        this.conn = new CancellableConnection(workspace.connection());
    }

    public Path path() { return workspace.path(); }

    public String describe() { return workspace.describe(); }

    public ObjectProperty<Filter> filter() { return filter; }

    public ObjectProperty<Long> dataVersion() { return dataVersion; }

    /** What runs in the background now, as the status bar shows it ("" when idle). */
    public ReadOnlyStringProperty busy() { return busy.getReadOnlyProperty(); }

    public javafx.beans.property.DoubleProperty progress() { return progress; }

    /** How many submitted pieces of work have not yet delivered their result (0: every screen shows its figures). */
    public int pending() { return pending.get() + TableRows.growing() + LaterFrame.waiting(); }

    /** Background work's progress, 0 to 1 (for the status bar); callable from any thread. */
    public void reportProgress(double fraction) {
        Platform.runLater(() -> progress.set(fraction));
    }

    /** Shows a message about the user's input through the error handler. */
    public void onErrorShow(String message) {
        errors.accept(new IllegalArgumentException(message));
    }

    /** Where failures of background work go (an error dialog in plain words). */
    public void onError(Consumer<Throwable> handler) { this.errors = handler; }

    /**
     * Runs {@code work} on the database thread; {@code done} gets its result on the FX thread. Work queues behind
     * what is already running; a failure goes to the error handler, a cancellation nowhere.
     */
    public <T> Task<T> submit(String label, Work<T> work, Consumer<T> done) {
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                Platform.runLater(() -> {
                    current = this;
                    busy.set(label + " …");
                });
                running = this;
                runningLabel = label;
                long t0 = System.nanoTime();
                T result = work.run(workspace, conn.connection(), this);
                if (TIMING) System.err.printf("  %s: done in %.2f s on the database thread%n", label, (System.nanoTime() - t0) / 1e9);
                return result;
            }
        };
        task.setOnSucceeded(e -> {
            idle(task);
            long t0 = System.nanoTime();
            try {
                done.accept(task.getValue());
                if (TIMING) System.err.printf("  %s: figures shown in %.0f ms%n", label, (System.nanoTime() - t0) / 1e6);
            } finally {
                pending.decrementAndGet();
            }
        });
        task.setOnFailed(e -> {
            idle(task);
            pending.decrementAndGet();
            if (!task.isCancelled()) errors.accept(task.getException());
        });
        task.setOnCancelled(e -> {
            idle(task);
            pending.decrementAndGet();
        });
        pending.incrementAndGet();
        db.submit(task);
        return task;
    }

    /** A step of the running work, run on the database thread. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /**
     * Runs a long first step of the running work (called from its database thread) with the status bar saying what
     * it is, then the work's own label again: a screen's query that first has to build stored facts would otherwise
     * sit under its own label for seconds, unexplained.
     */
    public void step(String text, Step step) throws Exception {
        Task<?> task = running;
        String label = runningLabel;
        Platform.runLater(() -> { if (current == task) busy.set(text + " …"); });
        try {
            step.run();
        } finally {
            // queued before the task's own completion, which is posted to the FX thread after the work returns
            Platform.runLater(() -> { if (current == task) busy.set(label + " …"); });
        }
    }

    private void idle(Task<?> task) {
        cancelHook = null;
        if (current == task) {
            current = null;
            busy.set("");
            progress.set(0);
        }
    }

    /**
     * Stops the running work. Work that stops itself cleanly (an import rolls back its file) registered how with
     * {@link #cancelWith}; any other work has its query cancelled in DuckDB and its result dropped.
     */
    public void cancelRunning() {
        Runnable hook = cancelHook;
        if (hook != null) {
            hook.run();
            return;
        }
        Task<?> t = current;
        if (t != null) {
            t.cancel(false);
            conn.cancelRunning();
        }
    }

    /** Called from running work: how to stop it ({@code null} when it can no longer be stopped). */
    public void cancelWith(Runnable hook) {
        cancelHook = hook;
    }

    /** The calls changed: every screen reloads. */
    public void dataChanged() {
        dataVersion.set(dataVersion.get() + 1);
    }

    @Override
    public void close() {
        cancelRunning();
        db.shutdown();
        try {
            db.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workspace.close();
    }
}
