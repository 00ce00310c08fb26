package dev.routeledger.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in one transaction: its own when the connection is in autocommit, else the caller's. */
public final class Transactions {
    private Transactions() {}

    /** The work, which may throw SQLException. */
    public interface Work {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work}; when no transaction is open, opens one, commits it, and rolls it back on failure. Inside
     * a caller's transaction it only runs, and the caller commits or rolls back.
     */
    public static void atomically(Connection conn, Work work) throws SQLException {
        boolean own = conn.getAutoCommit();
        if (own) conn.setAutoCommit(false);
        try {
            work.run();
            if (own) conn.commit();
        } catch (SQLException | RuntimeException e) {
            if (own) conn.rollback();
            throw e;
        } finally {
            if (own) conn.setAutoCommit(true);
        }
    }
}
