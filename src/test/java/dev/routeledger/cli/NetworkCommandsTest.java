package dev.routeledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pull} and {@code prices --update} as a user runs them, against a real HTTP server on loopback. */
class NetworkCommandsTest {
    @TempDir Path dir;
    MockWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    /** The CLI in its own process, so that the API key comes from a real environment variable. */
    @Test
    void pullTakesTheKeyFromTheEnvironmentAndReportsWhatItLoaded() throws Exception {
        server.enqueue(new MockResponse().setBody("{\"data\": [{\"request_id\": \"p1\", \"startTime\": \"2026-10-03 09:00:00\","
            + " \"model\": \"gpt-4o\", \"spend\": 0.01, \"api_key\": \"h\", \"end_user\": \"cust-1\"}], \"total\": 1, \"page\": 1,"
            + " \"page_size\": 100, \"total_pages\": 1}"));
        Path ws = dir.resolve("ws.duckdb");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
            System.getProperty("java.class.path"), "dev.routeledger.Main", "pull", "litellm", "--url", server.url("/").toString(),
            "--api-key-env", "RL_TEST_LITELLM_KEY", "--from", "2026-10-01", "--to", "2026-10-05", "--workspace", ws.toString(), "--json");
        pb.environment().put("RL_TEST_LITELLM_KEY", "sk-env-key-123");
        pb.redirectError(dir.resolve("err.txt").toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("err.txt"))).isZero();
        JsonNode n = Output.JSON.readTree(out);
        assertThat(n.get("records").asLong()).isEqualTo(1);
        assertThat(n.get("rows_loaded").asLong()).isEqualTo(1);
        RecordedRequest r = server.takeRequest();
        assertThat(r.getHeader("Authorization")).isEqualTo("Bearer sk-env-key-123");
        assertThat(r.getRequestUrl().queryParameter("start_date")).isEqualTo("2026-10-01 00:00:00");
        assertThat(Files.readString(dir.resolve("err.txt"))).contains("page 1 of 1").doesNotContain("sk-env-key-123");
    }

    @Test
    void pricesUpdateSaysWhyAFailedDownloadChangedNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String ws = dir.resolve("ws.duckdb").toString();
        server.enqueue(new MockResponse().setBody("[1, 2, 3]"));
        int code = new Cli().run(List.of("prices", "--workspace", ws, "--update", server.url("/prices.json").toString(), "--json")
            .toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not updated").contains("not a JSON object");
        out.reset();
        assertThat(new Cli().run(new String[] {"prices", "--workspace", ws, "--json"}, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))).isZero();
        assertThat(Output.JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("catalog").get("source").asText()).contains("bundled");
    }
}
