package dev.routeledger.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a policy file (SPEC §6.1), YAML or JSON, and checks it whole before anything runs: unknown keys, wrong
 * types, a threshold list of the wrong length or outside [0, 1], a tier referenced but not defined. Every error
 * names the file, the line and the key ({@code route.thresholds[1]}). Plain data only: YAML type tags and
 * duplicate keys are refused, and the file is at most {@link #MAX_BYTES}.
 */
public final class PolicyFile {
    public static final int VERSION = 1;
    public static final long MAX_BYTES = 256 * 1024;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
    private static final ObjectMapper JSON = new ObjectMapper(new JsonFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    private final String source;
    private final Map<String, Integer> lines;

    private PolicyFile(String source, Map<String, Integer> lines, JsonNode root) {
        this.source = source;
        this.lines = lines;
        this.root = root;
    }

    public static Policy load(Path file) throws PolicyException {
        try {
            if (!Files.isRegularFile(file)) throw new PolicyException("Policy file " + file + " does not exist.");
            if (Files.size(file) > MAX_BYTES) {
                throw new PolicyException("Policy file " + file + " is larger than " + MAX_BYTES / 1024 + " KB; a policy is a page of settings.");
            }
            return parse(Files.readString(file), file.toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new PolicyException("Policy file " + file + " is not UTF-8 text; a policy is a YAML or JSON file.", e);
        } catch (IOException e) {
            throw new PolicyException("Cannot read policy file " + file + ": " + e.getMessage(), e);
        }
    }

    /** @param source what error messages call the text (its file name) */
    public static Policy parse(String text, String source) throws PolicyException {
        PolicyFile file = read(text, source);
        return file.policy(file.new At("", file.root));
    }

    /**
     * A policy family for a sweep (SPEC §6.3): a policy file with a {@code sweep} section that lists candidate
     * values — {@code thresholds} (every increasing choice of tiers − 1 of them), {@code boundary_band},
     * {@code min_confidence} / {@code min_quality} (cascade acceptance), {@code start_tier}, {@code max_tier},
     * {@code default_tier}, {@code by_feature: {feature: [tiers]}}, {@code escalate_on_failure},
     * {@code context_window}, {@code ttl_minutes} — and one policy per combination, each checked like a policy
     * file. At most {@link #MAX_FAMILY} policies.
     */
    public static List<Policy> loadFamily(Path file) throws PolicyException {
        try {
            if (!Files.isRegularFile(file)) throw new PolicyException("Family file " + file + " does not exist.");
            if (Files.size(file) > MAX_BYTES) throw new PolicyException("Family file " + file + " is larger than " + MAX_BYTES / 1024 + " KB.");
            return parseFamily(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new PolicyException("Cannot read family file " + file + ": " + e.getMessage(), e);
        }
    }

    public static final int MAX_FAMILY = 2000;

    public static List<Policy> parseFamily(String text, String source) throws PolicyException {
        PolicyFile file = read(text, source);
        if (!file.root.isObject() || !file.root.has("sweep")) {
            throw new PolicyException(source + ": a family file is a policy file with a 'sweep' section listing the values to try.");
        }
        At sweep = file.new At("", file.root).get("sweep");
        com.fasterxml.jackson.databind.node.ObjectNode base = ((com.fasterxml.jackson.databind.node.ObjectNode) file.root).deepCopy();
        base.remove("sweep");
        Policy basePolicy = file.policy(file.new At("", base));
        return new PolicyFamily(file, basePolicy, base).expand(sweep);
    }

    private final JsonNode root;

    private static PolicyFile read(String text, String source) throws PolicyException {
        if (text.length() > MAX_BYTES) throw new PolicyException(source + " is larger than " + MAX_BYTES / 1024 + " KB.");
        ObjectMapper mapper = looksLikeJson(text, source) ? JSON : YAML;
        Map<String, Integer> lines = new HashMap<>();
        JsonNode root;
        try {
            try (JsonParser p = mapper.getFactory().createParser(text)) {
                // one pass records the line of every key and value by its JSON pointer, and refuses type tags
                while (p.nextToken() != null) {
                    if (p.getTypeId() != null) {
                        throw new PolicyException(source + " line " + p.currentTokenLocation().getLineNr() + ": the YAML type tag '"
                            + p.getTypeId() + "' is not allowed (a policy file is plain data).");
                    }
                    JsonPointer at = p.currentToken() == JsonToken.FIELD_NAME
                        ? p.getParsingContext().pathAsPointer().append(JsonPointer.compile("/" + escape(p.currentName())))
                        : p.getParsingContext().pathAsPointer();
                    lines.putIfAbsent(at.toString(), p.currentTokenLocation().getLineNr());
                }
            }
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new PolicyException(source + (loc == null ? "" : " line " + loc.getLineNr()) + " is not valid "
                + (mapper == JSON ? "JSON" : "YAML") + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PolicyException("Cannot read " + source + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) throw new PolicyException(source + " is empty: a policy needs at least 'routeledger_policy', 'tiers' and 'route'.");
        return new PolicyFile(source, lines, root);
    }

    private static boolean looksLikeJson(String text, String source) {
        return source.toLowerCase(Locale.ROOT).endsWith(".json") || text.stripLeading().startsWith("{");
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    Policy policy(At root) throws PolicyException {
        root.keys(Set.of("routeledger_policy", "name", "tiers", "route", "rules", "escalate_on_failure", "context_window", "cache"));
        At version = root.required("routeledger_policy");
        if (version.integer() != VERSION) {
            throw error(version, "this RouteLedger reads policy version " + VERSION + ", not " + version.node.asText());
        }
        String name = root.has("name") ? root.get("name").text() : "policy";

        At tiersAt = root.required("tiers");
        List<Policy.Tier> tiers = new ArrayList<>();
        Set<String> tierNames = new LinkedHashSet<>();
        java.util.Map<String, Integer> tierOfModel = new java.util.HashMap<>();
        for (At t : tiersAt.list(1)) {
            t.keys(Set.of("name", "models"));
            String tierName = t.required("name").text();
            if (!tierNames.add(tierName)) throw error(t.get("name"), "tier '" + tierName + "' is defined twice");
            List<String> models = new ArrayList<>();
            for (At m : t.required("models").list(1)) {
                String model = m.text();
                // a logged call counts at the one tier that lists its model; a model in two tiers would be both
                Integer already = tierOfModel.putIfAbsent(model, tiers.size() + 1);
                if (already != null && already == tiers.size() + 1) throw error(m, "model '" + model + "' is listed twice in this tier");
                if (already != null) {
                    throw error(m, "model '" + model + "' is already in tier " + already + " (" + tiers.get(already - 1).name() + "); a model belongs to one tier");
                }
                models.add(model);
            }
            tiers.add(new Policy.Tier(tierName, models));
        }
        List<String> names = List.copyOf(tierNames);

        Policy.Route route = route(root.required("route"), names);
        List<Policy.Rule> rules = new ArrayList<>();
        if (root.has("rules")) {
            for (At r : root.get("rules").list(0)) rules.add(rule(r, names));
        }
        boolean escalate = root.has("escalate_on_failure") && root.get("escalate_on_failure").bool();
        boolean context = root.has("context_window") && root.get("context_window").bool();
        Policy.Cache cache = Policy.Cache.NONE;
        if (root.has("cache")) {
            At c = root.get("cache");
            c.keys(Set.of("exact_match", "ttl_minutes"));
            boolean exact = c.has("exact_match") && c.get("exact_match").bool();
            int ttl = c.has("ttl_minutes") ? c.get("ttl_minutes").integer() : Policy.Cache.DEFAULT_TTL_MINUTES;
            if (ttl <= 0) throw error(c.get("ttl_minutes"), "must be a positive number of minutes, not " + ttl);
            cache = new Policy.Cache(exact, ttl);
        }
        return new Policy(name, tiers, route, rules, escalate, context, cache);
    }

    private Policy.Route route(At r, List<String> tiers) throws PolicyException {
        String strategy = r.required("strategy").text();
        switch (strategy) {
            case "threshold" -> {
                r.keys(Set.of("strategy", "thresholds", "boundary_band"));
                At list = r.required("thresholds");
                List<At> items = list.list(0);
                if (items.size() != tiers.size() - 1) {
                    throw error(list, "needs " + (tiers.size() - 1) + " value" + (tiers.size() == 2 ? "" : "s") + " (one fewer than the "
                        + tiers.size() + " tiers), not " + items.size());
                }
                List<Double> thresholds = new ArrayList<>();
                for (At t : items) {
                    double v = t.number();
                    if (v < 0 || v > 1) throw error(t, "a threshold is a router score from 0 to 1, not " + v);
                    if (!thresholds.isEmpty() && v <= thresholds.get(thresholds.size() - 1)) {
                        throw error(t, "thresholds must increase (" + v + " follows " + thresholds.get(thresholds.size() - 1) + ")");
                    }
                    thresholds.add(v);
                }
                double band = r.has("boundary_band") ? r.get("boundary_band").number() : 0;
                if (band < 0 || band >= 1) throw error(r.get("boundary_band"), "a band is a router-score distance from 0 to below 1, not " + band);
                return new Policy.Threshold(thresholds, band);
            }
            case "cascade" -> {
                r.keys(Set.of("strategy", "start_tier", "accept", "max_tier"));
                int start = r.has("start_tier") ? tier(r.get("start_tier"), tiers) : 1;
                int max = r.has("max_tier") ? tier(r.get("max_tier"), tiers) : tiers.size();
                if (max < start) throw error(r.get("max_tier"), "max_tier (" + max + ") is below start_tier (" + start + ")");
                At a = r.required("accept");
                a.keys(Set.of("min_confidence", "validation", "min_quality"));
                int set = (a.has("min_confidence") ? 1 : 0) + (a.has("validation") ? 1 : 0) + (a.has("min_quality") ? 1 : 0);
                if (set != 1) throw error(a, "needs exactly one of min_confidence, validation: pass, min_quality");
                Double conf = a.has("min_confidence") ? a.get("min_confidence").unit() : null;
                Double quality = a.has("min_quality") ? a.get("min_quality").unit() : null;
                if (a.has("validation") && !a.get("validation").text().equals("pass")) {
                    throw error(a.get("validation"), "the only validation a cascade accepts on is 'pass'");
                }
                return new Policy.Cascade(start, new Policy.Accept(conf, a.has("validation"), quality), max);
            }
            case "static" -> {
                r.keys(Set.of("strategy", "by_feature", "default_tier"));
                Map<String, Integer> byFeature = new LinkedHashMap<>();
                if (r.has("by_feature")) {
                    At m = r.get("by_feature");
                    if (!m.node.isObject()) throw error(m, "must map features to tiers, e.g. {telegram-support: 1}");
                    for (Iterator<String> it = m.node.fieldNames(); it.hasNext(); ) {
                        String f = it.next();
                        byFeature.put(f, tier(m.get(f), tiers));
                    }
                }
                return new Policy.Static(byFeature, tier(r.required("default_tier"), tiers));
            }
            default -> throw error(r.get("strategy"), "is one of threshold, cascade, static — not '" + strategy + "'");
        }
    }

    private Policy.Rule rule(At r, List<String> tiers) throws PolicyException {
        r.keys(Set.of("when", "tier", "min_tier"));
        At when = r.required("when");
        when.keys(Set.of("feature", "user", "team"));
        if (!when.node.isObject() || when.node.isEmpty()) throw error(when, "needs at least one of feature, user, team");
        Map<String, List<String>> conditions = new LinkedHashMap<>();
        for (Iterator<String> it = when.node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            At v = when.get(k);
            List<String> values = new ArrayList<>();
            if (v.node.isTextual()) values.add(v.text());
            else for (At x : v.list(1)) values.add(x.text());
            conditions.put(k, values);
        }
        if (r.has("tier") == r.has("min_tier")) throw error(r, "needs exactly one of 'tier' (go there) and 'min_tier' (at least there)");
        Integer tier = r.has("tier") ? tier(r.get("tier"), tiers) : null;
        Integer minTier = r.has("min_tier") ? tier(r.get("min_tier"), tiers) : null;
        return new Policy.Rule(conditions, tier, minTier);
    }

    /** A tier reference: its number (1 = the first tier) or its name. */
    private int tier(At t, List<String> tiers) throws PolicyException {
        if (t.node.isTextual()) {
            int i = tiers.indexOf(t.node.asText());
            if (i < 0) throw error(t, "tier '" + t.node.asText() + "' is not defined (tiers: " + String.join(", ", tiers) + ")");
            return i + 1;
        }
        int n = t.integer();
        if (n < 1 || n > tiers.size()) throw error(t, "tier " + n + " is not defined (the policy has tiers 1 to " + tiers.size() + ")");
        return n;
    }

    PolicyException error(At at, String message) {
        return new PolicyException(source + " line " + line(at.pointer) + ": " + at.key() + ": " + message);
    }

    private int line(String pointer) {
        for (String p = pointer; ; p = p.substring(0, p.lastIndexOf('/'))) {
            Integer l = lines.get(p);
            if (l != null) return l;
            if (p.isEmpty()) return 1;
        }
    }

    /** A node and where it is: its JSON pointer, for the line and the key an error names. */
    final class At {
        final String pointer;
        final JsonNode node;

        At(String pointer, JsonNode node) {
            this.pointer = pointer;
            this.node = node;
        }

        /** The key as a user writes it: {@code route.thresholds[1]}. */
        String key() {
            if (pointer.isEmpty()) return "(top level)";
            StringBuilder sb = new StringBuilder();
            for (String part : pointer.substring(1).split("/", -1)) {
                String name = part.replace("~1", "/").replace("~0", "~");
                if (name.matches("\\d+")) sb.append('[').append(name).append(']');
                else sb.append(sb.length() == 0 ? "" : ".").append(name);
            }
            return sb.toString();
        }

        boolean has(String k) {
            return node.isObject() && node.has(k);
        }

        At get(String k) {
            return new At(pointer + "/" + escape(k), node.get(k));
        }

        At required(String k) throws PolicyException {
            if (!node.isObject()) throw error(this, "must be a map of settings");
            if (!node.has(k) || node.get(k).isNull()) throw error(this, "'" + k + "' is missing");
            return get(k);
        }

        void keys(Set<String> allowed) throws PolicyException {
            if (!node.isObject()) throw error(this, "must be a map of settings (" + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!allowed.contains(k)) {
                    throw error(get(k), "unknown key; " + (pointer.isEmpty() ? "a policy has " : "here: ")
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
                }
            }
        }

        List<At> list(int min) throws PolicyException {
            if (!node.isArray()) throw error(this, "must be a list");
            if (node.size() < min) throw error(this, "needs at least " + min + " entr" + (min == 1 ? "y" : "ies"));
            List<At> out = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) out.add(new At(pointer + "/" + i, node.get(i)));
            return out;
        }

        String text() throws PolicyException {
            if (!node.isTextual() || node.asText().isBlank()) throw error(this, "must be a non-empty text, not " + describe());
            return node.asText().strip();
        }

        boolean bool() throws PolicyException {
            if (!node.isBoolean()) throw error(this, "must be true or false, not " + describe());
            return node.asBoolean();
        }

        int integer() throws PolicyException {
            if (!node.isIntegralNumber() || !node.canConvertToInt()) throw error(this, "must be a whole number, not " + describe());
            return node.asInt();
        }

        double number() throws PolicyException {
            if (!node.isNumber() || !Double.isFinite(node.asDouble())) throw error(this, "must be a number, not " + describe());
            return node.asDouble();
        }

        /** A number from 0 to 1. */
        double unit() throws PolicyException {
            double v = number();
            if (v < 0 || v > 1) throw error(this, "must be from 0 to 1, not " + v);
            return v;
        }

        private String describe() {
            if (node.isTextual()) return "'" + node.asText() + "'";
            if (node.isContainerNode()) return node.isArray() ? "a list" : "a map";
            return node.toString();
        }
    }
}
