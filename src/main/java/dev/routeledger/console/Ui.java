package dev.routeledger.console;

import java.util.List;
import java.util.function.Function;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.Chart;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** Small building blocks every screen uses, so that all screens look alike. */
public final class Ui {
    private Ui() {}

    /** Table row height in pixels: room for the theme's 13 px font and its cell padding. */
    static final double ROW_HEIGHT = 30;

    /** A figure card: a caption, a big value, a note under it. The value label gets {@code id}. */
    public static VBox card(String caption, String id) {
        Label c = new Label(caption);
        c.getStyleClass().add("card-caption");
        Label v = new Label("–");
        v.setId(id);
        v.getStyleClass().add("card-value");
        Label note = new Label();
        note.setId(id + "-note");
        note.getStyleClass().add("card-note");
        note.setWrapText(true);
        VBox box = new VBox(4, c, v, note);
        box.getStyleClass().add("card");
        box.setMinWidth(180);
        HBox.setHgrow(box, Priority.ALWAYS);
        box.setMaxWidth(Double.MAX_VALUE);
        // found by name, not by position: while the window is put together its boxes are briefly empty (ScreenWarmup)
        box.getProperties().put(CARD_VALUE, v);
        box.getProperties().put(CARD_NOTE, note);
        return box;
    }

    private static final String CARD_VALUE = "routeledger.card.value";
    private static final String CARD_NOTE = "routeledger.card.note";

    public static void setCard(VBox card, String value, String note) {
        ((Label) card.getProperties().get(CARD_VALUE)).setText(value);
        ((Label) card.getProperties().get(CARD_NOTE)).setText(note == null ? "" : note);
    }

    public static Label title(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("screen-title");
        return l;
    }

    public static Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("section-title");
        return l;
    }

    public static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        l.setWrapText(true);
        return l;
    }

    public static Region grow() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    public static VBox page(Node... children) {
        VBox v = new VBox(14, children);
        v.setPadding(new Insets(20, 24, 20, 24));
        v.setAlignment(Pos.TOP_LEFT);
        return v;
    }

    /** A table of {@code T} with text columns; numeric columns right-aligned and sorted by their number. */
    public static <T> TableView<T> table(String id, String emptyText) {
        TableView<T> t = new TableView<>();
        t.setId(id);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        // rows of one height: the table need not measure each row it builds
        t.setFixedCellSize(ROW_HEIGHT);
        Label empty = new Label(emptyText);
        empty.getStyleClass().add("hint");
        empty.setWrapText(true);
        t.setPlaceholder(empty);
        VBox.setVgrow(t, Priority.ALWAYS);
        return t;
    }

    public static <T> TableColumn<T, String> text(TableView<T> t, String title, Function<T, String> value, double width) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(v -> new SimpleStringProperty(value.apply(v.getValue())));
        c.setPrefWidth(width);
        t.getColumns().add(c);
        return c;
    }

    /** A numeric column: shows {@code format(value)}, sorts by the value. */
    public static <T, N extends Comparable<N>> TableColumn<T, N> number(TableView<T> t, String title, Function<T, N> value,
                                                                        Function<N, String> format, double width) {
        TableColumn<T, N> c = new TableColumn<>(title);
        c.setCellValueFactory(v -> new SimpleObjectProperty<>(value.apply(v.getValue())));
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(N item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : format.apply(item));
            }
        });
        c.getStyleClass().add("numeric");
        c.setPrefWidth(width);
        t.getColumns().add(c);
        return c;
    }

    private static final String CHART_EMPTY = "routeledger.chart.empty";

    /**
     * {@code chart} in a pane that shows {@code emptyText} in its place while {@link #chartEmpty} says it has nothing
     * to draw: bare axes over an empty plot read as a broken chart, not as "no data here".
     */
    public static StackPane chartPane(Chart chart, String emptyText) {
        Label empty = new Label(emptyText);
        empty.getStyleClass().addAll("hint", "chart-empty");
        empty.setWrapText(true);
        empty.setMaxSize(Double.MAX_VALUE, Double.MAX_VALUE);
        empty.setAlignment(Pos.CENTER);
        empty.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        empty.setVisible(false);
        if (chart.getId() != null) empty.setId(chart.getId() + "-empty");
        chart.getProperties().put(CHART_EMPTY, empty);
        StackPane pane = new StackPane(chart, empty);
        HBox.setHgrow(pane, Priority.ALWAYS);
        return pane;
    }

    /** Shows {@code chart}, or in its place the text it was given by {@link #chartPane}. */
    public static void chartEmpty(Chart chart, boolean empty) {
        chart.setVisible(!empty);
        ((Label) chart.getProperties().get(CHART_EMPTY)).setVisible(empty);
    }

    /**
     * A tooltip made the first time the pointer enters {@code c}, not with {@code c}: each tooltip is a popup
     * window with a scene of its own, styled as it is made (nine of them were a 40 ms share of the main window's
     * first task).
     */
    public static void tooltip(javafx.scene.control.Control c, String text) {
        c.addEventHandler(javafx.scene.input.MouseEvent.MOUSE_ENTERED, new javafx.event.EventHandler<>() {
            @Override
            public void handle(javafx.scene.input.MouseEvent e) {
                c.removeEventHandler(javafx.scene.input.MouseEvent.MOUSE_ENTERED, this);
                if (c.getTooltip() == null) c.setTooltip(new javafx.scene.control.Tooltip(text));
            }
        });
    }

    public static HBox row(double gap, Node... children) {
        HBox h = new HBox(gap, children);
        h.setAlignment(Pos.CENTER_LEFT);
        return h;
    }

    public static <T> List<T> top(List<T> all, int n) {
        return all.subList(0, Math.min(n, all.size()));
    }
}
