package dev.routeledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routeledger.ingest.FormatDetector;
import dev.routeledger.ingest.ImportException;
import dev.routeledger.ingest.UserMapping;
import dev.routeledger.ingest.ImportResult;
import dev.routeledger.ingest.Importer;
import dev.routeledger.store.Workspace;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Set;

/** {@code import FILE… [--format F] [--json]}: loads files, one atomic batch each. */
final class ImportCommand implements Command {
    @Override
    public String name() { return "import"; }

    @Override
    public String usage() {
        return "import FILE... [--workspace FILE] [--format auto|canonical|litellm|helicone|langfuse|eval-wide] [--mapping M.yaml]"
            + " [--dry-run] [--json]   load log files (JSONL, JSON, CSV, Parquet; .gz too)";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(raw, Set.of("workspace", "format", "mapping"), Set.of("json", "dry-run"));
        if (a.positional().isEmpty()) throw new UsageException("import needs at least one FILE");
        String format = a.get("format", "auto");
        if (!FormatDetector.names().contains(format)) {
            throw new UsageException("--format must be one of " + String.join(", ", FormatDetector.names()) + "; got '" + format + "'");
        }
        boolean json = a.flag("json");
        UserMapping mapping;
        try {
            mapping = a.flag("mapping") ? UserMapping.load(Path.of(a.get("mapping", null))) : null;
        } catch (ImportException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        if (a.flag("dry-run")) return dryRun(a, format, mapping, json, out, err);
        int failures = 0;
        ArrayNode files = Output.JSON.createArrayNode();
        try (Workspace ws = Workspace.open(Cli.workspacePath(a))) {
            Importer importer = new Importer(ws, (file, step) -> err.println("  " + file + ": " + step + " …"));
            for (String f : a.positional()) {
                ObjectNode node = files.addObject();
                node.put("path", f);
                try {
                    ImportResult r = importer.importFile(Path.of(f), format, mapping);
                    fill(node, r);
                    if (!json) printHuman(out, ws, r);
                } catch (ImportException e) {
                    failures++;
                    node.put("format", format);
                    node.put("error", e.getMessage());
                    err.println("error: " + e.getMessage());
                }
            }
        }
        return finish(json, files, failures, out);
    }

    /** Shows the detected format, the column mapping and the first rows as they would be stored; writes nothing. */
    private static int dryRun(Args a, String format, UserMapping mapping, boolean json, PrintStream out, PrintStream err) throws Exception {
        int failures = 0;
        ArrayNode files = Output.JSON.createArrayNode();
        try (Workspace ws = Workspace.inMemory()) {
            Importer importer = new Importer(ws, null);
            for (String f : a.positional()) {
                ObjectNode node = files.addObject();
                node.put("path", f);
                try {
                    Importer.DryRun d = importer.dryRun(Path.of(f), format, mapping, 5);
                    node.put("format", d.format());
                    ObjectNode cols = node.putObject("columns");
                    d.columns().forEach(cols::put);
                    node.set("rows", Output.JSON.valueToTree(d.rows()));
                    ArrayNode w = node.putArray("warnings");
                    d.warnings().forEach(w::add);
                    if (!json) {
                        out.println(f + ": format " + d.format() + " (nothing imported: --dry-run)");
                        d.warnings().forEach(x -> out.println("  note: " + x));
                        out.println("  mapping:");
                        d.columns().forEach((src, field) -> out.println("    " + src + " → " + field));
                        out.println("  first rows as they would be stored:");
                        for (var row : d.rows()) {
                            out.println("    " + Output.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                                .writeValueAsString(row));
                        }
                    }
                } catch (ImportException e) {
                    failures++;
                    node.put("error", e.getMessage());
                    err.println("error: " + e.getMessage());
                }
            }
        }
        return finish(json, files, failures, out);
    }

    /** The {"files": […]} JSON when asked for, and the exit code: 1 when any file failed. */
    private static int finish(boolean json, ArrayNode files, int failures, PrintStream out) throws Exception {
        if (json) {
            ObjectNode root = Output.object();
            root.set("files", files);
            Output.json(out, root);
        }
        return failures == 0 ? 0 : 1;
    }

    private static void fill(ObjectNode n, ImportResult r) {
        n.put("format", r.format());
        n.put("rows_read", r.rowsRead());
        n.put("rows_loaded", r.rowsLoaded());
        n.put("rows_duplicate", r.rowsDuplicate());
        n.put("rows_rejected", r.rowsRejected());
        n.put("rows_skipped", r.rowsSkipped());
        n.put("rows_conflict", r.rowsConflict());
        n.put("batch_id", r.batchId());
        n.put("content_hash", r.contentHash());
        n.put("reader", r.reader());
        n.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        n.set("step_seconds", Output.JSON.valueToTree(new java.util.TreeMap<>(r.stepSeconds())));
        ObjectNode cols = n.putObject("columns");
        r.columns().forEach(cols::put);
        ArrayNode w = n.putArray("warnings");
        r.warnings().forEach(w::add);
    }

    private static void printHuman(PrintStream out, Workspace ws, ImportResult r) throws Exception {
        out.println(r.summary() + String.format(" in %.1f s", r.seconds()));
        r.warnings().forEach(w -> out.println("  note: " + w));
        if (r.rowsRejected() == 0) return;
        out.println("  first rejected rows (all are kept in the workspace, batch " + r.batchId() + "):");
        try (PreparedStatement ps = ws.connection().prepareStatement(
                "SELECT coalesce('line ' || line_no, 'record ' || record_no), reason FROM rejected_rows WHERE batch_id = ?"
                    + " ORDER BY coalesce(line_no, record_no) LIMIT 10")) {
            ps.setInt(1, r.batchId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.println("    " + rs.getString(1) + ": " + rs.getString(2));
            }
        }
    }
}
