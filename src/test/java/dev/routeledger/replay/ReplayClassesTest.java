package dev.routeledger.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.routeledger.analytics.Filter;
import dev.routeledger.ingest.Importer;
import dev.routeledger.policy.Policy;
import dev.routeledger.store.Workspace;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Above a million calls a replay's basis sums traces into classes (BasisShape); here the threshold is lowered so a
 * small log takes that path, and every policy must give the figures the trace-by-trace basis gives.
 */
class ReplayClassesTest {
    @TempDir Path dir;

    @Test
    void classesOfTracesGiveTheFiguresOfTheTracesThemselves() throws Exception {
        ReplayWorld world = new ReplayWorld(30000, 17);
        Path log = world.write(dir.resolve("w.jsonl"), i -> Math.floorMod(Long.hashCode(i * 0x9E3779B97F4A7C15L), 4) == 0);
        List<Policy> policies = new ArrayList<>(ReplayTest.policies());
        policies.add(ReplayTest.policy("rules", "route: {strategy: threshold, thresholds: [0.45, 0.75], boundary_band: 0.01}\nescalate_on_failure: true\n"
            + "rules:\n  - when: {user: [u1, u2, u3]}\n    tier: 3\n  - when: {feature: [extract]}\n    min_tier: 2\ncontext_window: true\n"));
        policies.add(ReplayTest.policy("quality", "route: {strategy: cascade, start_tier: 1, accept: {min_quality: 0.5}, max_tier: 3}\n"));
        policies.add(ReplayTest.policy("validation", "route: {strategy: cascade, start_tier: 1, accept: {validation: pass}, max_tier: 3}\n"));
        try (Workspace ws = Workspace.open(dir.resolve("w.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            for (Policy p : policies) {
                ReplayResult traces = Replay.prepare(ws.connection(), Filter.ALL, p).run(p);
                ReplayResult classes = inClasses(() -> {
                    Replay replay = Replay.prepare(ws.connection(), Filter.ALL, p);
                    assertThat(replay.basisFor(p).classes).isTrue();
                    return replay.run(p);
                });
                long rows;
                try (Statement s = ws.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM rb_obs")) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                String name = p.name();
                assertThat(rows).as(name + ": rows of the basis").isLessThan(traces.traces() * 9 / 10);
                assertThat(classes.traces()).as(name).isEqualTo(traces.traces());
                assertThat(classes.actualCostUsd()).as(name).isCloseTo(traces.actualCostUsd(), within(1e-9 * traces.actualCostUsd()));
                assertThat(classes.simulatedCostUsd()).as(name).isCloseTo(traces.simulatedCostUsd(), within(1e-9 * traces.simulatedCostUsd()));
                assertThat(classes.actualSuccess()).as(name).isCloseTo(traces.actualSuccess(), within(1e-12));
                assertThat(classes.simulatedSuccess()).as(name).isCloseTo(traces.simulatedSuccess(), within(1e-12));
                assertThat(classes.exactShare()).as(name).isCloseTo(traces.exactShare(), within(1e-12));
                assertThat(classes.actualCallsByTier()).as(name).isEqualTo(traces.actualCallsByTier());
                for (int t = 0; t < 3; t++) assertThat(classes.callsByTier().get(t)).as(name).isCloseTo(traces.callsByTier().get(t), within(1e-6));
                // the same bootstrap blocks with the same sums: the same intervals
                for (int i = 0; i < 2; i++) {
                    assertThat(classes.savingsCi()[i]).as(name).isCloseTo(traces.savingsCi()[i], within(1e-9 * traces.actualCostUsd()));
                    assertThat(classes.successCi()[i]).as(name).isCloseTo(traces.successCi()[i], within(1e-9));
                }
                // latency from a fixed 1 % of the blocks, traces kept one by one there
                assertThat(classes.latencyP50()).as(name).isPositive();
                assertThat(classes.latencyP95()).as(name).isGreaterThanOrEqualTo(classes.latencyP50());
                assertThat(classes.actualLatencyP50()).as(name).isNotNull().isPositive();
            }
        }
    }

    @Test
    void aSweepOverClassesGivesThePointsOfASweepOverTraces() throws Exception {
        ReplayWorld world = new ReplayWorld(20000, 23);
        Path log = world.write(dir.resolve("s.jsonl"), i -> i % 3 == 0);
        String tiers = ReplayTest.TIERS.formatted("grid");
        List<Policy> family = new ArrayList<>(dev.routeledger.policy.PolicyFile.parseFamily(tiers
            + "route: {strategy: threshold, thresholds: [0.4, 0.7], boundary_band: 0.0}\nescalate_on_failure: true\n"
            + "rules:\n  - when: {user: [u1, u7]}\n    min_tier: 2\ncontext_window: true\n"
            + "sweep:\n  thresholds: [0.2, 0.4, 0.6, 0.8]\n  boundary_band: [0.0, 0.05]\n", "grid.yaml"));
        family.addAll(dev.routeledger.policy.PolicyFile.parseFamily(tiers.replace("name: grid", "name: cascades")
            + "route: {strategy: cascade, start_tier: 1, accept: {min_confidence: 0.6}, max_tier: 3}\n"
            + "sweep:\n  start_tier: [1, 2]\n", "cascades.yaml"));
        try (Workspace ws = Workspace.open(dir.resolve("s.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            Sweep.Result traces = Sweep.run(ws.connection(), Filter.ALL, family, done -> { });
            Sweep.Result classes = inClasses(() -> {
                Sweep.Result r = Sweep.run(ws.connection(), Filter.ALL, family, done -> { });
                assertThat(r.replay().basisFor(family.get(0)).classes).isTrue();
                return r;
            });
            for (int i = 0; i < family.size(); i++) {
                ReplayResult a = traces.points().get(i).result(), b = classes.points().get(i).result();
                String name = a.policy();
                assertThat(b.policy()).isEqualTo(name);
                assertThat(b.simulatedCostUsd()).as(name).isCloseTo(a.simulatedCostUsd(), within(1e-9 * a.simulatedCostUsd()));
                assertThat(b.simulatedSuccess()).as(name).isCloseTo(a.simulatedSuccess(), within(1e-12));
                for (int j = 0; j < 2; j++) {
                    assertThat(b.savingsCi()[j]).as(name).isCloseTo(a.savingsCi()[j], within(1e-9 * a.actualCostUsd()));
                    assertThat(b.successCi()[j]).as(name).isCloseTo(a.successCi()[j], within(1e-9));
                }
                assertThat(classes.points().get(i).onFrontier()).as(name).isEqualTo(traces.points().get(i).onFrontier());
            }
        }
    }

    @Test
    void aReplayWidensItsClassesForAPolicyWithOtherCutsAndKeepsThem() throws Exception {
        ReplayWorld world = new ReplayWorld(5000, 29);
        Path log = world.write(dir.resolve("l.jsonl"), i -> i % 4 == 0);
        List<Policy> policies = ReplayTest.policies();
        try (Workspace ws = Workspace.open(dir.resolve("l.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            Policy a = policies.get(0), b = policies.get(1);
            ReplayResult bTraces = Replay.prepare(ws.connection(), Filter.ALL, b).run(b);
            inClasses(() -> {
                Replay replay = Replay.prepare(ws.connection(), Filter.ALL, a);
                ReplayBasis first = replay.basisFor(a);
                assertThat(first.covers(b)).isFalse();
                ReplayResult bClasses = replay.run(b);
                ReplayBasis widened = replay.basisFor(b);
                assertThat(widened).isNotSameAs(first);
                assertThat(widened.covers(a)).isTrue();
                assertThat(replay.basisFor(a)).isSameAs(widened);
                assertThat(bClasses.simulatedCostUsd()).isCloseTo(bTraces.simulatedCostUsd(), within(1e-9 * bTraces.simulatedCostUsd()));
                assertThat(bClasses.simulatedSuccess()).isCloseTo(bTraces.simulatedSuccess(), within(1e-12));
                return null;
            });
        }
    }

    @Test
    void aScopedReplayBindsItsFilterInEveryStatementOfTheClasses() throws Exception {
        ReplayWorld world = new ReplayWorld(12000, 31);
        Path log = world.write(dir.resolve("f.jsonl"), i -> i % 5 == 0);
        Filter extract = new Filter(null, null, List.of(), List.of(), List.of("extract"), List.of(), List.of(), List.of(), false);
        try (Workspace ws = Workspace.open(dir.resolve("f.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            for (Policy p : List.of(ReplayTest.policies().get(0), ReplayTest.policies().get(3))) {
                ReplayResult traces = Replay.prepare(ws.connection(), extract, p).run(p);
                ReplayResult classes = inClasses(() -> Replay.prepare(ws.connection(), extract, p).run(p));
                assertThat(traces.traces()).isEqualTo(6000);
                assertThat(classes.traces()).isEqualTo(traces.traces());
                assertThat(classes.actualCostUsd()).as(p.name()).isCloseTo(traces.actualCostUsd(), within(1e-9 * traces.actualCostUsd()));
                assertThat(classes.simulatedCostUsd()).as(p.name()).isCloseTo(traces.simulatedCostUsd(), within(1e-9 * traces.simulatedCostUsd()));
                assertThat(classes.simulatedSuccess()).as(p.name()).isCloseTo(traces.simulatedSuccess(), within(1e-12));
            }
        }
    }

    /**
     * Classes key a feature, a model and a named user by their place in a list of their values: a value with a quote
     * must find its place, and a workspace with more features than a list takes must be keyed by the texts.
     */
    @Test
    void featuresAndUsersKeepTheirOwnClassesWhetherListedOrNot() throws Exception {
        ReplayWorld world = new ReplayWorld(8000, 37);
        Path log = world.write(dir.resolve("t.jsonl"), i -> i % 4 == 0);
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("\"trace_id\":\"([^\"]+)\",(.*?)\"feature\":\"([^\"]+)\",\"user_id\":\"u(-?\\d+)\"");
        for (int many : new int[] {1, 90}) {
            // feature "<feature>-<0..many-1>" by trace (one is "o'clock"), and user u3 as "o'neil"
            StringBuilder out = new StringBuilder();
            for (String l : java.nio.file.Files.readAllLines(log)) {
                var m = line.matcher(l);
                assertThat(m.find()).isTrue();
                int n = Math.floorMod(m.group(1).hashCode(), many);
                String feature = n == 0 ? "o'clock" : m.group(3) + "-" + n;
                String user = m.group(4).equals("3") ? "o'neil" : "u" + m.group(4);
                out.append(m.replaceFirst("\"trace_id\":\"$1\",$2\"feature\":\"" + feature + "\",\"user_id\":\"" + user + "\"")).append('\n');
            }
            Path edited = dir.resolve("t" + many + ".jsonl");
            java.nio.file.Files.writeString(edited, out);
            Policy p = ReplayTest.policy("named", "route: {strategy: threshold, thresholds: [0.45, 0.75], boundary_band: 0.01}\nescalate_on_failure: true\n"
                + "rules:\n  - when: {user: [\"o'neil\", u7]}\n    tier: 3\n");
            try (Workspace ws = Workspace.open(dir.resolve("t" + many + ".duckdb"))) {
                new Importer(ws, null).importFile(edited, "auto");
                ReplayResult traces = Replay.prepare(ws.connection(), Filter.ALL, p).run(p);
                ReplayResult classes = inClasses(() -> Replay.prepare(ws.connection(), Filter.ALL, p).run(p));
                List<String> features = new ArrayList<>();
                try (Statement s = ws.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT feature FROM rb_obs ORDER BY 1")) {
                    while (rs.next()) features.add(rs.getString(1));
                }
                String name = many + " features";
                assertThat(features).as(name).contains("o'clock").hasSize(many == 1 ? 1 : 1 + 2 * (many - 1));
                assertThat(classes.simulatedCostUsd()).as(name).isCloseTo(traces.simulatedCostUsd(), within(1e-9 * traces.simulatedCostUsd()));
                assertThat(classes.simulatedSuccess()).as(name).isCloseTo(traces.simulatedSuccess(), within(1e-12));
                assertThat(classes.callsByTier().get(2)).as(name).isCloseTo(traces.callsByTier().get(2), within(1e-6));
                for (int j = 0; j < 2; j++) assertThat(classes.successCi()[j]).as(name).isCloseTo(traces.successCi()[j], within(1e-9));
            }
        }
    }

    /**
     * The Policy lab prepares its basis for the grid its sliders stop at (ThresholdGrid): on large logs every point of
     * the grid then replays over that one basis, with the figures of the point's own replay.
     */
    @Test
    void aBasisForTheThresholdGridServesEveryPointOfItWithoutAnother() throws Exception {
        ReplayWorld world = new ReplayWorld(8000, 41);
        Path log = world.write(dir.resolve("g.jsonl"), i -> i % 4 == 0);
        Policy base = ReplayTest.policies().get(0);
        try (Workspace ws = Workspace.open(dir.resolve("g.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            inClasses(() -> {
                Replay grid = Replay.prepare(ws.connection(), Filter.ALL, ThresholdGrid.around(base, 20, 0.2));
                // values as the lab's sliders give them: snapped to 0.05, rounded to hundredths
                double[][] points = {{0.35, 0.8, 0.1}, {0.45, 0.9, 0.0}, {0.2, 0.6, 0.15}, {0.05, 0.95, 0.2}};
                for (double[] pt : points) {
                    Policy p = new Policy("point " + java.util.Arrays.toString(pt), base.tiers(),
                        new Policy.Threshold(List.of(Math.round(pt[0] * 20) * 5 / 100.0, Math.round(pt[1] * 20) * 5 / 100.0), Math.round(pt[2] * 20) * 5 / 100.0),
                        base.rules(), base.escalateOnFailure(), base.contextWindow(), base.cache());
                    replaysAsItsOwn(ws, grid, p);
                }
                assertThat(grid.basesBuilt()).isEqualTo(1);
                // a threshold off the grid still replays, over a basis built for it as well
                Policy off = new Policy("off the grid", base.tiers(), new Policy.Threshold(List.of(0.37, 0.81), 0.0), base.rules(),
                    base.escalateOnFailure(), base.contextWindow(), base.cache());
                grid.run(off);
                assertThat(grid.basesBuilt()).isEqualTo(2);
                return null;
            });
        }
    }

    @Test
    void aCascadesGridServesEveryConfidenceOfItWithoutAnother() throws Exception {
        ReplayWorld world = new ReplayWorld(8000, 43);
        Path log = world.write(dir.resolve("cg.jsonl"), i -> i % 4 == 0);
        Policy threshold = ReplayTest.policies().get(0);
        Policy base = new Policy("cascade", threshold.tiers(), new Policy.Cascade(1, new Policy.Accept(0.7, false, null), threshold.tiers().size()),
            threshold.rules(), threshold.escalateOnFailure(), threshold.contextWindow(), threshold.cache());
        try (Workspace ws = Workspace.open(dir.resolve("cg.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            inClasses(() -> {
                Replay grid = Replay.prepare(ws.connection(), Filter.ALL, ThresholdGrid.around(base, 20, 0.2));
                java.util.Set<Double> costs = new java.util.HashSet<>();
                for (double mc : new double[] {0.35, 0.7, 0.9, 0.05}) {
                    Policy p = new Policy("confidence " + mc, base.tiers(), new Policy.Cascade(1, new Policy.Accept(mc, false, null), base.tiers().size()),
                        base.rules(), base.escalateOnFailure(), base.contextWindow(), base.cache());
                    assertThat(grid.serves(p)).as(p.name()).isTrue();
                    costs.add(replaysAsItsOwn(ws, grid, p).simulatedCostUsd());
                }
                // the confidence matters in this log (else the grid would prove nothing)
                assertThat(costs).hasSize(4);
                assertThat(grid.basesBuilt()).isEqualTo(1);
                // the threshold policies of the lab's sliders are served by the same basis
                assertThat(grid.serves(threshold)).isTrue();
                Policy off = new Policy("off the grid", base.tiers(), new Policy.Cascade(1, new Policy.Accept(0.77, false, null), base.tiers().size()),
                    base.rules(), base.escalateOnFailure(), base.contextWindow(), base.cache());
                assertThat(grid.serves(off)).isFalse();
                return null;
            });
        }
    }

    /**
     * Runs {@code p} over {@code shared} and checks it gives the figures of a replay prepared for {@code p} alone (on
     * a connection of its own: a basis lives in its connection's temporary tables); returns the shared run's result.
     */
    private static ReplayResult replaysAsItsOwn(Workspace ws, Replay shared, Policy p) throws Exception {
        ReplayResult onShared = shared.run(p);
        ReplayResult own;
        try (java.sql.Connection other = ws.newConnection()) {
            own = Replay.prepare(other, Filter.ALL, p).run(p);
        }
        assertThat(onShared.simulatedCostUsd()).as(p.name()).isCloseTo(own.simulatedCostUsd(), within(1e-9 * own.simulatedCostUsd()));
        assertThat(onShared.simulatedSuccess()).as(p.name()).isCloseTo(own.simulatedSuccess(), within(1e-12));
        for (int j = 0; j < 2; j++) assertThat(onShared.successCi()[j]).as(p.name()).isCloseTo(own.successCi()[j], within(1e-9));
        return onShared;
    }

    /** Runs {@code body} with every basis built summing traces into classes (whatever its size), then restores the threshold. */
    private static <T> T inClasses(java.util.concurrent.Callable<T> body) throws Exception {
        long before = ReplayBasis.perTraceMaxCalls;
        ReplayBasis.perTraceMaxCalls = 0;
        try {
            return body.call();
        } finally {
            ReplayBasis.perTraceMaxCalls = before;
        }
    }
}
