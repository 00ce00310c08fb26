package dev.routeledger.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.routeledger.analytics.Breakdown;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;

/** CSV files for spreadsheets: a header row, one row per line, written to a temporary file and then moved into place. */
public final class CsvExport {
    private static final CsvMapper CSV = new CsvMapper();

    private CsvExport() {}

    public static void breakdown(Breakdown.Result r, Path file) throws IOException {
        rows(r.rows().stream().map(row -> breakdownRow(r, row)).toList(), file);
    }

    /** Flat JSON objects as CSV rows, the first one's keys as the header. */
    public static void rows(java.util.List<ObjectNode> rows, Path file) throws IOException {
        if (rows.isEmpty()) {
            Files.writeString(file, "");
            return;
        }
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        for (Iterator<String> it = rows.get(0).fieldNames(); it.hasNext(); ) schema.addColumn(it.next());
        Path tmp = file.toAbsolutePath().resolveSibling(file.getFileName() + ".part");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            var writer = CSV.writer(schema.build()).writeValues(w);
            for (ObjectNode row : rows) writer.write(row);
            writer.close();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A replay's figures as one flat row (intervals as low/high columns, calls per tier as a column each). */
    public static ObjectNode replayRow(dev.routeledger.replay.ReplayResult r) {
        ObjectNode n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        n.put("policy", r.policy()).put("traces", r.traces());
        put(n, "actual_cost_usd", r.actualCostUsd());
        n.put("simulated_cost_usd", r.simulatedCostUsd());
        put(n, "savings_usd", r.savingsUsd());
        put(n, "savings_ci_low", r.savingsCi() == null ? null : r.savingsCi()[0]);
        put(n, "savings_ci_high", r.savingsCi() == null ? null : r.savingsCi()[1]);
        put(n, "savings_pct", r.savingsPct());
        put(n, "actual_success", r.actualSuccess());
        n.put("simulated_success", r.simulatedSuccess());
        n.put("success_ci_low", r.successCi()[0]).put("success_ci_high", r.successCi()[1]);
        for (int t = 0; t < r.callsByTier().size(); t++) n.put("calls_tier_" + (t + 1), r.callsByTier().get(t));
        n.put("exact_share", r.exactShare());
        put(n, "latency_p50_ms", Double.isNaN(r.latencyP50()) ? null : r.latencyP50());
        put(n, "latency_p95_ms", Double.isNaN(r.latencyP95()) ? null : r.latencyP95());
        return n;
    }

    private static void put(ObjectNode n, String key, Double v) {
        if (v == null) n.putNull(key); else n.put(key, v);
    }

    /** A breakdown row as the JSON of SPEC §7 (and a CSV line). */
    public static ObjectNode breakdownRow(Breakdown.Result r, Breakdown.Row row) {
        ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < r.dimensions().size(); i++) o.put(r.dimensions().get(i).key(), row.keys().get(i));
        o.put("calls", row.calls());
        o.put("traces", row.traces());
        o.put("cost_usd", row.costUsd());
        o.put("share", row.share());
        o.put("catalog_estimated_usd", row.catalogEstimatedUsd());
        o.put("cost_per_trace_usd", row.costPerTrace());
        o.put("prompt_tokens", row.promptTokens());
        o.put("completion_tokens", row.completionTokens());
        o.put("cached_tokens", row.cachedTokens());
        if (row.p50LatencyMs() == null) o.putNull("p50_latency_ms"); else o.put("p50_latency_ms", row.p50LatencyMs());
        if (row.p95LatencyMs() == null) o.putNull("p95_latency_ms"); else o.put("p95_latency_ms", row.p95LatencyMs());
        o.put("error_rate", row.errorRate());
        o.put("unpriced_calls", row.unpricedCalls());
        return o;
    }

}
