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
        return "bench [--traces N] [--dir DIR] [--seed S]   time generate/import at size N beside DuckDB's own read_json (prints JSON)";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(raw, Set.of("traces", "dir", "seed"), Set.of("json"));
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
        result.put("heap_max_mb", Runtime.getRuntime().maxMemory() >> 20);
        result.put("heap_used_mb_after", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        result.put("processors", Runtime.getRuntime().availableProcessors());
        Output.json(out, result);
        Files.deleteIfExists(wsFile);
        return 0;
    }

    /** DuckDB's own load: auto-detected read_json into a table of a fresh database file, as a user would do it. */
    private static double duckdbReadJson(Path dir, Path log) throws Exception {
        Path db = dir.resolve("bench-reference.duckdb");
        Files.deleteIfExists(db);
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath()); Statement s = c.createStatement()) {
            s.execute("SET threads = " + Runtime.getRuntime().availableProcessors());
            s.execute("CREATE TABLE calls AS SELECT * FROM read_json(" + Sql.literal(log.toString()) + ")");
        }
        double t = secondsSince(t0);
        Files.deleteIfExists(db);
        return t;
    }

    private static double secondsSince(long t0) {
        return round((System.nanoTime() - t0) / 1e9);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
