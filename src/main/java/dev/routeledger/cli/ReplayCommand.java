package dev.routeledger.cli;

import dev.routeledger.export.CsvExport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routeledger.analytics.Filter;
import dev.routeledger.policy.Policy;
import dev.routeledger.policy.PolicyFile;
import dev.routeledger.replay.Replay;
import dev.routeledger.replay.UnmatchedNames;
import dev.routeledger.replay.ReplayResult;
import dev.routeledger.store.Workspace;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** {@code replay --policy FILE}: what the logged traffic would have cost and how it would have fared under a policy (SPEC §6.2). */
final class ReplayCommand implements Command {
    @Override
    public String name() { return "replay"; }

    @Override
    public String usage() {
        return "replay --policy FILE [--from DATE] [--to DATE] [--month YYYY-MM] [--users …] [--teams …] [--features …] [--csv FILE] [--workspace FILE] [--json]"
            + "   simulated cost, savings and success of a policy, with 95 % intervals";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = FilterArgs.parseCommand(raw, "policy", "csv");
        if (!a.flag("policy")) throw new UsageException("replay needs --policy FILE (a policy file, SPEC §6.1; sample-logs/acme-gateway-policy.yaml is one)");
        Filter scope = FilterArgs.parse(a);
        Policy policy = PolicyFile.load(a.path("policy", null));
        ReplayResult r;
        List<String> unmatched;
        try (Workspace ws = Workspace.open(Cli.workspacePath(a))) {
            // prepared with the lab's grid: on a large log the basis it stores serves the grid's other policies too
            r = Replay.prepare(ws.connection(), scope, dev.routeledger.replay.ThresholdGrid.editor(policy)).run(policy);
            unmatched = UnmatchedNames.find(ws.connection(), scope, policy);
        }
        if (a.flag("csv")) CsvExport.rows(List.of(CsvExport.replayRow(r)), a.path("csv", null));
        if (a.flag("json")) {
            Output.json(out, json(r).putPOJO("unmatched_names", unmatched));
            return 0;
        }
        print(out, r);
        if (!unmatched.isEmpty()) {
            out.println();
            out.println("NOTE: the policy names what no call in this scope has, so those parts of it do nothing: " + String.join(", ", unmatched)
                + ". Check the spelling against `report --by feature` (or user, team).");
        }
        if (a.flag("csv")) out.println("\nFigures written to " + a.get("csv", null) + ".");
        return 0;
    }

    static ObjectNode json(ReplayResult r) {
        ObjectNode n = Output.object();
        n.put("policy", r.policy()).put("traces", r.traces()).put("eval_set", r.evalSet());
        num(n, "actual_cost_usd", r.actualCostUsd());
        n.put("simulated_cost_usd", r.simulatedCostUsd());
        num(n, "savings_usd", r.savingsUsd());
        num(n, "savings_pct", r.savingsPct());
        pair(n, "savings_ci", r.savingsCi());
        pair(n, "savings_pct_ci", r.savingsPctCi());
        num(n, "actual_success", r.actualSuccess());
        n.put("simulated_success", r.simulatedSuccess());
        pair(n, "success_ci", r.successCi());
        ObjectNode calls = n.putObject("calls_by_tier");
        for (int t = 0; t < r.callsByTier().size(); t++) calls.put(String.valueOf(t + 1), r.callsByTier().get(t));
        if (r.actualCallsByTier() != null) {
            ObjectNode real = n.putObject("actual_calls_by_tier");
            for (int t = 0; t < r.actualCallsByTier().size(); t++) real.put(String.valueOf(t + 1), r.actualCallsByTier().get(t));
        }
        n.put("exact_share", r.exactShare()).put("mostly_estimated", r.mostlyEstimated()).put("cache_hits", r.cacheHits());
        ObjectNode lat = n.putObject("latency_ms");
        num(lat, "actual_p50", r.actualLatencyP50());
        num(lat, "actual_p95", r.actualLatencyP95());
        lat.put("p50", r.latencyP50()).put("p95", r.latencyP95());
        n.put("unknown_tier_calls", r.unknownTierCalls());
        n.putPOJO("unpriced_models", r.unpricedModels());
        if (r.eval() != null) n.set("eval", evalJson(r.eval()));
        return n;
    }

    static ObjectNode evalJson(dev.routeledger.replay.EvalMetrics e) {
        ObjectNode n = Output.object();
        n.put("prompts", e.prompts());
        ArrayNode models = n.putArray("models");
        for (dev.routeledger.replay.EvalMetrics.ModelPoint m : e.models()) {
            ObjectNode o = models.addObject().put("model", m.model());
            if (m.tier() == null) o.putNull("tier"); else o.put("tier", m.tier());
            o.put("prompts", m.prompts()).put("success", m.success()).put("cost_usd", m.costUsd());
        }
        n.putObject("oracle").put("success", e.oracleSuccess()).put("cost_usd", e.oracleCostUsd());
        if (e.router() != null) {
            dev.routeledger.replay.EvalMetrics.RouterCurve c = e.router();
            ObjectNode o = n.putObject("two_tier_router");
            o.put("weak", c.weak()).put("strong", c.strong()).put("scores", c.scores()).put("prompts", c.prompts())
                .put("weak_quality", c.weakQuality()).put("strong_quality", c.strongQuality());
            num(o, "cpt_50_pct", 100 * c.cpt50());
            num(o, "cpt_80_pct", 100 * c.cpt80());
            num(o, "apgr", Double.isNaN(c.apgr()) ? null : c.apgr());
            ArrayNode pts = o.putArray("points");
            for (double[] p : c.points()) pts.addObject().put("threshold", p[0]).put("strong_share", p[1]).put("quality", p[2]);
        }
        return n;
    }

