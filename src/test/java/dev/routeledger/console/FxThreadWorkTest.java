package dev.routeledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.routeledger.analytics.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.kordamp.ikonli.Ikon;
import org.testfx.framework.junit5.ApplicationTest;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The two ways the console keeps work off the FX thread's single frames (SPEC §9): screens prepared a piece at a
 * time in idle time (ScreenWarmup), and a table's first rows opened a line at a time (TableRows). Real JavaFX,
 * headless Monocle.
 */
class FxThreadWorkTest extends ApplicationTest {
    private StackPane holder;
    private VBox page;

    @Override
    public void start(Stage stage) {
        holder = new StackPane();
        page = new VBox();
        VBox root = new VBox(page, holder);
        VBox.setVgrow(holder, Priority.ALWAYS);
        stage.setScene(new Scene(root, 900, 700));
        stage.show();
    }

    /** A screen with nested boxes, a split pane, a scroll pane and a table: about 400 nodes. */
    static final class BigScreen extends Screen {
        BigScreen() {
            super(null);
        }

        @Override public String title() { return "Big"; }
        @Override public String key() { return "big"; }
        @Override public Ikon icon() { return null; }
        @Override protected void load(Filter filter) {}

        @Override
        protected Node build() {
            VBox rows = new VBox();
            for (int r = 0; r < 20; r++) {
                HBox row = new HBox();
                for (int c = 0; c < 8; c++) row.getChildren().add(new Label("r" + r + "c" + c));
                rows.getChildren().add(row);
            }
            VBox scrolled = new VBox();
            for (int i = 0; i < 60; i++) scrolled.getChildren().add(new Label("line " + i));
            TableView<String> table = new TableView<>();
            table.setId("big-table");
            VBox left = new VBox(new Label("left"), table);
            VBox right = new VBox();
            for (int i = 0; i < 40; i++) right.getChildren().add(new Label("right " + i));
            return new VBox(new Label("title"), rows, new SplitPane(left, right), new ScrollPane(scrolled));
        }
    }

    /** The tree's shape: each node's class and text, depth first. */
    static String shape(Node n) {
        StringBuilder sb = new StringBuilder(n.getClass().getSimpleName());
        if (n instanceof Label l) sb.append(':').append(l.getText());
        List<Node> kids = new ArrayList<>();
        if (n instanceof ScrollPane sp) kids.add(sp.getContent());
        else if (n instanceof SplitPane split) kids.addAll(split.getItems());
        else if (n instanceof VBox || n instanceof HBox) kids.addAll(((Parent) n).getChildrenUnmodifiable());
        if (!kids.isEmpty()) sb.append(kids.stream().map(FxThreadWorkTest::shape).toList());
        return sb.toString();
    }

