package dev.routeledger.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.routeledger.ingest.Importer;
import dev.routeledger.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spend on repeated prompts within a window, on traces built by hand. */
class CacheOpportunityTest {
    @TempDir Path dir;

    static String call(String id, String trace, String ts, String user, String hash, double cost, boolean cacheHit) {
        return "{\"request_id\":\"" + id + "\",\"trace_id\":\"" + trace + "\",\"timestamp\":\"" + ts + "\",\"user_id\":\"" + user
            + "\",\"feature\":\"faq\",\"model\":\"gpt-4o\",\"prompt_hash\":\"" + hash + "\",\"cost_usd\":" + cost + ",\"cache_hit\":" + cacheHit + "}";
    }

    @Test
    void repeatsWithinTheWindowCountWithTheirWholeTrace() throws Exception {
        Path log = dir.resolve("c.jsonl");
        Files.writeString(log, String.join("\n",
            // a cascade: two calls with one prompt are one trace, not a repeat
            call("t1a", "t1", "2026-10-01T08:00:00Z", "ann", "h1", 1.0, false),
            call("t1b", "t1", "2026-10-01T08:00:05Z", "ann", "h1", 2.0, false),
            // an hour later, another user asks the same: a cache would have answered it (both its calls)
            call("t2a", "t2", "2026-10-01T09:00:00Z", "bob", "h1", 1.0, false),
            call("t2b", "t2", "2026-10-01T09:00:05Z", "bob", "h1", 2.0, false),
            // 29 hours after that: outside a 24-hour window
            call("t3", "t3", "2026-10-02T14:00:00Z", "bob", "h1", 3.0, false),
            // already served from the gateway's cache: no saving left
            call("t4", "t4", "2026-10-02T14:10:00Z", "ann", "h1", 0.0, true),
            call("t5", "t5", "2026-10-02T15:00:00Z", "ann", "h2", 5.0, false)) + "\n");
        try (Workspace ws = Workspace.open(dir.resolve("ws.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            CacheOpportunity.Result r = CacheOpportunity.run(ws.connection(), Filter.ALL, Duration.ofHours(24), 10);
            assertThat(r.traces()).isEqualTo(5);
            assertThat(r.repeatTraces()).isEqualTo(1);
            assertThat(r.repeatCostUsd()).isCloseTo(3.0, within(1e-12));
            assertThat(r.totalCostUsd()).isCloseTo(14.0, within(1e-12));
            assertThat(r.byUser()).extracting(CacheOpportunity.Group::name).containsExactly("bob");
            CacheOpportunity.Result wide = CacheOpportunity.run(ws.connection(), Filter.ALL, Duration.ofHours(48), 10);
            assertThat(wide.repeatTraces()).isEqualTo(2); // t3 now counts too
            assertThat(wide.repeatCostUsd()).isCloseTo(6.0, within(1e-12));
        }
    }
}