    static void print(PrintStream out, ReplayResult r) {
        out.println("Policy " + r.policy() + " replayed over " + Output.count(r.traces()) + (r.evalSet() ? " eval-set prompts" : " traces")
            + String.format(" (%.0f %% of its calls' outcomes observed, the rest estimated%s).", 100 * r.exactShare(),
                r.mostlyEstimated() ? " — MOSTLY ESTIMATED, read with care" : ""));
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "actual", "simulated", "difference (95 %)"});
        if (!r.evalSet()) {
            rows.add(new String[] {"cost", Output.usd(r.actualCostUsd()), Output.usd(r.simulatedCostUsd()),
                savings(r)});
            rows.add(new String[] {"success", pct(r.actualSuccess()), pct(r.simulatedSuccess()),
                String.format("%+.1f points (simulated %s to %s)", 100 * (r.simulatedSuccess() - r.actualSuccess()), pct(r.successCi()[0]), pct(r.successCi()[1]))});
            rows.add(new String[] {"p50 / p95 latency", ms(r.actualLatencyP50()) + " / " + ms(r.actualLatencyP95()), ms(r.latencyP50()) + " / " + ms(r.latencyP95()), ""});
        } else {
            rows.add(new String[] {"cost", "", Output.usd(r.simulatedCostUsd()), ""});
            rows.add(new String[] {"success", "", pct(r.simulatedSuccess()), String.format("%s to %s", pct(r.successCi()[0]), pct(r.successCi()[1]))});
        }
        for (int t = 0; t < r.callsByTier().size(); t++) {
            rows.add(new String[] {"calls at tier " + (t + 1), r.actualCallsByTier() == null ? "" : Output.count(r.actualCallsByTier().get(t)),
                String.format("%,.0f", r.callsByTier().get(t)), ""});
        }
        if (r.cacheHits() > 0) rows.add(new String[] {"answered by the cache", "", String.format("%,.0f", r.cacheHits()), ""});
        Output.table(out, rows);
        if (!r.unpricedModels().isEmpty()) {
            out.println();
            out.println("WARNING: no price for " + String.join(", ", r.unpricedModels()) + ": the calls estimated on them are counted at $0,"
                + " so the simulated cost is too low. Add a price (prices --override MODEL --input X --output Y).");
        }
        if (r.eval() != null) printEval(out, r.eval());
        if (r.unknownTierCalls() > 0) {
            out.println();
            out.println(Output.count(r.unknownTierCalls()) + " real calls are on models of no known tier: they count in the actual cost but are no"
                + " evidence for any tier (map them with `tiers --set`).");
        }
    }

    /**
     * "saves $X (…), P %", or for a policy dearer than the log "costs $X more (…), P %": a minus sign after "saves"
     * reads as a saving. The interval is turned the same way, low end first.
     */
    static String savings(ReplayResult r) {
        double pct = r.savingsPct() == null ? 0 : r.savingsPct();
        double[] ci = r.savingsCi();
        if (r.savingsUsd() >= 0) return String.format("saves %s (%s to %s), %.1f %%", Output.usd(r.savingsUsd()), Output.usd(ci[0]), Output.usd(ci[1]), pct);
        return String.format("costs %s more (%s to %s), %.1f %%", Output.usd(-r.savingsUsd()), Output.usd(-ci[1]), Output.usd(-ci[0]), -pct);
    }

    private static void printEval(PrintStream out, dev.routeledger.replay.EvalMetrics e) {
        out.println();
        out.println("Eval set: " + Output.count(e.prompts()) + " prompts. Each model alone, and the oracle (the cheapest model that answers well):");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"model", "tier", "prompts", "success", "cost"});
        for (dev.routeledger.replay.EvalMetrics.ModelPoint m : e.models()) {
            rows.add(new String[] {m.model(), m.tier() == null ? "?" : String.valueOf(m.tier()), Output.count(m.prompts()), pct(m.success()), Output.usd(m.costUsd())});
        }
        rows.add(new String[] {"oracle", "", Output.count(e.prompts()), pct(e.oracleSuccess()), Output.usd(e.oracleCostUsd())});
        Output.table(out, rows);
        if (e.router() != null) {
            dev.routeledger.replay.EvalMetrics.RouterCurve c = e.router();
            out.println();
            out.println(String.format("Two-tier router (%s → %s, %s scores, RouteLLM's metrics): CPT(50%%) %.1f %%, CPT(80%%) %.1f %%, APGR %.3f",
                c.weak(), c.strong(), c.scores().equals("random") ? "random" : "the eval set's router", 100 * c.cpt50(), 100 * c.cpt80(), c.apgr()));
        }
    }

    private static String pct(Double v) {
        return v == null ? "" : String.format("%.1f %%", 100 * v);
    }

    private static String ms(Double v) {
        return v == null ? "" : String.format("%,.0f ms", v);
    }

    private static void num(ObjectNode o, String key, Double v) {
        if (v == null) o.putNull(key); else o.put(key, v);
    }

    private static void pair(ObjectNode o, String key, double[] v) {
        if (v == null) {
            o.putNull(key);
            return;
        }
        ArrayNode a = o.putArray(key);
        for (double x : v) {
            if (Double.isNaN(x)) a.addNull(); else a.add(x);
        }
    }
}
