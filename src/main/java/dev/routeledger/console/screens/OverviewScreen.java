package dev.routeledger.console.screens;

import dev.routeledger.console.TableRows;
import dev.routeledger.analytics.Filter;
import dev.routeledger.analytics.MonthlyReport;
import dev.routeledger.analytics.Overview;
import dev.routeledger.analytics.SpendOverTime;
import dev.routeledger.console.Fmt;
import dev.routeledger.console.LaterFrame;
import dev.routeledger.console.Screen;
import dev.routeledger.console.Session;
import dev.routeledger.console.StackedBars;
import dev.routeledger.console.Ui;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
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
    private final List<TableView<Overview.Line>> tops = new ArrayList<>();

    public OverviewScreen(Session session) {
        super(session);
    }

    @Override public String title() { return "Overview"; }
    @Override public String key() { return "overview"; }
    @Override public Ikon icon() { return Material2OutlinedAL.DASHBOARD; }

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
            TableView<Overview.Line> tv = Ui.table(t[1], "No calls in this view.");
            Ui.text(tv, t[0].substring(4, 5).toUpperCase() + t[0].substring(5, t[0].length() - 1), r -> r.name() == null ? "(none)" : r.name(), 160);
            Ui.number(tv, "Spend", Overview.Line::costUsd, Fmt::usd, 90);
            Ui.number(tv, "Share", Overview.Line::share, Fmt::pct, 70);
            tv.setPrefHeight(210);
            tv.setMinHeight(180);
            VBox box = new VBox(6, Ui.section(t[0]), tv);
            HBox.setHgrow(box, Priority.ALWAYS);
            tables.getChildren().add(box);
            tops.add(tv);
        }
        VBox page = Ui.page(Ui.title("Overview"), cards,
            Ui.chartPane(chart, "No spend to chart in this view. Widen the filter, or import a log (Ctrl+O)."), tables);
        ScrollPane sp = new ScrollPane(page);
        sp.setFitToWidth(true);
        return sp;
    }

    @Override
    protected void load(Filter filter) {
        // the periods summed on the database thread too: parsing the days' dates is the first use of java.time's
        // parsers in the process, 100 ms on the FX thread at start on a large workspace
        session.submit("Loading the overview", (ws, conn, task) -> {
            Overview.Result d = Overview.run(conn, filter);
            return new Loaded(d, SpendOverTime.of(d.byDayTier()));
        }, this::show);
    }

    /** The overview's figures and its spend per period. */
    private record Loaded(Overview.Result d, SpendOverTime.Periods periods) {}

    private void show(Loaded loaded) {
        Overview.Result d = loaded.d();
        double total = d.totalCostUsd();
        Ui.setCard(spend, Fmt.usd(total), d.catalogEstimatedUsd() > 0
            ? Fmt.usd(d.catalogEstimatedUsd()) + " estimated from catalog prices" : "as the gateway logged it");
        Ui.setCard(calls, Fmt.count(d.calls()), Fmt.count(d.traces()) + " traces");
        Ui.setCard(perTrace, d.costPerTrace() == null ? "–" : Fmt.usd(d.costPerTrace()), "all calls of a request, cascades included");
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
        // one series per tier, every period from the first to the last in order (days, weeks or months by the range)
        SpendOverTime.Periods periods = loaded.periods();
        Map<String, double[]> bySeries = new LinkedHashMap<>();
        periods.byTier().forEach((tier, sums) -> bySeries.put("unknown".equals(tier) ? "unknown tier" : "tier " + tier, sums));
        TableRows.setAll(tops.get(0), Ui.top(d.byFeature(), 8));
        TableRows.setAll(tops.get(1), Ui.top(d.byUser(), 8));
        TableRows.setAll(tops.get(2), Ui.top(d.byModel(), 8));
        // the chart's bars in a later frame than the tables' first rows: creating 93 bar nodes costs as much as all
        // the rest, and the two in one gap between frames were the start's longest stall
        LaterFrame.run(() -> {
            chart.setTitle("Spend per " + periods.unit() + ", by tier");
            chart.getYAxis().setLabel("USD per " + periods.unit());
            StackedBars.fill(chart, periods.labels(), bySeries);
            Ui.chartEmpty(chart, d.calls() == 0);
        });
    }
}
