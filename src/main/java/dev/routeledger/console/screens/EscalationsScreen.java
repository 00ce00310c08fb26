package dev.routeledger.console.screens;

import dev.routeledger.console.TableRows;
import dev.routeledger.analytics.Escalations;
import dev.routeledger.analytics.Filter;
import dev.routeledger.console.Fmt;
import dev.routeledger.console.Screen;
import dev.routeledger.console.Session;
import dev.routeledger.console.Ui;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javafx.scene.Node;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;

/**
 * Escalations (SPEC §5): how many traces each reason escalated and how many of those did not need it, the routes
 * escalated more than they needed with their evidence and wasted spend, and the router-score histogram by the
 * tier the router picked (where the tiers overlap is the boundary band).
 */
public final class EscalationsScreen extends Screen {
    private VBox escalated, over, wasted, flagged;
    private BarChart<String, Number> funnel;
    private StackedBarChart<String, Number> histogram;
    /** The histogram's series of traces the boundary band sent above the router's pick (after the tiers: "~" sorts last). */
    private static final String BAND = "~ sent up by the band";
    private TableView<Escalations.Route> routes;

    public EscalationsScreen(Session session) {
        super(session);
    }

    @Override public String title() { return "Escalations"; }
    @Override public String key() { return "escalations"; }
    @Override public Ikon icon() { return Material2OutlinedAL.CALL_MADE; }

    record Data(Escalations.Result result, Map<String, Map<Integer, Long>> scores) {}

    @Override
    protected Node build() {
        escalated = Ui.card("Escalated traces", "esc-escalated");
        over = Ui.card("Over-escalated", "esc-over");
        wasted = Ui.card("Wasted spend", "esc-wasted");
        flagged = Ui.card("Flagged routes", "esc-flagged");
        funnel = new BarChart<>(new CategoryAxis(), new NumberAxis());
        funnel.setId("esc-funnel");
        funnel.setTitle("Escalations by reason");
        funnel.setAnimated(false);
        funnel.setPrefHeight(280);
        histogram = new StackedBarChart<>(new CategoryAxis(), new NumberAxis());
        histogram.setId("esc-histogram");
        histogram.setTitle("Router score of traces: the tier the router picked, and the band");
        histogram.setAnimated(false);
        histogram.setCategoryGap(1);
        histogram.setPrefHeight(280);
        HBox charts = new HBox(12, Ui.chartPane(funnel, "No trace in this view ended above the tier its router picked."),
            Ui.chartPane(histogram, "No trace in this view carries a router score."));
        routes = Ui.table("esc-routes", "No escalations in this view.");
        Ui.text(routes, "Feature", r -> r.feature() == null ? "(none)" : r.feature(), 140);
        Ui.text(routes, "Route", r -> r.fromTier() + " → " + r.toTier(), 60);
        Ui.text(routes, "Reason", Escalations.Route::reason, 130);
        Ui.number(routes, "Escalations", Escalations.Route::escalations, Fmt::count, 85);
        Ui.number(routes, "Over", Escalations.Route::overEscalated, Fmt::count, 60);
        Ui.text(routes, "Lower tier's success (95 %)", r -> r.lowerTierSuccess() == null ? "no evidence"
            : Fmt.pct(r.lowerTierSuccess()) + "  (" + Fmt.pct(r.ciLow()) + " – " + Fmt.pct(r.ciHigh()) + ")", 190);
        Ui.number(routes, "Floor", Escalations.Route::floor, Fmt::pct, 65);
        Ui.number(routes, "Wasted", Escalations.Route::wastedUsd, Fmt::usd, 85);
        Ui.text(routes, "Verdict", r -> r.flagged() ? "over-escalated" : "", 110);
        routes.setPrefHeight(300);
        VBox page = Ui.page(Ui.title("Escalations"), Ui.row(12, escalated, over, wasted, flagged), charts,
            Ui.section("Routes (feature, router's tier → final tier, reason), most wasted spend first"), routes);
        ScrollPane sp = new ScrollPane(page);
        sp.setFitToWidth(true);
        return sp;
    }

