package dev.routeledger.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.routeledger.net.HttpFetcher;
import dev.routeledger.store.Workspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pull litellm} against a real HTTP server on loopback serving /spend/logs/v2 pages, errors, slow and malformed pages. */
class LiteLlmPullTest {
    static final String KEY = "sk-test-9f8e7d6c5b4a-secret";
    @TempDir Path dir;
    MockWebServer server;
    Path wsFile;
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    final LiteLlmPull pull = new LiteLlmPull(new HttpFetcher.Options(Duration.ofSeconds(2), Duration.ofMillis(700), 3, Duration.ofMillis(20), 1 << 20));
    static final Instant FROM = Instant.parse("2026-10-01T00:00:00Z");
    static final Instant TO = Instant.parse("2026-10-02T00:00:00Z");

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        wsFile = dir.resolve("ws.duckdb");
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    /** Page {@code page} of {@code pages}, each with 3 spend-log rows. */
    static String page(int page, int pages) {
        StringBuilder sb = new StringBuilder("{\"data\": [");
        for (int i = 0; i < 3; i++) {
            int n = (page - 1) * 3 + i;
            if (i > 0) sb.append(',');
            sb.append("{\"request_id\": \"req-").append(n).append("\", \"startTime\": \"2026-10-01T0").append(n % 10).append(":00:00.000Z\",")
                .append("\"endTime\": \"2026-10-01T0").append(n % 10).append(":00:01.000Z\", \"model\": \"gpt-4o-mini\", \"spend\": 0.001,")
                .append("\"prompt_tokens\": 100, \"completion_tokens\": 10, \"api_key\": \"hashed-").append(n).append("\", \"status\": \"success\"}");
        }
        return sb.append("], \"total\": ").append(pages * 3).append(", \"page\": ").append(page).append(", \"page_size\": 100, \"total_pages\": ")
            .append(pages).append('}').toString();
    }

    static int pageOf(RecordedRequest r) {
        return Integer.parseInt(r.getRequestUrl().queryParameter("page"));
    }

    long count(Workspace ws, String sql) throws Exception {
        try (Statement s = ws.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void pagesThroughRetriesAndNeverStoresTheKey() throws Exception {
        List<Integer> failedOnce = Collections.synchronizedList(new ArrayList<>());
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                if (!("Bearer " + KEY).equals(r.getHeader("Authorization"))) return new MockResponse().setResponseCode(401);
                int p = pageOf(r);
                if (p == 2 && !failedOnce.contains(2)) {
                    failedOnce.add(2);
                    return new MockResponse().setResponseCode(500);
                }
                if (p == 3 && !failedOnce.contains(3)) {
                    failedOnce.add(3);
                    return new MockResponse().setResponseCode(429).setHeader("Retry-After", "0");
                }
                return new MockResponse().setBody(page(p, 3));
            }
        });
        try (Workspace ws = Workspace.open(wsFile)) {
            LiteLlmPull.Outcome o = pull.run(ws, new LiteLlmPull.Request(server.url("/").toString(), KEY, FROM, TO), progress::add);
            assertThat(o.pages()).isEqualTo(3);
            assertThat(o.records()).isEqualTo(9);
            assertThat(o.imported().rowsLoaded()).isEqualTo(9);
            assertThat(o.imported().format()).isEqualTo("litellm");
            assertThat(count(ws, "SELECT count(*) FROM calls")).isEqualTo(9);
            assertThat(progress).anyMatch(p -> p.contains("HTTP 500")).anyMatch(p -> p.contains("page 3 of 3"));
        }
        RecordedRequest first = server.takeRequest();
        assertThat(first.getPath()).startsWith("/spend/logs/v2?");
        assertThat(first.getRequestUrl().queryParameter("start_date")).isEqualTo("2026-10-01 00:00:00");
        assertThat(first.getRequestUrl().queryParameter("end_date")).isEqualTo("2026-10-02 00:00:00");
        // the key is in no byte of the workspace (DuckDB's file and its WAL) and in no message
        for (Path f : Files.list(dir).toList()) {
            assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(KEY);
        }
        assertThat(progress).noneMatch(p -> p.contains(KEY));
    }

    @Test
    void resumesFromTheLastPulledTimeAndAddsOnlyWhatIsNew() throws Exception {
        List<String> starts = Collections.synchronizedList(new ArrayList<>());
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                starts.add(r.getRequestUrl().queryParameter("start_date"));
                return new MockResponse().setBody(page(pageOf(r), 2));
            }
        });
        try (Workspace ws = Workspace.open(wsFile)) {
            pull.run(ws, new LiteLlmPull.Request(server.url("/").toString(), KEY, FROM, TO), progress::add);
            LiteLlmPull.Outcome again = pull.run(ws, new LiteLlmPull.Request(server.url("/").toString(), KEY, null, TO), progress::add);
            // the newest pulled call started at 05:00; the resumed pull asks from an hour before it
            assertThat(again.from()).isEqualTo(Instant.parse("2026-10-01T04:00:00Z"));
            assertThat(starts.get(starts.size() - 1)).isEqualTo("2026-10-01 04:00:00");
            assertThat(again.imported().rowsLoaded()).isZero();
            assertThat(again.imported().rowsDuplicate()).isEqualTo(6);
            assertThat(count(ws, "SELECT count(*) FROM calls")).isEqualTo(6);
        }
    }

    @Test
    void aMalformedPageImportsNothing() throws Exception {
        server.enqueue(new MockResponse().setBody(page(1, 2)));
        server.enqueue(new MockResponse().setBody("{\"data\": [{\"request_id\": \"x\", "));
        try (Workspace ws = Workspace.open(wsFile)) {
            assertThatThrownBy(() -> pull.run(ws, new LiteLlmPull.Request(server.url("/").toString(), KEY, FROM, TO), progress::add))
                .isInstanceOf(PullException.class).hasMessageContaining("page 2").hasMessageContaining("nothing was imported");
            assertThat(count(ws, "SELECT count(*) FROM calls")).isZero();
            assertThat(count(ws, "SELECT count(*) FROM import_batches")).isZero();
        }
        server.enqueue(new MockResponse().setBody("{\"detail\": \"not found\"}"));
        try (Workspace ws = Workspace.open(wsFile)) {
            assertThatThrownBy(() -> pull.run(ws, new LiteLlmPull.Request(server.url("/").toString(), KEY, FROM, TO), progress::add))
                .isInstanceOf(PullException.class).hasMessageContaining("no 'data' list");
        }
    }

    @Test
    void slowResponsesTimeOutAndARefusedKeyIsSaidPlainly() throws Exception {
        for (int i = 0; i < 3; i++) server.enqueue(new MockResponse().setBody(page(1, 1)).setHeadersDelay(2, TimeUnit.SECONDS));
        try (Workspace ws = Workspace.open(wsFile)) {
            assertThatThrownBy(() -> pull.run(ws, new LiteLlmPull.Request(server.url("/").toString(), KEY, FROM, TO), progress::add))
                .isInstanceOf(PullException.class).hasMessageContaining("timeout").satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
            server.enqueue(new MockResponse().setResponseCode(401));
            assertThatThrownBy(() -> pull.run(ws, new LiteLlmPull.Request(server.url("/").toString(), KEY, FROM, TO), progress::add))
                .isInstanceOf(PullException.class).hasMessageContaining("401").hasMessageContaining("refused")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
            assertThat(count(ws, "SELECT count(*) FROM calls")).isZero();
        }
    }
}
