package dev.routeledger.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routeledger.analytics.Filter;
import dev.routeledger.policy.DefaultFamily;
import dev.routeledger.policy.LiteLlmConfig;
import dev.routeledger.policy.Policy;
import dev.routeledger.policy.PolicyFile;
import dev.routeledger.policy.PolicyWriter;
import dev.routeledger.replay.ReplayResult;
import dev.routeledger.replay.Sweep;
import dev.routeledger.store.Workspace;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code optimize}: the cheapest policy of a family whose success holds the quality floor on the lower end of its
 * interval (SPEC §6.3), written as a policy file and, if asked, as a LiteLLM proxy config (§6.4).
 */
final class OptimizeCommand implements Command {
    @Override
    public String name() { return "optimize"; }

    @Override
    public String usage() {
        return "optimize --out FILE [--family FILE] [--quality-floor X] [--litellm-config FILE] [--from DATE] [--to DATE] [--features …] [--workspace FILE] [--json]"
            + "   the cheapest policy that holds the quality floor (default: actual success − 1 point), exported";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = FilterArgs.parseCommand(raw, "family", "quality-floor", "out", "litellm-config");
        if (!a.flag("out")) throw new UsageException("optimize needs --out FILE (where to write the chosen policy: .yaml or .json)");
        Path outFile = a.path("out", null);
        Path litellm = a.flag("litellm-config") ? a.path("litellm-config", null) : null;
        Double floorArg = a.flag("quality-floor") ? Args.number(a.get("quality-floor", null), "--quality-floor") : null;
        if (floorArg != null && (floorArg < 0 || floorArg > 1)) throw new UsageException("--quality-floor is a success rate between 0 and 1");
        Filter scope = FilterArgs.parse(a);
        try (Workspace ws = Workspace.open(Cli.workspacePath(a))) {
            List<Policy> family = a.flag("family") ? PolicyFile.loadFamily(a.path("family", null)) : DefaultFamily.of(ws.connection());
            Sweep.Result r = Sweep.run(ws.connection(), scope, family, done -> SweepCommand.progress(err, done, family.size()));
            err.println();
            return choose(r, a, floorArg, outFile, litellm, out, err);
        }
    }

    private static int choose(Sweep.Result r, Args a, Double floorArg, Path outFile, Path litellm, PrintStream out, PrintStream err) throws Exception {
        double floor = floorArg != null ? floorArg : Sweep.defaultFloor(r);
        // the sweep's intervals are normal ones from class sums; the chosen policy is replayed in full (bootstrap
        // intervals, latency), and if its full interval misses the floor, the next cheapest candidate is tried
        Sweep.Point best = null;
        ReplayResult x = null;
        for (Sweep.Point p : r.points()) {
            if (p.result().successCi()[0] < floor) continue;
            ReplayResult full = r.replay(p.policy());
            if (full.successCi()[0] >= floor) {
                best = p;
                x = full;
                break;
            }
        }
        if (best == null) {
            Sweep.Point top = r.points().stream().max(java.util.Comparator.comparingDouble(p -> p.result().successCi()[0])).orElseThrow();
            err.println(String.format("error: no policy of the %d tried holds the quality floor %.1f %% on the lower end of its interval; the best, %s, reaches %.1f %%."
                + " Lower the floor (--quality-floor) or widen the family.", r.points().size(), 100 * floor, top.policy().name(), 100 * top.result().successCi()[0]));
            return 1;
        }
        Policy chosen = best.policy();
        String name = outFile.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        write(outFile, name.endsWith(".json") ? PolicyWriter.json(chosen) : PolicyWriter.yaml(chosen));
        if (litellm != null) write(litellm, LiteLlmConfig.yaml(chosen));
        if (a.flag("json")) {
            ObjectNode n = Output.object();
            n.put("policy", chosen.name()).put("simulated_cost_usd", x.simulatedCostUsd());
            if (x.savingsPct() == null) n.putNull("savings_pct"); else n.put("savings_pct", x.savingsPct());
            n.put("simulated_success", x.simulatedSuccess());
            n.putArray("success_ci").add(x.successCi()[0]).add(x.successCi()[1]);
            n.put("quality_floor", floor).put("candidates", r.points().size()).put("exact_share", x.exactShare()).put("out", outFile.toString());
            if (litellm != null) n.put("litellm_config", litellm.toString());
            Output.json(out, n);
            return 0;
        }
        out.println("Chose " + chosen.name() + " of " + r.points().size() + " policies: the cheapest whose success holds "
            + String.format("%.1f %%", 100 * floor) + " on the lower end of its interval.");
        out.println();
        ReplayCommand.print(out, x);
        out.println();
        out.println("Policy written to " + outFile + (litellm == null ? "" : "; LiteLLM proxy config to " + litellm) + ".");
        return 0;
    }

    /** Written whole or not at all: a half-written policy file must never be deployed. */
    private static void write(Path file, String text) throws java.io.IOException {
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null) Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling(abs.getFileName() + ".part");
        Files.writeString(tmp, text);
        Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
