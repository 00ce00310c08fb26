package dev.routeledger.console.screens;

import dev.routeledger.console.TableRows;
import dev.routeledger.analytics.Breakdown;
import dev.routeledger.analytics.Dimension;
import dev.routeledger.analytics.Filter;
import dev.routeledger.console.CallsDialog;
import dev.routeledger.console.Exportable;
import dev.routeledger.console.Fmt;
import dev.routeledger.console.Screen;
import dev.routeledger.console.Session;
import dev.routeledger.console.Ui;
import dev.routeledger.export.CsvExport;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/** Spend by one or two dimensions (SPEC §5): sortable, with shares; double-click a row for its calls; CSV export. */
public final class BreakdownScreen extends Screen implements Exportable {
    static final int MAX_ROWS = 5000;
    private final ComboBox<Dimension> first = new ComboBox<>();
    private final ComboBox<String> second = new ComboBox<>();
    private TableView<Breakdown.Row> table;
    private javafx.scene.control.TableColumn<Breakdown.Row, String> key1, key2;
    private Label total;
    private Breakdown.Result shown;
    private Filter filter = Filter.ALL;

    public BreakdownScreen(Session session) {
        super(session);
    }

    @Override public String title() { return "Breakdown"; }
    @Override public String key() { return "breakdown"; }
    @Override public Ikon icon() { return Material2OutlinedMZ.TABLE_CHART; }

