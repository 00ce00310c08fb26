package dev.routeledger.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parquet through DuckDB's {@code read_parquet}. */
final class ParquetReaders {
    private ParquetReaders() {}

    static ReaderPlan plan(String source, List<String> columns) {
        ColumnMapping m = ColumnMapping.resolve(columns);
        List<String> select = new ArrayList<>();
        select.add("CAST(NULL AS VARCHAR) AS __bad");
        for (Map.Entry<CanonicalField, String> e : m.fields().entrySet()) {
            select.add(Sql.ident(e.getValue()) + " AS f_" + e.getKey().column);
        }
        select.add(m.promptTextColumn() == null ? "CAST(NULL AS VARCHAR) AS __prompt"
            : "CAST(" + Sql.ident(m.promptTextColumn()) + " AS VARCHAR) AS __prompt");
        if (m.extraColumns().isEmpty()) {
            select.add("CAST(NULL AS JSON) AS __extra");
        } else {
            List<String> pairs = new ArrayList<>();
            for (String k : m.extraColumns()) pairs.add(Sql.literal(k) + ", " + Sql.ident(k));
            select.add("json_object(" + String.join(", ", pairs) + ") AS __extra");
        }
        return new ReaderPlan("canonical", m, "SELECT " + String.join(", ", select) + " FROM " + source);
    }
}
