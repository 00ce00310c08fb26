package dev.routeledger.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routeledger.ingest.ImportException;
import dev.routeledger.ingest.ImportResult;
import dev.routeledger.ingest.Importer;
import dev.routeledger.net.FetchException;
import dev.routeledger.net.HttpFetcher;
import dev.routeledger.store.Workspace;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Consumer;
import okhttp3.HttpUrl;

/**
 * {@code pull litellm}: pages through a LiteLLM proxy's {@code GET /spend/logs/v2} into the workspace. Every page
 * is fetched (with retries and timeouts) before anything is written; the records then load as one import batch
 * through the LiteLLM format, so a failed pull changes nothing and a repeated one adds only what is new. The
 * next pull without {@code --from} resumes at the last record's time. The API key travels only in the
 * Authorization header: it is never written to the workspace, the temporary file or any message.
 */
public final class LiteLlmPull {
    public static final int PAGE_SIZE = 100;
    static final Duration RESUME_OVERLAP = Duration.ofHours(1);
    static final int MAX_PAGES = 1_000_000;
    /** A page of 100 spend-log rows is well under a megabyte; 64 MB is a wrong endpoint, not a page. */
    static final long MAX_PAGE_BYTES = 64L << 20;
    private static final DateTimeFormatter LITELLM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpFetcher.Options options;

    public LiteLlmPull() {
        this(new HttpFetcher.Options(Duration.ofSeconds(10), Duration.ofSeconds(120), 5, Duration.ofSeconds(1), MAX_PAGE_BYTES));
    }

    public LiteLlmPull(HttpFetcher.Options options) {
        this.options = options;
    }

    /** @param from null: resume where the last pull from this URL ended (or 30 days back the first time) */
    public record Request(String url, String apiKey, Instant from, Instant to) {}

    public record Outcome(int pages, long records, Instant from, Instant to, ImportResult imported) {}

    public Outcome run(Workspace ws, Request req, Consumer<String> progress) throws PullException {
        HttpUrl base;
        try {
            base = HttpFetcher.checkUrl(req.url());
        } catch (FetchException e) {
            throw new PullException(e.getMessage());
        }
        String source = base.newBuilder().query(null).fragment(null).build().toString().replaceAll("/+$", "");
        Instant to = req.to() != null ? req.to() : Instant.now();
        Instant from = req.from() != null ? req.from() : resumeFrom(ws.connection(), source, to);
        if (!from.isBefore(to)) throw new PullException("--from (" + from + ") must be before --to (" + to + ")");
        HttpUrl endpoint = HttpUrl.parse(source + "/spend/logs/v2");
        if (endpoint == null) throw new PullException("'" + req.url() + "' is not a usable base URL");
        HttpFetcher fetcher = new HttpFetcher(options);
        Map<String, String> headers = Map.of("Authorization", "Bearer " + req.apiKey(), "Accept", "application/json");
        Path tmp = null;
        try {
            tmp = Files.createTempFile("routeledger-pull-", ".jsonl");
            long records = 0;
            int pages = 0;
            Integer totalPages = null;
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (int page = 1; page <= MAX_PAGES; page++) {
                    HttpUrl url = endpoint.newBuilder()
                        .addQueryParameter("start_date", LITELLM_TIME.format(from.atOffset(ZoneOffset.UTC)))
                        .addQueryParameter("end_date", LITELLM_TIME.format(to.atOffset(ZoneOffset.UTC)))
                        .addQueryParameter("page", Integer.toString(page))
                        .addQueryParameter("page_size", Integer.toString(PAGE_SIZE)).build();
                    HttpFetcher.Reply reply = fetcher.get(url, headers, progress);
                    JsonNode root;
                    try {
                        root = JSON.readTree(reply.body());
                    } catch (IOException e) {
                        throw new PullException("page " + page + " from " + source + " is not valid JSON; nothing was imported");
                    }
                    if (root == null || !root.isObject() || !root.path("data").isArray()) {
                        throw new PullException("page " + page + " from " + source + " is not a /spend/logs/v2 page (no 'data' list);"
                            + " nothing was imported");
                    }
                    pages++;
                    for (JsonNode rec : root.get("data")) {
                        w.write(JSON.writeValueAsString(rec));
                        w.write('\n');
                        records++;
                    }
                    if (root.hasNonNull("total_pages")) totalPages = root.get("total_pages").asInt();
                    progress.accept("page " + page + (totalPages != null ? " of " + totalPages : "") + ": " + records + " records so far");
                    if (root.get("data").isEmpty() || (totalPages != null && page >= totalPages)) break;
                    if (Thread.currentThread().isInterrupted()) throw new PullException("cancelled; nothing was imported");
                }
            }
            if (records == 0) {
                progress.accept("no spend logs between " + from + " and " + to);
                saveState(ws.connection(), source, to);
                return new Outcome(pages, 0, from, to, null);
            }
            ImportResult imported = new Importer(ws, null).importFile(tmp, "litellm", null, source + "/spend/logs/v2 (" + from + " to " + to + ")");
            saveState(ws.connection(), source, to);
            progress.accept("imported " + imported.rowsLoaded() + " new calls (" + imported.rowsDuplicate() + " already in the workspace)");
            return new Outcome(pages, records, from, to, imported);
        } catch (FetchException e) {
            throw new PullException(e.getMessage() + "; nothing was imported");
        } catch (ImportException e) {
            throw new PullException(e.getMessage());
        } catch (IOException e) {
            throw new PullException("cannot write the temporary page file: " + e.getMessage());
        } catch (SQLException e) {
            throw new PullException("the calls were imported but the resume point was not saved: " + Workspace.firstLine(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temp file; the OS cleans its temp folder
                }
            }
        }
    }

    /**
     * Where a pull without --from starts: an hour before the newest call pulled from this URL (LiteLLM writes
     * spend logs in batches, so a late row may carry an earlier time; the overlap loads as duplicates), else where
     * the last pull ended, else 30 days before {@code to}.
     */
    static Instant resumeFrom(Connection conn, String source, Instant to) throws PullException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT max(ts) FROM calls WHERE batch_id IN"
                + " (SELECT batch_id FROM import_batches WHERE starts_with(path, ?))")) {
            ps.setString(1, source + "/spend/logs/v2");
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getTimestamp(1) != null) return toInstant(rs.getTimestamp(1)).minus(RESUME_OVERLAP);
            }
            try (PreparedStatement st = conn.prepareStatement("SELECT last_time FROM pull_state WHERE source = 'litellm' AND url = ?")) {
                st.setString(1, source);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) return toInstant(rs.getTimestamp(1)).minus(RESUME_OVERLAP);
                }
            }
            return to.minus(Duration.ofDays(30));
        } catch (SQLException e) {
            throw new PullException("cannot read where the last pull ended: " + Workspace.firstLine(e));
        }
    }

    private static Instant toInstant(Timestamp t) {
        LocalDateTime ldt = t.toLocalDateTime(); // the workspace stores UTC wall time
        return ldt.toInstant(ZoneOffset.UTC);
    }

    private static void saveState(Connection conn, String source, Instant to) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT OR REPLACE INTO pull_state VALUES ('litellm', ?, ?, ?)")) {
            ps.setString(1, source);
            ps.setTimestamp(2, Timestamp.valueOf(LocalDateTime.ofInstant(to, ZoneOffset.UTC)));
            ps.setTimestamp(3, Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC)));
            ps.executeUpdate();
        }
    }
}
