package dev.routeledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routeledger.analytics.CacheOpportunity;
import dev.routeledger.analytics.Filter;
import dev.routeledger.store.Workspace;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code cache [--window-hours H]}: spend on prompts repeated within a window, by feature and user (SPEC §5). */
final class CacheCommand implements Command {
    @Override
    public String name() { return "cache"; }

    @Override
    public String usage() {
        return "cache " + FilterArgs.USAGE + " [--window-hours H (default 24)] [--limit N] [--workspace FILE] [--json]"
            + "   what an exact-match cache would have saved";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = FilterArgs.parseCommand(raw, "window-hours", "limit");
        Filter filter = FilterArgs.parse(a);
        double hours = Args.number(a.get("window-hours", "24"), "--window-hours");
        if (hours <= 0) throw new UsageException("--window-hours must be above 0");
        Duration window = Duration.ofSeconds(Math.round(hours * 3600));
        int limit = (int) a.longValue("limit", 10, 1);
        CacheOpportunity.Result r;
        try (Workspace ws = Workspace.open(Cli.workspacePath(a))) {
            r = CacheOpportunity.run(ws.connection(), filter, window, limit);
        }
        if (a.flag("json")) {
            ObjectNode n = Output.object();
            n.put("window_hours", hours);
            n.put("traces", r.traces());
            n.put("repeat_traces", r.repeatTraces());
            n.put("repeat_cost_usd", r.repeatCostUsd());
            n.put("total_cost_usd", r.totalCostUsd());
            groups(n.putArray("by_feature"), "feature", r.byFeature());
            groups(n.putArray("by_user"), "user_id", r.byUser());
            Output.json(out, n);
            return 0;
        }
        out.println(String.format("%,d of %,d traces repeat a prompt sent within %s before them; they cost %s of %s (%.1f %%):"
            + " what an exact-match cache would have saved.", r.repeatTraces(), r.traces(), hours + " h", Output.usd(r.repeatCostUsd()),
            Output.usd(r.totalCostUsd()), r.totalCostUsd() > 0 ? 100 * r.repeatCostUsd() / r.totalCostUsd() : 0));
        print(out, "feature", r.byFeature());
        print(out, "user", r.byUser());
        return 0;
    }

    private static void groups(ArrayNode arr, String key, List<CacheOpportunity.Group> gs) {
        for (CacheOpportunity.Group g : gs) {
            arr.addObject().put(key, g.name()).put("repeat_traces", g.repeatTraces()).put("repeat_cost_usd", g.repeatCostUsd()).put("cost_usd", g.costUsd());
        }
    }

    private static void print(PrintStream out, String title, List<CacheOpportunity.Group> gs) {
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {title, "repeated traces", "their cost", "of spend"});
        for (CacheOpportunity.Group g : gs) {
            rows.add(new String[] {g.name(), Output.count(g.repeatTraces()), Output.usd(g.repeatCostUsd()),
                g.costUsd() > 0 ? String.format("%.1f%%", 100 * g.repeatCostUsd() / g.costUsd()) : "–"});
        }
        Output.table(out, rows);
    }
}
