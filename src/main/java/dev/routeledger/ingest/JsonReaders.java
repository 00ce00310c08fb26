package dev.routeledger.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two ways to read JSON records. The fast one is DuckDB's typed {@code read_json} with the columns named up
 * front: as fast as DuckDB's own load, but it fails on the first bad line. The careful one reads each record
 * as a JSON value ({@code read_json_objects} with {@code ignore_errors}): a malformed line becomes a NULL in
 * its place, so every line is accounted for and bad ones are rejected one by one, and every key is known exactly.
 */
final class JsonReaders {
    static final long MAX_OBJECT_BYTES = 256L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonReaders() {}

    static ReaderPlan fast(SourceFile file, Set<String> keys) {
        ColumnMapping m = ColumnMapping.resolve(new ArrayList<>(keys));
        List<String> columns = new ArrayList<>();
        List<String> select = new ArrayList<>();
        select.add("CAST(NULL AS VARCHAR) AS __bad");
        for (Map.Entry<CanonicalField, String> e : m.fields().entrySet()) {
            columns.add(Sql.literal(e.getValue()) + ": " + Sql.literal(e.getKey().kind.readerType));
            select.add(Sql.ident(e.getValue()) + " AS f_" + e.getKey().column);
        }
        if (m.promptTextColumn() != null) {
            columns.add(Sql.literal(m.promptTextColumn()) + ": 'VARCHAR'");
            select.add(Sql.ident(m.promptTextColumn()) + " AS __prompt");
        } else {
            select.add("CAST(NULL AS VARCHAR) AS __prompt");
        }
        for (String k : m.extraColumns()) columns.add(Sql.literal(k) + ": 'JSON'");
        select.add(extraObject(m.extraColumns()) + " AS __extra");
        String sql = "SELECT " + String.join(", ", select) + " FROM read_json(" + Sql.literal(file.path().toString())
            + ", format = " + Sql.literal(duckFormat(file)) + ", columns = {" + String.join(", ", columns) + "}"
            + ", compression = " + Sql.literal(file.duckCompression()) + ", maximum_object_size = " + MAX_OBJECT_BYTES + ")";
        return new ReaderPlan("canonical", m, sql);
    }

    /** Every top-level key of the file, exactly (a full pass; the careful path can afford it). */
    static String keysSql(SourceFile file) {
        return "SELECT DISTINCT k FROM (SELECT unnest(json_keys(json)) AS k FROM " + objects(file)
            + " WHERE json_type(json) = 'OBJECT') ORDER BY k";
    }

    static ReaderPlan careful(SourceFile file, List<String> keys) {
        ColumnMapping m = ColumnMapping.resolve(keys);
        ObjectNode struct = JSON.createObjectNode();
        ObjectNode removeMapped = JSON.createObjectNode();
        List<String> select = new ArrayList<>();
        select.add("CASE WHEN json IS NULL THEN 'malformed JSON (or text that is not UTF-8)' "
            + "WHEN json_type(json) <> 'OBJECT' THEN 'not a JSON object' END AS __bad");
        for (Map.Entry<CanonicalField, String> e : m.fields().entrySet()) {
            struct.put(e.getValue(), "VARCHAR");
            removeMapped.putNull(e.getValue());
            select.add("s." + Sql.ident(e.getValue()) + " AS f_" + e.getKey().column);
        }
        if (m.promptTextColumn() != null) {
            struct.put(m.promptTextColumn(), "VARCHAR");
            removeMapped.putNull(m.promptTextColumn());
            select.add("s." + Sql.ident(m.promptTextColumn()) + " AS __prompt");
        } else {
            select.add("CAST(NULL AS VARCHAR) AS __prompt");
        }
        m.droppedTextColumns().forEach(removeMapped::putNull);
        // JSON merge-patch with nulls removes keys: what is left is exactly the unmapped rest of the record
        select.add(m.extraColumns().isEmpty() ? "CAST(NULL AS JSON) AS __extra"
            : "CASE WHEN json_type(json) = 'OBJECT' THEN json_merge_patch(json, " + Sql.literal(removeMapped.toString()) + ") END AS __extra");
        String structSql = struct.isEmpty() ? "NULL" : "CASE WHEN json_type(json) = 'OBJECT' THEN from_json(json, "
            + Sql.literal(struct.toString()) + ") END";
        String sql = "SELECT " + String.join(", ", select) + " FROM (SELECT json, " + structSql + " AS s FROM " + objects(file) + ")";
        return new ReaderPlan("canonical", m, sql);
    }

    private static String objects(SourceFile file) {
        return "read_json_objects(" + Sql.literal(file.path().toString()) + ", format = " + Sql.literal(duckFormat(file))
            + ", compression = " + Sql.literal(file.duckCompression()) + ", ignore_errors = true, maximum_object_size = "
            + MAX_OBJECT_BYTES + ")";
    }

    private static String duckFormat(SourceFile file) {
        return file.container() == SourceFile.Container.JSON_ARRAY ? "array" : "newline_delimited";
    }

    private static String extraObject(List<String> extra) {
        if (extra.isEmpty()) return "CAST(NULL AS JSON)";
        List<String> allNull = new ArrayList<>();
        List<String> pairs = new ArrayList<>();
        for (String k : extra) {
            allNull.add(Sql.ident(k) + " IS NULL");
            pairs.add(Sql.literal(k) + ", " + Sql.ident(k));
        }
        return "CASE WHEN " + String.join(" AND ", allNull) + " THEN NULL ELSE json_object(" + String.join(", ", pairs) + ") END";
    }

    static RecordLocator locator(SourceFile file) throws IOException {
        if (file.container() == SourceFile.Container.JSON_ARRAY) return RecordNumberLocator.INSTANCE;
        return new JsonLineLocator(file.openText());
    }
}
