package dev.routeledger.cost;

import dev.routeledger.store.ModelCosting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;

/** The user's own prices per model and negotiated discounts per provider or model, stored in the workspace. */
public final class PriceOverrides {
    private PriceOverrides() {}

    /** Prices in USD per million tokens, as price lists write them. */
    public static void setPrice(Connection conn, String model, double inputPerMTok, double outputPerMTok, Double cachedPerMTok) throws SQLException {
        check(inputPerMTok, "input");
        check(outputPerMTok, "output");
        if (cachedPerMTok != null) check(cachedPerMTok, "cached input");
        try (PreparedStatement ps = conn.prepareStatement("INSERT OR REPLACE INTO price_overrides VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, model);
            ps.setDouble(2, inputPerMTok / 1e6);
            ps.setDouble(3, outputPerMTok / 1e6);
            if (cachedPerMTok == null) ps.setNull(4, java.sql.Types.DOUBLE); else ps.setDouble(4, cachedPerMTok / 1e6);
            ps.setTimestamp(5, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
        ModelCosting.refresh(conn);
    }

    public static boolean removePrice(Connection conn, String model) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("DELETE FROM price_overrides WHERE model = ?")) {
            ps.setString(1, model);
            boolean removed = ps.executeUpdate() > 0;
            ModelCosting.refresh(conn);
            return removed;
        }
    }

    /** @param scope "provider" or "model"; providers are compared lower-cased */
    public static void setDiscount(Connection conn, String scope, String name, double percent) throws SQLException {
        if (!scope.equals("provider") && !scope.equals("model")) throw new IllegalArgumentException("a discount is per 'provider' or 'model', not '" + scope + "'");
        if (!(percent >= 0 && percent < 100)) throw new IllegalArgumentException("a discount is a percent from 0 to below 100, not " + percent);
        try (PreparedStatement ps = conn.prepareStatement("INSERT OR REPLACE INTO discounts VALUES (?, ?, ?, ?)")) {
            ps.setString(1, scope);
            ps.setString(2, scope.equals("provider") ? name.toLowerCase(Locale.ROOT) : name);
            ps.setDouble(3, percent);
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
        ModelCosting.refresh(conn);
    }

    public static boolean removeDiscount(Connection conn, String scope, String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("DELETE FROM discounts WHERE scope = ? AND name = ?")) {
            ps.setString(1, scope);
            ps.setString(2, scope.equals("provider") ? name.toLowerCase(Locale.ROOT) : name);
            boolean removed = ps.executeUpdate() > 0;
            ModelCosting.refresh(conn);
            return removed;
        }
    }

    private static void check(double v, String what) {
        if (!Double.isFinite(v) || v < 0) throw new IllegalArgumentException("the " + what + " price must be a number ≥ 0, not " + v);
    }
}
