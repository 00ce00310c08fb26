package dev.routeledger.replay;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Which traces an exact-match cache with a TTL would answer (SPEC §6.2): walking each repeated prompt's traces
 * in time order, the first is answered by a model and written to the cache; a later one within the TTL of that
 * write is a hit and takes its answer; the first one after the entry expired is answered afresh and written
 * again (hits do not extend an entry, as in LiteLLM's cache). That walk is sequential, so it streams the
 * repeated prompts' traces (only those: a prompt sent once cannot hit) through the JVM one row at a time and
 * appends the hits to a table; nothing is held but the current entry.
 */
final class CacheHits {
    private CacheHits() {}

    /** Creates (once per TTL) and names the table {@code (tkey, wkey)}: each hit and the trace whose answer it takes. */
    static String table(Connection conn, int ttlMinutes) throws SQLException {
        String name = "rb_hits_" + ttlMinutes;
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = '" + name + "'")) {
            rs.next();
            if (rs.getLong(1) > 0) return name;
        }
        try (Statement s = conn.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE " + name + " (tkey BIGINT, wkey BIGINT)");
        }
        long ttlMicros = ttlMinutes * 60_000_000L;
        DuckDBConnection duck = conn.unwrap(DuckDBConnection.class);
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT phash, epoch_us(ts0), tkey FROM rb_trace WHERE phash IN"
                 + " (SELECT phash FROM rb_trace WHERE phash IS NOT NULL GROUP BY 1 HAVING count(*) > 1)"
                 + " ORDER BY phash, ts0, tkey");
             DuckDBAppender app = duck.createAppender("temp", "main", name)) {
            Long hash = null;
            long written = 0;
            long writer = 0;
            while (rs.next()) {
                long h = rs.getLong(1);
                long at = rs.getLong(2);
                long key = rs.getLong(3);
                if (hash == null || h != hash || at >= written + ttlMicros) {
                    hash = h;
                    written = at;
                    writer = key;
                    continue;
                }
                app.beginRow();
                app.append(key);
                app.append(writer);
                app.endRow();
            }
        }
        return name;
    }
}
