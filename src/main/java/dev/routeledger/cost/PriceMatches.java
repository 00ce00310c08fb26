package dev.routeledger.cost;

import dev.routeledger.store.ModelCosting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which catalog entry prices each (model, provider) in the log, kept in {@code price_matches}. Gateways write
 * model names their own way: with or without a provider prefix ({@code openai/gpt-4o}, {@code gpt-4o}), with a
 * dated version ({@code gpt-4o-mini-2024-07-18}) where the catalog may list only the undated name. The first
 * of these that the catalog knows wins; a model it does not know is "unpriced", listed, never costed at $0.
 */
public final class PriceMatches {
    private static final Pattern DATE_SUFFIX = Pattern.compile("(-|@)(\\d{8}|\\d{4}-\\d{2}-\\d{2})$|-latest$");

    private PriceMatches() {}

    public record Match(String modelKey, String how) {}

    /** The catalog key for a model as logged, or null. {@code keys} maps lower-cased keys to catalog keys. */
    public static Match match(String model, String provider, Map<String, String> keys) {
        if (model == null || model.isBlank()) return null;
        Map<String, String> candidates = new LinkedHashMap<>();
        String m = model.strip();
        candidates.put(m, "exact");
        if (provider != null && !provider.isBlank() && !m.contains("/")) candidates.put(provider.strip() + "/" + m, "with provider prefix");
        String bare = m;
        while (bare.contains("/")) {
            bare = bare.substring(bare.indexOf('/') + 1);
            candidates.putIfAbsent(bare, "without provider prefix");
        }
        for (Map.Entry<String, String> c : List.copyOf(candidates.entrySet())) {
            String undated = DATE_SUFFIX.matcher(c.getKey()).replaceFirst("");
            if (!undated.equals(c.getKey())) candidates.putIfAbsent(undated, "undated version" + (c.getValue().equals("exact") ? "" : ", " + c.getValue()));
        }
        for (Map.Entry<String, String> c : candidates.entrySet()) {
            String key = keys.get(c.getKey().toLowerCase(Locale.ROOT));
            if (key != null) return new Match(key, c.getValue());
        }
        return null;
    }

    /** Recomputes every match (after the catalog changed). */
    public static void refreshAll(Connection conn) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute("DELETE FROM price_matches");
        }
        addMissing(conn, "calls");
        ModelCosting.refresh(conn);
    }

    /** Matches the (model, provider) pairs of a table or query that have no match row yet (after an import). */
    public static void addMissing(Connection conn, String relation) throws SQLException {
        List<String[]> pairs = new ArrayList<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT model, provider FROM " + relation
                + " EXCEPT SELECT model, provider FROM price_matches")) {
            while (rs.next()) pairs.add(new String[] {rs.getString(1), rs.getString(2)});
        }
        if (pairs.isEmpty()) return;
        Map<String, String> keys = new HashMap<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT model_key FROM price_catalog")) {
            while (rs.next()) keys.putIfAbsent(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(1));
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO price_matches VALUES (?, ?, ?, ?)")) {
            for (String[] p : pairs) {
                Match m = match(p[0], p[1], keys);
                ps.setString(1, p[0]);
                ps.setString(2, p[1]);
                ps.setString(3, m == null ? null : m.modelKey());
                ps.setString(4, m == null ? "not in the catalog" : m.how());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        ModelCosting.refreshTable(conn);
    }
}
