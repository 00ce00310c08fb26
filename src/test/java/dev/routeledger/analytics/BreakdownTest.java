package dev.routeledger.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.routeledger.ingest.Importer;
import dev.routeledger.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Breakdowns on a log built by hand, where every figure is known by construction. */
class BreakdownTest {
    @TempDir Path dir;
    Workspace ws;

    @BeforeEach
    void load() throws Exception {
        ws = Workspace.open(dir.resolve("ws.duckdb"));
        Path log = dir.resolve("calls.jsonl");
        Files.writeString(log, String.join("\n",
            call("a1", "t1", "2026-10-01T10:00:00Z", "alice", "team-a", "gpt-4o-mini", 1.0, 100, "ok", false),
            call("a2", "t1", "2026-10-01T10:00:05Z", "alice", "team-a", "gpt-4o", 3.0, 300, "ok", false),
            call("b1", "t2", "2026-10-15T09:00:00Z", "bob", "team-b", "gpt-4o", 4.0, 200, "error", false),
            call("s1", "t2", "2026-10-15T09:00:00Z", "bob", "team-b", "claude-3-opus-20240229", 10.0, 900, "ok", true),
            call("x1", "t3", "2026-11-02T09:00:00Z", "carol", "team-c", "mystery-model", 2.0, 50, "ok", false)) + "\n");
        new Importer(ws, null).importFile(log, "auto");
    }

    static String call(String id, String trace, String ts, String user, String team, String model, double cost, int latency, String status,
                       boolean shadow) {
        return "{\"request_id\":\"" + id + "\",\"trace_id\":\"" + trace + "\",\"timestamp\":\"" + ts + "\",\"user_id\":\"" + user
            + "\",\"team\":\"" + team + "\",\"model\":\"" + model + "\",\"cost_usd\":" + cost + ",\"latency_ms\":" + latency
            + ",\"status\":\"" + status + "\",\"shadow\":" + shadow + ",\"prompt_tokens\":10,\"completion_tokens\":5}";
    }

    @AfterEach
    void close() {
        ws.close();
    }

    @Test
    void sharesTotalsAndTheShadowLine() throws Exception {
        Breakdown.Result r = Breakdown.run(ws.connection(), List.of(Dimension.TEAM), Filter.ALL);
        assertThat(r.totalCostUsd()).isCloseTo(10.0, within(1e-12));
        assertThat(r.shadowCostUsd()).isCloseTo(10.0, within(1e-12));
        assertThat(r.rows()).extracting(row -> row.keys().get(0)).containsExactly("team-a", "team-b", "team-c");
        Breakdown.Row a = r.rows().get(0);
        assertThat(a.share()).isCloseTo(0.4, within(1e-12));
        assertThat(a.calls()).isEqualTo(2);
        assertThat(a.traces()).isEqualTo(1);
        assertThat(a.costPerTrace()).isCloseTo(4.0, within(1e-12));
        assertThat(a.p50LatencyMs()).isCloseTo(200.0, within(1e-9));
        assertThat(r.rows().get(1).errorRate()).isEqualTo(1.0);
        Breakdown.Result withShadow = Breakdown.run(ws.connection(), List.of(Dimension.TEAM), Filter.ALL.withShadow(true));
        assertThat(withShadow.totalCostUsd()).isCloseTo(20.0, within(1e-12));
    }

    @Test
    void twoDimensionsAndTimeDimensions() throws Exception {
        Breakdown.Result r = Breakdown.run(ws.connection(), List.of(Dimension.MONTH, Dimension.MODEL), Filter.ALL);
        assertThat(r.rows()).extracting(Breakdown.Row::keys).containsExactly(
            List.of("2026-10", "gpt-4o"), List.of("2026-11", "mystery-model"), List.of("2026-10", "gpt-4o-mini"));
        Breakdown.Result tiers = Breakdown.run(ws.connection(), List.of(Dimension.TIER), Filter.ALL);
        assertThat(tiers.rows()).extracting(row -> row.keys().get(0)).contains("unknown", "2", "3");
    }

