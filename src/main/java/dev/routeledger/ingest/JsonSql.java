package dev.routeledger.ingest;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL over one source record held as a JSON value {@code r}. Gateways write nested objects either as objects
 * or as JSON-encoded strings (LiteLLM's payload form, every CSV export; Helicone's CSV doubles the quotes a
 * second time), so every step into a record goes through {@code rl_obj}, which parses a string that holds
 * JSON and leaves anything else as it is.
 */
final class JsonSql {
    private JsonSql() {}

    /** SQL for the JSONPath {@code $."<k>"} of a key k, quotes in it escaped: any key, whatever its characters. */
    private static final String KEY_PATH_OF_K = "('$.\"' || replace(k, '\"', '\\\"') || '\"')";

    /** The macros the expressions below use; temporary, so they live only on the importing connection. */
    static void createMacros(Statement s) throws SQLException {
        // Macros are inlined: an argument used several times is copied, and nested paths grew exponentially
        // (1.2 s to plan two records). Binding the argument once through a one-element lambda keeps them linear.
        s.execute("CREATE OR REPLACE TEMP MACRO rl_obj(j) AS (list_transform([j], x -> CASE WHEN json_type(x) = 'VARCHAR'"
            + " AND (starts_with(ltrim(json_extract_string(x, '$')), '{') OR starts_with(ltrim(json_extract_string(x, '$')), '['))"
            + " THEN coalesce(TRY_CAST(json_extract_string(x, '$') AS JSON),"
            + " TRY_CAST(replace(json_extract_string(x, '$'), '\"\"', '\"') AS JSON)) ELSE x END)[1])");
        s.execute("CREATE OR REPLACE TEMP MACRO rl_get(j, k) AS (rl_obj(json_extract(j, " + KEY_PATH_OF_K + ")))");
        s.execute("CREATE OR REPLACE TEMP MACRO rl_txt(j) AS (NULLIF(json_extract_string(j, '$'), ''))");
        // a key looked up without regard to case, '-', ' ' or Helicone's header prefix
        s.execute("CREATE OR REPLACE TEMP MACRO rl_key(x) AS (replace(replace(replace(CASE WHEN starts_with(lower(x), 'helicone-property-')"
            + " THEN lower(substr(x, 19)) ELSE lower(x) END, '-', '_'), ' ', '_'), '.', '_'))");
        s.execute("CREATE OR REPLACE TEMP MACRO rl_prop(j, k) AS (list_transform([j], o -> CASE WHEN json_type(o) = 'OBJECT' THEN rl_obj(json_extract(o, "
            + KEY_PATH_OF_K.replace("k", "list_filter(json_keys(o), x -> rl_key(x) = k)[1]") + ")) END)[1])");
        // the same object with every key normalised as above, built once per record so that many lookups stay cheap
        s.execute("CREATE OR REPLACE TEMP MACRO rl_norm(j) AS (list_transform([j], o -> CASE WHEN json_type(o) <> 'OBJECT' THEN NULL"
            + " WHEN NOT list_bool_or(list_transform(json_keys(o), x -> x <> rl_key(x))) THEN o ELSE"
            + " CAST('{' || array_to_string(list_transform(json_keys(o), x -> to_json(rl_key(x)) || ':' || json_extract(o, '$.\"' || replace(x, '\"', '\\\"') || '\"')), ',')"
            + " || '}' AS JSON) END)[1])");
        s.execute("CREATE OR REPLACE TEMP MACRO rl_first(j) AS (json_extract(j, '$[0]'))");
        s.execute("CREATE OR REPLACE TEMP MACRO rl_ts(t) AS (list_transform([t], x -> " + StageSql.timestamp("x") + ")[1])");
        s.execute("CREATE OR REPLACE TEMP MACRO rl_ms_between(a, b) AS (list_transform([[rl_ts(a), rl_ts(b)]], p -> CASE WHEN date_diff('microsecond', p[1], p[2]) >= 0"
            + " THEN CAST(date_diff('microsecond', p[1], p[2]) / 1000.0 AS VARCHAR) END)[1])");
    }

    /** A JSONPath literal for one key, whatever characters it holds ('/', '.', '|' are common in model names). */
    static String keyPath(String key) {
        return Sql.literal("$.\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }

    /** The JSON value at a dotted path ({@code metadata.spend_logs_metadata.feature}); a key that itself holds dots is tried whole first. */
    static String path(String root, String dotted) {
        String whole = "rl_get(" + root + ", " + Sql.literal(dotted) + ")";
        if (!dotted.contains(".")) return whole;
        String nested = root;
        for (String step : dotted.split("\\.")) nested = "rl_get(" + nested + ", " + Sql.literal(step) + ")";
        return "coalesce(" + whole + ", " + nested + ")";
    }

    /**
     * The text at a path (numbers as written, objects as JSON text, empty and null as NULL). The last step is a
     * plain extraction: only the steps into nested objects need to parse JSON-encoded strings.
     */
    static String text(String root, String dotted) {
        String whole = "NULLIF(json_extract_string(" + root + ", " + keyPath(dotted) + "), '')";
        if (!dotted.contains(".")) return whole;
        String[] steps = dotted.split("\\.");
        String nested = root;
        for (int i = 0; i < steps.length - 1; i++) nested = "rl_get(" + nested + ", " + Sql.literal(steps[i]) + ")";
        return "coalesce(" + whole + ", NULLIF(json_extract_string(" + nested + ", " + keyPath(steps[steps.length - 1]) + "), ''))";
    }

    /** The first of several paths that holds a value. */
    static String firstText(String root, String... paths) {
        List<String> parts = new ArrayList<>();
        for (String p : paths) parts.add(text(root, p));
        return parts.size() == 1 ? parts.get(0) : "coalesce(" + String.join(", ", parts) + ")";
    }
}
