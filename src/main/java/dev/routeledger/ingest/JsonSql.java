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
        s.execute("CREATE OR REPLACE TEMP MACRO rl_obj(j) AS (CASE WHEN json_type(j) = 'VARCHAR'"
            + " AND regexp_matches(json_extract_string(j, '$'), '^\\s*[\\[{]') THEN coalesce(TRY_CAST(json_extract_string(j, '$') AS JSON),"
            + " TRY_CAST(replace(json_extract_string(j, '$'), '\"\"', '\"') AS JSON)) ELSE j END)");
        s.execute("CREATE OR REPLACE TEMP MACRO rl_get(j, k) AS (rl_obj(CASE WHEN json_type(j) = 'OBJECT' THEN json_extract(j, " + KEY_PATH_OF_K + ") END))");
        s.execute("CREATE OR REPLACE TEMP MACRO rl_txt(j) AS (NULLIF(json_extract_string(j, '$'), ''))");
        // a key looked up without regard to case, '-', ' ' or Helicone's header prefix
        s.execute("CREATE OR REPLACE TEMP MACRO rl_prop(j, k) AS (CASE WHEN json_type(j) = 'OBJECT' THEN rl_obj(json_extract(j, "
            + KEY_PATH_OF_K.replace("k", "list_filter(json_keys(j), x -> regexp_replace(lower(regexp_replace(x, '^helicone-property-', '', 'i')),"
            + " '[- .]', '_', 'g') = k)[1]") + ")) END)");
        s.execute("CREATE OR REPLACE TEMP MACRO rl_first(j) AS (CASE WHEN json_type(j) = 'ARRAY' THEN json_extract(j, '$[0]') END)");
        s.execute("CREATE OR REPLACE TEMP MACRO rl_ts(t) AS (" + StageSql.timestamp("t") + ")");
        s.execute("CREATE OR REPLACE TEMP MACRO rl_ms_between(a, b) AS (CASE WHEN date_diff('microsecond', rl_ts(a), rl_ts(b)) >= 0"
            + " THEN CAST(date_diff('microsecond', rl_ts(a), rl_ts(b)) / 1000.0 AS VARCHAR) END)");
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

    /** The text at a path (numbers as written, objects as JSON text, empty and null as NULL). */
    static String text(String root, String dotted) {
        return "rl_txt(" + path(root, dotted) + ")";
    }

    /** The first of several paths that holds a value. */
    static String firstText(String root, String... paths) {
        List<String> parts = new ArrayList<>();
        for (String p : paths) parts.add(text(root, p));
        return parts.size() == 1 ? parts.get(0) : "coalesce(" + String.join(", ", parts) + ")";
    }
}
