package dev.routeledger.replay;

import dev.routeledger.cost.PriceMatches;
import dev.routeledger.policy.Policy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a replay needs to know about each tier's primary model (SPEC §6.2): the price an estimated call is
 * charged (the catalog's, with the user's override and negotiated discount, as the workspace prices its own
 * calls; for a model the catalog lacks, its observed cost per token), its context window, and its latency per
 * completion token as observed in the workspace. A model with no price at all is "unpriced": its estimated calls
 * cost nothing, and every replay that estimates any says so (an eval set, replayed exactly, needs none).
 */
record TierModels(List<Model> tiers) {

    /**
     * @param members every model the policy lists in the tier (the first is {@code name}, the primary)
     * @param costPerToken observed cost per (prompt + completion) token, used when there is no price
     * @param maxInputTokens NULL when the catalog does not say
     * @param msPerToken observed latency per completion token of the model, else of its tier
     */
    record Model(int tier, String name, List<String> members, Double inputPrice, Double outputPrice, double discountPct, Double costPerToken,
                 Long maxInputTokens, double msPerToken, String priceSource) {

        /** SQL for the cost of a call of this model with {@code prompt} and {@code completion} tokens. */
        boolean unpriced() {
            return priceSource.equals("none");
        }

        String costSql(String prompt, String completion) {
            if (unpriced()) return "0.0";
            if (inputPrice != null && outputPrice != null) {
                return "((" + prompt + ") * " + Replay.dbl(inputPrice) + " + (" + completion + ") * " + Replay.dbl(outputPrice) + ") * "
                    + Replay.dbl(1 - discountPct / 100);
            }
            return "((" + prompt + ") + (" + completion + ")) * " + Replay.dbl(costPerToken);
        }
    }

    static TierModels resolve(Connection conn, Policy policy) throws SQLException {
        List<Model> out = new ArrayList<>();
        Map<String, Double[]> observed = observedPerToken(conn);
        for (int t = 1; t <= policy.tiers().size(); t++) {
            String name = policy.tiers().get(t - 1).primary();
            Double in = null, outP = null, disc = 0.0, cpt = null;
            Long maxIn = null;
            String source = null;
            // the workspace's own pricing of the model (override and discount included), when it has calls of it
            try (PreparedStatement ps = conn.prepareStatement(
                "SELECT in_p, out_p, discount_pct, price_key FROM model_costing WHERE model = ? ORDER BY (in_p IS NOT NULL) DESC, provider_key LIMIT 1")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        in = (Double) rs.getObject(1);
                        outP = (Double) rs.getObject(2);
                        disc = rs.getDouble(3);
                        if (in != null && outP != null) source = "catalog";
                        maxIn = maxInput(conn, rs.getString(4));
                    }
                }
            }
            if (in == null || outP == null) {
                String key = catalogKey(conn, name);
                if (key != null) {
                    try (PreparedStatement ps = conn.prepareStatement("SELECT coalesce(o.input_per_token, p.input_per_token), coalesce(o.output_per_token, p.output_per_token),"
                        + " p.max_input_tokens, coalesce((SELECT percent FROM discounts WHERE scope = 'model' AND name = ?),"
                        + " (SELECT percent FROM discounts WHERE scope = 'provider' AND name = lower(p.provider)), 0)"
                        + " FROM price_catalog p LEFT JOIN price_overrides o ON o.model = ? WHERE p.model_key = ?")) {
                        ps.setString(1, name);
                        ps.setString(2, name);
                        ps.setString(3, key);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) {
                                in = (Double) rs.getObject(1);
                                outP = (Double) rs.getObject(2);
                                maxIn = (Long) rs.getObject(3);
                                disc = rs.getDouble(4);
                                if (in != null && outP != null) source = "catalog";
                            }
                        }
                    }
                }
            }
            Double[] seen = observed.getOrDefault(name, new Double[2]);
            cpt = seen[0];
            if (source == null && cpt != null) source = "observed cost per token";
            // an eval set needs no estimate; on traffic the replay reports the model as unpriced, never silently
            if (source == null) source = "none";
            double msPerToken = seen[1] != null ? seen[1] : tierMsPerToken(conn, t);
            out.add(new Model(t, name, policy.tiers().get(t - 1).models(), in, outP, disc, cpt, maxIn, msPerToken, source));
        }
        return new TierModels(out);
    }

    /**
     * Per model of the workspace, from its answered calls with a cost: its cost per token and its latency per
     * completion token. One grouped scan with the conditions inside the sums: a filtered scan per tier's model took
     * 0.4-0.5 s for three at 10 M calls, this 0.2-0.26 s for all.
     */
    private static Map<String, Double[]> observedPerToken(Connection conn) throws SQLException {
        String ok = "coalesce(status, 'ok') = 'ok' AND cost_effective IS NOT NULL";
        Map<String, Double[]> out = new HashMap<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT model,"
            + " sum(CASE WHEN " + ok + " THEN cost_effective END) / nullif(sum(CASE WHEN " + ok + " THEN coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0) END), 0),"
            + " sum(CASE WHEN " + ok + " AND completion_tokens > 0 THEN latency_ms END) / nullif(sum(CASE WHEN " + ok + " AND completion_tokens > 0 THEN completion_tokens END), 0)"
            + " FROM calls WHERE model IS NOT NULL GROUP BY model")) {
            while (rs.next()) out.put(rs.getString(1), new Double[] {(Double) rs.getObject(2), (Double) rs.getObject(3)});
        }
        return out;
    }

    private static Long maxInput(Connection conn, String key) throws SQLException {
        if (key == null) return null;
        try (PreparedStatement ps = conn.prepareStatement("SELECT max_input_tokens FROM price_catalog WHERE model_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? (Long) rs.getObject(1) : null;
            }
        }
    }

    private static String catalogKey(Connection conn, String model) throws SQLException {
        Map<String, String> keys = new HashMap<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT model_key FROM price_catalog")) {
            while (rs.next()) keys.putIfAbsent(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(1));
        }
        PriceMatches.Match m = PriceMatches.match(model, null, keys);
        return m == null ? null : m.modelKey();
    }

    /** A model never called in the workspace: its tier's observed latency per completion token. */
    private static double tierMsPerToken(Connection conn, int tier) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT sum(latency_ms) / nullif(sum(completion_tokens), 0) FROM calls"
            + " WHERE eff_tier = ? AND coalesce(status, 'ok') = 'ok' AND completion_tokens > 0")) {
            ps.setInt(1, tier);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Double v = (Double) rs.getObject(1);
                return v == null ? 0 : v;
            }
        }
    }
}
