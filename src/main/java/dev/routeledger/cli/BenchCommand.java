package dev.routeledger.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routeledger.ingest.ImportResult;
import dev.routeledger.ingest.Importer;
import dev.routeledger.ingest.Sql;
import dev.routeledger.sample.SampleGenerator;
import dev.routeledger.store.Workspace;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

/**
 * {@code bench [--traces N]}: times the main operations at size N beside DuckDB's own {@code read_json} load of
 * the same file in the same run (SPEC §9). DuckDB's load runs before and after ours and the ratio uses their
 * mean, so neither side alone enjoys a warm page cache.
 */
final class BenchCommand implements Command {
    @Override
    public String name() { return "bench"; }

    @Override
    public String usage() {
        return "bench [--traces N] [--dir DIR] [--seed S] [--canonical-only] [--no-analytics] [--no-replay]   time generate/import/analytics/replay at size N beside DuckDB's own"
            + " read_json, also as LiteLLM JSONL and CSV (prints JSON)";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(raw, Set.of("traces", "dir", "seed"), Set.of("json", "canonical-only", "no-analytics", "no-replay"));
        long traces = a.longValue("traces", 100_000, 1);
        Path dir = a.path("dir", "bench-data");
        Files.createDirectories(dir);
        Path log = dir.resolve("bench-" + traces + "-traces.jsonl");
        ObjectNode result = Output.object();
        result.put("traces", traces);
        long t0 = System.nanoTime();
        if (!Files.exists(log)) {
            err.println("generating " + log + " …");
            new SampleGenerator(new SampleGenerator.Config(traces, 30, a.longValue("seed", 42, Long.MIN_VALUE), SampleGenerator.DEFAULT_START)).write(log);
            result.put("generate_s", secondsSince(t0));
        } else {
            result.put("generate_s", (String) null);
        }
        result.put("file", log.toString());
        result.put("file_bytes", Files.size(log));

        err.println("DuckDB read_json (1) …");
        double ref1 = duckdbReadJson(dir, log);
        err.println("RouteLedger import …");
        Path wsFile = dir.resolve("bench-workspace.duckdb");
        Files.deleteIfExists(wsFile);
        Files.deleteIfExists(dir.resolve("bench-workspace.duckdb.wal"));
        ImportResult r;
        long ti = System.nanoTime();
        try (Workspace ws = Workspace.open(wsFile)) {
            r = new Importer(ws, null).importFile(log, "canonical");
        }
        double imp = secondsSince(ti);
        err.println("DuckDB read_json (2) …");
        double ref2 = duckdbReadJson(dir, log);
        double ref = (ref1 + ref2) / 2;

        result.put("calls", r.rowsRead());
        result.put("rows_loaded", r.rowsLoaded());
        result.put("import_reader", r.reader());
        result.put("duckdb_read_json_s", round(ref));
        result.put("duckdb_read_json_runs_s", Output.JSON.valueToTree(List.of(round(ref1), round(ref2))));
        result.put("import_s", round(imp));
        result.set("import_steps_s", Output.JSON.valueToTree(new java.util.TreeMap<>(r.stepSeconds())));
        result.put("import_ratio", round(imp / ref));
        result.put("import_rows_per_s", Math.round(r.rowsRead() / imp));
        if (!a.flag("no-analytics")) {
            // the analytics of SPEC §5 on the imported calls, each timed as a user runs it (workspace open excluded)
            err.println("analytics queries …");
            try (Workspace ws = Workspace.open(wsFile)) {
                ObjectNode q = result.putObject("analytics_s");
                java.sql.Connection c = ws.connection();
                dev.routeledger.analytics.Filter all = dev.routeledger.analytics.Filter.ALL;
                String month = "2026-10";
                // the facts derived across calls, built once after an import (TraceFacts); the queries below read them
                result.put("derived_facts_s", time(() -> {
                    dev.routeledger.analytics.TraceFacts.ensure(c);
                    return null;
                }));
                q.put("info", time(() -> dev.routeledger.analytics.WorkspaceSummaryQuery.run(ws)));
                q.put("report_by_team", time(() -> dev.routeledger.analytics.Breakdown.run(c, List.of(dev.routeledger.analytics.Dimension.TEAM), all)));
                q.put("report_by_feature_tier", time(() -> dev.routeledger.analytics.Breakdown.run(c,
                    List.of(dev.routeledger.analytics.Dimension.FEATURE, dev.routeledger.analytics.Dimension.TIER), all)));
                q.put("report_by_day", time(() -> dev.routeledger.analytics.Breakdown.run(c, List.of(dev.routeledger.analytics.Dimension.DAY), all)));
                q.put("monthly", time(() -> dev.routeledger.analytics.MonthlyReport.run(c, month, all)));
                q.put("power_users", time(() -> dev.routeledger.analytics.PowerUsers.run(c, all, 20)));
                q.put("escalations", time(() -> dev.routeledger.analytics.Escalations.run(c, all, null)));
                q.put("cache", time(() -> dev.routeledger.analytics.CacheOpportunity.run(c, all, java.time.Duration.ofHours(24), 10)));
                q.put("reconcile", time(() -> dev.routeledger.cost.Reconciliation.run(c, month, 5, 20)));
                // the console's first screen: its figures, top lists and month card together (SPEC §9: ≤ 2 s)
                q.put("overview", time(() -> dev.routeledger.analytics.Overview.run(c, all)));
            }
        }
        if (!a.flag("no-replay")) {
            // SPEC §9: one replay as the `replay` command runs it, and a sweep (the basis built once, then each policy an aggregate over it)
            err.println("replay and sweep …");
            try (Workspace ws = Workspace.open(wsFile)) {
                ObjectNode q = result.putObject("replay_s");
                java.sql.Connection c = ws.connection();
                dev.routeledger.policy.Policy asLogged = dev.routeledger.policy.PolicyFile.parse(dev.routeledger.sample.SampleGenerator.gatewayPolicy(), "gateway policy");
                String familyText = dev.routeledger.sample.SampleGenerator.gatewayPolicy()
                    + "sweep:\n  thresholds: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]\n  boundary_band: [0.0, 0.03, 0.05]\n";
                List<dev.routeledger.policy.Policy> family = dev.routeledger.policy.PolicyFile.parseFamily(familyText, "bench family").subList(0, 100);
                long t1 = System.nanoTime();
                dev.routeledger.replay.Replay replay = dev.routeledger.replay.Replay.prepare(c, dev.routeledger.analytics.Filter.ALL, dev.routeledger.replay.ThresholdGrid.editor(asLogged));
                q.put("basis", secondsSince(t1));
                q.put("one_policy", time(() -> replay.run(asLogged)));
                q.put("one_replay_with_basis", round(q.get("basis").asDouble() + q.get("one_policy").asDouble()));
                // a sweep as `sweep` runs it: its own basis, then the policies (100 thresholds and bands)
                q.put("sweep_100_policies", time(() -> dev.routeledger.replay.Sweep.run(c, dev.routeledger.analytics.Filter.ALL, family, done -> { })));
            }
            // the same replay again in a new connection (a new process, the console after a restart): a large
            // scope's basis classes were stored in the workspace by the first one and are read back
            try (Workspace ws = Workspace.open(wsFile)) {
                ObjectNode q = (ObjectNode) result.get("replay_s");
                dev.routeledger.policy.Policy asLogged = dev.routeledger.policy.PolicyFile.parse(dev.routeledger.sample.SampleGenerator.gatewayPolicy(), "gateway policy");
                long t1 = System.nanoTime();
                dev.routeledger.replay.Replay.prepare(ws.connection(), dev.routeledger.analytics.Filter.ALL, dev.routeledger.replay.ThresholdGrid.editor(asLogged)).run(asLogged);
                q.put("one_replay_basis_stored", secondsSince(t1));
            }
        }
        if (!a.flag("canonical-only")) {
            for (String kind : List.of("jsonl", "csv")) {
                Path converted = dir.resolve("bench-" + traces + "-traces.litellm." + kind);
                if (!Files.exists(converted)) {
                    err.println("writing the same calls as LiteLLM spend logs (" + kind + ") …");
                    toLiteLlm(log, converted, kind);
                }
                err.println("DuckDB read_" + (kind.equals("csv") ? "csv" : "json") + " of the LiteLLM " + kind + " …");
                double refA = duckdbRead(dir, converted, kind);
                Files.deleteIfExists(wsFile);
                long tl = System.nanoTime();
                ImportResult lr;
                try (Workspace ws = Workspace.open(wsFile)) {
                    lr = new Importer(ws, null).importFile(converted, "auto");
                }
                double li = secondsSince(tl);
                double refB = duckdbRead(dir, converted, kind);
                double lref = (refA + refB) / 2;
                ObjectNode f = result.putObject("litellm_" + kind);
                f.put("file_bytes", Files.size(converted));
                f.put("format", lr.format());
                f.put("rows_loaded", lr.rowsLoaded());
                f.put("duckdb_read_s", round(lref));
                f.put("import_s", round(li));
                f.put("import_ratio", round(li / lref));
                f.put("import_rows_per_s", Math.round(lr.rowsRead() / li));
                f.set("import_steps_s", Output.JSON.valueToTree(new java.util.TreeMap<>(lr.stepSeconds())));
                Files.deleteIfExists(wsFile);
            }
        }
        result.put("heap_max_mb", Runtime.getRuntime().maxMemory() >> 20);
        result.put("heap_used_mb_after", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        result.put("processors", Runtime.getRuntime().availableProcessors());
        Output.json(out, result);
        Files.deleteIfExists(wsFile);
        Files.deleteIfExists(dir.resolve("bench-workspace.duckdb.wal"));
        return 0;
    }

    /**
     * The same calls written as LiteLLM spend-log rows (what a LiteLLM_SpendLogs export holds): camelCase times
     * without a zone, spend, end_user/user, request_tags, routing fields inside metadata.spend_logs_metadata.
     */
    private static void toLiteLlm(Path canonical, Path out, String kind) throws Exception {
        String select = "SELECT request_id, 'acompletion' AS call_type, md5(coalesce(team, '')) AS api_key, cost_usd AS spend,"
            + " prompt_tokens + completion_tokens AS total_tokens, prompt_tokens, completion_tokens,"
            + " strftime(CAST(\"timestamp\" AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f') AS \"startTime\","
            + " strftime(CAST(\"timestamp\" AS TIMESTAMP) + to_milliseconds(CAST(latency_ms AS BIGINT)), '%Y-%m-%d %H:%M:%S.%f') AS \"endTime\","
            + " model, model AS model_group, provider AS custom_llm_provider, 'svc-' || team AS \"user\", user_id AS end_user, team AS team_id,"
            + " trace_id AS session_id, CASE WHEN status = 'ok' THEN 'success' ELSE 'failure' END AS status,"
            + " CASE WHEN cache_hit THEN 'True' ELSE 'False' END AS cache_hit, to_json([feature]) AS request_tags,"
            + " to_json({'user_api_key_team_alias': team, 'spend_logs_metadata': {'tier': tier, 'routed_tier': routed_tier,"
            + " 'router_score': router_score, 'attempt': attempt, 'escalation_reason': escalation_reason, 'validation': validation,"
            + " 'quality': quality, 'feedback': feedback, 'prompt_hash': prompt_hash, 'shadow': shadow},"
            + " 'additional_usage_values': {'cache_read_input_tokens': cached_tokens}}) AS metadata"
            + " FROM read_json(" + Sql.literal(canonical.toString()) + ")";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            s.execute("COPY (" + select + ") TO " + Sql.literal(out.toString()) + (kind.equals("csv") ? " (FORMAT CSV, HEADER)" : " (FORMAT JSON)"));
        }
    }

    private static double duckdbRead(Path dir, Path file, String kind) throws Exception {
        return duckdbLoad(dir, file, kind.equals("csv") ? "read_csv" : "read_json");
    }

    private static double duckdbReadJson(Path dir, Path log) throws Exception {
        return duckdbLoad(dir, log, "read_json");
    }

    /** DuckDB's own load: its auto-detecting reader into a table of a fresh database file, as a user would do it. */
    private static double duckdbLoad(Path dir, Path file, String reader) throws Exception {
        Path db = dir.resolve("bench-reference.duckdb");
        Files.deleteIfExists(db);
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath()); Statement s = c.createStatement()) {
            s.execute("SET threads = " + Runtime.getRuntime().availableProcessors());
            s.execute("CREATE TABLE calls AS SELECT * FROM " + reader + "(" + Sql.literal(file.toString()) + ")");
        }
        double t = secondsSince(t0);
        Files.deleteIfExists(db);
        return t;
    }

    interface Query {
        Object run() throws Exception;
    }

    private static double time(Query q) throws Exception {
        long t0 = System.nanoTime();
        q.run();
        return secondsSince(t0);
    }

    private static double secondsSince(long t0) {
        return round((System.nanoTime() - t0) / 1e9);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
