package dev.routeledger.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.routeledger.analytics.Filter;
import dev.routeledger.ingest.Importer;
import dev.routeledger.policy.Policy;
import dev.routeledger.store.Workspace;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large scope's basis is stored in the workspace by its first replay and read back by the next one, in another
 * connection; an import makes it stale. The threshold for classes is lowered so a small log takes that path.
 */
class BasisCacheTest {
    @TempDir Path dir;
    private long before;

    @BeforeEach
    void classes() {
        before = ReplayBasis.perTraceMaxCalls;
        ReplayBasis.perTraceMaxCalls = 0;
    }

    @AfterEach
    void restore() {
        ReplayBasis.perTraceMaxCalls = before;
        BasisCache.enabled = true;
    }

    @Test
    void theNextReplayOfAScopeReadsItsStoredBasisUntilTheCallsChange() throws Exception {
        ReplayWorld world = new ReplayWorld(12000, 31);
        Path log = world.write(dir.resolve("a.jsonl"), i -> i % 4 == 0);
        Policy p = ReplayTest.policy("two", "route: {strategy: threshold, thresholds: [0.45, 0.75], boundary_band: 0.05}\nescalate_on_failure: true\n");
        Path wsPath = dir.resolve("w.duckdb");
        ReplayResult first;
        try (Workspace ws = Workspace.open(wsPath)) {
            new Importer(ws, null).importFile(log, "auto");
            first = Replay.prepare(ws.connection(), Filter.ALL, p).run(p);
            assertThat(stored(ws.connection())).hasSize(1);
        }
        // a new connection has none of the first one's temporary tables: the same figures, from the stored basis
        try (Workspace ws = Workspace.open(wsPath)) {
            ReplayResult again = Replay.prepare(ws.connection(), Filter.ALL, p).run(p);
            assertSame(again, first);
            // proof that it was read, not built again: a stored basis with its actual costs doubled doubles them
            exec(ws.connection(), "UPDATE main." + stored(ws.connection()).get(0) + " SET actual_cost = actual_cost * 2");
            ReplayResult tampered = Replay.prepare(ws.connection(), Filter.ALL, p).run(p);
            assertThat(tampered.actualCostUsd()).isCloseTo(2 * first.actualCostUsd(), within(1e-9 * first.actualCostUsd()));
            // built afresh (nothing stored or read) it gives the first figures
            BasisCache.enabled = false;
            assertSame(Replay.prepare(ws.connection(), Filter.ALL, p).run(p), first);
            BasisCache.enabled = true;

            // an import changes the calls: the stored basis is stale, built again from every call and stored anew
            Path more = new ReplayWorld(3000, 32).write(dir.resolve("b.jsonl"), i -> i % 5 == 0);
            // other traces than the first log's (its ids prefixed)
            java.nio.file.Files.writeString(more, java.nio.file.Files.readString(more).replace("_id\":\"", "_id\":\"b-"));
            new Importer(ws, null).importFile(more, "auto");
            ReplayResult after = Replay.prepare(ws.connection(), Filter.ALL, p).run(p);
            BasisCache.enabled = false;
            ReplayResult built = Replay.prepare(ws.connection(), Filter.ALL, p).run(p);
            assertThat(after.traces()).isEqualTo(built.traces()).isGreaterThan(first.traces());
            assertSame(after, built);
            assertThat(stored(ws.connection())).as("the stale basis dropped, the new one kept").hasSize(1);
        }
    }

    @Test
    void aWorkspaceKeepsOnlyItsNewestStoredBases() throws Exception {
        Path log = new ReplayWorld(4000, 33).write(dir.resolve("c.jsonl"), i -> i % 3 == 0);
        Policy p = ReplayTest.policy("one", "route: {strategy: threshold, thresholds: [0.4, 0.7], boundary_band: 0}\n");
        try (Workspace ws = Workspace.open(dir.resolve("k.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            List<ReplayResult> results = new ArrayList<>();
            for (int i = 0; i < BasisCache.KEEP + 2; i++) {
                // scopes that differ (each from another year) but hold the same calls
                Filter scope = Filter.ALL.withRange(LocalDateTime.of(1990 + i, 1, 1, 0, 0), null);
                results.add(Replay.prepare(ws.connection(), scope, p).run(p));
                assertThat(stored(ws.connection())).hasSize(Math.min(i + 1, BasisCache.KEEP));
            }
            for (ReplayResult r : results) assertSame(r, results.get(0));
        }
    }

    private static void assertSame(ReplayResult a, ReplayResult b) {
        assertThat(a.traces()).isEqualTo(b.traces());
        assertThat(a.actualCostUsd()).isCloseTo(b.actualCostUsd(), within(1e-9 * b.actualCostUsd()));
        assertThat(a.simulatedCostUsd()).isCloseTo(b.simulatedCostUsd(), within(1e-9 * b.simulatedCostUsd()));
        assertThat(a.simulatedSuccess()).isCloseTo(b.simulatedSuccess(), within(1e-12));
        assertThat(a.exactShare()).isCloseTo(b.exactShare(), within(1e-12));
        for (int i = 0; i < 2; i++) assertThat(a.savingsCi()[i]).isCloseTo(b.savingsCi()[i], within(1e-9 * b.actualCostUsd()));
    }

    private static List<String> stored(Connection conn) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary AND starts_with(table_name, 'rb_cache_obs_') ORDER BY 1")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private static void exec(Connection conn, String sql) throws Exception {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        }
    }
}
