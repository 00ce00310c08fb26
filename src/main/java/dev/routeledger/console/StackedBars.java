package dev.routeledger.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.collections.FXCollections;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.layout.Pane;

/**
 * Fills a stacked bar chart in the way that is cheap for the FX thread to style and lay out the first time: the
 * value axis scaled by {@link AxisScale} rather than auto-ranged, and no bar a style of its own. Used by the overview
 * and by the style rehearsal, which must draw the same chart for its warm-up to count.
 */
public final class StackedBars {
    private StackedBars() {}

    /** "data0", "data1" …: the class naming a bar's place in its series. */
    private static boolean placeClass(String c) {
        return c.length() > 4 && c.startsWith("data") && c.chars().skip(4).allMatch(Character::isDigit);
    }

    /** Sets {@code chart} to one series per entry of {@code bySeries} (values ≥ 0, one per label), stacked by label. */
    public static void fill(StackedBarChart<String, Number> chart, List<String> labels, Map<String, double[]> bySeries) {
        double highest = 0;
        for (int i = 0; i < labels.size(); i++) {
            double stacked = 0;
            for (double[] values : bySeries.values()) stacked += Math.max(0, values[i]);
            highest = Math.max(highest, stacked);
        }
        List<XYChart.Series<String, Number>> series = new ArrayList<>();
        bySeries.forEach((name, values) -> {
            XYChart.Series<String, Number> s = new XYChart.Series<>();
            s.setName(name);
            for (int i = 0; i < values.length; i++) s.getData().add(new XYChart.Data<>(labels.get(i), values[i]));
            series.add(s);
        });
        // filled out of the scene: a node added to a shown parent is matched against the stylesheets at once, and the
        // chart gives each new bar a "dataN" class (its place), so 93 bars were 93 styles matched one by one (359 ms
        // on the FX thread at 10 M calls). Out of the scene the classes are dropped first (no rule of the themes
        // reads them; a bar's colour comes from its series' classes), and back in, the bars share three styles.
        Pane parent = chart.getScene() != null && chart.getParent() instanceof Pane p ? p : null;
        int at = parent == null ? -1 : parent.getChildren().indexOf(chart);
        if (parent != null) parent.getChildren().remove(at);
        // the categories given, not ranged: an auto-ranging category axis measures every label to choose their
        // rotation before the first layout (the start's longest step, 79-92 ms); fixed, labels that would overlap
        // are left out instead of turned (start stall 99-118 against 121-126 ms, three alternating runs)
        ((CategoryAxis) chart.getXAxis()).setAutoRanging(false);
        ((CategoryAxis) chart.getXAxis()).setCategories(FXCollections.observableArrayList(labels));
        AxisScale.upTo(highest).applyTo((NumberAxis) chart.getYAxis());
        chart.getData().setAll(series);
        for (XYChart.Series<String, Number> s : series) {
            for (XYChart.Data<String, Number> item : s.getData()) {
                if (item.getNode() != null) item.getNode().getStyleClass().removeIf(StackedBars::placeClass);
            }
        }
        if (parent != null) parent.getChildren().add(at, chart);
    }
}
