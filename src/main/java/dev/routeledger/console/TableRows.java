package dev.routeledger.console;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import javafx.animation.AnimationTimer;
import javafx.scene.control.TableView;

/**
 * Puts rows into a table without blocking the FX thread. When a table gets its first rows it builds a row, and
 * a cell per column, for every line of its viewport at once, each styled by the theme (about 1 ms a cell
 * here): a 20-line, 10-column table held the FX thread for 150–250 ms (SPEC §9: no FX-thread task over
 * 100 ms). So the first time, the table opens a line at a time, its height capped and raised, within a time
 * budget per frame shared by all the tables opening, until it reaches the height its layout gives it. Later
 * fills reuse the rows built and are immediate.
 */
public final class TableRows {
    private TableRows() {}

    /** The time one frame may spend building rows, for all tables together. */
    private static final double FRAME_BUDGET_MS = 20;
    private static final String BUILT = "routeledger.rows.built";

    /** A table opening: its height to reach and the maximum height to give back. */
    private static final class Opening {
        final TableView<?> table;
        final double target;
        final double fullMax;

        Opening(TableView<?> table, double target, double fullMax) {
            this.table = table;
            this.target = target;
            this.fullMax = fullMax;
        }
    }

    private static final Deque<Opening> OPENING = new ArrayDeque<>();
    private static final AnimationTimer TIMER = new AnimationTimer() {
        @Override
        public void handle(long now) {
            frame();
        }
    };

    /** How many are in OPENING, readable from any thread. */
    private static volatile int openingCount;

    /** Tables still opening (the screenshots and tests wait for them as for database work); any thread. */
    public static int growing() {
        return openingCount;
    }

    /** Replaces {@code table}'s rows with {@code rows}; call on the FX thread. */
    public static <T> void setAll(TableView<T> table, List<T> rows) {
        table.getItems().setAll(rows);
        boolean first = !rows.isEmpty() && !table.getProperties().containsKey(BUILT) && table.getSkin() != null && table.getHeight() > 0
            && table.getScene() != null && table.isVisible();
        if (!first) return;
        table.getProperties().put(BUILT, true);
        OPENING.add(new Opening(table, table.getHeight(), table.getMaxHeight()));
        openingCount = OPENING.size();
        table.setMaxHeight(headerHeight(table) + Ui.ROW_HEIGHT);
        TIMER.start();
    }

    private static void frame() {
        long t0 = System.nanoTime();
        while (!OPENING.isEmpty() && (System.nanoTime() - t0) / 1e6 < FRAME_BUDGET_MS) {
            Opening o = OPENING.peek();
            double h = Math.min(o.target, o.table.getMaxHeight() + Ui.ROW_HEIGHT);
            o.table.setMaxHeight(h);
            // the table at its new height now rather than in the frame's layout pass, so the budget sees the cost
            o.table.resize(o.table.getWidth(), h);
            o.table.layout();
            if (h >= o.target) {
                o.table.setMaxHeight(o.fullMax);
                OPENING.poll();
            }
        }
        openingCount = OPENING.size();
        if (OPENING.isEmpty()) TIMER.stop();
    }

    private static double headerHeight(TableView<?> table) {
        var header = table.lookup(".column-header-background");
        return header == null ? Ui.ROW_HEIGHT + 4 : header.getLayoutBounds().getHeight() + 4;
    }
}
