package dev.routeledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routeledger.analytics.Filter;
import dev.routeledger.analytics.PowerUsers;
import dev.routeledger.store.Workspace;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** {@code power-users}: users ranked by spend, Pareto position and the flagged ones with their reasons (SPEC §5). */
final class PowerUsersCommand implements Command {
    @Override
    public String name() { return "power-users"; }

    @Override
    public String usage() {
        return "power-users " + FilterArgs.USAGE + " [--limit N] [--workspace FILE] [--json]   who spends, and who is flagged and why";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = FilterArgs.parseCommand(raw, "limit");
        Filter filter = FilterArgs.parse(a);
        int limit = (int) a.longValue("limit", 20, 1);
        PowerUsers.Result r;
        try (Workspace ws = Workspace.open(Cli.workspacePath(a))) {
            r = PowerUsers.run(ws.connection(), filter, limit);
        }
        if (a.flag("json")) {
            ObjectNode n = Output.object();
            n.put("user_count", r.userCount());
            n.put("total_cost_usd", r.totalCostUsd());
            n.put("top_1pct_share", r.top1PctShare());
            n.put("top_10pct_share", r.top10PctShare());
            ArrayNode users = n.putArray("users");
            for (PowerUsers.User u : r.users()) {
                ObjectNode o = users.addObject().put("user_id", u.userId()).put("rank", u.rank()).put("cost_usd", u.costUsd())
                    .put("share", u.share()).put("cumulative_share", u.cumulativeShare()).put("calls", u.calls()).put("traces", u.traces())
                    .put("flagged", u.flagged()).put("frontier_share", u.frontierShare()).put("frontier_spend_share", u.frontierSpendShare())
                    .put("repeat_ratio", u.repeatRatio()).put("repeat_calls", u.repeatCalls()).put("cache_savings_usd", u.cacheSavingsUsd())
                    .put("lower_tier_savings_usd", u.lowerTierSavingsUsd()).put("robust_z", u.robustZ());
                ArrayNode reasons = o.putArray("reasons");
                u.reasons().forEach(reasons::add);
            }
            Output.json(out, n);
            return 0;
        }
        out.println(String.format("%,d users, %s. The top 1 %% of users hold %.1f %% of spend, the top 10 %% hold %.1f %%.", r.userCount(),
            Output.usd(r.totalCostUsd()), 100 * r.top1PctShare(), 100 * r.top10PctShare()));
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "user", "spend", "share", "cumulative", "frontier", "repeats", "flag"});
        for (PowerUsers.User u : r.users()) {
            rows.add(new String[] {String.valueOf(u.rank()), u.userId(), Output.usd(u.costUsd()), String.format("%.1f%%", 100 * u.share()),
                String.format("%.1f%%", 100 * u.cumulativeShare()), String.format("%.0f%%", 100 * u.frontierShare()),
                String.format("%.0f%%", 100 * u.repeatRatio()), u.flagged() ? "FLAGGED" : ""});
        }
        Output.table(out, rows);
        for (PowerUsers.User u : r.users()) {
            if (!u.flagged()) continue;
            out.println();
            out.println(u.userId() + ":");
            u.reasons().forEach(x -> out.println("  - " + x));
        }
        return 0;
    }
}
