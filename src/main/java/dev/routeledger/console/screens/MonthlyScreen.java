package dev.routeledger.console.screens;

import dev.routeledger.console.TableRows;
import dev.routeledger.analytics.Filter;
import dev.routeledger.analytics.MonthlyReport;
import dev.routeledger.console.Exportable;
import dev.routeledger.console.Fmt;
import dev.routeledger.console.Screen;
import dev.routeledger.console.Session;
import dev.routeledger.console.Ui;
import dev.routeledger.export.MonthlyExport;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;

/** The monthly finance report (SPEC §5): month picker, change on the month before, forecast, reconciliation, exports. */
public final class MonthlyScreen extends Screen implements Exportable {
    private final ComboBox<String> month = new ComboBox<>();
    private VBox total, change, forecast, reconcile;
    private final List<TableView<MonthlyReport.Line>> lines = new ArrayList<>();
    private MonthlyReport.Result shown;
    private Filter filter = Filter.ALL;
    private boolean choosing;

    public MonthlyScreen(Session session) {
        super(session);
    }

    @Override public String title() { return "Monthly report"; }
    @Override public String key() { return "monthly"; }
    @Override public Ikon icon() { return Material2OutlinedAL.CALENDAR_TODAY; }

    @Override
    protected Node build() {
        month.setId("monthly-month");
        month.setOnAction(e -> {
            if (month.getValue() != null && !choosing) report(month.getValue());
        });
        Button csv = new Button("Export CSV …");
        csv.setId("monthly-csv");
        csv.setOnAction(e -> save(csv.getScene().getWindow(), false));
        Button html = new Button("Printable report …");
        html.setId("monthly-html");
        html.setOnAction(e -> save(html.getScene().getWindow(), true));
        total = Ui.card("Spend this month", "monthly-total");
        change = Ui.card("Month before", "monthly-change");
        forecast = Ui.card("Month-end forecast", "monthly-forecast");
        reconcile = Ui.card("Reconciliation", "monthly-reconcile");
        HBox tables = new HBox(12);
        for (String[] t : new String[][] {{"By team", "monthly-teams", "Team"}, {"By feature", "monthly-features", "Feature"}, {"By model", "monthly-models", "Model"}}) {
            TableView<MonthlyReport.Line> tv = Ui.table(t[1], "No spend this month.");
            Ui.text(tv, t[2], l -> l.name() == null ? "(none)" : l.name(), 150);
            Ui.number(tv, "Spend", MonthlyReport.Line::costUsd, Fmt::usd, 90);
            Ui.number(tv, "Share", MonthlyReport.Line::share, Fmt::pct, 65);
            Ui.number(tv, "Change", l -> l.changePct() == null ? Double.NaN : l.changePct(), v -> Double.isNaN(v) ? "new" : String.format("%+.1f %%", v), 75);
            tv.setPrefHeight(330);
            VBox box = new VBox(6, Ui.section(t[0]), tv);
            HBox.setHgrow(box, Priority.ALWAYS);
            tables.getChildren().add(box);
            lines.add(tv);
        }
        VBox page = Ui.page(Ui.title("Monthly report"), Ui.row(10, new Label("Month"), month, Ui.grow(), csv, html),
            Ui.row(12, total, change, forecast, reconcile), tables);
        ScrollPane sp = new ScrollPane(page);
        sp.setFitToWidth(true);
        return sp;
    }

    @Override
    protected void load(Filter f) {
        filter = f;
        session.submit("Listing months", (ws, conn, task) -> {
            List<String> months = new ArrayList<>();
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT strftime(ts, '%Y-%m') FROM calls ORDER BY 1 DESC")) {
                while (rs.next()) months.add(rs.getString(1));
            }
            return months;
        }, months -> {
            String keep = month.getValue();
            // set without the picker's own action: one report per load
            choosing = true;
            try {
                month.getItems().setAll(months);
                if (months.isEmpty()) {
                    // no month to pick: say why on the first card rather than leave four dashes
                    Ui.setCard(total, "–", "no calls in the workspace yet: import a log (Ctrl+O)");
                    return;
                }
                String m = keep != null && months.contains(keep) ? keep : months.get(0);
                month.setValue(m);
                report(m);
            } finally {
                choosing = false;
            }
        });
    }

    private void report(String m) {
        Filter f = filter;
        session.submit("Building the " + m + " report", (ws, conn, task) -> MonthlyReport.run(conn, m, f), this::show);
    }

    private void show(MonthlyReport.Result r) {
        shown = r;
        Ui.setCard(total, Fmt.usd(r.totalCostUsd()), Fmt.count(r.calls()) + " calls · " + Fmt.count(r.traces()) + " traces"
            + (r.catalogEstimatedUsd() > 0 ? " · " + Fmt.usd(r.catalogEstimatedUsd()) + " from catalog prices" : "")
            + (r.discounted() ? " · after discounts" : ""));
        Ui.setCard(change, Fmt.usd(r.previousMonthCostUsd()), r.changePct() == null ? "no spend the month before" : String.format("%+.1f %% this month", r.changePct()));
        if (r.forecast() != null && !r.complete()) {
            Ui.setCard(forecast, Fmt.usd(r.forecast().forecastUsd()), "95 % between " + Fmt.usd(r.forecast().lowUsd()) + " and " + Fmt.usd(r.forecast().highUsd())
                + " · " + r.forecast().completeDays() + " complete days");
        } else {
            Ui.setCard(forecast, r.complete() ? "complete" : "–", r.complete() ? "the log runs past the month's end"
                : r.underWay() ? "too few complete days for a line" : r.coverage());
        }
        Ui.setCard(reconcile, Fmt.count(r.reconcileCallsDiffering()) + " calls differ", "logged " + Fmt.usd(r.reconcileLoggedUsd()) + " · catalog "
            + Fmt.usd(r.reconcileCatalogUsd()) + " (calls with both)");
        TableRows.setAll(lines.get(0), r.byTeam());
        TableRows.setAll(lines.get(1), r.byFeature());
        TableRows.setAll(lines.get(2), r.byModel());
    }

    @Override
    public void export(Window owner) {
        save(owner, false);
    }

    private void save(Window owner, boolean printable) {
        if (shown == null) return;
        FileChooser fc = new FileChooser();
        fc.setTitle(printable ? "Save the printable report" : "Export the month as CSV");
        fc.setInitialFileName("routeledger-" + shown.month() + (printable ? ".html" : ".csv"));
        java.io.File file = fc.showSaveDialog(owner);
        if (file == null) return;
        MonthlyReport.Result r = shown;
        String ws = session.describe();
        session.submit("Saving the report", (w, conn, task) -> {
            if (printable) MonthlyExport.html(r, ws, file.toPath()); else MonthlyExport.csv(r, file.toPath());
            return file;
        }, f -> { });
    }
}
