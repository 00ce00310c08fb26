package dev.routeledger.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import javafx.animation.AnimationTimer;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * Builds and styles the screens not shown yet while the window is idle, a few nodes a frame. Showing a screen
 * for the first time made JavaFX create every control's skin and match every node against the theme's
 * stylesheet in one frame (80–170 ms of CSS and layout here; SPEC §9: no FX-thread task over 100 ms). Done
 * ahead, in pieces under a time budget, the skins exist and the style caches are warm, and the first showing
 * costs what a later one does.
 *
 * <p>A screen's view is put, hidden and unmanaged, beside the current one; simple layout panes (boxes, grids)
 * are emptied and their children put back one by one, each styled as it returns, so no single step styles a
 * whole screen. When the screen is done its view is taken out again, complete. The window's own parts and its
 * first screen are put together the same way, in view, while the first figures load: code that fills a view must
 * therefore hold on to its nodes, never look them up by their position in a box.
 */
final class ScreenWarmup {
    /** The time one frame may spend on it. */
    private static final double FRAME_BUDGET_MS = 15;
    /** A pane with more nodes than this below it is put back child by child. */
    private static final int SPLIT_ABOVE = 12;
    /** What an unstyled control counts for: its skin's nodes, to come. */
    private static final int CONTROL_WEIGHT = 6;
    private static final boolean TIMING = System.getenv("RL_TIMING") != null;

    /** A child to put back, and how: into its pane's children or its split pane's items. */
    private record Step(Node child, java.util.function.Consumer<Node> putBack) {}

    private final StackPane holder;
    private final BooleanSupplier idle;
    private final Deque<Screen> todo = new ArrayDeque<>();
    private final Deque<Step> steps = new ArrayDeque<>();
    private final AnimationTimer timer;
    private Screen warming;
    /** What to run when the containers being assembled are whole (null: no assembly under way). */
    private Runnable assembled;
    /** Loads the classes the views need, first, off the FX thread (null until the window is first idle). */
    private Thread preload;

