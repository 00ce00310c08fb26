package dev.routeledger.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the {@code calls} view equal to {@code calls_main} plus every import batch that kept its own table.
 * A large file's rows stay in the table DuckDB staged them into: copying 10 M staged rows into one table
 * cost a third of the import (BENCHMARKS.md). Called inside the importing transaction, so the view and the
 * batch record change together.
 */
public final class CallsView {
    private CallsView() {}

    public static void refresh(Connection conn) throws SQLException {
        List<String> parts = new ArrayList<>();
        parts.add("SELECT " + Schema.CALL_COLUMNS + ", batch_id, " + CallFacts.COLUMNS + " FROM calls_main");
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT batch_id, table_name FROM import_batches WHERE table_name IS NOT NULL ORDER BY batch_id")) {
            while (rs.next()) {
                parts.add("SELECT " + Schema.CALL_COLUMNS + ", CAST(" + rs.getInt(1) + " AS INTEGER) AS batch_id, " + CallFacts.COLUMNS + " FROM "
                    + "\"" + rs.getString(2).replace("\"", "\"\"") + "\"");
            }
        }
        try (Statement s = conn.createStatement()) {
            s.execute("CREATE OR REPLACE VIEW calls AS " + String.join(" UNION ALL ", parts));
        }
    }
}
