package dev.routeledger.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.routeledger.ingest.Importer;
import dev.routeledger.sample.SampleGenerator;
import dev.routeledger.store.Workspace;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** reconcile finds exactly the cost faults the generator planted, and nothing else. */
class ReconcileTest {
    @TempDir Path dir;

    @Test
    void findsThePlantedCostErrors() throws Exception {
        Path log = dir.resolve("month.jsonl");
        SampleGenerator.Stats stats = new SampleGenerator(new SampleGenerator.Config(6000, 31, 7, SampleGenerator.DEFAULT_START)).write(log);
        assertThat(stats.costErrors()).hasSizeGreaterThan(20);
        try (Workspace ws = Workspace.open(dir.resolve("ws.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            Reconciliation.Result r = Reconciliation.run(ws.connection(), "2026-10", 5, 1_000_000);
            Set<String> found = r.calls().stream().map(Reconciliation.Call::requestId).collect(Collectors.toSet());
            assertThat(found).isEqualTo(Set.copyOf(stats.costErrors()));
            // the $0 days of claude-3-haiku show up as zero-logged calls of that model
            Reconciliation.ModelMonth haiku = r.models().stream().filter(m -> m.model().equals("claude-3-haiku-20240307")).findFirst().orElseThrow();
            assertThat(haiku.callsZeroLogged()).isPositive();
            assertThat(haiku.loggedUsd()).isLessThan(haiku.catalogUsd());
            assertThat(r.calls()).allMatch(c -> c.kind().equals("zero_logged") || c.loggedUsd() > c.catalogUsd() * 9.99);
            // another month has nothing to reconcile
            assertThat(Reconciliation.run(ws.connection(), "2026-09", 5, 10).models()).isEmpty();
        }
    }
}
