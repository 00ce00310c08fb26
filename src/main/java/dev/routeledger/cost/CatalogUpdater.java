package dev.routeledger.cost;

import dev.routeledger.net.FetchException;
import dev.routeledger.net.HttpFetcher;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import okhttp3.HttpUrl;

/**
 * {@code prices --update URL}: fetches a newer catalog (conditional GET against the last copy's ETag and
 * Last-Modified), validates it whole, and only then swaps it in, in one transaction. A failed or malformed
 * download leaves the workspace's catalog as it was and says why.
 */
public final class CatalogUpdater {
    /** LiteLLM's catalog is under 2 MB; 32 MB leaves room to grow and stops a wrong URL from filling memory. */
    public static final long MAX_BYTES = 32L << 20;
    public static final String LITELLM_URL = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json";
    private final HttpFetcher.Options options;

    public CatalogUpdater() {
        this(HttpFetcher.Options.defaults(MAX_BYTES));
    }

    public CatalogUpdater(HttpFetcher.Options options) {
        this.options = options;
    }

    public record Outcome(boolean changed, int models, String message) {}

    public Outcome update(Connection conn, String url, Consumer<String> progress) throws CatalogException, SQLException {
        HttpUrl u;
        try {
            u = HttpFetcher.checkUrl(url);
        } catch (FetchException e) {
            throw new CatalogException(e.getMessage());
        }
        Map<String, String> info = info(conn);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (u.toString().equals(info.get("source"))) {
            headers.put("If-None-Match", info.get("etag"));
            headers.put("If-Modified-Since", info.get("last_modified"));
        }
        progress.accept("downloading " + u);
        HttpFetcher.Reply reply;
        try {
            reply = new HttpFetcher(options).get(u, headers, progress);
        } catch (FetchException e) {
            throw new CatalogException(e.getMessage());
        }
        if (reply.code() == 304) {
            return new Outcome(false, Integer.parseInt(info.getOrDefault("models", "0")), "The catalog at " + u + " has not changed; nothing to do.");
        }
        PriceCatalog.Parsed parsed;
        try {
            parsed = PriceCatalog.parse(reply.body());
        } catch (CatalogException e) {
            throw new CatalogException("the download from " + u + " is not a price catalog: " + e.getMessage());
        }
        Map<String, String> newInfo = new LinkedHashMap<>();
        newInfo.put("source", u.toString());
        newInfo.put("loaded_at", Instant.now().toString());
        if (reply.etag() != null) newInfo.put("etag", reply.etag());
        if (reply.lastModified() != null) newInfo.put("last_modified", reply.lastModified());
        newInfo.put("sha256", sha256(reply.body()));
        boolean auto = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try {
            PriceCatalog.write(conn, parsed.entries(), newInfo);
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(auto);
        }
        return new Outcome(true, parsed.entries().size(), "Price catalog updated from " + u + ": " + parsed.entries().size() + " models"
            + (parsed.skipped() > 0 ? " (" + parsed.skipped() + " entries without usable prices skipped)" : "") + ".");
    }

    /** What the workspace records of its price catalog: source, models, loaded_at and, after a refresh, its digest. */
    public static Map<String, String> info(Connection conn) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT key, value FROM price_catalog_info")) {
            while (rs.next()) out.put(rs.getString(1), rs.getString(2));
        }
        return out;
    }

    /** The catalog in one line for people: where it came from, how many models, when it was loaded (UTC, to the minute). */
    public static String describe(Map<String, String> info) {
        String loaded = info.getOrDefault("loaded_at", "?");
        try {
            loaded = java.time.Instant.parse(loaded).atOffset(java.time.ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")) + " UTC";
        } catch (java.time.format.DateTimeParseException e) {
            // kept as recorded
        }
        String models = info.getOrDefault("models", "?");
        try {
            models = String.format(java.util.Locale.US, "%,d", Long.parseLong(models));
        } catch (NumberFormatException e) {
            // kept as recorded
        }
        return info.getOrDefault("source", "?") + ", " + models + " models, loaded " + loaded;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