    ScreenWarmup(StackPane holder, BooleanSupplier idle) {
        this.holder = holder;
        this.idle = idle;
        this.timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                frame();
            }
        };
    }

    /** Warmups whose timer runs, in this process: each styles and lays out nodes on the FX thread while it runs. */
    private static final java.util.concurrent.atomic.AtomicInteger RUNNING = new java.util.concurrent.atomic.AtomicInteger();
    private boolean ticking;

    /** Whether any warmup in this process is still at work (the style rehearsal's test waits for none). */
    static boolean anyRunning() {
        return RUNNING.get() > 0;
    }

    private void startTimer() {
        if (!ticking) RUNNING.incrementAndGet();
        ticking = true;
        timer.start();
    }

    private void stopTimer() {
        if (ticking) RUNNING.decrementAndGet();
        ticking = false;
        timer.stop();
    }

    /** Warms {@code screens} (those already built are skipped), one after another. */
    void start(List<Screen> screens) {
        todo.addAll(screens);
        startTimer();
    }

    /** Stops for good: the window is being replaced (another workspace). */
    void stop() {
        stopTimer();
        todo.clear();
        steps.clear();
        assembled = null;
        warming = null;
    }

    /** Whether the window is still being put together. */
    boolean assembling() {
        return assembled != null;
    }

    /** Whether screens are still being warmed. */
    boolean running() {
        return assembled != null || warming != null || !todo.isEmpty();
    }

    /**
     * Puts {@code containers} together in view, a few nodes a frame, starting at once (busy or not): the window's
     * first frame would otherwise style all of it in one go (about a second here). {@code then} runs when done.
     */
    void assemble(List<Node> containers, Runnable then) {
        for (int i = containers.size() - 1; i >= 0; i--) empty(containers.get(i));
        assembled = then;
        startTimer();
    }

    /** Completes {@code s} at once if it is being warmed, and takes it off the list: it is about to be shown. */
    void finish(Screen s) {
        todo.remove(s);
        if (warming != s) return;
        while (!steps.isEmpty()) put(steps.pop(), false);
        release();
    }

    private void frame() {
        if (assembled != null) {
            long t0 = System.nanoTime();
            while (!steps.isEmpty() && (System.nanoTime() - t0) / 1e6 < FRAME_BUDGET_MS) putNext("assembling");
            if (steps.isEmpty()) {
                Runnable then = assembled;
                assembled = null;
                then.run();
            }
            return;
        }
        if (!idle.getAsBoolean()) return; // a screen's figures come first
        if (preload == null) preload = ClassPreloader.start(); // not earlier: it would compete with the window's start
        if (preload.isAlive()) return;
        long t0 = System.nanoTime();
        while ((System.nanoTime() - t0) / 1e6 < FRAME_BUDGET_MS) {
            if (steps.isEmpty()) {
                if (warming != null) release();
                long n0 = System.nanoTime();
                if (!next()) {
                    stopTimer();
                    return;
                }
                if (TIMING) System.err.printf("  warming %s: built in %.0f ms%n", warming.key(), (System.nanoTime() - n0) / 1e6);
                return; // building a view is a frame's work
            }
            putNext("warming " + warming.key());
        }
    }

    /** Puts the next step back, split; with RL_TIMING, names a step that took over 40 ms ({@code what}: for what). */
    private void putNext(String what) {
        long s0 = System.nanoTime();
        Step step = steps.pop();
        put(step, true);
        if (TIMING && (System.nanoTime() - s0) / 1e6 > 40) {
            System.err.printf("  %s: %s %s took %.0f ms%s%n", what, step.child().getClass().getSimpleName(),
                step.child().getId() == null ? "" : step.child().getId(), (System.nanoTime() - s0) / 1e6, step.child().isManaged() ? "" : " (styled, not sized)");
        }
    }

    /** Takes the next unbuilt screen and lays out its first steps; false when there is none. */
    private boolean next() {
        while (!todo.isEmpty()) {
            Screen s = todo.poll();
            if (s.built()) continue;
            warming = s;
            Node view = s.view();
            view.setManaged(false);
            view.setVisible(false);
            empty(view);
            holder.getChildren().add(view);
            view.resizeRelocate(0, 0, holder.getWidth(), holder.getHeight());
            view.applyCss();
            return true;
        }
        return false;
    }

    /** Puts one child back; a big container goes back empty, its children queued before its parent's next. */
    private void put(Step step, boolean split) {
        Node child = step.child();
        if (split && descendants(child) > SPLIT_ABOVE) empty(child);
        if (split && sizedLater(child)) {
            // styled at no size first (its skin, no rows or bars), given its place in the layout a step later
            child.setManaged(false);
            steps.push(new Step(child, n -> n.setManaged(true)));
        }
        step.putBack().accept(child);
        if (split) {
            child.applyCss();
            // lay out what is being built: the hidden view, or the window being assembled
            Parent built = warming != null && warming.view() instanceof Parent v ? v : child.getScene() == null ? null : child.getScene().getRoot();
            if (built != null) built.layout();
        }
    }

    /**
     * Takes a container's children out, to be put back one by one: simple panes and split panes; a scroll pane's
     * content is emptied in place. Anything else is styled whole.
     */
    private void empty(Node n) {
        List<Step> out = new ArrayList<>();
        if (n instanceof ScrollPane sp && sp.getContent() != null) {
            empty(sp.getContent());
            return;
        }
        if (n instanceof SplitPane split) {
            // items put back get new dividers at even places: the pane's own are set again with its last item
            double[] dividers = split.getDividerPositions();
            int items = split.getItems().size();
            for (Node k : split.getItems()) {
                out.add(new Step(k, c -> {
                    split.getItems().add(c);
                    if (split.getItems().size() == items) split.setDividerPositions(dividers);
                }));
            }
            split.getItems().clear();
        } else if (splittable(n)) {
            Pane p = (Pane) n;
            for (Node k : p.getChildren()) out.add(new Step(k, p.getChildren()::add));
            p.getChildren().clear();
        }
        for (int i = out.size() - 1; i >= 0; i--) steps.push(out.get(i));
    }

    /** Takes the finished view out of the window, whole, ready to be shown. */
    private void release() {
        Node view = warming.view();
        holder.getChildren().remove(view);
        view.setManaged(true);
        view.setVisible(true);
        warming = null;
    }

    /**
     * Whether {@code n} is styled in two steps: a table or list lays out a cell per visible row, and a chart its
     * bars and every axis label, when it first gets a size; styled and sized in one step, one of the overview's
     * took 80–120 ms here. Not a node whose managed state is bound (something else decides it).
     */
    private static boolean sizedLater(Node n) {
        boolean big = n instanceof javafx.scene.chart.Chart
            || (n instanceof javafx.scene.control.Control c && c.getSkin() == null
                && (n instanceof javafx.scene.control.TableView || n instanceof javafx.scene.control.ListView || n instanceof javafx.scene.control.TreeTableView));
        return big && n.isManaged() && !n.managedProperty().isBound() && n.getParent() == null;
    }

    /** Panes whose layout follows only their children's order and the children's own constraints. */
    private static boolean splittable(Node n) {
        return n instanceof VBox || n instanceof HBox || n instanceof GridPane || n instanceof StackPane || n instanceof FlowPane;
    }

    private static int descendants(Node n) {
        if (n instanceof ScrollPane sp) return 1 + (sp.getContent() == null ? 0 : descendants(sp.getContent()));
        if (n instanceof SplitPane split) return 1 + split.getItems().stream().mapToInt(ScreenWarmup::descendants).sum();
        // a control not yet styled has no skin: count the nodes its skin will bring
        if (n instanceof javafx.scene.control.Control c && c.getSkin() == null) return CONTROL_WEIGHT;
        if (!(n instanceof Parent p)) return 1;
        int count = 1;
        for (Node c : p.getChildrenUnmodifiable()) count += descendants(c);
        return count;
    }
}
