package dev.routeledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.routeledger.policy.Policy;
import dev.routeledger.policy.PolicyFile;
import dev.routeledger.sample.SampleGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** replay, sweep and optimize on a generated log: SPEC §7's JSON keys, exit codes, and files that read back. */
class ReplayCliTest extends CliTestBase {
    @TempDir Path dir;
    String ws;
    Path policy;


    @BeforeEach
    void workspace() throws Exception {
        ws = dir.resolve("ws.duckdb").toString();
        Path log = dir.resolve("s.jsonl.gz");
        assertThat(run("sample", "--out", log.toString(), "--traces", "4000", "--seed", "5")).isZero();
        assertThat(run("import", log.toString(), "--workspace", ws)).isZero();
        policy = Files.writeString(dir.resolve("as-logged.yaml"), SampleGenerator.gatewayPolicy());
    }

    @Test
    void replayPrintsEveryKeyOfTheContractAndGivesBackTheGeneratorsGateway() throws Exception {
        assertThat(run("replay", "--policy", policy.toString(), "--workspace", ws, "--json")).isZero();
        JsonNode r = json();
        for (String key : new String[] {"policy", "traces", "actual_cost_usd", "simulated_cost_usd", "savings_usd", "savings_pct", "savings_ci",
            "actual_success", "simulated_success", "success_ci", "calls_by_tier", "exact_share"}) {
            assertThat(r.has(key)).as(key).isTrue();
        }
        assertThat(r.get("traces").asLong()).isEqualTo(4000);
        assertThat(r.get("simulated_cost_usd").asDouble()).isCloseTo(r.get("actual_cost_usd").asDouble(), within(1e-9));
        assertThat(r.get("savings_ci")).hasSize(2);
        assertThat(r.get("calls_by_tier").size()).isEqualTo(3);
        assertThat(r.get("exact_share").asDouble()).isEqualTo(1.0);
        Path csv = dir.resolve("replay.csv");
        assertThat(run("replay", "--policy", policy.toString(), "--workspace", ws, "--csv", csv.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("cost").contains("success").contains("calls at tier 3");
        java.util.List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("policy,traces,actual_cost_usd,simulated_cost_usd").contains("success_ci_low").contains("calls_tier_3");
        assertThat(lines.get(1)).startsWith("acme-gateway-as-logged,4000,");
        assertThat(r.get("unmatched_names")).isEmpty();
        // a rule naming a user the log does not have does nothing: the replay runs, and says so
        Path typo = Files.writeString(dir.resolve("typo.yaml"), SampleGenerator.gatewayPolicy().replace("rules:\n", "rules:\n  - when: {user: [no-such-user]}\n    tier: 3\n"));
        assertThat(run("replay", "--policy", typo.toString(), "--workspace", ws, "--json")).isZero();
        assertThat(json().get("unmatched_names").get(0).asText()).isEqualTo("user 'no-such-user' (rules[0].when.user)");
        assertThat(run("replay", "--policy", typo.toString(), "--workspace", ws)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("NOTE: the policy names what no call in this scope has").contains("user 'no-such-user'");
    }

    @Test
    void aBrokenPolicyFailsWithItsLineAndAMissingOneIsAUsageError() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), SampleGenerator.gatewayPolicy().replace("thresholds: [0.55, 0.85]", "thresholds: [0.85, 0.55]"));
        assertThat(run("replay", "--policy", bad.toString(), "--workspace", ws)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.yaml line").contains("route.thresholds");
        assertThat(run("replay", "--workspace", ws)).isEqualTo(2);
        assertThat(run("replay", "--policy", policy.toString(), "--tiers", "1", "--workspace", ws)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("whole traces");
    }

    @Test
    void aPolicyDearerThanTheLogSaysItCostsMoreRatherThanANegativeSaving() throws Exception {
        // everything on the frontier tier: dearer than the gateway, which sent most traces to tier 1
        Path dear = Files.writeString(dir.resolve("dear.yaml"), SampleGenerator.gatewayPolicy().replace("thresholds: [0.55, 0.85]", "thresholds: [0.01, 0.02]"));
        assertThat(run("replay", "--policy", dear.toString(), "--workspace", ws, "--json")).isZero();
        JsonNode r = json();
        double more = -r.get("savings_usd").asDouble();
        assertThat(more).isPositive();
        assertThat(run("replay", "--policy", dear.toString(), "--workspace", ws)).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("costs " + Output.usd(more) + " more (").doesNotContain("saves $-").doesNotContain("saves -");
    }

    @Test
    void sweepMarksAFrontierThatNothingBeatsOnBothCostAndSuccess() throws Exception {
        Path family = Files.writeString(dir.resolve("family.yaml"), SampleGenerator.gatewayPolicy()
            + "sweep:\n  thresholds: [0.3, 0.5, 0.7, 0.9]\n  boundary_band: [0.0, 0.05]\n");
        Path csv = dir.resolve("sweep.csv");
        assertThat(run("sweep", "--family", family.toString(), "--workspace", ws, "--json", "--csv", csv.toString())).isZero();
        JsonNode points = json().get("points");
        assertThat(points).hasSize(12);
        assertThat(Files.readAllLines(csv)).hasSize(13).first().asString().endsWith("on_frontier");
        for (JsonNode p : points) {
            assertThat(p.has("policy") && p.has("simulated_cost_usd") && p.has("simulated_success")).isTrue();
            boolean dominated = false;
            for (JsonNode q : points) {
                dominated |= q.get("simulated_cost_usd").asDouble() < p.get("simulated_cost_usd").asDouble()
                    && q.get("simulated_success").asDouble() >= p.get("simulated_success").asDouble();
            }
            assertThat(p.get("on_frontier").asBoolean()).as(p.get("policy").asText()).isEqualTo(!dominated);
        }
    }

    @Test
    void optimizeWritesTheCheapestPolicyHoldingTheFloorAsFilesThatReadBack() throws Exception {
        Path family = Files.writeString(dir.resolve("family.yaml"), SampleGenerator.gatewayPolicy()
            + "sweep:\n  thresholds: [0.3, 0.5, 0.7, 0.9]\n  boundary_band: [0.0, 0.05]\n");
        Path outPolicy = dir.resolve("out/best.yaml");
        Path litellm = dir.resolve("out/config.yaml");
        assertThat(run("sweep", "--family", family.toString(), "--workspace", ws, "--json")).isZero();
        JsonNode sweep = json();
        assertThat(run("optimize", "--family", family.toString(), "--quality-floor", "0.9", "--out", outPolicy.toString(),
            "--litellm-config", litellm.toString(), "--workspace", ws, "--json")).isZero();
        JsonNode best = json();
        for (String key : new String[] {"policy", "simulated_cost_usd", "savings_pct", "simulated_success"}) assertThat(best.has(key)).as(key).isTrue();
        assertThat(best.get("success_ci").get(0).asDouble()).isGreaterThanOrEqualTo(0.9);
        // nothing cheaper in the sweep holds the floor
        for (JsonNode p : sweep.get("points")) {
            if (p.get("simulated_cost_usd").asDouble() < best.get("simulated_cost_usd").asDouble() - 1e-12) {
                assertThat(p.get("success_ci").get(0).asDouble()).as(p.get("policy").asText()).isLessThan(0.9);
            }
        }
        Policy written = PolicyFile.load(outPolicy);
        assertThat(written.name()).isEqualTo(best.get("policy").asText());
        // the written policy replays to the same figures
        assertThat(run("replay", "--policy", outPolicy.toString(), "--workspace", ws, "--json")).isZero();
        assertThat(json().get("simulated_cost_usd").asDouble()).isCloseTo(best.get("simulated_cost_usd").asDouble(), within(1e-9));
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(litellm));
        assertThat(config.get("model_list")).isNotEmpty();
        assertThat(config.get("router_settings").has("fallbacks")).isTrue();
        // a floor nothing holds is a failure that says what the best reached
        assertThat(run("optimize", "--family", family.toString(), "--quality-floor", "1.0", "--out", dir.resolve("none.yaml").toString(), "--workspace", ws)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no policy").contains("holds the quality floor");
        assertThat(Files.exists(dir.resolve("none.yaml"))).isFalse();
    }

    @Test
    void optimizeWithoutAFamilyUsesTheTiersTheLogHasWhateverTheirNumbers() throws Exception {
        // a gateway of mid and frontier models only (tiers 2 and 3 in the tier map), with shadow calls for evidence
        StringBuilder log = new StringBuilder();
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 400; i++) {
            double score = rnd.nextDouble();
            String served = score < 0.6 ? "gpt-4o-mini" : "gpt-4o", other = score < 0.6 ? "gpt-4o" : "gpt-4o-mini";
            String ts = String.format("2026-10-%02dT10:00:%02dZ", 1 + i % 28, i % 60);
            log.append(String.format(java.util.Locale.US, "{\"request_id\":\"r%d\",\"trace_id\":\"t%d\",\"timestamp\":\"%s\",\"model\":\"%s\",\"router_score\":%.4f,"
                + "\"prompt_tokens\":800,\"completion_tokens\":200,\"validation\":\"%s\"}%n", i, i, ts, served, score, rnd.nextDouble() < 0.9 ? "pass" : "fail"));
            if (i % 2 == 0) {
                log.append(String.format(java.util.Locale.US, "{\"request_id\":\"s%d\",\"trace_id\":\"t%d\",\"timestamp\":\"%s\",\"model\":\"%s\",\"router_score\":%.4f,"
                    + "\"prompt_tokens\":800,\"completion_tokens\":200,\"validation\":\"%s\",\"shadow\":true}%n", i, i, ts, other, score,
                    rnd.nextDouble() < (other.equals("gpt-4o") ? 0.95 : 0.8) ? "pass" : "fail"));
            }
        }
        Path file = Files.writeString(dir.resolve("mid-and-frontier.jsonl"), log);
        String ws2 = dir.resolve("ws2.duckdb").toString();
        assertThat(run("import", file.toString(), "--workspace", ws2)).isZero();
        assertThat(run("tiers", "--workspace", ws2, "--json")).isZero();
        Path out = dir.resolve("best2.yaml");
        assertThat(run("optimize", "--out", out.toString(), "--quality-floor", "0.5", "--workspace", ws2, "--json")).isZero();
        Policy best = PolicyFile.load(out);
        assertThat(best.tiers()).hasSize(2);
        assertThat(best.tiers().get(0).models()).containsExactly("gpt-4o-mini");
        assertThat(best.tiers().get(1).models()).containsExactly("gpt-4o");
    }

    @Test
    void theBundledSamplesPolicyIsTheGeneratorsGateway() throws Exception {
        assertThat(Files.readString(Path.of("sample-logs/acme-gateway-policy.yaml"))).isEqualTo(SampleGenerator.gatewayPolicy());
    }
}
