package dev.routeledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routeledger.analytics.Filter;
import dev.routeledger.analytics.MonthForecast;
import dev.routeledger.analytics.MonthlyReport;
import dev.routeledger.export.MonthlyExport;
import dev.routeledger.store.Workspace;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code monthly --month YYYY-MM}: the finance report of SPEC §5, with CSV and printable HTML exports. */
final class MonthlyCommand implements Command {
    @Override
    public String name() { return "monthly"; }

    @Override
    public String usage() {
        return "monthly --month YYYY-MM [--teams …] [--features …] [--csv FILE] [--html FILE] [--workspace FILE] [--json]"
            + "   a month's spend, change, breakdowns, reconciliation and month-end forecast";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = FilterArgs.parseCommand(raw, "csv", "html");
        if (!a.flag("month")) throw new UsageException("monthly needs --month YYYY-MM");
        if (a.flag("from") || a.flag("to")) throw new UsageException("monthly covers a whole --month; --from and --to are for report");
        Filter filter = FilterArgs.parse(a);
        String month = a.get("month", null);
        MonthlyReport.Result r;
        String wsName;
        try (Workspace ws = Workspace.open(Cli.workspacePath(a))) {
            r = MonthlyReport.run(ws.connection(), month, filter.withRange(null, null));
            wsName = ws.describe();
        }
        if (a.flag("csv")) {
            MonthlyExport.csv(r, Path.of(a.get("csv", null)));
            err.println("wrote " + a.get("csv", null));
        }
        if (a.flag("html")) {
            MonthlyExport.html(r, wsName, Path.of(a.get("html", null)));
            err.println("wrote " + a.get("html", null) + " (open it in a browser and print, or save as PDF)");
        }
        if (a.flag("json")) {
            ObjectNode n = Output.object();
            n.put("month", r.month());
            n.put("total_cost_usd", r.totalCostUsd());
            n.put("previous_month_cost_usd", r.previousMonthCostUsd());
            if (r.changePct() == null) n.putNull("change_pct"); else n.put("change_pct", r.changePct());
            n.put("catalog_estimated_usd", r.catalogEstimatedUsd());
            n.put("shadow_cost_usd", r.shadowCostUsd());
            n.put("discounts_applied", r.discounted());
            n.put("calls", r.calls());
            n.put("traces", r.traces());
            lines(n.putArray("by_team"), "team", r.byTeam());
            lines(n.putArray("by_feature"), "feature", r.byFeature());
            lines(n.putArray("by_model"), "model", r.byModel());
            n.put("complete", r.complete());
            MonthForecast f = r.forecast();
            if (f == null) {
                n.putNull("forecast");
            } else {
                n.putObject("forecast").put("complete_days", f.completeDays()).put("days_in_month", f.daysInMonth())
                    .put("to_date_usd", f.toDateUsd()).put("remaining_usd", f.remainingUsd()).put("month_end_usd", f.forecastUsd())
                    .put("low_usd", f.lowUsd()).put("high_usd", f.highUsd()).put("slope_usd_per_day", f.slopeUsdPerDay());
            }
            n.putObject("reconciliation").put("logged_usd", r.reconcileLoggedUsd()).put("catalog_usd", r.reconcileCatalogUsd())
                .put("calls_differing", r.reconcileCallsDiffering());
            Output.json(out, n);
            return 0;
        }
        out.println("Month      " + r.month() + (r.complete() ? "" : " (" + r.coverage() + ")"));
        out.println("Spend      " + Output.usd(r.totalCostUsd()) + (r.changePct() == null ? "" : String.format("  (%+.1f %% on %s)",
            r.changePct(), Output.usd(r.previousMonthCostUsd()))) + (r.discounted() ? ", after negotiated discounts" : ""));
        out.println("Estimated  " + Output.usd(r.catalogEstimatedUsd()) + " of it from catalog prices");
        if (r.shadowCostUsd() > 0) out.println("Shadow     " + Output.usd(r.shadowCostUsd()) + " on evaluation calls, not in spend");
        if (r.forecast() != null) {
            MonthForecast f = r.forecast();
            out.println("Forecast   " + Output.usd(f.forecastUsd()) + " at month end (95 %: " + Output.usd(f.lowUsd()) + " – " + Output.usd(f.highUsd())
                + "), from " + f.completeDays() + " complete days");
        }
        out.println("Reconcile  logged " + Output.usd(r.reconcileLoggedUsd()) + " vs catalog " + Output.usd(r.reconcileCatalogUsd()) + "; "
            + Output.count(r.reconcileCallsDiffering()) + " calls differ by more than 5 %");
        print(out, "team", r.byTeam());
        print(out, "feature", r.byFeature());
        print(out, "model", r.byModel());
        return 0;
    }

    private static void lines(ArrayNode arr, String key, List<MonthlyReport.Line> lines) {
        for (MonthlyReport.Line l : lines) {
            ObjectNode o = arr.addObject().put(key, l.name()).put("cost_usd", l.costUsd()).put("share", l.share())
                .put("previous_month_cost_usd", l.previousCostUsd());
            if (l.changePct() == null) o.putNull("change_pct"); else o.put("change_pct", l.changePct());
        }
    }

    private static void print(PrintStream out, String title, List<MonthlyReport.Line> lines) {
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {title, "spend", "share", "previous", "change"});
        for (MonthlyReport.Line l : lines) {
            rows.add(new String[] {l.name(), Output.usd(l.costUsd()), String.format("%.1f%%", 100 * l.share()), Output.usd(l.previousCostUsd()),
                l.changePct() == null ? "new" : String.format("%+.1f%%", l.changePct())});
        }
        Output.table(out, rows);
    }
}
