package dev.routeledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routeledger.analytics.WorkspaceSummary;
import dev.routeledger.analytics.WorkspaceSummaryQuery;
import dev.routeledger.store.Workspace;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code info}: calls, traces, users, date range, spend per tier, unknown models. */
final class InfoCommand implements Command {
    @Override
    public String name() { return "info"; }

    @Override
    public String usage() {
        return "info [--workspace FILE] [--json]   what the workspace holds: calls, traces, users, dates, spend per tier, unknown models";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(raw, Set.of("workspace"), Set.of("json"));
        if (!a.positional().isEmpty()) throw new UsageException("info takes no FILE arguments");
        WorkspaceSummary s;
        try (Workspace ws = Workspace.open(Cli.workspacePath(a))) {
            s = WorkspaceSummaryQuery.run(ws);
        }
        if (a.flag("json")) {
            Output.json(out, toJson(s));
            return 0;
        }
        out.println("Workspace  " + s.workspace() + " (schema " + s.schemaVersion() + ")");
        out.println("Calls      " + Output.count(s.calls()) + " in " + Output.count(s.traces()) + " traces, "
            + Output.count(s.users()) + " users");
        out.println("Dates      " + (s.from() == null ? "-" : s.from() + "  to  " + s.to()) + " (UTC)");
        out.println("Spend      " + Output.usd(s.costUsd()) + (s.catalogEstimatedUsd() > 0
            ? " (" + Output.usd(s.catalogEstimatedUsd()) + " of it estimated from catalog prices)" : " (all as logged)")
            + (s.discounted() ? ", after negotiated discounts (see `prices`)" : ""));
        if (s.callsWithoutCost() > 0) {
            out.println("Unpriced   " + Output.count(s.callsWithoutCost()) + " calls have no logged cost and no catalog price (not in spend; see below)");
        }
        if (s.shadowCostUsd() > 0) out.println("Shadow     " + Output.usd(s.shadowCostUsd()) + " on shadow (evaluation) calls, not in spend");
        out.println("Imports    " + Output.count(s.batches()) + " files, " + Output.count(s.rejectedRows()) + " rejected rows kept");
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"tier", "calls", "cost", "share", "unpriced calls"});
        for (WorkspaceSummary.TierSpend t : s.byTier()) {
            rows.add(new String[] {t.tier() == null ? "unknown" : String.valueOf(t.tier()), Output.count(t.calls()),
                Output.usd(t.costUsd()), s.costUsd() > 0 ? String.format("%.1f%%", 100 * t.costUsd() / s.costUsd()) : "-",
                Output.count(t.callsWithoutCost())});
        }
        Output.table(out, rows);
        if (!s.unknownModels().isEmpty()) {
            out.println();
            out.println("Models the tier map does not know (edit it with `tiers --set PATTERN=TIER`):");
            s.unknownModels().forEach(m -> out.println("  " + m.model() + "  (" + Output.count(m.calls()) + " calls)"));
        }
        if (!s.unpricedModels().isEmpty()) {
            out.println();
            out.println("Models with calls that no price covers (add one with `prices --override MODEL ...`):");
            s.unpricedModels().forEach(m -> out.println("  " + m.model() + "  (" + Output.count(m.calls()) + " calls)"));
        }
        return 0;
    }

    static ObjectNode toJson(WorkspaceSummary s) {
        ObjectNode n = Output.object();
        n.put("workspace", s.workspace());
        n.put("schema_version", s.schemaVersion());
        n.put("calls", s.calls());
        n.put("traces", s.traces());
        n.put("users", s.users());
        n.put("from", s.from() == null ? null : s.from() + "Z");
        n.put("to", s.to() == null ? null : s.to() + "Z");
        n.put("cost_usd", s.costUsd());
        n.put("shadow_cost_usd", s.shadowCostUsd());
        n.put("catalog_estimated_usd", s.catalogEstimatedUsd());
        n.put("discounts_applied", s.discounted());
        n.put("calls_unpriced", s.callsWithoutCost());
        ArrayNode tiers = n.putArray("cost_by_tier");
        for (WorkspaceSummary.TierSpend t : s.byTier()) {
            ObjectNode o = tiers.addObject();
            if (t.tier() == null) o.put("tier", "unknown"); else o.put("tier", t.tier());
            o.put("calls", t.calls());
            o.put("cost_usd", t.costUsd());
            o.put("calls_unpriced", t.callsWithoutCost());
        }
        ArrayNode unknown = n.putArray("unknown_models");
        for (WorkspaceSummary.UnknownModel m : s.unknownModels()) unknown.addObject().put("model", m.model()).put("calls", m.calls());
        ArrayNode unpriced = n.putArray("unpriced_models");
        for (WorkspaceSummary.UnknownModel m : s.unpricedModels()) unpriced.addObject().put("model", m.model()).put("calls", m.calls());
        n.put("import_batches", s.batches());
        n.put("rejected_rows", s.rejectedRows());
        return n;
    }
}
