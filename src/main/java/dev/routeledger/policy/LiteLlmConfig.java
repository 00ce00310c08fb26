package dev.routeledger.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A LiteLLM proxy {@code config.yaml} for a policy (SPEC §6.4): one model group per tier, named after the tier,
 * with the tier's models as its deployments (the primary first); {@code router_settings.fallbacks} chaining each
 * tier to the ones above it when the policy escalates on failure, and {@code context_window_fallbacks} likewise
 * when it escalates long prompts. LiteLLM's config has no place for a router's thresholds or rules: the header
 * comment records them, and each deployment's {@code model_info} carries its RouteLedger tier.
 */
public final class LiteLlmConfig {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private LiteLlmConfig() {}

    public static String yaml(Policy p) {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Object> models = new ArrayList<>();
        for (int i = 0; i < p.tiers().size(); i++) {
            Policy.Tier t = p.tiers().get(i);
            for (String model : t.models()) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("model_name", t.name());
                d.put("litellm_params", Map.of("model", model));
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("routeledger_tier", i + 1);
                info.put("routeledger_policy", p.name());
                d.put("model_info", info);
                models.add(d);
            }
        }
        root.put("model_list", models);
        Map<String, Object> router = new LinkedHashMap<>();
        if (p.escalateOnFailure()) router.put("fallbacks", chain(p));
        if (p.contextWindow()) router.put("context_window_fallbacks", chain(p));
        if (!router.isEmpty()) root.put("router_settings", router);
        try {
            return header(p) + YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a config is plain data", e);
        }
    }

    /** Each tier falls back to the tiers above it, in order. */
    private static List<Map<String, List<String>>> chain(Policy p) {
        List<Map<String, List<String>>> out = new ArrayList<>();
        for (int i = 0; i < p.tiers().size() - 1; i++) {
            List<String> up = p.tiers().subList(i + 1, p.tiers().size()).stream().map(Policy.Tier::name).toList();
            out.add(Map.of(p.tiers().get(i).name(), up));
        }
        return out;
    }

    private static String header(Policy p) {
        StringBuilder sb = new StringBuilder("# LiteLLM proxy config written by RouteLedger for policy '" + p.name() + "'.\n");
        sb.append("# Clients ask for a tier by its model group: ")
            .append(p.tiers().stream().map(Policy.Tier::name).collect(Collectors.joining(", "))).append(".\n");
        if (p.route() instanceof Policy.Threshold t) {
            sb.append("# Route by router score: thresholds ").append(t.thresholds()).append(", boundary band ").append(t.boundaryBand())
                .append(" (a score below thresholds[i] goes to tier i + 1).\n");
        } else if (p.route() instanceof Policy.Cascade c) {
            sb.append("# Cascade from tier ").append(c.startTier()).append(" up to tier ").append(c.maxTier()).append(", accepting on ")
                .append(c.accept().minConfidence() != null ? "confidence >= " + c.accept().minConfidence()
                    : c.accept().validationPass() ? "validation pass" : "quality >= " + c.accept().minQuality()).append(".\n");
        } else if (p.route() instanceof Policy.Static s) {
            sb.append("# Static tiers by feature: ").append(new java.util.TreeMap<>(s.byFeature())).append(", default tier ")
                .append(s.defaultTier()).append(".\n");
        }
        for (Policy.Rule r : p.rules()) {
            sb.append("# Rule: when ").append(new java.util.TreeMap<>(r.when())).append(r.tier() != null ? " → tier " + r.tier() : " → at least tier " + r.minTier())
                .append(".\n");
        }
        if (p.cache().exactMatch()) sb.append("# Exact-match cache, TTL ").append(p.cache().ttlMinutes()).append(" minutes (enable litellm_settings.cache).\n");
        // names come from the policy file: a line break inside one must not end the comment and start YAML
        StringBuilder out = new StringBuilder();
        for (String line : sb.toString().split("\r?\n|\r")) out.append(line.startsWith("#") ? line : "#   " + line).append('\n');
        return out.toString();
    }
}