    @Override
    protected Node build() {
        first.getItems().setAll(Dimension.values());
        first.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(Dimension d) { return d == null ? "" : d.key(); }
            @Override public Dimension fromString(String s) { return Dimension.parse(s); }
        });
        first.setValue(Dimension.FEATURE);
        first.setId("breakdown-first");
        second.getItems().add("(none)");
        for (Dimension d : Dimension.values()) second.getItems().add(d.key());
        second.setValue(Dimension.TIER.key());
        second.setId("breakdown-second");
        first.setOnAction(e -> load(filter));
        second.setOnAction(e -> load(filter));
        Button export = new Button("Export CSV …");
        export.setId("breakdown-export");
        export.setOnAction(e -> export(export.getScene().getWindow()));
        total = new Label();
        total.getStyleClass().add("hint");
        table = Ui.table("breakdown-table", "No calls in this view. Widen the filter or import a log.");
        // the columns are made once (a constrained table lays out columns added later with no width)
        key1 = Ui.text(table, "Feature", row -> key(row, 0), 150);
        key2 = Ui.text(table, "Tier", row -> key(row, 1), 110);
        Ui.number(table, "Calls", Breakdown.Row::calls, Fmt::count, 80);
        Ui.number(table, "Traces", Breakdown.Row::traces, Fmt::count, 80);
        Ui.number(table, "Spend", Breakdown.Row::costUsd, Fmt::usd, 100);
        Ui.number(table, "Share", Breakdown.Row::share, Fmt::pct, 70);
        Ui.number(table, "Per trace", Breakdown.Row::costPerTrace, Fmt::usd, 90);
        Ui.number(table, "p50", r2 -> r2.p50LatencyMs() == null ? -1.0 : r2.p50LatencyMs(), v -> v < 0 ? "–" : Fmt.ms(v), 80);
        Ui.number(table, "p95", r2 -> r2.p95LatencyMs() == null ? -1.0 : r2.p95LatencyMs(), v -> v < 0 ? "–" : Fmt.ms(v), 90);
        Ui.number(table, "Errors", Breakdown.Row::errorRate, Fmt::pct, 70);
        table.setRowFactory(tv -> {
            TableRow<Breakdown.Row> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) drill(row.getItem());
            });
            return row;
        });
        return Ui.page(Ui.title("Breakdown"), Ui.row(10, new Label("By"), first, new Label("then"), second, Ui.grow(), export), total,
            Ui.hint("Double-click a row to see its calls. Ctrl+E exports the table as CSV."), table);
    }

    private List<Dimension> dims() {
        List<Dimension> d = new ArrayList<>(List.of(first.getValue()));
        if (!"(none)".equals(second.getValue()) && !second.getValue().equals(first.getValue().key())) d.add(Dimension.parse(second.getValue()));
        return d;
    }

    @Override
    protected void load(Filter f) {
        filter = f;
        List<Dimension> dims = dims();
        session.submit("Breaking down spend", (ws, conn, task) -> Breakdown.run(conn, dims, f), this::show);
    }

    private void show(Breakdown.Result r) {
        shown = r;
        key1.setText(cap(r.dimensions().get(0).key()));
        key2.setVisible(r.dimensions().size() > 1);
        if (r.dimensions().size() > 1) key2.setText(cap(r.dimensions().get(1).key()));
        // a table holds what a person can read: the largest groups; the CSV export has them all
        TableRows.setAll(table, Ui.top(r.rows(), MAX_ROWS));
        total.setText((r.rows().size() > MAX_ROWS ? "the " + Fmt.count(MAX_ROWS) + " largest of " : "") + Fmt.count(r.rows().size())
            + " groups · total " + Fmt.usd(r.totalCostUsd())
            + (r.shadowCostUsd() > 0 && !r.shadowIncluded() ? " · shadow calls, not in the total: " + Fmt.usd(r.shadowCostUsd()) : ""));
    }

    private static String key(Breakdown.Row row, int i) {
        if (row.keys().size() <= i) return "";
        return row.keys().get(i) == null ? "(none)" : row.keys().get(i);
    }

    private static String cap(String s) {
        return s.substring(0, 1).toUpperCase() + s.substring(1);
    }

    /** The calls behind a row: the view's filter narrowed to the row's keys. */
    private void drill(Breakdown.Row row) {
        Filter f = filter;
        StringBuilder title = new StringBuilder();
        for (int i = 0; i < shown.dimensions().size(); i++) {
            Dimension d = shown.dimensions().get(i);
            String v = row.keys().get(i);
            if (v == null || d == Dimension.STATUS) continue;
            f = narrow(f, d, v);
            title.append(title.length() == 0 ? "" : " · ").append(d.key()).append(' ').append(v);
        }
        CallsDialog.show(session, f, title.toString(), table.getScene().getWindow());
    }

    static Filter narrow(Filter f, Dimension d, String v) {
        List<String> one = List.of(v);
        return switch (d) {
            case USER -> new Filter(f.from(), f.to(), one, f.teams(), f.features(), f.tiers(), f.models(), f.providers(), f.includeShadow());
            case TEAM -> new Filter(f.from(), f.to(), f.users(), one, f.features(), f.tiers(), f.models(), f.providers(), f.includeShadow());
            case FEATURE -> new Filter(f.from(), f.to(), f.users(), f.teams(), one, f.tiers(), f.models(), f.providers(), f.includeShadow());
            case TIER -> new Filter(f.from(), f.to(), f.users(), f.teams(), f.features(), one, f.models(), f.providers(), f.includeShadow());
            case MODEL -> new Filter(f.from(), f.to(), f.users(), f.teams(), f.features(), f.tiers(), one, f.providers(), f.includeShadow());
            case PROVIDER -> new Filter(f.from(), f.to(), f.users(), f.teams(), f.features(), f.tiers(), f.models(), one, f.includeShadow());
            case DAY -> f.withRange(LocalDate.parse(v).atStartOfDay(), LocalDate.parse(v).plusDays(1).atStartOfDay());
            case WEEK -> f.withRange(LocalDate.parse(v).atStartOfDay(), LocalDate.parse(v).plusWeeks(1).atStartOfDay());
            case MONTH -> f.month(v);
            default -> f;
        };
    }

    @Override
    public void export(Window owner) {
        if (shown == null) return;
        FileChooser fc = new FileChooser();
        fc.setTitle("Export the breakdown as CSV");
        fc.setInitialFileName("breakdown.csv");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
        java.io.File file = fc.showSaveDialog(owner);
        if (file == null) return;
        Breakdown.Result r = shown;
        session.submit("Exporting CSV", (ws, conn, task) -> {
            CsvExport.breakdown(r, file.toPath());
            return file;
        }, f -> { });
    }
}