    @Override
    protected void load(Filter f) {
        session.submit("Finding over-escalated routes", (ws, conn, task) -> {
            TraceFactsFirst.ensure(session, conn);
            Escalations.Result r = Escalations.run(conn, f, null);
            Map<String, Map<Integer, Long>> scores = new TreeMap<>();
            // the band shows as its own series: traces the router picked a tier for and its boundary band sent one up
            try (PreparedStatement ps = conn.prepareStatement("SELECT CAST(least(floor(router_score * 20), 19) AS INTEGER) AS bin,"
                    + " CASE WHEN escalation_reason = 'boundary_band' AND eff_tier > routed_tier THEN -1 ELSE coalesce(routed_tier, eff_tier) END AS tier,"
                    + " count(*) FROM calls WHERE " + f.where()
                    + " AND router_score IS NOT NULL AND (NOT multi_call OR trace_head) GROUP BY ALL ORDER BY 1, 2")) {
                f.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int tier = rs.getInt(2);
                        String series = rs.wasNull() ? "tier ?" : tier < 0 ? BAND : "tier " + tier;
                        scores.computeIfAbsent(series, k -> new TreeMap<>()).merge(rs.getInt(1), rs.getLong(3), Long::sum);
                    }
                }
            }
            return new Data(r, scores);
        }, this::show);
    }

    private void show(Data d) {
        Escalations.Result r = d.result();
        long flaggedRoutes = r.routes().stream().filter(Escalations.Route::flagged).count();
        Ui.setCard(escalated, Fmt.count(r.escalatedTraces()), "ended above the router's pick");
        Ui.setCard(over, Fmt.count(r.overEscalatedTotal()), r.escalatedTraces() == 0 ? "" : Fmt.pct((double) r.overEscalatedTotal() / r.escalatedTraces())
            + " had a successful lower-tier call");
        Ui.setCard(wasted, Fmt.usd(r.wastedUsdTotal()), "spent above a lower tier that sufficed");
        Ui.setCard(flagged, Fmt.count(flaggedRoutes), "routes whose lower tier holds the quality floor");
        Map<String, long[]> byReason = new LinkedHashMap<>();
        for (Escalations.Route route : r.routes()) {
            long[] v = byReason.computeIfAbsent(route.reason(), k -> new long[2]);
            v[0] += route.escalations();
            v[1] += route.overEscalated();
        }
        XYChart.Series<String, Number> all = new XYChart.Series<>(), needless = new XYChart.Series<>();
        all.setName("escalated");
        needless.setName("over-escalated");
        byReason.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).forEach(e -> {
            all.getData().add(new XYChart.Data<>(e.getKey(), e.getValue()[0]));
            needless.getData().add(new XYChart.Data<>(e.getKey(), e.getValue()[1]));
        });
        funnel.getData().setAll(java.util.List.of(all, needless));
        Ui.chartEmpty(funnel, byReason.isEmpty());
        java.util.List<String> bins = new java.util.ArrayList<>();
        // a label every 0.1: twenty "0.05"-wide labels do not fit, and the axis then drops whichever overlap (0.05
        // and 0.90 went, the others stayed). A category must be unique, so the bins between are named by blanks
        // of different lengths (thin spaces), which draw nothing.
        for (int b = 0; b < 20; b++) bins.add(b % 2 == 0 ? String.format(java.util.Locale.US, "%.1f", b / 20.0) : "\u2009".repeat(b / 2 + 1));
        ((CategoryAxis) histogram.getXAxis()).setCategories(javafx.collections.FXCollections.observableArrayList(bins));
        java.util.List<XYChart.Series<String, Number>> series = new java.util.ArrayList<>();
        for (Map.Entry<String, Map<Integer, Long>> e : d.scores().entrySet()) {
            XYChart.Series<String, Number> s = new XYChart.Series<>();
            s.setName(e.getKey().equals(BAND) ? "sent up by the boundary band" : e.getKey());
            for (Map.Entry<Integer, Long> b : e.getValue().entrySet()) s.getData().add(new XYChart.Data<>(bins.get(b.getKey()), b.getValue()));
            series.add(s);
        }
        histogram.getData().setAll(series);
        Ui.chartEmpty(histogram, series.isEmpty());
        TableRows.setAll(routes, r.routes());
    }
}
