package dev.routeledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routeledger.cost.Reconciliation;
import dev.routeledger.store.Workspace;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code reconcile [--month YYYY-MM] [--tolerance PCT] [--calls N]}: logged against catalog cost (SPEC §4). */
final class ReconcileCommand implements Command {
    @Override
    public String name() { return "reconcile"; }

    @Override
    public String usage() {
        return "reconcile [--workspace FILE] [--month YYYY-MM] [--tolerance PCT (default 5)] [--calls N] [--json]"
            + "   logged vs catalog cost per model and month, and the calls that differ";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(raw, Set.of("workspace", "month", "tolerance", "calls"), Set.of("json"));
        String month = a.get("month", null);
        if (month != null && !month.matches("\\d{4}-(0[1-9]|1[0-2])")) throw new UsageException("--month must be YYYY-MM, got '" + month + "'");
        double tol = Args.number(a.get("tolerance", "5"), "--tolerance");
        if (tol < 0) throw new UsageException("--tolerance must be ≥ 0");
        int limit = (int) Args.number(a.get("calls", "20"), "--calls");
        Reconciliation.Result r;
        try (Workspace ws = Workspace.open(Cli.workspacePath(a))) {
            r = Reconciliation.run(ws.connection(), month, tol, Math.max(0, limit));
        }
        if (a.flag("json")) {
            ObjectNode n = Output.object();
            n.put("month", month);
            n.put("tolerance_pct", tol);
            n.put("calls_differing", r.callsDiffering());
            ArrayNode models = n.putArray("models");
            for (Reconciliation.ModelMonth m : r.models()) {
                models.addObject().put("month", m.month()).put("model", m.model()).put("catalog_key", m.priceKey()).put("calls", m.calls())
                    .put("logged_usd", m.loggedUsd()).put("catalog_usd", m.catalogUsd()).put("difference_usd", m.differenceUsd())
                    .put("calls_differing", m.callsDiffering()).put("calls_zero_logged", m.callsZeroLogged()).put("calls_unpriced", m.callsUnpriced());
            }
            ArrayNode calls = n.putArray("differing_calls");
            for (Reconciliation.Call c : r.calls()) {
                calls.addObject().put("request_id", c.requestId()).put("month", c.month()).put("model", c.model())
                    .put("logged_usd", c.loggedUsd()).put("catalog_usd", c.catalogUsd()).put("kind", c.kind());
            }
            Output.json(out, n);
            return 0;
        }
        out.println("Logged against catalog cost" + (month == null ? "" : " in " + month) + ", calls that differ by more than "
            + tol + " % (only calls that carry a logged cost):");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"month", "model", "calls", "logged", "catalog", "difference", "differing", "logged $0", "no price"});
        for (Reconciliation.ModelMonth m : r.models()) {
            rows.add(new String[] {m.month(), m.model(), Output.count(m.calls()), Output.usd(m.loggedUsd()), Output.usd(m.catalogUsd()),
                Output.usd(m.differenceUsd()), Output.count(m.callsDiffering()), Output.count(m.callsZeroLogged()), Output.count(m.callsUnpriced())});
        }
        Output.table(out, rows);
        if (!r.calls().isEmpty()) {
            out.println();
            out.println("Largest differences (" + Output.count(r.callsDiffering()) + " calls differ in all):");
            List<String[]> cs = new ArrayList<>();
            cs.add(new String[] {"request_id", "model", "logged", "catalog", "kind"});
            for (Reconciliation.Call c : r.calls()) {
                cs.add(new String[] {c.requestId(), c.model(), String.format("$%.6f", c.loggedUsd()), String.format("$%.6f", c.catalogUsd()), c.kind()});
            }
            Output.table(out, cs);
        }
        return 0;
    }
}
