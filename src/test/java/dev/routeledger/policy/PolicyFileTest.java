package dev.routeledger.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy files (SPEC §6.1): the example of the spec, each strategy, every kind of bad file, and the round trip. */
class PolicyFileTest {
    @TempDir Path dir;

    static final String TIERS = """
        routeledger_policy: 1
        name: t
        tiers:
          - name: fast
            models: [groq/llama-3.3-70b-versatile]
          - name: balanced
            models: [claude-3-haiku-20240307]
          - name: frontier
            models: [gpt-4o, claude-3-opus-20240229]
        """;

    static Policy parse(String yaml) throws PolicyException {
        return PolicyFile.parse(yaml, "p.yaml");
    }

    @Test
    void theSpecsExampleReadsAsWritten() throws Exception {
        Policy p = PolicyFile.load(Path.of("src/test/resources/policies/spec-example.yaml"));
        assertThat(p.name()).isEqualTo("threshold-0.55-0.85");
        assertThat(p.tiers()).extracting(Policy.Tier::name).containsExactly("fast", "balanced", "frontier");
        assertThat(p.tiers().get(0).primary()).isEqualTo("groq/llama-3.3-70b-versatile");
        assertThat(p.route()).isEqualTo(new Policy.Threshold(List.of(0.55, 0.85), 0.05));
        assertThat(p.rules()).containsExactly(
            new Policy.Rule(Map.of("feature", List.of("contract-analysis")), null, 3),
            new Policy.Rule(Map.of("user", List.of("ceo")), 3, null));
        assertThat(p.escalateOnFailure()).isTrue();
        assertThat(p.contextWindow()).isTrue();
        assertThat(p.cache()).isEqualTo(new Policy.Cache(true, 1440));
    }

    @Test
    void cascadeAndStaticRoutesWithTiersByNumberOrName() throws Exception {
        Policy c = parse(TIERS + "route: {strategy: cascade, start_tier: fast, accept: {min_confidence: 0.7}, max_tier: 3}\n");
        assertThat(c.route()).isEqualTo(new Policy.Cascade(1, new Policy.Accept(0.7, false, null), 3));
        Policy v = parse(TIERS + "route: {strategy: cascade, accept: {validation: pass}}\n");
        assertThat(v.route()).isEqualTo(new Policy.Cascade(1, new Policy.Accept(null, true, null), 3));
        Policy s = parse(TIERS + "route:\n  strategy: static\n  by_feature: {telegram-support: 1, contract-analysis: frontier}\n  default_tier: 2\n");
        assertThat(s.route()).isEqualTo(new Policy.Static(Map.of("telegram-support", 1, "contract-analysis", 3), 2));
        assertThat(s.cache()).isEqualTo(Policy.Cache.NONE);
        assertThat(s.escalateOnFailure()).isFalse();
    }

    @Test
    void jsonReadsLikeYaml() throws Exception {
        Policy yaml = PolicyFile.load(Path.of("src/test/resources/policies/spec-example.yaml"));
        Path json = dir.resolve("p.json");
        Files.writeString(json, PolicyWriter.json(yaml));
        assertThat(PolicyFile.load(json)).isEqualTo(yaml);
    }

    @Test
    void theExportReadsBackAsTheSamePolicy() throws Exception {
        for (String route : List.of("route: {strategy: threshold, thresholds: [0.4, 0.8], boundary_band: 0.02}",
                "route: {strategy: cascade, start_tier: 2, accept: {min_quality: 1.0}, max_tier: 3}",
                "route: {strategy: static, by_feature: {a: 1}, default_tier: 3}")) {
            Policy p = parse(TIERS + route + "\nrules:\n  - when: {team: [legal], feature: contracts}\n    tier: 3\n"
                + "cache: {exact_match: true, ttl_minutes: 60}\n");
            assertThat(parse(PolicyWriter.yaml(p))).isEqualTo(p);
            assertThat(PolicyFile.parse(PolicyWriter.json(p), "p.json")).isEqualTo(p);
        }
    }

