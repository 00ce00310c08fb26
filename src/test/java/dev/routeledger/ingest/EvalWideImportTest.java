package dev.routeledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Eval sets in the wide layout become shadow calls, one per (prompt, model), with the score as quality. */
class EvalWideImportTest extends ImportTestBase {

    @Test
    void routeLlmSliceBecomesShadowCallsWithCorrectness() throws Exception {
        Path csv = dir.resolve("mmlu_anatomy_first40.csv");
        try (InputStream in = getClass().getResourceAsStream("/routellm/mmlu_anatomy_first40.csv")) {
            Files.copy(in, csv);
        }
        ImportResult r = importer.importFile(csv, "auto");
        assertThat(r.format()).isEqualTo("eval-wide");
        assertThat(r.rowsRead()).isEqualTo(80); // 40 prompts × 2 models
        assertThat(r.rowsLoaded()).isEqualTo(80);
        Map<String, double[]> byModel = new HashMap<>();
        try (Statement s = ws.connection().createStatement(); ResultSet rs = s.executeQuery(
                "SELECT model, count(*), sum(quality), bool_and(shadow), count(DISTINCT trace_id), count(prompt_hash) FROM calls GROUP BY model")) {
            while (rs.next()) {
                assertThat(rs.getBoolean(4)).isTrue();
                assertThat(rs.getLong(5)).isEqualTo(40);
                assertThat(rs.getLong(6)).isEqualTo(40);
                byModel.put(rs.getString(1), new double[] {rs.getLong(2), rs.getDouble(3)});
            }
        }
        // counted in the CSV: 26 of 40 True for Mixtral, 31 for GPT-4
        assertThat(byModel.get("mistralai/Mixtral-8x7B-Instruct-v0.1")[1]).isEqualTo(26);
        assertThat(byModel.get("gpt-4-1106-preview")[1]).isEqualTo(31);
        // re-importing the same eval set adds nothing
        ImportResult again = importer.importFile(csv, "auto");
        assertThat(again.rowsLoaded()).isZero();
        assertThat(again.rowsDuplicate()).isEqualTo(80);
    }

    @Test
    void emptyScoreCellsAreSkippedNotScoredZero() throws Exception {
        Path csv = dir.resolve("bench.csv");
        Files.writeString(csv, ",sample_id,prompt,eval_name,model-a,model-b,model-a|total_cost,model-b|total_cost,model-a|model_response,oracle_model_to_route_to\n"
            + "0,s1,\"['q1']\",arc,1.0,0.0,0.001,0.02,\"['A']\",model-a\n"
            + "1,s2,\"['q2']\",arc,,1.0,,0.03,,model-b\n");
        ImportResult r = importer.importFile(csv, "auto");
        assertThat(r.format()).isEqualTo("eval-wide");
        assertThat(r.rowsRead()).isEqualTo(4);
        assertThat(r.rowsLoaded()).isEqualTo(3);
        assertThat(r.rowsSkipped()).isEqualTo(1);
        try (Statement s = ws.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT request_id, trace_id, feature, quality, cost_usd FROM calls ORDER BY request_id")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("s1|model-a");
            assertThat(rs.getString(2)).isEqualTo("s1");
            assertThat(rs.getString(3)).isEqualTo("arc");
            assertThat(rs.getDouble(4)).isEqualTo(1.0);
            assertThat(rs.getDouble(5)).isEqualTo(0.001);
        }
    }

    /**
     * Validation on RouterBench's ARC-Challenge rows (skipped when ../shared is absent): per-model accuracy and total
     * cost over the complete rows must be what the CSV says. RouterBench drops incomplete rows; 14 sample_ids occur
     * twice with complementary empty cells, which the workspace (rightly) joins into one trace, so those ids are
     * left out of both sides.
     */
    @Test
    void routerBenchArcChallengeMatchesTheCsv() throws Exception {
        Path shared = Path.of(System.getProperty("routeledger.shared", "../shared"), "datasets", "routerbench-subset");
        assumeTrue(Files.isDirectory(shared), "../shared/datasets is not here");
        List<String> models = new ArrayList<>();
        Map<String, double[]> expected = new HashMap<>(); // model → {correct, cost, rows}
        Map<String, Integer> rowsPerId = new HashMap<>();
        List<Map<String, String>> all = new ArrayList<>();
        for (String f : List.of("arc_challenge_train.csv", "arc_challenge_test.csv")) {
            Path p = shared.resolve(f);
            importer.importFile(p, "auto");
            CsvMapper mapper = new CsvMapper();
            try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader()).readValues(p.toFile())) {
                while (it.hasNext()) {
                    Map<String, String> row = it.next();
                    all.add(row);
                    rowsPerId.merge(row.get("sample_id"), 1, Integer::sum);
                    if (models.isEmpty()) {
                        for (String k : row.keySet()) {
                            if (!k.isEmpty() && !k.contains("|") && !Set.of("sample_id", "prompt", "eval_name", "oracle_model_to_route_to").contains(k)) models.add(k);
                        }
                    }
                }
            }
        }
        assertThat(models).hasSize(11);
        Set<String> merged = new HashSet<>();
        rowsPerId.forEach((id, n) -> {
            if (n > 1) merged.add(id);
        });
        assertThat(merged).hasSize(14);
        long complete = 0;
        for (Map<String, String> row : all) {
            if (merged.contains(row.get("sample_id")) || models.stream().anyMatch(m -> row.get(m) == null || row.get(m).isEmpty())) continue;
            complete++;
            for (String m : models) {
                double[] e = expected.computeIfAbsent(m, k -> new double[3]);
                e[0] += Double.parseDouble(row.get(m));
                e[1] += Double.parseDouble(row.get(m + "|total_cost"));
                e[2]++;
            }
        }
        String excluded = String.join(",", merged.stream().map(id -> "'" + id.replace("'", "''") + "'").toList());
        try (PreparedStatement ps = ws.connection().prepareStatement(
                "WITH full_traces AS (SELECT trace_id FROM calls GROUP BY trace_id HAVING count(DISTINCT model) = ?)"
                    + " SELECT model, count(*), avg(quality), sum(cost_usd) FROM calls"
                    + " WHERE trace_id IN (SELECT trace_id FROM full_traces) AND trace_id NOT IN (" + excluded + ") GROUP BY model")) {
            ps.setInt(1, models.size());
            try (ResultSet rs = ps.executeQuery()) {
                int seen = 0;
                while (rs.next()) {
                    double[] e = expected.get(rs.getString(1));
                    assertThat(e).as(rs.getString(1)).isNotNull();
                    assertThat(rs.getLong(2)).isEqualTo(complete);
                    assertThat(rs.getDouble(3)).as("accuracy of " + rs.getString(1)).isCloseTo(e[0] / e[2], within(1e-12));
                    assertThat(rs.getDouble(4)).as("cost of " + rs.getString(1)).isCloseTo(e[1], within(1e-9));
                    seen++;
                }
                assertThat(seen).isEqualTo(11);
            }
        }
    }
}
