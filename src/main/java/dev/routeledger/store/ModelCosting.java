package dev.routeledger.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Keeps {@code model_costing} (one row per model and provider of the log: its tier from the map, its prices
 * after overrides, its discount) and the calls' stored costs and tiers ({@link CallFacts}) in step with what
 * they are made of.
 */
public final class ModelCosting {
    private ModelCosting() {}

    /**
     * After a change to what prices or tiers the calls already in the workspace — the tier map, the catalog, an
     * override, a discount: recomputes the table and re-prices every call, in one transaction (the caller's, if
     * one is open), so the stored costs never disagree with the prices.
     */
    public static void refresh(Connection conn) throws SQLException {
        Transactions.atomically(conn, () -> {
            refreshTable(conn);
            CallFacts.priceAll(conn);
        });
    }

    /** Recomputes the table alone: enough when only new models were added (an import prices its own rows). */
    public static void refreshTable(Connection conn) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute("DELETE FROM model_costing");
            s.execute(Schema.REFRESH_MODEL_COSTING);
        }
    }
}
