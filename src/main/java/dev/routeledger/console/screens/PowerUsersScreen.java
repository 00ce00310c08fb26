package dev.routeledger.console.screens;

import dev.routeledger.console.TableRows;
import dev.routeledger.analytics.Filter;
import dev.routeledger.analytics.PowerUsers;
import dev.routeledger.console.CallsDialog;
import dev.routeledger.console.Fmt;
import dev.routeledger.console.Screen;
import dev.routeledger.console.Session;
import dev.routeledger.console.Ui;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/** Users by spend (SPEC §5): the Pareto chart, the ranking, flagged users with reasons and evidence, drill-down. */
public final class PowerUsersScreen extends Screen {
    private VBox top1, top10, users, flagged;
    private BarChart<String, Number> pareto;
    private TableView<PowerUsers.User> table;
    private TextArea reasons;
    private Filter filter = Filter.ALL;

    public PowerUsersScreen(Session session) {
        super(session);
    }

    @Override public String title() { return "Power users"; }
    @Override public String key() { return "power-users"; }
    @Override public Ikon icon() { return Material2OutlinedMZ.PERSON_SEARCH; }

    @Override
    protected Node build() {
        top1 = Ui.card("Top 1 % of users", "power-top1");
        top10 = Ui.card("Top 10 % of users", "power-top10");
        users = Ui.card("Users", "power-users-count");
        flagged = Ui.card("Flagged", "power-flagged");
        CategoryAxis x = new CategoryAxis();
        NumberAxis y = new NumberAxis(0, 100, 10);
        y.setLabel("% of spend");
        pareto = new BarChart<>(x, y);
        pareto.setId("power-pareto");
        pareto.setTitle("Share of spend: each of the top users, and cumulative");
        pareto.setAnimated(false);
        pareto.setLegendVisible(true);
        pareto.setPrefHeight(260);
        pareto.setCategoryGap(6);
        table = Ui.table("power-table", "No users in this view.");
        Ui.number(table, "#", u -> (long) u.rank(), Fmt::count, 40);
        Ui.text(table, "User", PowerUsers.User::userId, 130);
        Ui.number(table, "Spend", PowerUsers.User::costUsd, Fmt::usd, 90);
        Ui.number(table, "Share", PowerUsers.User::share, Fmt::pct, 65);
        Ui.number(table, "Cumulative", PowerUsers.User::cumulativeShare, Fmt::pct, 85);
        Ui.number(table, "Calls", PowerUsers.User::calls, Fmt::count, 70);
        Ui.number(table, "Frontier", PowerUsers.User::frontierShare, Fmt::pct, 70);
        Ui.number(table, "Repeats", PowerUsers.User::repeatRatio, Fmt::pct, 70);
        Ui.text(table, "Flag", u -> u.flagged() ? "flagged" : "", 70);
        table.setRowFactory(tv -> {
            TableRow<PowerUsers.User> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    PowerUsers.User u = row.getItem();
                    CallsDialog.show(session, BreakdownScreen.narrow(filter, dev.routeledger.analytics.Dimension.USER, u.userId()), "user " + u.userId(),
                        table.getScene().getWindow());
                }
            });
            return row;
        });
        reasons = new TextArea();
        reasons.setId("power-reasons");
        reasons.setEditable(false);
        reasons.setWrapText(true);
        table.getSelectionModel().selectedItemProperty().addListener((o, a, u) -> reasons.setText(u == null ? "" : describe(u)));
        SplitPane split = new SplitPane(table, new VBox(6, Ui.section("Why"), reasons));
        split.setDividerPositions(0.68);
        split.setPrefHeight(330);
        VBox.setVgrow(reasons, javafx.scene.layout.Priority.ALWAYS);
        VBox.setVgrow(split, javafx.scene.layout.Priority.ALWAYS);
        return Ui.page(Ui.title("Power users"), new HBox(12, top1, top10, users, flagged),
            Ui.chartPane(pareto, "No users with spend in this view. Widen the filter, or import a log (Ctrl+O)."),
            Ui.hint("Select a user for the reasons and evidence; double-click for their calls."), split);
    }

    private static String describe(PowerUsers.User u) {
        StringBuilder sb = new StringBuilder(u.userId()).append(": ").append(Fmt.usd(u.costUsd())).append(", ").append(Fmt.pct(u.share())).append(" of spend\n\n");
        if (u.reasons().isEmpty()) sb.append("Not flagged: neither a large share nor a robust outlier.");
        for (String r : u.reasons()) sb.append("• ").append(r).append('\n');
        if (u.cacheSavingsUsd() > 0) sb.append("\nA cache would have saved ").append(Fmt.usd(u.cacheSavingsUsd())).append("; the cheapest tier ")
            .append(Fmt.usd(u.lowerTierSavingsUsd())).append(" on the repeats.");
        return sb.toString();
    }

    @Override
    protected void load(Filter f) {
        filter = f;
        session.submit("Ranking users", (ws, conn, task) -> {
            TraceFactsFirst.ensure(session, conn);
            return PowerUsers.run(conn, f, 25);
        }, this::show);
    }

    private void show(PowerUsers.Result r) {
        Ui.setCard(top1, Fmt.pct(r.top1PctShare()), "of spend");
        Ui.setCard(top10, Fmt.pct(r.top10PctShare()), "of spend");
        Ui.setCard(users, Fmt.count(r.userCount()), "with spend " + Fmt.usd(r.totalCostUsd()));
        long nFlagged = r.users().stream().filter(PowerUsers.User::flagged).count();
        Ui.setCard(flagged, Fmt.count(nFlagged), nFlagged == 0 ? "nobody stands out" : "select one for why");
        XYChart.Series<String, Number> each = new XYChart.Series<>(), cum = new XYChart.Series<>();
        each.setName("user's share");
        cum.setName("cumulative");
        List<PowerUsers.User> top = Ui.top(r.users(), 15);
        for (PowerUsers.User u : top) {
            each.getData().add(new XYChart.Data<>(u.userId(), 100 * u.share()));
            cum.getData().add(new XYChart.Data<>(u.userId(), 100 * u.cumulativeShare()));
        }
        pareto.getData().setAll(List.of(each, cum));
        Ui.chartEmpty(pareto, top.isEmpty());
        TableRows.setAll(table, r.users());
        if (!r.users().isEmpty()) table.getSelectionModel().select(0);
    }
}
