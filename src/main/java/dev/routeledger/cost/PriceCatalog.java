package dev.routeledger.cost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The price catalog: LiteLLM's {@code model_prices_and_context_window.json}, a snapshot of which ships inside
 * the app (SPEC §4). It is parsed with Jackson and validated before it replaces the workspace's
 * {@code price_catalog} in one transaction, so a bad copy never replaces a good one.
 */
public final class PriceCatalog {
    public static final String BUNDLED = "model_prices_and_context_window.json";
    /** A real catalog has thousands of priced models; far fewer means a wrong or cut file. */
    static final int MIN_PRICED_MODELS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LONG_INPUT = Pattern.compile("input_cost_per_token_above_(\\d+)k_tokens");
    private static volatile List<CatalogEntry> bundled;

    private PriceCatalog() {}

    /** What a parse found: the entries, and how many keys were not usable models. */
    public record Parsed(List<CatalogEntry> entries, int skipped) {}

    /** Parses and validates catalog JSON; throws with a plain reason when it is not a usable catalog. */
    public static Parsed parse(byte[] json) throws CatalogException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CatalogException("not valid JSON (" + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new CatalogException("unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new CatalogException("not a JSON object of models");
        List<CatalogEntry> out = new ArrayList<>();
        int skipped = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (e.getKey().equals("sample_spec") || !v.isObject()) {
                skipped++;
                continue;
            }
            try {
                out.add(entry(e.getKey(), v));
            } catch (IllegalArgumentException bad) {
                skipped++;
            }
        }
        long priced = out.stream().filter(c -> c.inputPerToken() != null && c.outputPerToken() != null).count();
        if (priced < MIN_PRICED_MODELS) {
            throw new CatalogException("only " + priced + " models have input and output prices; a catalog has thousands");
        }
        return new Parsed(List.copyOf(out), skipped);
    }

    private static CatalogEntry entry(String key, JsonNode v) {
        Long threshold = null;
        for (Iterator<String> names = v.fieldNames(); names.hasNext(); ) {
            Matcher m = LONG_INPUT.matcher(names.next());
            if (m.matches()) {
                long t = Long.parseLong(m.group(1)) * 1000;
                if (threshold == null || t < threshold) threshold = t;
            }
        }
        String k = threshold == null ? null : (threshold / 1000) + "k_tokens";
        return new CatalogEntry(key, text(v, "litellm_provider"), text(v, "mode"), price(v, "input_cost_per_token"),
            price(v, "output_cost_per_token"), price(v, "cache_read_input_token_cost"), price(v, "cache_creation_input_token_cost"),
            threshold, k == null ? null : price(v, "input_cost_per_token_above_" + k), k == null ? null : price(v, "output_cost_per_token_above_" + k),
            k == null ? null : price(v, "cache_read_input_token_cost_above_" + k), count(v, "max_input_tokens"));
    }

    private static String text(JsonNode v, String key) {
        JsonNode n = v.get(key);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** A price: a finite number ≥ 0 (numbers written as strings are accepted), else the entry is unusable. */
    private static Double price(JsonNode v, String key) {
        JsonNode n = v.get(key);
        if (n == null || n.isNull()) return null;
        double d;
        if (n.isNumber()) d = n.asDouble();
        else if (n.isTextual()) {
            try {
                d = Double.parseDouble(n.asText().strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key);
            }
        } else throw new IllegalArgumentException(key);
        if (!Double.isFinite(d) || d < 0) throw new IllegalArgumentException(key);
        return d;
    }

    private static Long count(JsonNode v, String key) {
        JsonNode n = v.get(key);
        if (n == null || n.isNull()) return null;
        if (n.canConvertToLong()) return n.asLong();
        try {
            return Long.parseLong(n.asText().strip());
        } catch (NumberFormatException e) {
            return null; // a context size is informative; a bad one does not make the prices unusable
        }
    }

    /** The catalog shipped inside the app, parsed once per process. */
    public static List<CatalogEntry> bundled() {
        List<CatalogEntry> b = bundled;
        if (b == null) {
            try (InputStream in = PriceCatalog.class.getResourceAsStream(BUNDLED)) {
                if (in == null) throw new IllegalStateException("the bundled price catalog is missing from the build");
                b = parse(in.readAllBytes()).entries();
                bundled = b;
            } catch (IOException | CatalogException e) {
                throw new IllegalStateException("the bundled price catalog cannot be read: " + e.getMessage(), e);
            }
        }
        return b;
    }

    /** Fills an empty workspace catalog with the bundled one (a new or upgraded workspace). */
    public static void seedIfEmpty(Connection conn) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM price_catalog")) {
            rs.next();
            if (rs.getLong(1) > 0) return;
        }
        write(conn, bundled(), Map.of("source", "bundled snapshot of LiteLLM's " + BUNDLED, "loaded_at", Instant.now().toString()));
    }

    /**
     * Replaces the workspace's catalog and its description. The caller owns the transaction (a failure must
     * leave the old catalog); the model → catalog matches are recomputed with it.
     */
    public static void write(Connection conn, List<CatalogEntry> entries, Map<String, String> info) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute("DELETE FROM price_catalog");
            s.execute("DELETE FROM price_catalog_info");
        }
        try (DuckDBAppender app = ((DuckDBConnection) conn).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "price_catalog")) {
            for (CatalogEntry e : entries) {
                app.beginRow().append(e.modelKey());
                str(app, e.provider());
                str(app, e.mode());
                dbl(app, e.inputPerToken());
                dbl(app, e.outputPerToken());
                dbl(app, e.cacheReadPerToken());
                dbl(app, e.cacheWritePerToken());
                lng(app, e.longContextThreshold());
                dbl(app, e.inputPerTokenLong());
                dbl(app, e.outputPerTokenLong());
                dbl(app, e.cacheReadPerTokenLong());
                lng(app, e.maxInputTokens());
                app.endRow();
            }
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO price_catalog_info VALUES (?, ?)")) {
            for (Map.Entry<String, String> i : info.entrySet()) {
                ps.setString(1, i.getKey());
                ps.setString(2, i.getValue());
                ps.addBatch();
            }
            ps.setString(1, "models");
            ps.setString(2, Integer.toString(entries.size()));
            ps.addBatch();
            ps.executeBatch();
        }
        PriceMatches.refreshAll(conn);
    }

    private static void str(DuckDBAppender a, String v) throws SQLException {
        if (v == null) a.appendNull(); else a.append(v);
    }

    private static void dbl(DuckDBAppender a, Double v) throws SQLException {
        if (v == null) a.appendNull(); else a.append(v.doubleValue());
    }

    private static void lng(DuckDBAppender a, Long v) throws SQLException {
        if (v == null) a.appendNull(); else a.append(v.longValue());
    }
}
