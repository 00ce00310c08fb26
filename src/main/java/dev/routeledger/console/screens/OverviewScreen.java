package dev.routeledger.console.screens;

import dev.routeledger.console.TableRows;
import dev.routeledger.analytics.Breakdown;
import dev.routeledger.analytics.Dimension;
import dev.routeledger.analytics.Filter;
import dev.routeledger.analytics.MonthlyReport;
import dev.routeledger.console.Fmt;
import dev.routeledger.console.Screen;
import dev.routeledger.console.Session;
import dev.routeledger.console.Ui;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javafx.scene.Node;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;

/** Spend, calls, cost per trace, the month to date with its forecast, spend per day by tier, and the top spenders. */
public final class OverviewScreen extends Screen {
    private VBox spend, calls, perTrace, month;
    private StackedBarChart<String, Number> chart;
    private final List<TableView<Breakdown.Row>> tops = new ArrayList<>();

    public OverviewScreen(Session session) {
        super(session);
    }

    @Override public String title() { return "Overview"; }
    @Override public String key() { return "overview"; }
    @Override public Ikon icon() { return Material2OutlinedAL.DASHBOARD; }

    record Data(Breakdown.Result byDayTier, Breakdown.Result byFeature, Breakdown.Result byUser, Breakdown.Result byModel, MonthlyReport.Result month) {}

    @Override
    protected Node build() {
        spend = Ui.card("Spend", "overview-spend");
        calls = Ui.card("Calls", "overview-calls");
        perTrace = Ui.card("Cost per trace", "overview-per-trace");
        month = Ui.card("Month to date", "overview-month");
        HBox cards = Ui.row(12, spend, calls, perTrace, month);
        CategoryAxis x = new CategoryAxis();
        NumberAxis y = new NumberAxis();
        y.setLabel("USD per day");
        chart = new StackedBarChart<>(x, y);
        chart.setId("overview-chart");
        chart.setTitle("Spend per day, by tier");
        chart.setAnimated(false);
        chart.setCategoryGap(2);
        chart.setMinHeight(280);
        chart.setPrefHeight(320);
        HBox tables = new HBox(12);
        for (String[] t : new String[][] {{"Top features", "overview-features"}, {"Top users", "overview-users"}, {"Top models", "overview-models"}}) {
            TableView<Breakdown.Row> tv = Ui.table(t[1], "No calls in this view.");
            Ui.text(tv, t[0].substring(4, 5).toUpperCase() + t[0].substring(5, t[0].length() - 1), r -> r.keys().get(0) == null ? "(none)" : r.keys().get(0), 160);
            Ui.number(tv, "Spend", Breakdown.Row::costUsd, Fmt::usd, 90);
            Ui.number(tv, "Share", Breakdown.Row::share, Fmt::pct, 70);
            tv.setPrefHeight(210);
            tv.setMinHeight(180);
            VBox box = new VBox(6, Ui.section(t[0]), tv);
            HBox.setHgrow(box, Priority.ALWAYS);
            tables.getChildren().add(box);
            tops.add(tv);
        }
        VBox page = Ui.page(Ui.title("Overview"), cards, chart, tables);
        ScrollPane sp = new ScrollPane(page);
        sp.setFitToWidth(true);
        return sp;
    }

    @Override
    protected void load(Filter filter) {
        session.submit("Loading the overview", (ws, conn, task) -> query(conn, filter), this::show);
    }

    private static Data query(Connection conn, Filter f) throws Exception {
        Breakdown.Result byDayTier = Breakdown.run(conn, List.of(Dimension.DAY, Dimension.TIER), f);
        String lastDay = byDayTier.rows().stream().map(r -> r.keys().get(0)).max(String::compareTo).orElse(null);
        MonthlyReport.Result month = lastDay == null ? null : MonthlyReport.run(conn, lastDay.substring(0, 7), f);
        return new Data(byDayTier, Breakdown.run(conn, List.of(Dimension.FEATURE), f), Breakdown.run(conn, List.of(Dimension.USER), f),
            Breakdown.run(conn, List.of(Dimension.MODEL), f), month);
    }

    private void show(Data d) {
        long callCount = d.byDayTier().rows().stream().mapToLong(Breakdown.Row::calls).sum();
        long traceCount = d.byFeature().rows().stream().mapToLong(Breakdown.Row::traces).sum();
        double total = d.byDayTier().totalCostUsd();
        Ui.setCard(spend, Fmt.usd(total), d.byDayTier().catalogEstimatedUsd() > 0
            ? Fmt.usd(d.byDayTier().catalogEstimatedUsd()) + " estimated from catalog prices" : "as the gateway logged it");
        Ui.setCard(calls, Fmt.count(callCount), Fmt.count(traceCount) + " traces");
        Ui.setCard(perTrace, traceCount == 0 ? "–" : Fmt.usd(total / traceCount), "all calls of a request, cascades included");
        MonthlyReport.Result m = d.month();
        if (m == null) {
            Ui.setCard(month, "–", "no calls");
        } else if (m.forecast() != null && !m.complete()) {
            Ui.setCard(month, Fmt.usd(m.totalCostUsd()), m.month() + ": forecast " + Fmt.usd(m.forecast().forecastUsd()) + " ("
                + Fmt.usd(m.forecast().lowUsd()) + " – " + Fmt.usd(m.forecast().highUsd()) + ")");
        } else {
            Ui.setCard(month, Fmt.usd(m.totalCostUsd()), m.month() + (m.complete() ? ", complete" : "")
                + (m.changePct() != null ? String.format(", %+.1f %% on the month before", m.changePct()) : ""));
        }
        // one series per tier, days in order
        Map<String, XYChart.Series<String, Number>> series = new TreeMap<>();
        java.util.SortedSet<String> days = new java.util.TreeSet<>();
        for (Breakdown.Row r : d.byDayTier().rows()) days.add(r.keys().get(0));
        for (Breakdown.Row r : d.byDayTier().rows()) {
            String tier = "unknown".equals(r.keys().get(1)) ? "unknown tier" : "tier " + r.keys().get(1);
            series.computeIfAbsent(tier, k -> {
                XYChart.Series<String, Number> s = new XYChart.Series<>();
                s.setName(k);
                return s;
            }).getData().add(new XYChart.Data<>(r.keys().get(0).substring(5), r.costUsd()));
        }
        ((CategoryAxis) chart.getXAxis()).setCategories(javafx.collections.FXCollections.observableArrayList(days.stream().map(s -> s.substring(5)).toList()));
        chart.getData().setAll(series.values());
        TableRows.setAll(tops.get(0), Ui.top(d.byFeature().rows(), 8));
        TableRows.setAll(tops.get(1), Ui.top(d.byUser().rows(), 8));
        TableRows.setAll(tops.get(2), Ui.top(d.byModel().rows(), 8));
    }
}
