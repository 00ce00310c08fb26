package dev.routeledger.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.routeledger.analytics.Filter;
import dev.routeledger.ingest.Importer;
import dev.routeledger.policy.Policy;
import dev.routeledger.policy.PolicyFile;
import dev.routeledger.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eval sets (shadow-only traces) replay exactly and report the figures router papers publish. */
class EvalSetReplayTest {
    @TempDir Path dir;

    static Policy twoTier(String weak, String strong) throws Exception {
        return PolicyFile.parse("""
            routeledger_policy: 1
            name: pair
            tiers:
              - {name: weak, models: ['%s']}
              - {name: strong, models: ['%s']}
            route: {strategy: threshold, thresholds: [0.5], boundary_band: 0}
            """.formatted(weak, strong), "pair.yaml");
    }

    @Test
    void aRouterThatSendsExactlyTheStrongModelsWinsUpFirstHasTheCurveComputedByHand() throws Exception {
        // 100 prompts: the weak model is right on 60, the strong one on those and 30 more; the router scores the
        // 30 highest. Routing the top k% to the strong model gives (60 + min(k, 30)) % — at the deciles 60, 70,
        // 80, 90, 90 … 90. CPT(50 %): quality 75 % is reached halfway from 10 % to 20 % strong calls = 15 %;
        // CPT(80 %): 84 % at 24 %. APGR: area 0.065 + 0.075 + 0.085 + 0.9 × 0.7 = 0.855, against 0.6 for
        // the weak model and 0.9 for the strong one: 0.255 / 0.3 = 0.85.
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            double score = i < 30 ? 0.99 - i * 0.001 : 0.5 - (i - 30) * 0.001;
            boolean weakRight = i >= 30 && i < 90;
            boolean strongRight = i < 90;
            for (String[] m : new String[][] {{"weak-model", weakRight ? "1" : "0", "0.001"}, {"strong-model", strongRight ? "1" : "0", "0.01"}}) {
                sb.append("{\"request_id\":\"p").append(i).append('-').append(m[0]).append("\",\"trace_id\":\"p").append(i)
                    .append("\",\"timestamp\":\"2000-01-01T00:00:00Z\",\"model\":\"").append(m[0]).append("\",\"quality\":").append(m[1])
                    .append(",\"cost_usd\":").append(m[2]).append(",\"router_score\":").append(score).append(",\"shadow\":true}\n");
            }
        }
        Path log = Files.writeString(dir.resolve("eval.jsonl"), sb);
        try (Workspace ws = Workspace.open(dir.resolve("eval.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            Policy p = twoTier("weak-model", "strong-model");
            ReplayResult r = Replay.prepare(ws.connection(), Filter.ALL, p).run(p);
            assertThat(r.evalSet()).isTrue();
            assertThat(r.actualCostUsd()).isNull();
            assertThat(r.exactShare()).isEqualTo(1.0);
            // the threshold policy itself: scores ≥ 0.5 (the 30 wins and one prompt both models get right) go to the
            // strong model, the rest to the weak one: 31 + 59 right
            assertThat(r.simulatedSuccess()).isCloseTo(0.90, within(1e-12));
            assertThat(r.callsByTier()).containsExactly(69.0, 31.0);
            EvalMetrics e = r.eval();
            assertThat(e.prompts()).isEqualTo(100);
            assertThat(e.models()).extracting(EvalMetrics.ModelPoint::success).containsExactly(0.6, 0.9);
            assertThat(e.oracleSuccess()).isCloseTo(0.9, within(1e-12));
            // oracle cost: the weak model where it is right (60 × 0.001), the strong where only it is (30 × 0.01),
            // the cheapest where neither is (10 × 0.001)
            assertThat(e.oracleCostUsd()).isCloseTo(0.06 + 0.3 + 0.01, within(1e-12));
            EvalMetrics.RouterCurve c = e.router();
            assertThat(c.scores()).isEqualTo("router_score");
            assertThat(c.cpt50()).isCloseTo(0.15, within(1e-9));
            assertThat(c.cpt80()).isCloseTo(0.24, within(1e-9));
            assertThat(c.apgr()).isCloseTo(0.85, within(1e-9));
        }
    }

    /**
     * Validation on RouteLLM's MMLU responses (skipped when ../shared is absent): each model's accuracy as the
     * CSVs say, and a random router at its known place — APGR about 0.5, CPT(50 %) about 50 % of calls.
     */
    @Test
    void routeLlmsMmluGivesTheModelsAccuraciesAndARandomRouterAtHalf() throws Exception {
        Path mmlu = Path.of(System.getProperty("routeledger.shared", "../shared"), "datasets", "routellm", "mmlu");
        assumeTrue(Files.isDirectory(mmlu), "../shared/datasets is not here");
        List<Path> files;
        try (Stream<Path> s = Files.list(mmlu)) {
            files = s.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
        }
        String weak = "mistralai/Mixtral-8x7B-Instruct-v0.1", strong = "gpt-4-1106-preview";
        // the truth, read straight from the CSVs: per distinct prompt (a prompt asked twice counts once, as the import keeps it)
        Map<String, boolean[]> byPrompt = new HashMap<>();
        CsvMapper csv = new CsvMapper();
        for (Path f : files) {
            try (MappingIterator<Map<String, String>> it = csv.readerFor(Map.class).with(CsvSchema.emptySchema().withHeader()).readValues(f.toFile())) {
                while (it.hasNext()) {
                    Map<String, String> row = it.next();
                    byPrompt.putIfAbsent(row.get("prompt"), new boolean[] {"True".equals(row.get(weak)), "True".equals(row.get(strong))});
                }
            }
        }
        try (Workspace ws = Workspace.open(dir.resolve("mmlu.duckdb"))) {
            Importer importer = new Importer(ws, null);
            for (Path f : files) importer.importFile(f, "eval-wide");
            Policy p = twoTier(weak, strong);
            ReplayResult r = Replay.prepare(ws.connection(), Filter.ALL, p).run(p);
            EvalMetrics.RouterCurve c = r.eval().router();
            assertThat(c.scores()).isEqualTo("random");
            long n = c.prompts();
            assertThat(n).isBetween((long) (byPrompt.size() * 0.99), (long) byPrompt.size());
            double weakTruth = byPrompt.values().stream().filter(b -> b[0]).count() / (double) byPrompt.size();
            double strongTruth = byPrompt.values().stream().filter(b -> b[1]).count() / (double) byPrompt.size();
            assertThat(c.weakQuality()).isCloseTo(weakTruth, within(0.005));
            assertThat(c.strongQuality()).isCloseTo(strongTruth, within(0.005));
            assertThat(c.apgr()).isBetween(0.45, 0.55);
            assertThat(c.cpt50()).isBetween(0.45, 0.55);
            assertThat(c.cpt80()).isBetween(0.75, 0.85);
        }
    }

    /**
     * Validation on RouterBench's MBPP rows (skipped when ../shared is absent): each model's point and the oracle
     * (the cheapest model that solves a prompt; the cheapest when none does), computed straight from the CSV.
     */
    @Test
    void routerBenchMbppGivesTheModelsPointsAndTheOracleAsTheCsvDoes() throws Exception {
        Path csvFile = Path.of(System.getProperty("routeledger.shared", "../shared"), "datasets", "routerbench-subset", "mbpp_test.csv");
        assumeTrue(Files.isRegularFile(csvFile), "../shared/datasets is not here");
        List<Map<String, String>> rows = new java.util.ArrayList<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class).with(CsvSchema.emptySchema().withHeader()).readValues(csvFile.toFile())) {
            while (it.hasNext()) rows.add(it.next());
        }
        List<String> models = rows.get(0).keySet().stream()
            .filter(k -> !k.isEmpty() && !k.contains("|") && !List.of("sample_id", "prompt", "eval_name", "oracle_model_to_route_to").contains(k)).toList();
        double oracleRight = 0, oracleCost = 0;
        Map<String, double[]> perModel = new HashMap<>();
        for (Map<String, String> row : rows) {
            double cheapestRight = Double.MAX_VALUE, cheapest = Double.MAX_VALUE;
            for (String m : models) {
                double cost = Double.parseDouble(row.get(m + "|total_cost")), score = Double.parseDouble(row.get(m));
                double[] e = perModel.computeIfAbsent(m, x -> new double[2]);
                e[0] += score;
                e[1] += cost;
                cheapest = Math.min(cheapest, cost);
                if (score >= 0.7) cheapestRight = Math.min(cheapestRight, cost);
            }
            if (cheapestRight < Double.MAX_VALUE) oracleRight++;
            oracleCost += cheapestRight < Double.MAX_VALUE ? cheapestRight : cheapest;
        }
        try (Workspace ws = Workspace.open(dir.resolve("rb.duckdb"))) {
            new Importer(ws, null).importFile(csvFile, "eval-wide");
            Policy p = twoTier("gpt-3.5-turbo-1106", "gpt-4-1106-preview");
            EvalMetrics e = Replay.prepare(ws.connection(), Filter.ALL, p).run(p).eval();
            assertThat(e.prompts()).isEqualTo(rows.size());
            assertThat(e.oracleSuccess()).isCloseTo(oracleRight / rows.size(), within(1e-12));
            assertThat(e.oracleCostUsd()).isCloseTo(oracleCost, within(1e-9));
            assertThat(e.models()).hasSize(models.size());
            for (EvalMetrics.ModelPoint m : e.models()) {
                assertThat(m.success()).as(m.model()).isCloseTo(perModel.get(m.model())[0] / rows.size(), within(1e-12));
                assertThat(m.costUsd()).as(m.model()).isCloseTo(perModel.get(m.model())[1], within(1e-9));
            }
            assertThat(e.router().prompts()).isEqualTo(rows.size());
        }
    }
}