    static void refused(String text, String... expected) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(PolicyException.class).message().contains(expected);
    }

    @Test
    void unknownKeysAndWrongTypesNameTheLineAndTheKey() {
        refused(TIERS + "route: {strategy: threshold, thresholds: [0.5, 0.8]}\ncolour: blue\n", "p.yaml line 11: colour: unknown key");
        refused(TIERS + "route:\n  strategy: threshold\n  thresholds: [0.5, 0.8]\n  band: 0.1\n", "line 13: route.band: unknown key");
        refused(TIERS + "route: {strategy: threshold, thresholds: [0.5, high]}\n", "line 10: route.thresholds[1]: must be a number, not 'high'");
        refused(TIERS + "route: {strategy: threshold, thresholds: [0.5, 0.8]}\nescalate_on_failure: sometimes\n",
            "line 11: escalate_on_failure: must be true or false");
        refused(TIERS + "route: {strategy: threshold, thresholds: [0.5, 0.8]}\nrules:\n  - when: {model: [gpt-4o]}\n    tier: 1\n",
            "line 12: rules[0].when.model: unknown key");
        refused(TIERS.replace("routeledger_policy: 1", "routeledger_policy: 2") + "route: {strategy: static, default_tier: 1}\n",
            "line 1: routeledger_policy: this RouteLedger reads policy version 1, not 2");
        refused(TIERS + "route: {strategy: random}\n", "line 10: route.strategy: is one of threshold, cascade, static");
        refused(TIERS, "(top level): 'route' is missing");
    }

    @Test
    void thresholdsOfTheWrongLengthOutOfRangeOrNotIncreasing() {
        refused(TIERS + "route: {strategy: threshold, thresholds: [0.5]}\n", "line 10: route.thresholds: needs 2 values (one fewer than the 3 tiers), not 1");
        refused(TIERS + "route: {strategy: threshold, thresholds: [0.5, 1.2]}\n", "route.thresholds[1]: a threshold is a router score from 0 to 1, not 1.2");
        refused(TIERS + "route: {strategy: threshold, thresholds: [-0.1, 0.5]}\n", "route.thresholds[0]: a threshold is a router score from 0 to 1");
        refused(TIERS + "route: {strategy: threshold, thresholds: [0.8, 0.5]}\n", "route.thresholds[1]: thresholds must increase");
        refused(TIERS + "route: {strategy: threshold, thresholds: [0.5, 0.8], boundary_band: 1}\n", "route.boundary_band: a band is");
    }

    @Test
    void aTierReferencedButNotDefined() {
        refused(TIERS + "route: {strategy: static, default_tier: 4}\n", "line 10: route.default_tier: tier 4 is not defined (the policy has tiers 1 to 3)");
        refused(TIERS + "route: {strategy: static, by_feature: {x: ultra}, default_tier: 1}\n",
            "route.by_feature.x: tier 'ultra' is not defined (tiers: fast, balanced, frontier)");
        refused(TIERS + "route: {strategy: threshold, thresholds: [0.5, 0.8]}\nrules:\n  - when: {user: ceo}\n    min_tier: 0\n",
            "line 13: rules[0].min_tier: tier 0 is not defined");
        refused(TIERS + "route: {strategy: cascade, start_tier: 3, accept: {min_confidence: 0.5}, max_tier: 2}\n", "route.max_tier: max_tier (2) is below start_tier (3)");
    }

    @Test
    void otherMistakes() {
        refused(TIERS + "route: {strategy: cascade, accept: {min_confidence: 0.7, validation: pass}}\n", "route.accept: needs exactly one of");
        refused(TIERS + "route: {strategy: cascade, accept: {validation: fail}}\n", "route.accept.validation: the only validation");
        refused(TIERS + "route: {strategy: threshold, thresholds: [0.5, 0.8]}\nrules:\n  - when: {user: ceo}\n    tier: 3\n    min_tier: 2\n",
            "line 12: rules[0]: needs exactly one of 'tier'");
        refused(TIERS + "route: {strategy: threshold, thresholds: [0.5, 0.8]}\ncache: {exact_match: true, ttl_minutes: 0}\n",
            "cache.ttl_minutes: must be a positive number of minutes");
        refused(TIERS.replace("name: balanced", "name: fast") + "route: {strategy: static, default_tier: 1}\n", "line 6: tiers[1].name: tier 'fast' is defined twice");
        refused(TIERS.replace("models: [claude-3-haiku-20240307]", "models: []") + "route: {strategy: static, default_tier: 1}\n",
            "line 7: tiers[1].models: needs at least 1 entry");
        // a logged call counts at the tier that lists its model: one model in two tiers is refused, not replayed twice over
        refused(TIERS.replace("models: [claude-3-haiku-20240307]", "models: [claude-3-haiku-20240307, groq/llama-3.3-70b-versatile]")
            + "route: {strategy: static, default_tier: 1}\n", "line 7: tiers[1].models[1]: model 'groq/llama-3.3-70b-versatile' is already in tier 1 (fast)");
        refused(TIERS.replace("models: [claude-3-haiku-20240307]", "models: [claude-3-haiku-20240307, claude-3-haiku-20240307]")
            + "route: {strategy: static, default_tier: 1}\n", "line 7: tiers[1].models[1]: model 'claude-3-haiku-20240307' is listed twice in this tier");
    }

    @Test
    void notPlainDataOrNotAPolicyAtAll() throws Exception {
        refused(TIERS + "route: !!java.io.File {strategy: static}\n", "line 10: the YAML type tag");
        refused(TIERS + "route: {strategy: static, default_tier: 1}\nname: again\n", "line 11", "is not valid YAML", "Duplicate field 'name'");
        refused("routeledger_policy: 1\ntiers: [\n", "is not valid YAML");
        refused("", "is empty");
        assertThatThrownBy(() -> PolicyFile.parse("{\"routeledger_policy\": 1,}", "p.json")).isInstanceOf(PolicyException.class)
            .hasMessageContaining("p.json line 1 is not valid JSON");
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, TIERS + "# " + "x".repeat((int) PolicyFile.MAX_BYTES) + "\n");
        assertThatThrownBy(() -> PolicyFile.load(big)).hasMessageContaining("is larger than 256 KB");
        assertThatThrownBy(() -> PolicyFile.load(dir.resolve("missing.yaml"))).hasMessageContaining("does not exist");
        Path binary = dir.resolve("binary.yaml");
        Files.write(binary, new byte[] {'P', 'K', 3, 4, (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 0, 1});
        assertThatThrownBy(() -> PolicyFile.load(binary)).hasMessageContaining("binary.yaml is not UTF-8 text");
    }
}
