package dev.routeledger.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;

/**
 * A file's records as JSON values, one row each in file order, for the source formats: columns
 * {@code __bad} (why the record is unreadable, or NULL), {@code r} (the record) and {@code ctx} (the trace a
 * Langfuse trace download wraps its observations in). API pages are unwrapped here, whatever the container:
 * {@code {data:[…], …}} (LiteLLM's /spend/logs/v2, Langfuse's public API, Helicone's query API) and
 * {@code {trace, observations:[…]}} (Langfuse's "download trace").
 */
final class SourceRecords {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private SourceRecords() {}

    static String json(SourceFile file, boolean wholeValues) {
        String format = file.container() == SourceFile.Container.JSON_ARRAY ? "array" : wholeValues ? "unstructured" : "newline_delimited";
        String objects = "read_json_objects(" + Sql.literal(file.path().toString()) + ", format = " + Sql.literal(format)
            + ", compression = " + Sql.literal(file.duckCompression()) + ", ignore_errors = true, maximum_object_size = "
            + JsonReaders.MAX_OBJECT_BYTES + ")";
        return "SELECT __bad, unnest(CASE WHEN __bad IS NOT NULL THEN [CAST(NULL AS JSON)]"
            + " WHEN json_type(json_extract(json, 'data')) = 'ARRAY' AND json_extract(json, 'request_id') IS NULL AND json_extract(json, 'id') IS NULL"
            + " THEN from_json(json_extract(json, 'data'), '[\"JSON\"]')"
            + " WHEN json_type(json_extract(json, 'observations')) = 'ARRAY' THEN from_json(json_extract(json, 'observations'), '[\"JSON\"]')"
            + " ELSE [json] END) AS r,"
            + " CASE WHEN __bad IS NULL AND json_type(json_extract(json, 'trace')) = 'OBJECT' THEN json_extract(json, 'trace') END AS ctx"
            + " FROM (SELECT json, CASE WHEN json IS NULL THEN 'malformed JSON (or text that is not UTF-8)'"
            + " WHEN json_type(json) <> 'OBJECT' THEN 'not a JSON object' END AS __bad FROM " + objects + ")";
    }

    /** Rows of a table function (read_csv, read_parquet) as JSON objects. */
    static String table(String tableFunction) {
        return "SELECT CAST(NULL AS VARCHAR) AS __bad, to_json(t) AS r, CAST(NULL AS JSON) AS ctx FROM " + tableFunction + " t";
    }

    /**
     * Whether the file's first JSON value spans several lines (a pretty-printed API page or trace download):
     * then it is read as whole values rather than line by line.
     */
    static boolean firstValueSpansLines(SourceFile file) throws IOException {
        try (InputStream in = file.openText(); JsonParser p = JSON.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) return false;
            int firstLine = p.currentTokenLocation().getLineNr();
            p.skipChildren();
            return p.currentTokenLocation().getLineNr() != firstLine;
        } catch (IOException malformed) {
            return false; // read line by line; the bad lines are rejected one by one
        }
    }
}
