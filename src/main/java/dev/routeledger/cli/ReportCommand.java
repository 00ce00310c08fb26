package dev.routeledger.cli;

import dev.routeledger.export.CsvExport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routeledger.analytics.Breakdown;
import dev.routeledger.analytics.Dimension;
import dev.routeledger.analytics.Filter;
import dev.routeledger.store.Workspace;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code report --by DIM[,DIM]}: the breakdown of SPEC §5, as a table, JSON or CSV. */
final class ReportCommand implements Command {
    @Override
    public String name() { return "report"; }

    @Override
    public String usage() {
        return "report --by DIM[,DIM] " + FilterArgs.USAGE + " [--csv FILE] [--limit N] [--workspace FILE] [--json]"
            + "   spend by user, team, feature, tier, model, provider, status, day, week or month";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = FilterArgs.parseCommand(raw, "by", "csv", "limit");
        if (!a.flag("by")) throw new UsageException("report needs --by, e.g. --by team or --by feature,tier");
        List<Dimension> dims = new ArrayList<>();
        try {
            for (String d : a.get("by", "").split(",")) dims.add(Dimension.parse(d));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (dims.size() > 2) throw new UsageException("--by takes one or two dimensions");
        if (dims.size() == 2 && dims.get(0) == dims.get(1)) throw new UsageException("--by names " + dims.get(0).name().toLowerCase(java.util.Locale.ROOT) + " twice; give two different dimensions");
        Filter filter = FilterArgs.parse(a);
        long limit = a.longValue("limit", 50, 1);
        Breakdown.Result r;
        try (Workspace ws = Workspace.open(Cli.workspacePath(a))) {
            r = Breakdown.run(ws.connection(), dims, filter);
        }
        if (a.flag("csv")) {
            Path csv = Path.of(a.get("csv", null));
            CsvExport.breakdown(r, csv);
            err.println("wrote " + r.rows().size() + " rows to " + csv);
        }
        if (a.flag("json")) {
            ObjectNode n = Output.object();
            ArrayNode rows = n.putArray("rows");
            for (Breakdown.Row row : r.rows()) rows.add(CsvExport.breakdownRow(r, row));
            n.put("total_cost_usd", r.totalCostUsd());
            n.put("catalog_estimated_usd", r.catalogEstimatedUsd());
            n.put("shadow_cost_usd", r.shadowCostUsd());
            n.put("shadow_included", r.shadowIncluded());
            Output.json(out, n);
            return 0;
        }
        List<String[]> table = new ArrayList<>();
        List<String> head = new ArrayList<>();
        dims.forEach(d -> head.add(d.key()));
        head.addAll(List.of("calls", "traces", "cost", "share", "per trace", "p50 ms", "p95 ms", "errors"));
        table.add(head.toArray(String[]::new));
        int shown = 0;
        for (Breakdown.Row row : r.rows()) {
            if (shown++ >= limit) break;
            List<String> cells = new ArrayList<>();
            row.keys().forEach(k -> cells.add(k == null ? "(none)" : k));
            cells.addAll(List.of(Output.count(row.calls()), Output.count(row.traces()), Output.usd(row.costUsd()),
                String.format("%.1f%%", 100 * row.share()), String.format("$%.4f", row.costPerTrace()), ms(row.p50LatencyMs()),
                ms(row.p95LatencyMs()), String.format("%.1f%%", 100 * row.errorRate())));
            table.add(cells.toArray(String[]::new));
        }
        Output.table(out, table);
        if (r.rows().size() > limit) out.println("… " + (r.rows().size() - limit) + " more rows (--limit, or --csv FILE for all)");
        out.println("Total " + Output.usd(r.totalCostUsd()) + (r.catalogEstimatedUsd() > 0 ? " (" + Output.usd(r.catalogEstimatedUsd())
            + " catalog-estimated)" : "") + (r.shadowIncluded() ? ", shadow calls included" : r.shadowCostUsd() > 0
            ? "; shadow (evaluation) calls cost " + Output.usd(r.shadowCostUsd()) + " more, not in the total" : ""));
        return 0;
    }

    private static String ms(Double v) {
        return v == null ? "–" : String.format("%,.0f", v);
    }
}
