package dev.routeledger.console;

import dev.routeledger.analytics.Filter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.Dialog;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * The calls behind a figure (drill-down): the newest {@value #LIMIT} calls the filter selects, read from DuckDB
 * page-sized — never the whole log into a list.
 */
public final class CallsDialog {
    static final int LIMIT = 500;

    public record Call(String ts, String requestId, String traceId, String user, String feature, String model, String tier, String status,
                       double costUsd, Double latencyMs) {}

    private CallsDialog() {}

    public static void show(Session session, Filter filter, String title, Window owner) {
        session.submit("Reading the calls", (ws, conn, task) -> {
            List<Call> out = new ArrayList<>();
            long total;
            try (PreparedStatement ps = conn.prepareStatement("SELECT strftime(ts, '%Y-%m-%d %H:%M:%S'), request_id, trace_id, user_id, feature, model,"
                    + " coalesce(CAST(eff_tier AS VARCHAR), 'unknown'), coalesce(status, 'ok'), coalesce(cost_effective, 0), latency_ms,"
                    + " count(*) OVER () FROM calls WHERE " + filter.where() + " ORDER BY ts DESC, request_id LIMIT " + LIMIT)) {
                filter.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    total = 0;
                    while (rs.next()) {
                        double lat = rs.getDouble(10);
                        out.add(new Call(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7), rs.getString(8), rs.getDouble(9), rs.wasNull() ? null : lat));
                        total = rs.getLong(11);
                    }
                }
            }
            return new Page(out, total);
        }, p -> open(title, p.calls(), p.total(), owner));
    }

    /** The calls shown and how many the filter selects in all. */
    record Page(List<Call> calls, long total) {}

    private static void open(String title, List<Call> calls, long total, Window owner) {
        TableView<Call> t = Ui.table("calls-table", "No calls.");
        Ui.text(t, "Time (UTC)", Call::ts, 150);
        Ui.text(t, "Request", Call::requestId, 150);
        Ui.text(t, "Trace", Call::traceId, 130);
        Ui.text(t, "User", Call::user, 100);
        Ui.text(t, "Feature", Call::feature, 120);
        Ui.text(t, "Model", Call::model, 170);
        Ui.text(t, "Tier", Call::tier, 50);
        Ui.text(t, "Status", Call::status, 90);
        Ui.number(t, "Cost", Call::costUsd, Fmt::usd, 80);
        Ui.number(t, "Latency", c -> c.latencyMs() == null ? -1.0 : c.latencyMs(), v -> v < 0 ? "–" : Fmt.ms(v), 80);
        TableRows.setAll(t, calls);
        Dialog<Void> d = new Dialog<>();
        d.setTitle(title);
        d.setHeaderText(title + " — " + (total > calls.size() ? "the newest " + Fmt.count(calls.size()) + " of " + Fmt.count(total) + " calls"
            : Fmt.count(total) + " calls"));
        VBox box = new VBox(8, t);
        box.setPrefSize(1100, 560);
        d.getDialogPane().setContent(box);
        d.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        d.initOwner(owner);
        d.setResizable(true);
        d.show();
    }
}
