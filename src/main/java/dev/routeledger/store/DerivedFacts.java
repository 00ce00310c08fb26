package dev.routeledger.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Which derived facts of the workspace are current. Some analytics read facts that depend on many calls at once
 * (whether a trace repeats an earlier prompt, the last call of a trace at each tier): computing them per query
 * cost seconds at 10 M calls, so they are computed once and stored. Anything that changes the calls or their
 * stored facts — an import, a re-pricing, a new tier map — calls {@link #invalidate} in its own transaction, and
 * the next reader rebuilds them.
 */
public final class DerivedFacts {
    static final String DDL = "CREATE TABLE IF NOT EXISTS derived_facts (name VARCHAR PRIMARY KEY, built_at TIMESTAMP NOT NULL)";

    private DerivedFacts() {}

    /** Whether {@code name} was built since the calls last changed. */
    public static boolean fresh(Connection conn, String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM derived_facts WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    /** Records that {@code name} is current; call in the transaction that built it. */
    public static void markBuilt(Connection conn, String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT OR REPLACE INTO derived_facts VALUES (?, current_timestamp)")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
    }

    /** Every derived fact is out of date: the calls or their stored facts changed. */
    public static void invalidate(Connection conn) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute("DELETE FROM derived_facts");
        }
    }
}
