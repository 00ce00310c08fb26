package dev.routeledger.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routeledger.pull.LiteLlmPull;
import dev.routeledger.pull.PullException;
import dev.routeledger.store.Workspace;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/** {@code pull litellm --url URL --api-key-env VAR [--from DATE] [--to DATE]}: spend logs from a LiteLLM proxy. */
final class PullCommand implements Command {
    @Override
    public String name() { return "pull"; }

    @Override
    public String usage() {
        return "pull litellm --url URL --api-key-env VAR [--from DATE] [--to DATE] [--workspace FILE] [--json]"
            + "   fetch spend logs from a LiteLLM proxy (resumes where the last pull ended)";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(raw, Set.of("workspace", "url", "api-key-env", "from", "to"), Set.of("json"));
        if (a.positional().size() != 1 || !a.positional().get(0).equals("litellm")) {
            throw new UsageException("pull reads from: litellm (e.g. pull litellm --url https://proxy.example.com --api-key-env LITELLM_KEY)");
        }
        String url = a.get("url", null);
        String var = a.get("api-key-env", null);
        if (url == null || var == null) throw new UsageException("pull litellm needs --url and --api-key-env (the name of the variable holding the key)");
        String key = System.getenv(var);
        if (key == null || key.isBlank()) {
            throw new UsageException("the environment variable " + var + " is not set; export the proxy's API key in it (the key is never stored)");
        }
        LiteLlmPull.Outcome o;
        try (Workspace ws = Workspace.open(Cli.workspacePath(a))) {
            o = new LiteLlmPull().run(ws, new LiteLlmPull.Request(url, key, date(a.get("from", null), "--from"), date(a.get("to", null), "--to")),
                msg -> err.println("  " + msg));
        } catch (PullException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        if (a.flag("json")) {
            ObjectNode n = Output.object();
            n.put("from", o.from().toString());
            n.put("to", o.to().toString());
            n.put("pages", o.pages());
            n.put("records", o.records());
            if (o.imported() != null) {
                n.put("rows_loaded", o.imported().rowsLoaded());
                n.put("rows_duplicate", o.imported().rowsDuplicate());
                n.put("rows_rejected", o.imported().rowsRejected());
                n.put("batch_id", o.imported().batchId());
            }
            Output.json(out, n);
        } else {
            out.println("Pulled " + Output.count(o.records()) + " spend-log records in " + o.pages() + " pages (" + o.from() + " to " + o.to() + ")"
                + (o.imported() == null ? "" : ": " + o.imported().summary()));
        }
        return 0;
    }

    /** YYYY-MM-DD (midnight UTC) or an ISO instant. */
    static Instant date(String v, String what) {
        if (v == null) return null;
        try {
            return v.length() == 10 ? LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC) : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new UsageException(what + " must be YYYY-MM-DD or an ISO instant such as 2026-10-01T00:00:00Z, got '" + v + "'");
        }
    }
}
