package dev.routeledger.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.routeledger.export.MonthlyExport;
import dev.routeledger.ingest.Importer;
import dev.routeledger.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monthly report on months built by hand: a known change on the previous month and a known daily trend. */
class MonthlyReportTest {
    @TempDir Path dir;

    static String call(String id, String ts, String team, double cost) {
        return "{\"request_id\":\"" + id + "\",\"timestamp\":\"" + ts + "\",\"team\":\"" + team + "\",\"model\":\"gpt-4o\",\"cost_usd\":" + cost + "}";
    }

    /** March 2026: day d costs 10 + 2d (+ noise) for days 1–20, and the log stops at 00:30 on the 21st. */
    Workspace month(double noise) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(call("feb", "2026-02-10T12:00:00Z", "team-a", 500));
        for (int d = 1; d <= 20; d++) {
            double cost = 10 + 2 * d + (d % 2 == 0 ? noise : -noise);
            lines.add(call("m" + d, String.format("2026-03-%02dT12:00:00Z", d), d % 4 == 0 ? "team-b" : "team-a", cost));
        }
        lines.add(call("last", "2026-03-21T00:30:00Z", "team-a", 1));
        Path log = dir.resolve("m" + noise + ".jsonl");
        Files.writeString(log, String.join("\n", lines) + "\n");
        Workspace ws = Workspace.open(dir.resolve("ws" + noise + ".duckdb"));
        new Importer(ws, null).importFile(log, "auto");
        return ws;
    }

    @Test
    void totalsChangeAndAnExactTrendForecast() throws Exception {
        try (Workspace ws = month(0)) {
            MonthlyReport.Result r = MonthlyReport.run(ws.connection(), "2026-03", Filter.ALL);
            assertThat(r.totalCostUsd()).isCloseTo(621, within(1e-9));
            assertThat(r.previousMonthCostUsd()).isCloseTo(500, within(1e-9));
            assertThat(r.changePct()).isCloseTo(24.2, within(1e-9));
            assertThat(r.complete()).isFalse();
            MonthForecast f = r.forecast();
            assertThat(f.completeDays()).isEqualTo(20);
            assertThat(f.toDateUsd()).isCloseTo(620, within(1e-9));
            assertThat(f.slopeUsdPerDay()).isCloseTo(2, within(1e-9));
            // days 21–31 on the line: 11 × 10 + 2 × (21 + … + 31) = 682
            assertThat(f.remainingUsd()).isCloseTo(682, within(1e-6));
            assertThat(f.forecastUsd()).isCloseTo(1302, within(1e-6));
            assertThat(f.highUsd() - f.lowUsd()).isLessThan(1e-6); // a perfect line leaves no doubt
            // team-b had days 4, 8, 12, 16, 20: (18 + 26 + 34 + 42 + 50) = 170
            MonthlyReport.Line b = r.byTeam().stream().filter(l -> l.name().equals("team-b")).findFirst().orElseThrow();
            assertThat(b.costUsd()).isCloseTo(170, within(1e-9));
            assertThat(b.share()).isCloseTo(170 / 621.0, within(1e-12));
            assertThat(b.changePct()).isNull(); // no spend the month before
            MonthlyReport.Line a = r.byTeam().get(0);
            assertThat(a.changePct()).isCloseTo(100 * (451 - 500) / 500.0, within(1e-9));
        }
    }

    @Test
    void noisyDaysGiveAnIntervalAroundTheTrendAndTheExportsReadWell() throws Exception {
        try (Workspace ws = month(3)) {
            MonthlyReport.Result r = MonthlyReport.run(ws.connection(), "2026-03", Filter.ALL);
            MonthForecast f = r.forecast();
            assertThat(f.lowUsd()).isLessThan(f.forecastUsd());
            assertThat(f.highUsd()).isGreaterThan(f.forecastUsd());
            assertThat(1302.0).isBetween(f.lowUsd(), f.highUsd());
            Path csv = dir.resolve("march.csv");
            Path html = dir.resolve("march.html");
            MonthlyExport.csv(r, csv);
            MonthlyExport.html(r, "test workspace", html);
            List<String> rows = Files.readAllLines(csv);
            assertThat(rows.get(0)).isEqualTo("section,name,cost_usd,share,previous_month_cost_usd,change_pct");
            assertThat(rows).anyMatch(l -> l.startsWith("forecast,month_end,"));
            assertThat(rows).anyMatch(l -> l.startsWith("team,team-b,185.0,")); // even days carry +3: 170 + 5 × 3
            assertThat(rows).anyMatch(l -> l.startsWith("total,2026-03,"));
            String doc = Files.readString(html);
            assertThat(doc).contains("<h1>LLM spend — March 2026</h1>").contains("Month-end forecast").contains("team-b").contains("@page");
        }
    }

    @Test
    void aMonthTheLogRunsPastIsCompleteAndHasNoForecast() throws Exception {
        try (Workspace ws = month(0)) {
            MonthlyReport.Result feb = MonthlyReport.run(ws.connection(), "2026-02", Filter.ALL);
            assertThat(feb.complete()).isTrue();
            assertThat(feb.forecast()).isNull();
            assertThat(feb.totalCostUsd()).isCloseTo(500, within(1e-9));
            assertThat(feb.coverage()).isEqualTo("complete");
            assertThat(MonthlyReport.run(ws.connection(), "2026-03", Filter.ALL).coverage()).isEqualTo("under way; last call 2026-03-21 00:30 UTC");
            // a month after the log's last call is not "under way": the log simply stops before it
            MonthlyReport.Result april = MonthlyReport.run(ws.connection(), "2026-04", Filter.ALL);
            assertThat(april.coverage()).isEqualTo("the log ends before this month; last call 2026-03-21 00:30 UTC");
            assertThat(april.forecast()).isNull();
        }
        try (Workspace empty = Workspace.open(dir.resolve("empty.duckdb"))) {
            assertThat(MonthlyReport.run(empty.connection(), "2026-04", Filter.ALL).coverage()).isEqualTo("no calls in the workspace");
        }
    }

    /**
     * March 2026 with a two-call trace, a shadow call, a catalog-priced call (no logged cost) and a February
     * trace: the month's calls, traces, catalog-estimated share, shadow line and model lines, unfiltered and
     * filtered to one model (which splits the two-call trace, so its traces are counted distinct).
     */
    @Test
    void tracesShadowAndEstimatedCostWithAndWithoutAModelFilter() throws Exception {
        Path log = dir.resolve("traces.jsonl");
        Files.writeString(log, String.join("\n",
            traceCall("f1", "tf", "2026-02-27T10:00:00Z", "team-a", "gpt-4o", "8.0", false),
            traceCall("a1", "ta", "2026-03-02T10:00:00Z", "team-a", "gpt-4o-mini", "1.0", false),
            traceCall("a2", "ta", "2026-03-02T10:00:03Z", "team-a", "gpt-4o", "3.0", false),
            traceCall("a3", "ta", "2026-03-02T10:00:04Z", "team-a", "gpt-4o", "7.0", true),
            traceCall("b1", "tb", "2026-03-05T10:00:00Z", "team-b", "gpt-4o", "5.0", false),
            traceCall("c1", "tc", "2026-03-06T10:00:00Z", "team-b", "gpt-4o-mini", "null", false),
            traceCall("z1", "tz", "2026-04-01T00:00:00Z", "team-b", "gpt-4o-mini", "1.0", false)) + "\n");
        try (Workspace ws = Workspace.open(dir.resolve("traces.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            MonthlyReport.Result r = MonthlyReport.run(ws.connection(), "2026-03", Filter.ALL);
            // gpt-4o-mini at $0.15/M in, $0.60/M out: 1,000 and 500 tokens cost 0.00015 + 0.0003
            double catalog = 0.00045;
            assertThat(r.calls()).isEqualTo(4);
            assertThat(r.traces()).isEqualTo(3);
            assertThat(r.totalCostUsd()).isCloseTo(9 + catalog, within(1e-9));
            assertThat(r.catalogEstimatedUsd()).isCloseTo(catalog, within(1e-9));
            assertThat(r.shadowCostUsd()).isCloseTo(7, within(1e-9));
            assertThat(r.previousMonthCostUsd()).isCloseTo(8, within(1e-9));
            assertThat(r.byModel()).extracting(MonthlyReport.Line::name).containsExactly("gpt-4o", "gpt-4o-mini");
            assertThat(r.byModel().get(0).costUsd()).isCloseTo(8, within(1e-9));
            assertThat(r.byModel().get(0).previousCostUsd()).isCloseTo(8, within(1e-9));
            assertThat(r.byModel().get(0).share()).isCloseTo(8 / (9 + catalog), within(1e-9));
            assertThat(r.byTeam()).extracting(MonthlyReport.Line::name).containsExactly("team-b", "team-a"); // 5.00045 against 4

            Filter mini = new Filter(null, null, List.of(), List.of(), List.of(), List.of(), List.of("gpt-4o-mini"), List.of(), false);
            MonthlyReport.Result m = MonthlyReport.run(ws.connection(), "2026-03", mini);
            assertThat(m.calls()).isEqualTo(2);
            assertThat(m.traces()).isEqualTo(2);
            assertThat(m.totalCostUsd()).isCloseTo(1 + catalog, within(1e-9));
            assertThat(m.shadowCostUsd()).isZero();
            assertThat(m.byModel()).extracting(MonthlyReport.Line::name).containsExactly("gpt-4o-mini");

            MonthlyReport.Result withShadow = MonthlyReport.run(ws.connection(), "2026-03", Filter.ALL.withShadow(true));
            assertThat(withShadow.totalCostUsd()).isCloseTo(16 + catalog, within(1e-9));
            assertThat(withShadow.calls()).isEqualTo(5);
            assertThat(withShadow.traces()).isEqualTo(3);
        }
    }

    static String traceCall(String id, String trace, String ts, String team, String model, String cost, boolean shadow) {
        return "{\"request_id\":\"" + id + "\",\"trace_id\":\"" + trace + "\",\"timestamp\":\"" + ts + "\",\"team\":\"" + team
            + "\",\"model\":\"" + model + "\",\"cost_usd\":" + cost + ",\"shadow\":" + shadow + ",\"prompt_tokens\":1000,\"completion_tokens\":500}";
    }
}