    @Test
    void aScreenIsPreparedInPiecesWhileIdleAndComesOutWhole() throws Exception {
        BigScreen screen = new BigScreen();
        String expected = shape(new BigScreen().build());
        List<Boolean> addedVisible = new ArrayList<>();
        AtomicBoolean idle = new AtomicBoolean(false);
        ScreenWarmup[] warmup = new ScreenWarmup[1];
        interact(() -> {
            holder.getChildren().addListener((ListChangeListener<Node>) c -> {
                while (c.next()) c.getAddedSubList().forEach(n -> addedVisible.add(n.isVisible()));
            });
            warmup[0] = new ScreenWarmup(holder, idle::get);
            warmup[0].start(List.of(screen));
        });
        // nothing happens while the window is busy
        Thread.sleep(300);
        assertThat(interactGet(() -> screen.built())).isFalse();

        idle.set(true);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !interactGet(warmup[0]::running));
        assertThat(addedVisible).containsExactly(false); // it was prepared hidden
        Node view = interactGet(screen::view);
        assertThat(interactGet(() -> holder.getChildren().contains(view))).isFalse();
        assertThat(view.isVisible()).isTrue();
        assertThat(view.isManaged()).isTrue();
        assertThat(interactGet(() -> shape(view))).isEqualTo(expected);
        // styled ahead: the controls have their skins before the screen is ever shown
        assertThat(interactGet(() -> ((TableView<?>) view.lookup("#big-table")).getSkin())).isNotNull();
    }

    @Test
    void showingAScreenHalfPreparedCompletesItAtOnce() throws Exception {
        BigScreen screen = new BigScreen();
        String expected = shape(new BigScreen().build());
        AtomicBoolean idle = new AtomicBoolean(true);
        ScreenWarmup warmup = interactGet(() -> new ScreenWarmup(holder, idle::get));
        interact(() -> {
            // the user clicks as soon as the screen's preparation has begun: no frame after that one works on it
            holder.getChildren().addListener((ListChangeListener<Node>) c -> idle.set(false));
            warmup.start(List.of(screen));
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> interactGet(() -> screen.built() && holder.getChildren().contains(screen.view())));
        Thread.sleep(200);
        String half = interactGet(() -> shape(screen.view()));
        assertThat(half).isNotEqualTo(expected);

        interact(() -> warmup.finish(screen));
        assertThat(interactGet(() -> shape(screen.view()))).isEqualTo(expected);
        assertThat(interactGet(() -> holder.getChildren().contains(screen.view()))).isFalse();
        assertThat(interactGet(warmup::running)).isFalse();
    }

    @Test
    void aTablesFirstRowsOpenALineAtATimeAndLaterFillsAreImmediate() throws Exception {
        TableView<String> table = new TableView<>();
        interact(() -> {
            for (int c = 0; c < 10; c++) {
                TableColumn<String, String> col = new TableColumn<>("c" + c);
                col.setCellValueFactory(v -> new SimpleStringProperty(v.getValue()));
                table.getColumns().add(col);
            }
            table.setFixedCellSize(Ui.ROW_HEIGHT);
            holder.getChildren().add(table);
        });
        WaitForAsyncUtils.waitForFxEvents();
        double height = interactGet(table::getHeight);
        double max = interactGet(table::getMaxHeight);
        assertThat(height).isGreaterThan(10 * Ui.ROW_HEIGHT);

        List<String> rows = IntStream.range(0, 200).mapToObj(i -> "row " + i).toList();
        double[] right = interactGet(() -> {
            TableRows.setAll(table, rows);
            return new double[] {table.getItems().size(), table.getMaxHeight(), TableRows.growing()};
        });
        // every row is there at once; only the height opens gradually
        assertThat(right[0]).isEqualTo(200);
        assertThat(right[1]).isLessThan(3 * Ui.ROW_HEIGHT);
        assertThat(right[2]).isEqualTo(1);

        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> TableRows.growing() == 0);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(interactGet(table::getMaxHeight)).isEqualTo(max);
        assertThat(interactGet(table::getHeight)).isEqualTo(height);
        assertThat(interactGet(() -> table.lookupAll(".table-row-cell").size())).isGreaterThanOrEqualTo((int) (height / Ui.ROW_HEIGHT) - 1);

        interact(() -> TableRows.setAll(table, rows.subList(0, 50)));
        assertThat(TableRows.growing()).isZero();
        assertThat(interactGet(table::getMaxHeight)).isEqualTo(max);
    }

    @Test
    void laterFrameRunsAfterTheNextFrameNotBeforeIt() throws Exception {
        int[] pulses = {0};
        int[] pulsesWhenRun = {-1};
        AtomicBoolean ranBeforeTheFrame = new AtomicBoolean(true);
        interact(() -> {
            holder.getScene().addPostLayoutPulseListener(() -> pulses[0]++);
            int at = pulses[0];
            LaterFrame.run(() -> pulsesWhenRun[0] = pulses[0] - at);
            // what runLater queues now runs before the next frame: the work must not have run by then
            javafx.application.Platform.runLater(() -> ranBeforeTheFrame.set(pulsesWhenRun[0] >= 0));
        });
        assertThat(LaterFrame.waiting()).isIn(0, 1);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> LaterFrame.waiting() == 0);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(ranBeforeTheFrame).isFalse();
        // at least one frame laid out between the call and the work
        assertThat(pulsesWhenRun[0]).isGreaterThanOrEqualTo(1);
    }

    private <T> T interactGet(java.util.concurrent.Callable<T> c) throws Exception {
        List<T> out = new ArrayList<>();
        interact(() -> {
            try {
                out.add(c.call());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return out.get(0);
    }
}
