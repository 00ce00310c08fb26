package dev.routeledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routeledger.analytics.Escalations;
import dev.routeledger.analytics.Filter;
import dev.routeledger.store.Workspace;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** {@code escalations}: routes escalated to expensive tiers more than they needed (SPEC §5). */
final class EscalationsCommand implements Command {
    @Override
    public String name() { return "escalations"; }

    @Override
    public String usage() {
        return "escalations " + FilterArgs.USAGE + " [--quality-floor X] [--workspace FILE] [--json]   over-escalated routes and their wasted spend";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = FilterArgs.parseCommand(raw, "quality-floor");
        Filter filter = FilterArgs.parse(a);
        Double floor = a.flag("quality-floor") ? Args.number(a.get("quality-floor", null), "--quality-floor") : null;
        if (floor != null && (floor < 0 || floor > 1)) throw new UsageException("--quality-floor is a success rate between 0 and 1");
        Escalations.Result r;
        try (Workspace ws = Workspace.open(Cli.workspacePath(a))) {
            r = Escalations.run(ws.connection(), filter, floor);
        }
        if (a.flag("json")) {
            ObjectNode n = Output.object();
            ArrayNode routes = n.putArray("routes");
            for (Escalations.Route x : r.routes()) {
                ObjectNode o = routes.addObject().put("feature", x.feature()).put("from_tier", x.fromTier()).put("to_tier", x.toTier())
                    .put("reason", x.reason()).put("traces", x.traces()).put("escalations", x.escalations()).put("over_escalated", x.overEscalated());
                num(o, "lower_tier_success", x.lowerTierSuccess());
                num(o, "ci_low", x.ciLow());
                num(o, "ci_high", x.ciHigh());
                o.put("evidence_coverage", x.evidenceCoverage()).put("higher_tier_success", x.higherTierSuccess()).put("quality_floor", x.floor())
                    .put("wasted_usd", x.wastedUsd()).put("escalated_cost_usd", x.escalatedCostUsd()).put("flagged", x.flagged());
            }
            n.put("escalated_traces", r.escalatedTraces());
            n.put("over_escalated_total", r.overEscalatedTotal());
            n.put("wasted_usd_total", r.wastedUsdTotal());
            Output.json(out, n);
            return 0;
        }
        out.println(String.format("%,d escalated traces, %,d of them over-escalated (the lower tier's own success shows it sufficed);"
            + " wasted spend %s.", r.escalatedTraces(), r.overEscalatedTotal(), Output.usd(r.wastedUsdTotal())));
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"feature", "route", "reason", "traces", "escalated", "over-escalated", "lower-tier success (95 %)", "floor", "wasted", "verdict"});
        for (Escalations.Route x : r.routes()) {
            rows.add(new String[] {x.feature(), x.fromTier() + " → " + x.toTier(), x.reason(), Output.count(x.traces()), Output.count(x.escalations()),
                Output.count(x.overEscalated()), x.lowerTierSuccess() == null ? "no evidence"
                    : String.format("%.1f%% (%.1f–%.1f)", 100 * x.lowerTierSuccess(), 100 * x.ciLow(), 100 * x.ciHigh()),
                String.format("%.1f%%", 100 * x.floor()), Output.usd(x.wastedUsd()), x.flagged() ? "ESCALATED MORE THAN NEEDED" : ""});
        }
        Output.table(out, rows);
        return 0;
    }

    private static void num(ObjectNode o, String key, Double v) {
        if (v == null) o.putNull(key); else o.put(key, v);
    }
}