    @Test
    void filtersNarrowEveryFigure() throws Exception {
        Filter october = Filter.ALL.month("2026-10");
        assertThat(Breakdown.run(ws.connection(), List.of(Dimension.USER), october).totalCostUsd()).isCloseTo(8.0, within(1e-12));
        Filter teamB = new Filter(null, null, List.of(), List.of("team-b"), List.of(), List.of(), List.of(), List.of(), false);
        Breakdown.Result b = Breakdown.run(ws.connection(), List.of(Dimension.USER), teamB);
        assertThat(b.rows()).hasSize(1);
        assertThat(b.shadowCostUsd()).isCloseTo(10.0, within(1e-12));
        Filter unknownTier = new Filter(null, null, List.of(), List.of(), List.of(), List.of("unknown"), List.of(), List.of(), false);
        assertThat(Breakdown.run(ws.connection(), List.of(Dimension.MODEL), unknownTier).rows())
            .extracting(row -> row.keys().get(0)).containsExactly("mystery-model");
        Filter range = Filter.ALL.withRange(LocalDateTime.parse("2026-10-01T10:00:01"), LocalDateTime.parse("2026-10-16T00:00:00"));
        assertThat(Breakdown.run(ws.connection(), List.of(Dimension.USER), range).totalCostUsd()).isCloseTo(7.0, within(1e-12));
    }

    /** The overview's one grouped scan gives the figures the breakdowns give, unfiltered and filtered. */
    @Test
    void theOverviewSumsTheSameCallsInOneScan() throws Exception {
        Overview.Result o = Overview.run(ws.connection(), Filter.ALL);
        assertThat(o.totalCostUsd()).isCloseTo(10.0, within(1e-12));
        assertThat(o.calls()).isEqualTo(4);
        assertThat(o.traces()).isEqualTo(3);
        assertThat(o.costPerTrace()).isCloseTo(10.0 / 3, within(1e-12));
        assertThat(o.byDayTier()).containsExactly(new Overview.DayTier("2026-10-01", "2", 1.0), new Overview.DayTier("2026-10-01", "3", 3.0),
            new Overview.DayTier("2026-10-15", "3", 4.0), new Overview.DayTier("2026-11-02", "unknown", 2.0));
        assertThat(o.byUser()).containsExactly(new Overview.Line("alice", 4.0, 0.4, 2), new Overview.Line("bob", 4.0, 0.4, 1),
            new Overview.Line("carol", 2.0, 0.2, 1));
        assertThat(o.byModel()).extracting(Overview.Line::name).containsExactly("gpt-4o", "mystery-model", "gpt-4o-mini");
        assertThat(o.byFeature()).containsExactly(new Overview.Line(null, 10.0, 1.0, 4));
        assertThat(o.month().month()).isEqualTo("2026-11");
        assertThat(o.month().totalCostUsd()).isCloseTo(2.0, within(1e-12));

        // a model filter splits trace t1: its traces are counted distinct
        Filter gpt4o = new Filter(null, null, List.of(), List.of(), List.of(), List.of(), List.of("gpt-4o"), List.of(), false);
        Overview.Result m = Overview.run(ws.connection(), gpt4o);
        assertThat(m.totalCostUsd()).isCloseTo(7.0, within(1e-12));
        assertThat(m.calls()).isEqualTo(2);
        assertThat(m.traces()).isEqualTo(2);
        assertThat(m.month().month()).isEqualTo("2026-10");
        Overview.Result sh = Overview.run(ws.connection(), Filter.ALL.withShadow(true));
        assertThat(sh.totalCostUsd()).isCloseTo(20.0, within(1e-12));
        assertThat(sh.calls()).isEqualTo(5);
        assertThat(sh.traces()).isEqualTo(3);
        Overview.Result none = Overview.run(ws.connection(), Filter.ALL.month("2025-01"));
        assertThat(none.calls()).isZero();
        assertThat(none.costPerTrace()).isNull();
        assertThat(none.month()).isNull();
    }

    @Test
    void filterValuesAndDimensionsNeverReachSqlAsText() throws Exception {
        Filter evil = new Filter(null, null, List.of("x' OR '1'='1"), List.of("team-a'); DROP TABLE calls_main; --"), List.of(),
            List.of(), List.of(), List.of(), false);
        assertThat(Breakdown.run(ws.connection(), List.of(Dimension.USER), evil).rows()).isEmpty();
        assertThatThrownBy(() -> Dimension.parse("team; DROP TABLE calls_main")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Filter(null, null, List.of(), List.of(), List.of(), List.of("1 OR 1=1"), List.of(), List.of(), false))
            .isInstanceOf(IllegalArgumentException.class);
        try (Statement s = ws.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM calls_main")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(5);
        }
    }

