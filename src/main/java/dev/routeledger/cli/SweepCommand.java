package dev.routeledger.cli;

import dev.routeledger.export.CsvExport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routeledger.analytics.Filter;
import dev.routeledger.policy.Policy;
import dev.routeledger.policy.PolicyFile;
import dev.routeledger.replay.ReplayResult;
import dev.routeledger.replay.Sweep;
import dev.routeledger.store.Workspace;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** {@code sweep --family FILE}: replays every policy of a family and marks the cost/quality frontier (SPEC §6.3). */
final class SweepCommand implements Command {
    @Override
    public String name() { return "sweep"; }

    @Override
    public String usage() {
        return "sweep --family FILE [--from DATE] [--to DATE] [--month YYYY-MM] [--features …] [--csv FILE] [--workspace FILE] [--json]"
            + "   replay a family of policies (a policy file with a 'sweep' section) and show the cost/quality frontier";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = FilterArgs.parseCommand(raw, "family", "csv");
        if (!a.flag("family")) throw new UsageException("sweep needs --family FILE (a policy file with a 'sweep' section; README, Policy files)");
        Filter scope = FilterArgs.parse(a);
        List<Policy> family = PolicyFile.loadFamily(a.path("family", null));
        Sweep.Result r;
        try (Workspace ws = Workspace.open(Cli.workspacePath(a))) {
            r = Sweep.run(ws.connection(), scope, family, done -> progress(err, done, family.size()));
        }
        err.println();
        if (a.flag("csv")) {
            List<com.fasterxml.jackson.databind.node.ObjectNode> rows = new ArrayList<>();
            for (Sweep.Point p : r.points()) rows.add(CsvExport.replayRow(p.result()).put("on_frontier", p.onFrontier()));
            CsvExport.rows(rows, a.path("csv", null));
        }
        if (a.flag("json")) {
            Output.json(out, json(r));
            return 0;
        }
        print(out, r);
        return 0;
    }

    static void progress(PrintStream err, int done, int total) {
        err.print("\r  replayed " + done + " of " + total + " policies");
        err.flush();
    }

    static ObjectNode json(Sweep.Result r) {
        ObjectNode n = Output.object();
        n.put("traces", r.traces());
        if (r.actualCostUsd() == null) n.putNull("actual_cost_usd"); else n.put("actual_cost_usd", r.actualCostUsd());
        if (r.actualSuccess() == null) n.putNull("actual_success"); else n.put("actual_success", r.actualSuccess());
        ArrayNode points = n.putArray("points");
        for (Sweep.Point p : r.points()) {
            ReplayResult x = p.result();
            ObjectNode o = points.addObject().put("policy", x.policy()).put("simulated_cost_usd", x.simulatedCostUsd()).put("simulated_success", x.simulatedSuccess());
            o.putArray("success_ci").add(x.successCi()[0]).add(x.successCi()[1]);
            if (x.savingsPct() == null) o.putNull("savings_pct"); else o.put("savings_pct", x.savingsPct());
            o.put("exact_share", x.exactShare()).put("on_frontier", p.onFrontier());
        }
        return n;
    }

    static void print(PrintStream out, Sweep.Result r) {
        out.println(String.format("%d policies over %s traces%s. * = on the cost/quality frontier.", r.points().size(), Output.count(r.traces()),
            r.actualCostUsd() == null ? "" : String.format("; actual cost %s, success %.1f %%", Output.usd(r.actualCostUsd()), 100 * r.actualSuccess())));
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "policy", "cost", "savings", "success (95 %)", "observed"});
        for (Sweep.Point p : r.points()) {
            ReplayResult x = p.result();
            rows.add(new String[] {p.onFrontier() ? "*" : "", x.policy(), Output.usd(x.simulatedCostUsd()), x.savingsPct() == null ? "" : String.format("%.1f%%", x.savingsPct()),
                String.format("%.1f%% (%.1f–%.1f)", 100 * x.simulatedSuccess(), 100 * x.successCi()[0], 100 * x.successCi()[1]),
                String.format("%.0f%%", 100 * x.exactShare())});
        }
        Output.table(out, rows);
    }
}
