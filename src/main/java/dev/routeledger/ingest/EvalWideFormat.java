package dev.routeledger.ingest;

import static dev.routeledger.ingest.CanonicalField.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Eval sets in the wide layout (SPEC §3): one row per prompt and one score column per model — RouterBench's
 * (with {@code <model>|total_cost} and {@code <model>|model_response}) and RouteLLM's ({@code prompt} plus a
 * True/False column per model). Each (prompt, model) becomes a shadow call in the trace of that prompt, so a
 * replay knows every counterfactual. A model whose cell is empty for a prompt has no result there: that pair is
 * counted as skipped. Eval sets carry no time: their calls are stamped {@link #EVAL_TIME}, the same on every
 * import, so a re-import is recognised as a duplicate.
 */
final class EvalWideFormat implements SourceFormat {
    static final String EVAL_TIME = "2000-01-01 00:00:00";
    private static final Set<String> META = Set.of("sampleid", "prompt", "evalname", "oraclemodeltorouteto", "id", "index",
        "question", "turn", "category", "");

    @Override
    public String name() { return "eval-wide"; }

    static List<String> modelColumns(Set<String> keys) {
        List<String> models = new ArrayList<>();
        for (String k : keys) {
            String n = CanonicalField.normalise(k);
            if (META.contains(n) || n.matches("column\\d+") || k.contains("|") || k.toLowerCase(Locale.ROOT).endsWith("_response")) continue;
            models.add(k);
        }
        return models;
    }

    @Override
    public boolean matches(Set<String> keys) {
        Set<String> n = SourceFormat.normalised(keys);
        if (!n.contains("prompt") || n.contains("model") || SourceFormat.hasAny(n, "timestamp", "created_at", "start_time", "startTime")) return false;
        return modelColumns(keys).size() >= 2;
    }

    @Override
    public String expects() {
        return "eval-wide (prompt, then one score column per model; optional <model>|total_cost)";
    }

    /** One row per (prompt, model): the model's name, score cell and cost cell beside the prompt's record. */
    static String records(String recordsSql, Set<String> keys) {
        List<String> structs = new ArrayList<>();
        for (String m : modelColumns(keys)) {
            String cost = keys.contains(m + "|total_cost") ? "rl_txt(json_extract(r, " + JsonSql.keyPath(m + "|total_cost") + "))" : "CAST(NULL AS VARCHAR)";
            structs.add("{'m': " + Sql.literal(m) + ", 's': rl_txt(json_extract(r, " + JsonSql.keyPath(m) + ")), 'c': " + cost + "}");
        }
        return "SELECT __bad, r, ctx, __call.m AS __m, __call.s AS __s, __call.c AS __c FROM (SELECT __bad, r, ctx, unnest(CASE WHEN __bad IS NOT NULL"
            + " THEN [NULL] ELSE [" + String.join(", ", structs) + "] END) AS __call FROM (" + recordsSql + "))";
    }

    @Override
    public SourceMapping mapping(Set<String> keys, Map<String, String> hints) {
        String prompt = JsonSql.text("r", "prompt");
        String trace = "coalesce(" + JsonSql.firstText("r", "sample_id", "id") + ", left(sha256(coalesce(" + prompt + ", '')), 16))";
        return new SourceMapping()
            .set(TRACE_ID, trace, "sample_id, else a hash of the prompt")
            .set(REQUEST_ID, trace + " || '|' || __m", "trace | model column")
            .set(TIMESTAMP, "'" + EVAL_TIME + "'", "(none: " + EVAL_TIME + " UTC)")
            .set(MODEL, "__m", "the score column's name")
            .set(QUALITY, "CASE lower(__s) WHEN 'true' THEN '1' WHEN 'false' THEN '0' ELSE __s END", "the score (True/False → 1/0)")
            .set(COST_USD, "__c", "<model>|total_cost")
            .set(FEATURE, JsonSql.text("r", "eval_name"), "eval_name")
            .set(SHADOW, "'true'", "(every call is a shadow call)")
            .skipWhen("__s IS NULL", "a model with no result for the prompt (empty cell)")
            .prompt(prompt)
            .consumes(keys.toArray(String[]::new));
    }
}