    /**
     * Traces per tier, model, provider and status, where a trace's calls differ in them: counted by the stored
     * per-value heads once the derived facts are built, distinct before — the same figures either way, with and
     * without shadow calls, filtered to a tier, and for two call dimensions at once.
     */
    @Test
    void tracesPerCallDimensionCountEachTraceOncePerGroup() throws Exception {
        Path log = dir.resolve("cascades.jsonl");
        Files.writeString(log, String.join("\n",
            // (default tiers: llama 1, gpt-4o-mini 2, gpt-4o 3)
            // r: a rate-limited call retried on another provider at tier 2, then tier 3; shadow calls at tiers 3 and 1
            routed("r1", "r", "10:00:00", 1, "gpt-4o-mini", "openai", "rate_limited", false),
            routed("r2", "r", "10:00:00", 2, "gpt-4o-mini", "azure", "ok", false),
            routed("r3", "r", "10:00:05", 1, "gpt-4o", "openai", "ok", false),
            routed("r4", "r", "10:00:05", 1, "gpt-4o", "openai", "ok", true),
            routed("r5", "r", "10:00:06", 1, "llama-3-70b", "together", "ok", true),
            // s: an evaluation prompt, shadow calls only
            routed("s1", "s", "11:00:00", 1, "gpt-4o-mini", "openai", "ok", true),
            routed("s2", "s", "11:00:00", 1, "gpt-4o", "openai", "ok", true),
            // u: one call; v: an error and its retry at the same tier and time
            routed("u1", "u", "12:00:00", 1, "gpt-4o-mini", "openai", "ok", false),
            routed("v1", "v", "13:00:00", 1, "gpt-4o", "openai", "error", false),
            routed("v2", "v", "13:00:00", 2, "gpt-4o", "openai", "ok", false)) + "\n");
        try (Workspace w = Workspace.open(dir.resolve("cascades.duckdb"))) {
            new Importer(w, null).importFile(log, "auto");
            Filter withShadow = Filter.ALL.withShadow(true);
            Filter tier3 = new Filter(null, null, List.of(), List.of(), List.of(), List.of("3"), List.of(), List.of(), false);
            for (boolean built : new boolean[] {false, true}) {
                if (built) TraceFacts.ensure(w.connection());
                assertThat(TraceFacts.built(w.connection())).isEqualTo(built);
                assertThat(traces(w, List.of(Dimension.TIER), Filter.ALL)).containsExactly("2=2", "3=2");
                assertThat(traces(w, List.of(Dimension.TIER), withShadow)).containsExactly("1=1", "2=3", "3=3");
                assertThat(traces(w, List.of(Dimension.TIER), tier3)).containsExactly("3=2");
                assertThat(traces(w, List.of(Dimension.MODEL), Filter.ALL)).containsExactly("gpt-4o-mini=2", "gpt-4o=2");
                assertThat(traces(w, List.of(Dimension.PROVIDER), Filter.ALL)).containsExactly("azure=1", "openai=3");
                assertThat(traces(w, List.of(Dimension.STATUS), Filter.ALL)).containsExactly("error=1", "ok=3", "rate_limited=1");
                assertThat(traces(w, List.of(Dimension.TIER, Dimension.PROVIDER), Filter.ALL)).containsExactly("2/azure=1", "2/openai=2", "3/openai=2");
                assertThat(traces(w, List.of(Dimension.TEAM, Dimension.TIER), withShadow)).containsExactly("t/1=1", "t/2=3", "t/3=3");
                assertThat(traces(w, List.of(Dimension.TIER), tier3.withRange(null, LocalDateTime.parse("2026-10-01T10:00:05"))))
                    .isEmpty(); // r's tier-3 call is at the range's end
            }
        }
    }

    /** "key=traces" per row, keys joined by "/", in key order. */
    static List<String> traces(Workspace w, List<Dimension> dims, Filter f) throws Exception {
        return Breakdown.run(w.connection(), dims, f).rows().stream()
            .map(r -> String.join("/", r.keys()) + "=" + r.traces()).sorted().toList();
    }

    static String routed(String id, String trace, String time, int attempt, String model, String provider, String status, boolean shadow) {
        return "{\"request_id\":\"" + id + "\",\"trace_id\":\"" + trace + "\",\"timestamp\":\"2026-10-01T" + time + "Z\",\"team\":\"t\","
            + "\"model\":\"" + model + "\",\"provider\":\"" + provider + "\",\"attempt\":" + attempt + ",\"status\":\"" + status
            + "\",\"shadow\":" + shadow + ",\"cost_usd\":1.0}";
    }
}
