package dev.routeledger.cost;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** How each model of the log is priced (SPEC §4): its catalog entry and how it matched, its prices, override, discount and spend. */
public final class ModelPrices {
    /** Prices in USD per million tokens; null where the model has none. */
    public record Row(String model, String catalogKey, String matched, long calls, Double inputPerMtok, Double outputPerMtok, Double cachedPerMtok,
                      boolean overridden, double discountPct, double costUsd, long catalogCostedCalls, long unpricedCalls) {}

    private ModelPrices() {}

    /** Every model of the log (or those whose name contains {@code modelLike}), by spend. */
    public static List<Row> list(Connection c, String modelLike) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT model, any_value(price_key), any_value(how), count(*),"
                + " any_value(price_in) * 1e6, any_value(price_out) * 1e6, any_value(price_cached) * 1e6, bool_or(price_overridden),"
                + " max(discount_pct), coalesce(sum(cost_effective) FILTER (WHERE NOT shadow), 0), count(*) FILTER (WHERE cost_source = 'catalog'), count(*) FILTER (WHERE cost_source = 'unpriced')"
                + " FROM calls_costed LEFT JOIN (SELECT model, provider, how FROM price_matches) pm USING (model, provider)"
                + " WHERE (? IS NULL OR model ILIKE '%' || ? || '%') GROUP BY model ORDER BY sum(cost_effective) DESC NULLS LAST, model")) {
            ps.setString(1, modelLike);
            ps.setString(2, modelLike);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), nullable(rs, 5), nullable(rs, 6), nullable(rs, 7),
                        rs.getBoolean(8), rs.getDouble(9), rs.getDouble(10), rs.getLong(11), rs.getLong(12)));
                }
            }
        }
        return out;
    }

    private static Double nullable(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }
}
