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

    @Test
    void theRepeatsFollowLaterImportsAndLookPastTheViewsFilter() throws Exception {
        Path first = dir.resolve("first.jsonl");
        Files.writeString(first, String.join("\n",
            call("a1", "a1", "2026-10-01T08:00:00Z", "ann", "h1", 1.0, false),
            call("b1", "b1", "2026-10-01T10:00:00Z", "bob", "h9", 4.0, false)) + "\n");
        Path second = dir.resolve("second.jsonl");
        Files.writeString(second, String.join("\n",
            // bob repeats ann's prompt two hours later; ann her own the next morning (within 24 hours)
            call("b2", "b2", "2026-10-01T10:00:00Z", "bob", "h1", 2.0, false),
            call("a2", "a2", "2026-10-02T07:00:00Z", "ann", "h1", 3.0, false)) + "\n");
        try (Workspace ws = Workspace.open(dir.resolve("ws.duckdb"))) {
            Importer importer = new Importer(ws, null);
            importer.importFile(first, "auto");
            assertThat(CacheOpportunity.run(ws.connection(), Filter.ALL, Duration.ofHours(24), 10).repeatTraces()).isZero();
            // a later import: the stored repeats are rebuilt
            importer.importFile(second, "auto");
            CacheOpportunity.Result all = CacheOpportunity.run(ws.connection(), Filter.ALL, Duration.ofHours(24), 10);
            assertThat(all.repeatTraces()).isEqualTo(2);
            assertThat(all.repeatCostUsd()).isCloseTo(5.0, within(1e-12));
            // viewed for bob alone, his repeat of ann's prompt still counts: the cache serves every user
            Filter bob = new Filter(null, null, java.util.List.of("bob"), java.util.List.of(), java.util.List.of(), java.util.List.of(),
                java.util.List.of(), java.util.List.of(), false);
            CacheOpportunity.Result forBob = CacheOpportunity.run(ws.connection(), bob, Duration.ofHours(24), 10);
            assertThat(forBob.repeatTraces()).isEqualTo(1);
            assertThat(forBob.repeatCostUsd()).isCloseTo(2.0, within(1e-12));
            assertThat(forBob.totalCostUsd()).isCloseTo(6.0, within(1e-12));
            // and on the second day alone, ann's repeat of the day before counts
            CacheOpportunity.Result day2 = CacheOpportunity.run(ws.connection(), Filter.ALL.month("2026-10")
                .withRange(java.time.LocalDateTime.parse("2026-10-02T00:00:00"), java.time.LocalDateTime.parse("2026-10-03T00:00:00")),
                Duration.ofHours(24), 10);
            assertThat(day2.repeatTraces()).isEqualTo(1);
            assertThat(day2.repeatCostUsd()).isCloseTo(3.0, within(1e-12));
            // a scope with no calls costs $0, not NaN (which the JSON output would print as a string)
            CacheOpportunity.Result none = CacheOpportunity.run(ws.connection(), Filter.ALL.month("2031-01"), Duration.ofHours(24), 10);
            assertThat(none.traces()).isZero();
            assertThat(none.totalCostUsd()).isEqualTo(0.0);
        }
    }
}
