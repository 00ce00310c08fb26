package dev.routeledger.replay;

import dev.routeledger.analytics.Filter;
import dev.routeledger.store.DerivedFacts;
import dev.routeledger.store.Transactions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A large scope's basis tables kept in the workspace between replays. On a large log the per-trace classes of a
 * basis ({@code rb_obs}) take two statements over every call of the scope (4–5 s at 10 M calls on two cores),
 * though they depend only on the calls, the scope and what the policies read of a trace — not on the policy's
 * routing. So the first replay of a scope stores them, as a derived fact of the workspace, and the next replay of
 * the same scope and shape (another process, the console after a restart, a CLI replay after the lab's) copies them
 * back instead. A table is named by a digest of the SQL that built it and the scope's values, so a stored table is
 * only ever read for the same statement over the same calls; an import, a re-pricing or a new tier map makes every
 * derived fact stale ({@link DerivedFacts#invalidate}), and a stale table is dropped the next time one is stored.
 */
final class BasisCache {
    static final String PREFIX = "rb_cache_";
    /** At most this many stored tables of a kind (a basis: some tens of MB at 10 M calls); the oldest goes first. */
    static final int KEEP = 4;
    /** Whether bases are stored and read (a test turns it off to compare a built basis with a stored one). */
    static boolean enabled = true;
    /** Raised when what a stored table holds changes other than through the statements its name digests. */
    private static final int FORMAT = 1;

    private BasisCache() {}

    /** The table name of a {@code kind} of basis table, the result of {@code sql} (its parameters those of {@code scope}). */
    static String name(String kind, String sql, Filter scope) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(sql.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(scope.toString().getBytes(StandardCharsets.UTF_8));
            d.update((byte) FORMAT);
            return PREFIX + kind + "_" + HexFormat.of().formatHex(d.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final boolean TIMING = System.getenv("RL_TIMING") != null;

    /** Copies the stored table {@code name} into the temporary table {@code into}; false when none is current. */
    static boolean restore(Connection conn, String name, String into) throws SQLException {
        if (!enabled || !DerivedFacts.fresh(conn, name) || !exists(conn, name)) return false;
        long t0 = System.nanoTime();
        try (Statement s = conn.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE " + into + " AS SELECT * FROM main." + name);
        }
        if (TIMING) System.err.printf("  [%.2f s] read back %s%n", (System.nanoTime() - t0) / 1e9, name);
        return true;
    }

    /**
     * Stores the temporary table {@code from} as {@code name}, dropping stale stored bases and the oldest beyond
     * {@link #KEEP}. A workspace that cannot be written (read-only, full disk) only loses the shortcut: the replay
     * goes on with what it built.
     */
    static void store(Connection conn, String name, String from) throws SQLException {
        if (!enabled) return;
        try {
            Transactions.atomically(conn, () -> {
                try (Statement s = conn.createStatement()) {
                    s.execute("CREATE OR REPLACE TABLE main." + name + " AS SELECT * FROM " + from);
                }
                DerivedFacts.markBuilt(conn, name);
                for (String old : surplus(conn, name)) {
                    try (Statement s = conn.createStatement()) {
                        s.execute("DROP TABLE IF EXISTS main." + old);
                        s.execute("DELETE FROM derived_facts WHERE name = '" + old + "'");
                    }
                }
            });
        } catch (SQLException e) {
            // a cancelled replay stops here as anywhere else (DuckDB's "INTERRUPT Error")
            if (String.valueOf(e.getMessage()).contains("INTERRUPT")) throw e;
            if (TIMING) System.err.println("  basis not stored: " + e.getMessage());
        }
    }

    /** The stored tables of {@code keep}'s kind other than it that are stale, or beyond the newest {@link #KEEP}. */
    private static List<String> surplus(Connection conn, String keep) throws SQLException {
        List<String> out = new ArrayList<>();
        String sql = "SELECT t.table_name, d.name IS NOT NULL FROM duckdb_tables() t LEFT JOIN derived_facts d ON d.name = t.table_name"
            + " WHERE t.schema_name = 'main' AND NOT t.temporary AND starts_with(t.table_name, '" + keep.substring(0, keep.lastIndexOf('_') + 1) + "') AND t.table_name <> '" + keep + "'"
            + " ORDER BY d.built_at DESC NULLS LAST";
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int kept = 1;
            while (rs.next()) {
                if (rs.getBoolean(2) && kept < KEEP) kept++;
                else out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static boolean exists(Connection conn, String name) throws SQLException {
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary AND table_name = '" + name + "'")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }
}
