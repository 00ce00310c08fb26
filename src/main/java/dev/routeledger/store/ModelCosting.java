package dev.routeledger.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Keeps {@code model_costing} (one row per model and provider of the log: its tier from the map, its prices
 * after overrides, its discount) in step with what it is made of. Called by every change to those: an import's
 * new models, a catalog update, an override or discount, a tier-map edit — inside the caller's transaction.
 */
public final class ModelCosting {
    private ModelCosting() {}

    public static void refresh(Connection conn) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute("DELETE FROM model_costing");
            s.execute(Schema.REFRESH_MODEL_COSTING);
        }
    }
}
