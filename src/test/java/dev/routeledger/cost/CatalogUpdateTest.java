package dev.routeledger.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.routeledger.net.HttpFetcher;
import dev.routeledger.store.Workspace;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prices --update} against a real HTTP server on loopback: conditional GET, retries, and faults that change nothing. */
class CatalogUpdateTest {
    @TempDir Path dir;
    MockWebServer server;
    Workspace ws;
    final List<String> progress = new ArrayList<>();
    final CatalogUpdater updater = new CatalogUpdater(new HttpFetcher.Options(Duration.ofSeconds(2), Duration.ofMillis(500), 3,
        Duration.ofMillis(20), 1 << 20));

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        ws = Workspace.open(dir.resolve("ws.duckdb"));
    }

    @AfterEach
    void stop() throws Exception {
        ws.close();
        server.shutdown();
    }

    /** A small but valid catalog: {@code n} models, model-0 at $1/$2 per Mtok. */
    static String catalog(int n) {
        StringBuilder sb = new StringBuilder("{\"sample_spec\": {\"input_cost_per_token\": 0}");
        for (int i = 0; i < n; i++) {
            sb.append(",\"model-").append(i).append("\": {\"input_cost_per_token\": ").append((i + 1) * 1e-6)
                .append(", \"output_cost_per_token\": ").append((i + 1) * 2e-6).append(", \"litellm_provider\": \"test\", \"max_input_tokens\": 8192}");
        }
        return sb.append('}').toString();
    }

    long models() throws Exception {
        try (Statement s = ws.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM price_catalog")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String url() {
        return server.url("/model_prices_and_context_window.json").toString();
    }

    @Test
    void downloadsValidatesAndThenAsksOnlyWhetherItChanged() throws Exception {
        long bundled = models();
        assertThat(bundled).isGreaterThan(2000);
        server.enqueue(new MockResponse().setBody(catalog(60)).setHeader("ETag", "\"v1\""));
        CatalogUpdater.Outcome o = updater.update(ws.connection(), url(), progress::add);
        assertThat(o.changed()).isTrue();
        assertThat(models()).isEqualTo(60);
        assertThat(CatalogUpdater.info(ws.connection())).containsEntry("etag", "\"v1\"").containsEntry("source", url());
        // in one line for people: source, model count, load time to the minute in UTC (not an ISO instant with nanoseconds)
        assertThat(CatalogUpdater.describe(CatalogUpdater.info(ws.connection()))).matches(java.util.regex.Pattern.quote(url())
            + ", 60 models, loaded \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC");
        assertThat(CatalogUpdater.describe(java.util.Map.of("source", "s", "models", "2983", "loaded_at", "2026-11-24T18:35:56.360414327Z")))
            .isEqualTo("s, 2,983 models, loaded 2026-11-24 18:35 UTC");
        server.takeRequest();
        server.enqueue(new MockResponse().setResponseCode(304));
        CatalogUpdater.Outcome again = updater.update(ws.connection(), url(), progress::add);
        assertThat(again.changed()).isFalse();
        RecordedRequest conditional = server.takeRequest();
        assertThat(conditional.getHeader("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(models()).isEqualTo(60);
    }

    @Test
    void retriesServerErrorsAndRateLimitsWithBackoff() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "0"));
        server.enqueue(new MockResponse().setBody(catalog(55)));
        assertThat(updater.update(ws.connection(), url(), progress::add).models()).isEqualTo(55);
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(progress).anyMatch(p -> p.contains("HTTP 503") && p.contains("retrying"));
    }

    @Test
    void aMalformedDownloadChangesNothingAndSaysWhy() throws Exception {
        long before = models();
        server.enqueue(new MockResponse().setBody("{\"gpt-4o\": {\"input_cost_per_token\": 2.5e-6,"));
        assertThatThrownBy(() -> updater.update(ws.connection(), url(), progress::add))
            .isInstanceOf(CatalogException.class).hasMessageContaining("not valid JSON");
        server.enqueue(new MockResponse().setBody("<html>Rate limited</html>"));
        assertThatThrownBy(() -> updater.update(ws.connection(), url(), progress::add)).isInstanceOf(CatalogException.class);
        server.enqueue(new MockResponse().setBody(catalog(3)));
        assertThatThrownBy(() -> updater.update(ws.connection(), url(), progress::add))
            .isInstanceOf(CatalogException.class).hasMessageContaining("only 3 models");
        assertThat(models()).isEqualTo(before);
    }

    @Test
    void slowOversizedAndMissingDownloadsChangeNothing() throws Exception {
        long before = models();
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setBody(catalog(60)).setHeadersDelay(2, TimeUnit.SECONDS));
        }
        assertThatThrownBy(() -> updater.update(ws.connection(), url(), progress::add))
            .isInstanceOf(CatalogException.class).hasMessageContaining("timeout");
        server.enqueue(new MockResponse().setBody(catalog(20_000)));
        assertThatThrownBy(() -> updater.update(ws.connection(), url(), progress::add))
            .isInstanceOf(CatalogException.class).hasMessageContaining("limit");
        server.enqueue(new MockResponse().setResponseCode(404));
        assertThatThrownBy(() -> updater.update(ws.connection(), url(), progress::add))
            .isInstanceOf(CatalogException.class).hasMessageContaining("404");
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        assertThatThrownBy(() -> updater.update(ws.connection(), url(), progress::add)).isInstanceOf(CatalogException.class);
        assertThat(models()).isEqualTo(before);
    }

    @Test
    void plainHttpIsRefusedExceptToThisMachine() {
        assertThatThrownBy(() -> updater.update(ws.connection(), "http://prices.example.com/catalog.json", progress::add))
            .isInstanceOf(CatalogException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> updater.update(ws.connection(), "ftp://x", progress::add)).isInstanceOf(CatalogException.class);
    }
}
