package dev.routeledger.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.routeledger.ingest.Importer;
import dev.routeledger.sample.SampleGenerator;
import dev.routeledger.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Power users on a population built by hand, and the planted power user of the sample. */
class PowerUsersTest {
    @TempDir Path dir;

    @Test
    void sharesParetoPositionsAndTheRepeatEvidence() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int u = 0; u < 99; u++) {
            lines.add("{\"request_id\":\"u" + u + "\",\"timestamp\":\"2026-10-02T10:00:00Z\",\"user_id\":\"user-" + u
                + "\",\"model\":\"groq/llama-3.3-70b-versatile\",\"tier\":1,\"cost_usd\":1.0,\"prompt_hash\":\"p" + u + "\"}");
        }
        // the heavy user: the same prompt in 10 traces on the frontier tier, $5 each
        for (int i = 0; i < 10; i++) {
            lines.add("{\"request_id\":\"big" + i + "\",\"trace_id\":\"bt" + i + "\",\"timestamp\":\"2026-10-02T1" + i / 10 + ":0" + i
                + ":00Z\",\"user_id\":\"heavy\",\"model\":\"gpt-4o\",\"tier\":3,\"cost_usd\":5.0,\"prompt_hash\":\"same\","
                + "\"prompt_tokens\":1000,\"completion_tokens\":100}");
        }
        Path log = dir.resolve("users.jsonl");
        Files.writeString(log, String.join("\n", lines) + "\n");
        try (Workspace ws = Workspace.open(dir.resolve("ws.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            PowerUsers.Result r = PowerUsers.run(ws.connection(), Filter.ALL, 5);
            assertThat(r.userCount()).isEqualTo(100);
            assertThat(r.totalCostUsd()).isCloseTo(149, within(1e-9));
            assertThat(r.top1PctShare()).isCloseTo(50 / 149.0, within(1e-12));
            assertThat(r.top10PctShare()).isCloseTo(59 / 149.0, within(1e-12)); // heavy + 9 users at $1
            PowerUsers.User heavy = r.users().get(0);
            assertThat(heavy.userId()).isEqualTo("heavy");
            assertThat(heavy.share()).isCloseTo(50 / 149.0, within(1e-12));
            assertThat(heavy.cumulativeShare()).isCloseTo(50 / 149.0, within(1e-12));
            assertThat(r.users().get(1).cumulativeShare()).isCloseTo(51 / 149.0, within(1e-12));
            assertThat(heavy.flagged()).isTrue();
            assertThat(heavy.frontierShare()).isEqualTo(1.0);
            assertThat(heavy.repeatCalls()).isEqualTo(9); // the first trace with the prompt is not a repeat
            assertThat(heavy.repeatRatio()).isCloseTo(0.9, within(1e-12));
            assertThat(heavy.cacheSavingsUsd()).isCloseTo(45, within(1e-9));
            // the cheapest tier's model: 1000 × 5.9e-7 + 100 × 7.9e-7 per call
            assertThat(heavy.lowerTierSavingsUsd()).isCloseTo(9 * (5 - (1000 * 5.9e-7 + 100 * 7.9e-7)), within(1e-9));
            assertThat(heavy.reasons()).anyMatch(x -> x.contains("33.6 % of spend"))
                .anyMatch(x -> x.contains("frontier tier")).anyMatch(x -> x.contains("repeat a prompt"));
            assertThat(r.users().get(1).flagged()).isFalse(); // $1 like 98 others: no share, no outlier (MAD 0)
        }
    }

    @Test
    void thePlantedPowerUserOfTheSampleComesFirstWithTheRightReasons() throws Exception {
        Path log = dir.resolve("sample.jsonl");
        new SampleGenerator(new SampleGenerator.Config(8000, 31, 42, SampleGenerator.DEFAULT_START)).write(log);
        try (Workspace ws = Workspace.open(dir.resolve("s.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            PowerUsers.Result r = PowerUsers.run(ws.connection(), Filter.ALL, 10);
            PowerUsers.User first = r.users().get(0);
            assertThat(first.userId()).isEqualTo(SampleGenerator.POWER_USER);
            assertThat(first.flagged()).isTrue();
            assertThat(first.share()).isGreaterThan(PowerUsers.SHARE_THRESHOLD);
            assertThat(first.frontierShare()).isGreaterThan(0.9);
            assertThat(first.repeatRatio()).isGreaterThan(0.5);
            assertThat(first.reasons()).anyMatch(x -> x.contains("% of spend, in the top 1 %"))
                .anyMatch(x -> x.contains("frontier tier")).anyMatch(x -> x.contains("repeat a prompt"));
        }
    }
}
