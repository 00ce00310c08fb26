package dev.routeledger.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a policy as the file {@link PolicyFile} reads (SPEC §6.1 is also the export format), YAML or JSON. */
public final class PolicyWriter {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PolicyWriter() {}

    public static String yaml(Policy p) {
        return write(YAML, p);
    }

    public static String json(Policy p) {
        return write(JSON, p) + "\n";
    }

    private static String write(ObjectMapper mapper, Policy p) {
        try {
            return mapper.writeValueAsString(tree(p));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a policy is plain data", e);
        }
    }

    /** The file's keys in the order SPEC §6.1 shows them; defaults are written out, so the file says everything. */
    static Map<String, Object> tree(Policy p) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("routeledger_policy", PolicyFile.VERSION);
        root.put("name", p.name());
        List<Object> tiers = new ArrayList<>();
        for (Policy.Tier t : p.tiers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("models", t.models());
            tiers.add(m);
        }
        root.put("tiers", tiers);
        Map<String, Object> route = new LinkedHashMap<>();
        if (p.route() instanceof Policy.Threshold t) {
            route.put("strategy", "threshold");
            route.put("thresholds", t.thresholds());
            route.put("boundary_band", t.boundaryBand());
        } else if (p.route() instanceof Policy.Cascade c) {
            route.put("strategy", "cascade");
            route.put("start_tier", c.startTier());
            Map<String, Object> accept = new LinkedHashMap<>();
            if (c.accept().minConfidence() != null) accept.put("min_confidence", c.accept().minConfidence());
            if (c.accept().validationPass()) accept.put("validation", "pass");
            if (c.accept().minQuality() != null) accept.put("min_quality", c.accept().minQuality());
            route.put("accept", accept);
            route.put("max_tier", c.maxTier());
        } else if (p.route() instanceof Policy.Static s) {
            route.put("strategy", "static");
            route.put("by_feature", new LinkedHashMap<>(new java.util.TreeMap<>(s.byFeature())));
            route.put("default_tier", s.defaultTier());
        }
        root.put("route", route);
        List<Object> rules = new ArrayList<>();
        for (Policy.Rule r : p.rules()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("when", new LinkedHashMap<>(new java.util.TreeMap<>(r.when())));
            if (r.tier() != null) m.put("tier", r.tier());
            if (r.minTier() != null) m.put("min_tier", r.minTier());
            rules.add(m);
        }
        root.put("rules", rules);
        root.put("escalate_on_failure", p.escalateOnFailure());
        root.put("context_window", p.contextWindow());
        Map<String, Object> cache = new LinkedHashMap<>();
        cache.put("exact_match", p.cache().exactMatch());
        if (p.cache().exactMatch()) cache.put("ttl_minutes", p.cache().ttlMinutes());
        root.put("cache", cache);
        return root;
    }
}
