package dev.routeledger.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.routeledger.ingest.Importer;
import dev.routeledger.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over-escalated routes on a log built by hand: one route whose lower tier demonstrably sufficed, one whose lower
 * tier demonstrably failed, and one with a little shadow evidence — not enough to flag it.
 */
class EscalationsTest {
    @TempDir Path dir;

    static String call(String id, String trace, int second, int tier, int routed, double score, String reason, String validation,
                       double cost, boolean shadow) {
        return "{\"request_id\":\"" + id + "\",\"trace_id\":\"" + trace + "\",\"timestamp\":\"2026-10-05T10:" + String.format("%02d:%02d", second / 60, second % 60)
            + "Z\",\"feature\":\"extract\",\"model\":\"m" + tier + "\",\"tier\":" + tier + ",\"routed_tier\":" + routed + ",\"router_score\":" + score
            + (reason == null ? "" : ",\"escalation_reason\":\"" + reason + "\"") + (validation == null ? "" : ",\"validation\":\"" + validation + "\"")
            + ",\"cost_usd\":" + cost + ",\"shadow\":" + shadow + "}";
    }

    @Test
    void aRouteWhoseLowerTierSufficedIsFlaggedAndOneWhoseLowerTierFailedIsNot() throws Exception {
        List<String> lines = new ArrayList<>();
        // A: 300 cascades at router score 0.35 — the tier-1 call passed validation, yet the trace went on to tier 2
        for (int i = 0; i < 300; i++) {
            lines.add(call("a" + i + "-1", "a" + i, 1, 1, 1, 0.35, null, "pass", 0.001, false));
            // a third of the tier-2 answers carry no label: their success is estimated, not assumed
            lines.add(call("a" + i + "-2", "a" + i, 2, 2, 1, 0.35, "validation_failed", i % 3 == 0 ? null : "pass", 0.011, false));
        }
        // B: 50 cascades at 0.85 — the tier-1 call failed validation, tier 3 passed
        for (int i = 0; i < 50; i++) {
            lines.add(call("b" + i + "-1", "b" + i, 1, 1, 1, 0.85, null, "fail", 0.001, false));
            lines.add(call("b" + i + "-2", "b" + i, 2, 3, 1, 0.85, "low_confidence", "pass", 0.05, false));
        }
        // C: 20 boundary-band calls at 0.55 straight to tier 2, each with a successful tier-1 shadow call
        for (int i = 0; i < 20; i++) {
            lines.add(call("c" + i + "-1", "c" + i, 1, 2, 1, 0.55, "boundary_band", "pass", 0.01, false));
            lines.add(call("c" + i + "-s1", "c" + i, 1, 1, 1, 0.55, null, "pass", 0.002, true));
        }
        // D: 10 traces at 0.35 that the router kept on tier 1: not escalated, but part of the route's traces
        for (int i = 0; i < 10; i++) lines.add(call("d" + i, "d" + i, 1, 1, 1, 0.35, null, "pass", 0.001, false));
        Path log = dir.resolve("esc.jsonl");
        Files.writeString(log, String.join("\n", lines) + "\n");
        try (Workspace ws = Workspace.open(dir.resolve("ws.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            Escalations.Result r = Escalations.run(ws.connection(), Filter.ALL, null);
            assertThat(r.routes()).hasSize(3);
            Escalations.Route a = route(r, 1, 2, "validation_failed");
            assertThat(a.traces()).isEqualTo(380); // every extract trace the router sent to tier 1
            assertThat(a.escalations()).isEqualTo(300);
            assertThat(a.overEscalated()).isEqualTo(300);
            assertThat(a.lowerTierSuccess()).isCloseTo(1.0, within(1e-12));
            assertThat(a.higherTierSuccess()).isCloseTo(1.0, within(1e-12)); // the unlabeled third estimated from labeled tier-2 calls
            assertThat(a.ciLow()).isGreaterThan(0.98); // Wilson, 300 of 300
            assertThat(a.flagged()).isTrue();
            assertThat(a.wastedUsd()).isCloseTo(300 * 0.011, within(1e-9)); // the tier-2 call on top of the tier-1 one that sufficed
            Escalations.Route b = route(r, 1, 3, "low_confidence");
            assertThat(b.overEscalated()).isZero();
            assertThat(b.lowerTierSuccess()).isCloseTo(0.0, within(1e-12));
            assertThat(b.flagged()).isFalse();
            assertThat(b.wastedUsd()).isZero();
            Escalations.Route c = route(r, 1, 2, "boundary_band");
            assertThat(c.overEscalated()).isEqualTo(20); // the shadow calls at tier 1 succeeded
            assertThat(c.wastedUsd()).isCloseTo(20 * (0.01 - 0.002), within(1e-9));
            assertThat(c.ciLow()).isLessThan(0.98); // 20 of 20 is not enough evidence for a floor of 98 %
            assertThat(c.flagged()).isFalse();
            assertThat(r.overEscalatedTotal()).isEqualTo(320);
            assertThat(r.escalatedTraces()).isEqualTo(370);
            // an explicit floor changes the verdict, not the evidence
            assertThat(route(Escalations.run(ws.connection(), Filter.ALL, 0.8), 1, 2, "boundary_band").flagged()).isTrue();
        }
    }

    static Escalations.Route route(Escalations.Result r, int from, int to, String reason) {
        return r.routes().stream().filter(x -> x.fromTier() == from && x.toTier() == to && x.reason().equals(reason)).findFirst().orElseThrow();
    }

    @Test
    void aRateLimitRetriedWithinTheTierIsNotTheTierFailing() throws Exception {
        List<String> lines = new ArrayList<>();
        // 200 traces at 0.15: a rate-limited tier-1 call, a successful tier-1 retry on another provider (unlabeled),
        // then a rule sends the trace to tier 3 anyway; 100 other traces show tier 1 succeeding on such requests
        for (int i = 0; i < 200; i++) {
            lines.add(call("r" + i + "-1", "r" + i, 1, 1, 1, 0.15, null, null, 0.0, false).replace("\"cost_usd\"", "\"status\":\"rate_limited\",\"cost_usd\""));
            lines.add(call("r" + i + "-2", "r" + i, 2, 1, 1, 0.15, "error_fallback", null, 0.001, false));
            lines.add(call("r" + i + "-3", "r" + i, 3, 3, 1, 0.15, "rule", "pass", 0.05, false));
        }
        for (int i = 0; i < 100; i++) lines.add(call("k" + i, "k" + i, 1, 1, 1, 0.15, null, "pass", 0.001, false));
        Path log = dir.resolve("rl.jsonl");
        Files.writeString(log, String.join("\n", lines) + "\n");
        try (Workspace ws = Workspace.open(dir.resolve("rl.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            Escalations.Route rule = route(Escalations.run(ws.connection(), Filter.ALL, null), 1, 3, "rule");
            // the tier's outcome on those traces is its last call there (ok, unlabeled), not the rate limit
            assertThat(rule.lowerTierSuccess()).isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void aRoutesOwnShadowEvidenceCountsForItsTracesAndComparableTracesForTheRest() throws Exception {
        List<String> lines = new ArrayList<>();
        // 200 traces a rule sent from tier 1 straight to tier 3; half of them were shadow-tested on tier 1 and passed
        for (int i = 0; i < 200; i++) {
            lines.add(call("r" + i, "r" + i, 1, 3, 1, 0.35, "rule", "pass", 0.05, false));
            if (i < 100) lines.add(call("r" + i + "-s1", "r" + i, 1, 1, 1, 0.35, null, "pass", 0.001, true));
        }
        // 100 comparable traces the router kept on tier 1: 70 passed
        for (int i = 0; i < 100; i++) lines.add(call("k" + i, "k" + i, 1, 1, 1, 0.35, null, i < 70 ? "pass" : "fail", 0.001, false));
        Path log = dir.resolve("own.jsonl");
        Files.writeString(log, String.join("\n", lines) + "\n");
        try (Workspace ws = Workspace.open(dir.resolve("own.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            Escalations.Route rule = route(Escalations.run(ws.connection(), Filter.ALL, null), 1, 3, "rule");
            assertThat(rule.overEscalated()).isEqualTo(100);
            // tier 1 on comparable traces: 100 shadow passes and 70 of 100 real calls = 0.85; the route's 100 traces
            // with a shadow count their own outcome (1), the other 100 that estimate: (100 + 100 × 0.85) / 200
            assertThat(rule.lowerTierSuccess()).isCloseTo(0.925, within(1e-12));
            // variance: the estimate's (100² × 0.85 × 0.15 / 200) over 200²; Wilson on the sample size it amounts to
            double nEff = 0.925 * 0.075 / (100.0 * 100 * 0.85 * 0.15 / 200 / (200.0 * 200));
            org.apache.commons.math3.stat.interval.ConfidenceInterval ci = new org.apache.commons.math3.stat.interval.WilsonScoreInterval()
                .createInterval((int) Math.round(nEff), (int) Math.round(0.925 * Math.round(nEff)), 0.95);
            assertThat(rule.ciLow()).isCloseTo(ci.getLowerBound(), within(1e-12));
        }
    }

    @Test
    void thePlantedRuleRouteOfTheBundledSampleIsFlagged() throws Exception {
        Path sample = Path.of("sample-logs/acme-gateway-2026-10.jsonl.gz");
        try (Workspace ws = Workspace.open(dir.resolve("sample.duckdb"))) {
            new Importer(ws, null).importFile(sample, "auto");
            Escalations.Result r = Escalations.run(ws.connection(), Filter.ALL, null);
            // the gateway's VIP rule sends the power user's easy data-analysis prompts from tier 1 to tier 3
            Escalations.Route top = r.routes().get(0);
            assertThat(List.of(top.feature(), top.fromTier(), top.toTier(), top.reason())).containsExactly("data-analysis", 1, 3, "rule");
            assertThat(top.flagged()).isTrue();
            assertThat(top.ciLow()).isGreaterThan(top.floor());
            assertThat(top.wastedUsd()).isGreaterThan(r.wastedUsdTotal() / 2);
        }
    }
}
