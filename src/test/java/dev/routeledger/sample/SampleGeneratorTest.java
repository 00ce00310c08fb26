package dev.routeledger.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.routeledger.ingest.ImportResult;
import dev.routeledger.ingest.Importer;
import dev.routeledger.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleGeneratorTest {
    @TempDir Path dir;

    private static SampleGenerator.Config config(long traces, long seed) {
        return new SampleGenerator.Config(traces, 30, seed, SampleGenerator.DEFAULT_START);
    }

    @Test
    void theSameSeedWritesTheSameBytesAndAnotherSeedOtherBytes() throws Exception {
        Path a = dir.resolve("a.jsonl.gz"), b = dir.resolve("b.jsonl.gz"), c = dir.resolve("c.jsonl.gz");
        new SampleGenerator(config(2000, 7)).write(a);
        new SampleGenerator(config(2000, 7)).write(b);
        new SampleGenerator(config(2000, 8)).write(c);
        assertThat(Files.mismatch(a, b)).isEqualTo(-1);
        assertThat(Files.mismatch(a, c)).isNotEqualTo(-1);
    }

    @Test
    void theTrafficLooksLikeTheSeedsDescribeIt() throws Exception {
        Path log = dir.resolve("s.jsonl");
        SampleGenerator.Stats stats = new SampleGenerator(config(20_000, 42)).write(log);
        try (Workspace ws = Workspace.inMemory()) {
            ImportResult r = new Importer(ws, null).importFile(log, "canonical");
            assertThat(r.rowsLoaded()).isEqualTo(stats.calls());
            assertThat(r.rowsRejected()).isZero();
            try (Statement s = ws.connection().createStatement()) {
                ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE tier = 1) / count(*), count(*) FILTER (WHERE tier = 2) / count(*),"
                    + " count(*) FILTER (WHERE tier = 3) / count(*), sum(cost_usd) FILTER (WHERE tier = 3) / sum(cost_usd) FROM calls WHERE NOT shadow");
                rs.next();
                assertThat(rs.getDouble(1)).as("tier 1 share of calls").isBetween(0.70, 0.82);
                assertThat(rs.getDouble(2)).as("tier 2 share of calls").isBetween(0.14, 0.24);
                assertThat(rs.getDouble(3)).as("tier 3 share of calls").isBetween(0.03, 0.08);
                assertThat(rs.getDouble(4)).as("tier 3 share of spend").isGreaterThan(0.5);

                rs = s.executeQuery("SELECT user_id FROM calls WHERE NOT shadow GROUP BY 1 ORDER BY sum(cost_usd) DESC LIMIT 1");
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(SampleGenerator.POWER_USER);
                rs = s.executeQuery("SELECT count(DISTINCT prompt_hash), bool_and(tier = 3), count(*) FILTER (WHERE escalation_reason = 'rule') > 0"
                    + " FROM calls WHERE user_id = '" + SampleGenerator.POWER_USER + "' AND NOT shadow");
                rs.next();
                assertThat(rs.getLong(1)).as("the power user's distinct prompts").isLessThanOrEqualTo(12);
                assertThat(rs.getBoolean(2)).isTrue();
                assertThat(rs.getBoolean(3)).isTrue();

                rs = s.executeQuery("SELECT count(DISTINCT escalation_reason), count(*) FILTER (WHERE shadow), count(*) FILTER (WHERE quality IS NOT NULL),"
                    + " count(*) FILTER (WHERE feedback IS NOT NULL), count(*) FILTER (WHERE status <> 'ok'), count(*) FILTER (WHERE cached_tokens > 0),"
                    + " count(DISTINCT feature), count(DISTINCT team), count(DISTINCT model), count(DISTINCT user_id) FROM calls");
                rs.next();
                // rule, boundary band, failed validation, error fallback: what a policy file can say (no low-confidence cascade)
                assertThat(rs.getLong(1)).as("escalation reasons").isEqualTo(4);
                for (int i = 2; i <= 6; i++) assertThat(rs.getLong(i)).isPositive();
                assertThat(rs.getLong(7)).isEqualTo(8);
                assertThat(rs.getLong(8)).isGreaterThanOrEqualTo(6);
                assertThat(rs.getLong(9)).isEqualTo(6);
                assertThat(rs.getLong(10)).isGreaterThan(1000);
            }
        }
    }
}
