package dev.routeledger.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.routeledger.analytics.Filter;
import dev.routeledger.ingest.Importer;
import dev.routeledger.policy.Policy;
import dev.routeledger.policy.PolicyFile;
import dev.routeledger.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {
    @TempDir Path dir;

    static final String TIERS = """
        routeledger_policy: 1
        name: %s
        tiers:
          - {name: fast, models: [groq/llama-3.3-70b-versatile]}
          - {name: mid, models: [gpt-4o-mini]}
          - {name: frontier, models: [gpt-4o]}
        """;

    static Policy policy(String name, String body) throws Exception {
        return PolicyFile.parse(TIERS.formatted(name) + body, name + ".yaml");
    }

    static List<Policy> policies() throws Exception {
        return List.of(
            policy("as-logged", "route: {strategy: threshold, thresholds: [0.4, 0.7], boundary_band: 0.05}\nescalate_on_failure: true\n"),
            policy("lower", "route: {strategy: threshold, thresholds: [0.55, 0.8], boundary_band: 0.0}\nescalate_on_failure: true\n"),
            policy("no-retry", "route: {strategy: threshold, thresholds: [0.3, 0.6], boundary_band: 0.02}\n"),
            policy("cascade", "route: {strategy: cascade, start_tier: 1, accept: {min_confidence: 0.6}, max_tier: 3}\n"),
            policy("cascade-2", "route: {strategy: cascade, start_tier: 1, accept: {min_confidence: 0.7}, max_tier: 2}\nescalate_on_failure: true\n"),
            policy("static", "route: {strategy: static, by_feature: {extract: 2}, default_tier: 1}\nescalate_on_failure: true\n"),
            policy("all-frontier", "route: {strategy: static, default_tier: 3}\n"));
    }

    @Test
    void withEveryTierObservedInEveryTraceTheReplayIsTheTruthExactly() throws Exception {
        ReplayWorld world = new ReplayWorld(3000, 7);
        Path log = world.write(dir.resolve("full.jsonl"), i -> true);
        try (Workspace ws = Workspace.open(dir.resolve("full.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            double[][] prices = ReplayWorld.prices(ws.connection());
            Replay replay = Replay.prepare(ws.connection(), Filter.ALL, policies().get(0));
            double actualCost = world.truth(policies().get(0), prices)[0];
            for (Policy p : policies()) {
                double[] truth = world.truth(p, prices);
                ReplayResult r = replay.run(p);
                assertThat(r.traces()).isEqualTo(3000);
                assertThat(r.exactShare()).as(p.name()).isEqualTo(1.0);
                assertThat(r.simulatedCostUsd()).as(p.name()).isCloseTo(truth[0], within(1e-9 * truth[0]));
                assertThat(r.simulatedSuccess()).as(p.name()).isCloseTo(truth[1], within(1e-12));
                assertThat(r.actualCostUsd()).isCloseTo(actualCost, within(1e-9 * actualCost));
                assertThat(r.savingsUsd()).isCloseTo(actualCost - truth[0], within(1e-9 * actualCost));
            }
        }
    }

    @Test
    void withPartialEvidenceTheTruthLiesWithinTheReplaysIntervals() throws Exception {
        ReplayWorld world = new ReplayWorld(8000, 11);
        // a quarter of the traces were shadow-tested at the other tiers; the rest only show what the gateway did
        Path log = world.write(dir.resolve("partial.jsonl"), i -> Math.floorMod(Long.hashCode(i * 0x9E3779B97F4A7C15L), 4) == 0);
        try (Workspace ws = Workspace.open(dir.resolve("partial.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            double[][] prices = ReplayWorld.prices(ws.connection());
            Replay replay = Replay.prepare(ws.connection(), Filter.ALL, policies().get(0));
            for (Policy p : policies()) {
                double[] truth = world.truth(p, prices);
                ReplayResult r = replay.run(p);
                assertThat(r.exactShare()).as(p.name()).isLessThanOrEqualTo(1.0);
                // (an interval of one point, as for the policy the gateway ran, holds its truth up to rounding)
                assertThat(r.actualCostUsd() - truth[0]).as(p.name() + " savings").isBetween(r.savingsCi()[0] - 1e-9, r.savingsCi()[1] + 1e-9);
                assertThat(truth[1]).as(p.name() + " success").isBetween(r.successCi()[0] - 1e-12, r.successCi()[1] + 1e-12);
            }
        }
    }

    @Test
    void replayingWhatTheSampleGatewayDidGivesBackItsCostAndSuccess() throws Exception {
        try (Workspace ws = Workspace.open(dir.resolve("sample.duckdb"))) {
            new Importer(ws, null).importFile(Path.of("sample-logs/acme-gateway-2026-10.jsonl.gz"), "auto");
            Policy asLogged = PolicyFile.load(Path.of("sample-logs/acme-gateway-policy.yaml"));
            ReplayResult r = Replay.prepare(ws.connection(), Filter.ALL, asLogged).run(asLogged);
            assertThat(r.traces()).isEqualTo(40_000);
            assertThat(r.exactShare()).isEqualTo(1.0);
            assertThat(r.simulatedCostUsd()).isCloseTo(r.actualCostUsd(), within(1e-9));
            assertThat(r.savingsUsd()).isCloseTo(0.0, within(1e-9));
            assertThat(r.simulatedSuccess()).isCloseTo(r.actualSuccess(), within(1e-12));
            assertThat(r.callsByTier().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(r.actualCallsByTier().stream().mapToLong(Long::longValue).sum(), within(1e-9));
            assertThat(r.latencyP50()).isCloseTo(r.actualLatencyP50(), within(1e-9));
        }
    }

    @Test
    void aCacheAnswersARepeatWithinItsTtlFromTheFirstWriteNotTheLastHit() throws Exception {
        // one prompt asked at 0, 10, 25 and 31 minutes; a 20-minute cache written at 0 answers 10; 25 is past the
        // entry (hits do not extend it) and writes anew, which answers 31
        StringBuilder sb = new StringBuilder();
        int[] minutes = {0, 10, 25, 31};
        for (int i = 0; i < minutes.length; i++) {
            sb.append("{\"request_id\":\"r").append(i).append("\",\"timestamp\":").append(1_790_000_000_000L + minutes[i] * 60_000L)
                .append(",\"model\":\"gpt-4o\",\"tier\":3,\"prompt_hash\":\"same\",\"prompt_tokens\":1000,\"completion_tokens\":100,\"cost_usd\":0.01,\"quality\":")
                .append(i == 0 ? 1.0 : 0.0).append("}\n");
        }
        sb.append("{\"request_id\":\"x\",\"timestamp\":1790000000000,\"model\":\"gpt-4o-mini\",\"tier\":2,\"prompt_tokens\":10,\"completion_tokens\":10,\"cost_usd\":0.001}\n");
        sb.append("{\"request_id\":\"y\",\"timestamp\":1790000000000,\"model\":\"groq/llama-3.3-70b-versatile\",\"tier\":1,\"prompt_tokens\":10,\"completion_tokens\":10,\"cost_usd\":0.001}\n");
        Path log = Files.writeString(dir.resolve("cache.jsonl"), sb);
        try (Workspace ws = Workspace.open(dir.resolve("cache.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            Policy cached = policy("cached", "route: {strategy: static, default_tier: 3}\ncache: {exact_match: true, ttl_minutes: 20}\n");
            Policy uncached = policy("uncached", "route: {strategy: static, default_tier: 3}\n");
            Replay replay = Replay.prepare(ws.connection(), Filter.ALL, cached);
            ReplayResult c = replay.run(cached);
            ReplayResult u = replay.run(uncached);
            assertThat(c.cacheHits()).isEqualTo(2);
            assertThat(u.cacheHits()).isEqualTo(0);
            assertThat(u.simulatedCostUsd() - c.simulatedCostUsd()).isCloseTo(0.02, within(1e-12));
            // r1 takes r0's answer (a success), r3 takes r2's (a failure): 2 of the 4 repeats succeed, not 1
            assertThat(c.simulatedSuccess() - u.simulatedSuccess()).isCloseTo(1.0 / 6, within(1e-9));
        }
    }

    @Test
    void aPromptLongerThanATiersContextWindowGoesUp() throws Exception {
        // gpt-4o-mini's catalog window is 128k tokens, Nova 2 Lite's 1M: a 200k-token prompt goes to the second
        String line = "{\"request_id\":\"%s\",\"trace_id\":\"%s\",\"timestamp\":1790000000000,\"model\":\"%s\",\"tier\":%d,\"prompt_tokens\":%d,"
            + "\"completion_tokens\":100,\"quality\":1.0,\"shadow\":%s}\n";
        StringBuilder sb = new StringBuilder();
        sb.append(line.formatted("big", "big", "gpt-4o-mini", 2, 200_000, false));
        sb.append(line.formatted("big-s", "big", "amazon.nova-2-lite-v1:0", 3, 200_000, true));
        sb.append(line.formatted("small", "small", "gpt-4o-mini", 2, 1_000, false));
        sb.append(line.formatted("small-s", "small", "amazon.nova-2-lite-v1:0", 3, 1_000, true));
        Path log = Files.writeString(dir.resolve("ctx.jsonl"), sb);
        try (Workspace ws = Workspace.open(dir.resolve("ctx.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            String tiers = """
                routeledger_policy: 1
                name: %s
                tiers:
                  - {name: mid, models: [gpt-4o-mini]}
                  - {name: long, models: [amazon.nova-2-lite-v1:0]}
                route: {strategy: static, default_tier: 1}
                context_window: %s
                """;
            Policy on = PolicyFile.parse(tiers.formatted("window-on", "true"), "on.yaml");
            Policy off = PolicyFile.parse(tiers.formatted("window-off", "false"), "off.yaml");
            Replay replay = Replay.prepare(ws.connection(), Filter.ALL, on);
            assertThat(replay.run(on).callsByTier()).containsExactly(1.0, 1.0);
            assertThat(replay.run(off).callsByTier()).containsExactly(2.0, 0.0);
        }
    }

    @Test
    void aTierWithNoObservedCallsIsRefusedWithWhatToDo() throws Exception {
        Path log = Files.writeString(dir.resolve("one.jsonl"),
            "{\"request_id\":\"a\",\"timestamp\":1790000000000,\"model\":\"mistral-small\",\"tier\":1,\"prompt_tokens\":10,\"completion_tokens\":10}\n");
        try (Workspace ws = Workspace.open(dir.resolve("one.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            Policy p = policies().get(0);
            assertThatThrownBy(() -> Replay.prepare(ws.connection(), Filter.ALL, p))
                .isInstanceOf(ReplayException.class).hasMessageContaining("tier 2").hasMessageContaining("no observed calls");
            assertThatThrownBy(() -> Replay.prepare(ws.connection(), new Filter(null, null, List.of(), List.of(), List.of(), List.of("1"), List.of(), List.of(), false), p))
                .isInstanceOf(ReplayException.class).hasMessageContaining("whole traces");
        }
    }
}
