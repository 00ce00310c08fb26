package dev.routeledger.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.routeledger.analytics.Filter;
import dev.routeledger.ingest.Importer;
import dev.routeledger.policy.Policy;
import dev.routeledger.policy.PolicyFile;
import dev.routeledger.store.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep's class sums give each policy the same figures as its own replay. */
class SweepTest {
    @TempDir Path dir;

    @Test
    void policiesCostedFromTraceClassesMatchTheirOwnReplays() throws Exception {
        ReplayWorld world = new ReplayWorld(6000, 21);
        Path log = world.write(dir.resolve("w.jsonl"), i -> i % 3 == 0);
        String tiers = ReplayTest.TIERS.formatted("grid");
        List<Policy> family = new ArrayList<>(PolicyFile.parseFamily(tiers
            + "route: {strategy: threshold, thresholds: [0.4, 0.7], boundary_band: 0.0}\nescalate_on_failure: true\n"
            + "rules:\n  - when: {feature: [extract]}\n    min_tier: 2\ncontext_window: true\n"
            + "sweep:\n  thresholds: [0.2, 0.4, 0.6, 0.8]\n  boundary_band: [0.0, 0.05]\n", "grid.yaml"));
        family.addAll(PolicyFile.parseFamily(tiers.replace("name: grid", "name: cascades")
            + "route: {strategy: cascade, start_tier: 1, accept: {min_confidence: 0.6}, max_tier: 3}\n"
            + "sweep:\n  start_tier: [1, 2]\n", "cascades.yaml"));
        family.addAll(PolicyFile.parseFamily(tiers.replace("name: grid", "name: static")
            + "route: {strategy: static, default_tier: 1}\nescalate_on_failure: true\n"
            + "sweep:\n  by_feature: {extract: [1, 2, 3], chat: [1, 2]}\n", "static.yaml"));
        try (Workspace ws = Workspace.open(dir.resolve("w.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            Sweep.Result sweep = Sweep.run(ws.connection(), Filter.ALL, family, done -> { });
            assertThat(sweep.points()).hasSize(family.size());
            Replay replay = Replay.prepare(ws.connection(), Filter.ALL, family.get(0));
            for (Sweep.Point p : sweep.points()) {
                ReplayResult fast = p.result(), full = replay.run(p.policy());
                String name = p.policy().name();
                assertThat(fast.simulatedCostUsd()).as(name).isCloseTo(full.simulatedCostUsd(), within(1e-9 * full.simulatedCostUsd()));
                assertThat(fast.simulatedSuccess()).as(name).isCloseTo(full.simulatedSuccess(), within(1e-12));
                assertThat(fast.exactShare()).as(name).isCloseTo(full.exactShare(), within(1e-12));
                for (int t = 0; t < 3; t++) assertThat(fast.callsByTier().get(t)).as(name).isCloseTo(full.callsByTier().get(t), within(1e-6));
                assertThat(fast.actualCostUsd()).isCloseTo(full.actualCostUsd(), within(1e-9));
                // normal intervals from the class sums, against the replay's bootstrap: about as wide
                double fastWidth = fast.successCi()[1] - fast.successCi()[0], fullWidth = full.successCi()[1] - full.successCi()[0];
                assertThat(fastWidth).as(name).isBetween(0.75 * fullWidth, 1.25 * fullWidth);
                double fastSav = fast.savingsCi()[1] - fast.savingsCi()[0], fullSav = full.savingsCi()[1] - full.savingsCi()[0];
                assertThat(fastSav).as(name).isBetween(0.75 * fullSav, 1.25 * fullSav);
            }
        }
    }

    @Test
    void classesKeepTheScoreOnlyAsFinelyAsTheFamilysCutsAsk() throws Exception {
        ReplayWorld world = new ReplayWorld(6000, 5);
        Path log = world.write(dir.resolve("c.jsonl"), i -> i % 3 == 0);
        List<Policy> family = PolicyFile.parseFamily(ReplayTest.TIERS.formatted("grid")
            + "route: {strategy: threshold, thresholds: [0.4, 0.7], boundary_band: 0.0}\nescalate_on_failure: true\n"
            + "sweep:\n  thresholds: [0.3, 0.5, 0.7]\n  boundary_band: [0.0, 0.05]\n", "grid.yaml");
        try (Workspace ws = Workspace.open(dir.resolve("c.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            long scores;
            try (var st = ws.connection().createStatement(); var rs = st.executeQuery("SELECT count(DISTINCT router_score) FROM calls")) {
                rs.next();
                scores = rs.getLong(1);
            }
            Replay replay = Replay.prepare(ws.connection(), Filter.ALL, family.get(0));
            SweepClasses classes = SweepClasses.build(ws.connection(), replay.basisFor(family.get(0)), family.get(0), family);
            // the cuts are 0.25, 0.3, 0.45, 0.5, 0.65, 0.7: within a feature and score bin, a trace is at most one of
            // a few positions between them, where the scores themselves are thousands
            assertThat(scores).isGreaterThan(2000);
            assertThat(classes.classes()).isLessThan(scores / 10);
            for (Policy p : family) {
                ReplayResult fast = classes.run(p), full = replay.run(p);
                assertThat(fast.simulatedCostUsd()).as(p.name()).isCloseTo(full.simulatedCostUsd(), within(1e-9 * full.simulatedCostUsd()));
                assertThat(fast.simulatedSuccess()).as(p.name()).isCloseTo(full.simulatedSuccess(), within(1e-12));
            }
        }
    }
}
