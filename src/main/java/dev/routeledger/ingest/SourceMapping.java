package dev.routeledger.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a source format's records become canonical fields: one SQL expression per field over the record
 * {@code r} (and {@code ctx}, the enclosing trace of a Langfuse trace download), the prompt text to hash, which
 * records are not calls, and which top-level keys are fully represented (and so left out of {@code extra};
 * every other key is kept there as it came).
 */
final class SourceMapping {
    private final Map<CanonicalField, String> exprs = new EnumMap<>(CanonicalField.class);
    private final Map<CanonicalField, String> shown = new EnumMap<>(CanonicalField.class);
    private final Set<String> consumed = new LinkedHashSet<>();
    private final Map<String, String> extraReplaced = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private String prompt = "CAST(NULL AS VARCHAR)";
    private String skip = "false";
    private String skipShown;
    private final Map<String, String> lets = new LinkedHashMap<>();
    private final List<String> bags = new ArrayList<>();

    /** Sets a field, replacing what was there (a user's mapping file uses this). */
    SourceMapping set(CanonicalField f, String expr, String from) {
        exprs.put(f, expr);
        shown.put(f, from);
        return this;
    }

    /** Sets a field only when nothing maps it yet. */
    SourceMapping orElse(CanonicalField f, String expr, String from) {
        if (!exprs.containsKey(f)) set(f, expr, from);
        return this;
    }

    /** Every field not yet mapped may come from a bag of key/values by its canonical name (SPEC §3: routing fields in metadata). */
    SourceMapping fallbackBag(String bagExpr, String bagName) {
        String norm = "__bag" + bags.size();
        bags.add(bagName);
        // keys normalised once per record (and only when one needs it), every field read in one pass
        let(norm, "rl_norm(" + bagExpr + ")");
        List<String> paths = new ArrayList<>();
        for (CanonicalField f : CanonicalField.values()) paths.add(JsonSql.keyPath(f.column));
        let(norm + "v", "json_extract_string(" + norm + ", [" + String.join(", ", paths) + "])");
        int i = 1;
        for (CanonicalField f : CanonicalField.values()) {
            orElse(f, "NULLIF(" + norm + "v[" + i++ + "], '')", BAG_MARK + bagName + "." + f.column);
        }
        return this;
    }

    private static final String BAG_MARK = "\u0001";

    /**
     * A value computed once per record and named, for expressions that use it several times (DuckDB would
     * otherwise parse a JSON-encoded metadata string once per use). Later lets may use earlier ones.
     */
    SourceMapping let(String name, String expr) {
        lets.put(name, expr);
        return this;
    }

    SourceMapping prompt(String textExpr) {
        this.prompt = textExpr;
        return this;
    }

    SourceMapping skipWhen(String condition, String why) {
        this.skip = condition;
        this.skipShown = why;
        return this;
    }

    SourceMapping consumes(String... keys) {
        Collections.addAll(consumed, keys);
        return this;
    }

    /** In {@code extra}, a key's value is replaced by this JSON expression (NULL removes it). */
    SourceMapping extraReplace(String key, String jsonExpr) {
        extraReplaced.put(key, jsonExpr);
        return this;
    }

    SourceMapping warn(String warning) {
        warnings.add(warning);
        return this;
    }

    List<String> warnings() { return List.copyOf(warnings); }

    /** The reader subquery StageSql expects, over a records query yielding {@code __bad, r, ctx}. */
    String readerSql(String recordsSql) {
        List<String> select = new ArrayList<>();
        select.add("__bad");
        exprs.forEach((f, e) -> select.add(e + " AS f_" + f.column));
        select.add(prompt + " AS __prompt");
        select.add("coalesce(" + skip + ", false) AS __skip");
        List<String> patch = new ArrayList<>();
        for (String k : consumed) {
            if (!extraReplaced.containsKey(k)) patch.add(Sql.literal(k) + ", NULL");
        }
        extraReplaced.forEach((k, e) -> patch.add(Sql.literal(k) + ", " + e));
        select.add("CASE WHEN json_type(r) = 'OBJECT' THEN " + (patch.isEmpty() ? "r" : "json_merge_patch(r, json_object(" + String.join(", ", patch) + "))")
            + " END AS __extra");
        // Each json_extract_string(r, path) parses the whole record again (two thirds of the time on LiteLLM rows);
        // one extraction of every top-level path the mapping uses parses it once.
        Map<String, String> allLets = new LinkedHashMap<>(lets);
        String outer = String.join(", ", select);
        Map<String, Integer> paths = new LinkedHashMap<>();
        outer = onePass(outer, paths);
        for (Map.Entry<String, String> let : allLets.entrySet()) let.setValue(onePass(let.getValue(), paths));
        String from = recordsSql;
        if (!paths.isEmpty()) {
            from = "SELECT *, json_extract_string(r, [" + String.join(", ", paths.keySet()) + "]) AS __v FROM (" + from + ")";
        }
        for (Map.Entry<String, String> let : allLets.entrySet()) {
            from = "SELECT *, " + let.getValue() + " AS " + let.getKey() + " FROM (" + from + ")";
        }
        return "SELECT " + outer + " FROM (" + from + ")";
    }

    private static final java.util.regex.Pattern TOP_LEVEL_TEXT = java.util.regex.Pattern.compile("json_extract_string\\(r, ('(?:[^']|'')*')\\)");

    /** Replaces each top-level text extraction from r by its slot in the one-pass list {@code __v}. */
    private static String onePass(String sql, Map<String, Integer> paths) {
        java.util.regex.Matcher m = TOP_LEVEL_TEXT.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int slot = paths.computeIfAbsent(m.group(1), k -> paths.size() + 1);
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement("__v[" + slot + "]"));
        }
        m.appendTail(out);
        return out.toString();
    }

    ColumnMapping columnMapping() {
        Map<CanonicalField, String> fields = new EnumMap<>(CanonicalField.class);
        shown.forEach((f, from) -> fields.put(f, from.startsWith(BAG_MARK) ? from.substring(1) : from));
        return new ColumnMapping(Collections.unmodifiableMap(fields), null, List.of(), List.of());
    }

    /** Source → canonical field, for the import summary and the dry run. */
    Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        shown.forEach((f, from) -> {
            if (!from.startsWith(BAG_MARK)) out.put(from, f.column);
        });
        for (String bag : bags) out.put(bag + ".<field>", "any canonical field not mapped above, by its name");
        if (skipShown != null) out.put("(skipped)", skipShown);
        return out;
    }
}
