package dev.routeledger.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The LiteLLM proxy config exported for a policy, read back as LiteLLM's loader reads it: plain YAML. */
class LiteLlmConfigTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void oneModelGroupPerTierAndFallbacksChainingEachTierUp() throws Exception {
        Policy p = PolicyFile.load(Path.of("src/test/resources/policies/spec-example.yaml"));
        String text = LiteLlmConfig.yaml(p);
        assertThat(text).startsWith("# LiteLLM proxy config written by RouteLedger for policy 'threshold-0.55-0.85'.")
            .contains("# Route by router score: thresholds [0.55, 0.85], boundary band 0.05")
            .contains("# Rule: when {user=[ceo]} → tier 3.");
        JsonNode root = YAML.readTree(text);
        List<String> top = new ArrayList<>();
        root.fieldNames().forEachRemaining(top::add);
        assertThat(top).containsExactly("model_list", "router_settings");

        JsonNode models = root.get("model_list");
        assertThat(models).hasSize(4);
        List<String> groups = new ArrayList<>();
        List<String> deployments = new ArrayList<>();
        for (JsonNode m : models) {
            groups.add(m.get("model_name").asText());
            deployments.add(m.get("litellm_params").get("model").asText());
        }
        assertThat(groups).containsExactly("fast", "fast", "balanced", "frontier");
        assertThat(deployments).containsExactly("groq/llama-3.3-70b-versatile", "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
            "claude-3-haiku-20240307", "gpt-4o");
        assertThat(models.get(2).get("model_info").get("routeledger_tier").asInt()).isEqualTo(2);

        for (String key : List.of("fallbacks", "context_window_fallbacks")) {
            JsonNode chain = root.get("router_settings").get(key);
            assertThat(chain).hasSize(2);
            assertThat(chain.get(0).get("fast")).extracting(JsonNode::asText).containsExactly("balanced", "frontier");
            assertThat(chain.get(1).get("balanced")).extracting(JsonNode::asText).containsExactly("frontier");
            // every group a fallback names is a model group of the config
            Set<String> named = new HashSet<>();
            chain.forEach(entry -> entry.fields().forEachRemaining(e -> {
                named.add(e.getKey());
                e.getValue().forEach(v -> named.add(v.asText()));
            }));
            assertThat(groups).containsAll(named);
        }
    }

    @Test
    void noFallbacksWhenThePolicyDoesNotEscalate() throws Exception {
        Policy p = PolicyFile.parse(PolicyFileTest.TIERS + "route: {strategy: static, default_tier: 2}\n", "p.yaml");
        JsonNode root = YAML.readTree(LiteLlmConfig.yaml(p));
        assertThat(root.has("router_settings")).isFalse();
        assertThat(root.get("model_list")).hasSize(4);
    }

    @Test
    void aLineBreakInANameStaysInsideTheHeaderComment() throws Exception {
        Policy p = PolicyFile.parse(PolicyFileTest.TIERS.replace("name: t", "name: \"two\\nmodel_list: evil\"")
            + "route: {strategy: static, default_tier: 2}\n", "p.yaml");
        assertThat(p.name()).contains("\n");
        String text = LiteLlmConfig.yaml(p);
        List<String> header = text.lines().takeWhile(l -> !l.equals("model_list:")).toList();
        assertThat(header).isNotEmpty().allMatch(l -> l.startsWith("#"));
        JsonNode root = YAML.readTree(text);
        assertThat(root.get("model_list").isArray()).isTrue();
        assertThat(root.get("model_list")).hasSize(4);
    }
}
