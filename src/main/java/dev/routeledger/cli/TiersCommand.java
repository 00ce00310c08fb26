package dev.routeledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.routeledger.store.TierMap;
import dev.routeledger.store.Workspace;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code tiers [--set PATTERN=TIER] [--remove PATTERN]}: shows or edits the workspace's tier map. */
final class TiersCommand implements Command {
    @Override
    public String name() { return "tiers"; }

    @Override
    public String usage() {
        return "tiers [--workspace FILE] [--set PATTERN=TIER] [--remove PATTERN] [--json]   show or edit the tier map (model name or glob -> tier)";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(raw, Set.of("workspace", "set", "remove"), Set.of("json"));
        try (Workspace ws = Workspace.open(Cli.workspacePath(a))) {
            TierMap map = new TierMap(ws);
            String set = a.get("set", null);
            if (set != null) {
                int eq = set.lastIndexOf('=');
                if (eq <= 0) throw new UsageException("--set takes PATTERN=TIER, e.g. --set 'groq/*'=1");
                int tier;
                try {
                    tier = Integer.parseInt(set.substring(eq + 1).trim());
                } catch (NumberFormatException e) {
                    throw new UsageException("the tier in --set must be a whole number ≥ 1, got '" + set.substring(eq + 1) + "'");
                }
                if (tier < 1) throw new UsageException("the tier in --set must be ≥ 1");
                map.set(set.substring(0, eq).trim(), tier);
            }
            String remove = a.get("remove", null);
            if (remove != null && !map.remove(remove)) {
                err.println("error: no tier map entry '" + remove + "'");
                return 1;
            }
            List<TierMap.Entry> entries = map.entries();
            if (a.flag("json")) {
                ArrayNode arr = Output.JSON.createArrayNode();
                entries.forEach(e -> arr.addObject().put("pattern", e.pattern()).put("tier", e.tier()));
                Output.json(out, Output.object().set("tier_map", arr));
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"pattern", "tier"});
                entries.forEach(e -> rows.add(new String[] {e.pattern(), String.valueOf(e.tier())}));
                Output.table(out, rows);
            }
        }
        return 0;
    }
}
