package dev.routeledger.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Expands a family file's {@code sweep} section into policies (see {@link PolicyFile#parseFamily}): each
 * dimension is a list of candidate values, the family is every combination, and each member is the base policy
 * with those values put in, checked as a policy file is. A member's name says what it varies.
 */
final class PolicyFamily {
    private static final Set<String> KEYS = Set.of("thresholds", "boundary_band", "min_confidence", "min_quality", "start_tier", "max_tier",
        "default_tier", "by_feature", "escalate_on_failure", "context_window", "ttl_minutes");

    /** One dimension: its label and its candidates, each a way to set the value in a policy tree. */
    private record Dimension(String label, List<String> names, List<Consumer<ObjectNode>> setters) {}

    private final PolicyFile file;
    private final Policy base;
    private final ObjectNode baseTree;

    PolicyFamily(PolicyFile file, Policy base, ObjectNode baseTree) {
        this.file = file;
        this.base = base;
        this.baseTree = baseTree;
    }

    List<Policy> expand(PolicyFile.At sweep) throws PolicyException {
        sweep.keys(KEYS);
        List<Dimension> dims = new ArrayList<>();
        for (Iterator<String> it = sweep.node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            PolicyFile.At at = sweep.get(key);
            switch (key) {
                case "thresholds" -> dims.add(thresholds(at));
                case "boundary_band" -> dims.add(values(at, "band", "route", "boundary_band", true));
                case "min_confidence", "min_quality" -> dims.add(acceptance(at, key));
                case "start_tier", "max_tier", "default_tier" -> dims.add(values(at, key.replace("_tier", ""), "route", key, false));
                case "escalate_on_failure", "context_window" -> dims.add(values(at, key.equals("context_window") ? "window" : "retry", null, key, false));
                case "ttl_minutes" -> dims.add(ttl(at));
                case "by_feature" -> {
                    if (!at.node.isObject()) throw file.error(at, "must be a map of feature → list of tiers");
                    for (Iterator<String> f = at.node.fieldNames(); f.hasNext(); ) {
                        String feature = f.next();
                        dims.add(byFeature(at.get(feature), feature));
                    }
                }
                default -> throw new IllegalStateException(key);
            }
        }
        long size = 1;
        for (Dimension d : dims) {
            if (d.setters().isEmpty()) throw new PolicyException("The sweep's " + d.label() + " gives no policy to try.");
            size *= d.setters().size();
            if (size > PolicyFile.MAX_FAMILY) {
                throw new PolicyException("The sweep makes more than " + PolicyFile.MAX_FAMILY + " policies; try fewer values per setting.");
            }
        }
        List<Policy> out = new ArrayList<>();
        int[] index = new int[dims.size()];
        for (long n = 0; n < size; n++) {
            ObjectNode tree = baseTree.deepCopy();
            List<String> parts = new ArrayList<>();
            for (int d = 0; d < dims.size(); d++) {
                dims.get(d).setters().get(index[d]).accept(tree);
                parts.add(dims.get(d).label() + "=" + dims.get(d).names().get(index[d]));
            }
            tree.put("name", base.name() + (parts.isEmpty() ? "" : " [" + String.join(" ", parts) + "]"));
            try {
                out.add(file.policy(file.new At("", tree)));
            } catch (PolicyException e) {
                throw new PolicyException("The sweep's policy " + String.join(" ", parts) + " is not valid: " + e.getMessage(), e);
            }
            for (int d = dims.size() - 1; d >= 0; d--) {
                if (++index[d] < dims.get(d).setters().size()) break;
                index[d] = 0;
            }
        }
        return out;
    }

    /** Every increasing choice of (tiers − 1) of the candidate cuts. */
    private Dimension thresholds(PolicyFile.At at) throws PolicyException {
        if (!(base.route() instanceof Policy.Threshold)) throw file.error(at, "the base policy's route is not a threshold route");
        TreeSet<Double> cuts = new TreeSet<>();
        for (PolicyFile.At c : at.list(1)) cuts.add(c.unit());
        List<Double> sorted = new ArrayList<>(cuts);
        int need = base.tiers().size() - 1;
        if (sorted.size() < need) throw file.error(at, "needs at least " + need + " distinct values (one per threshold)");
        List<String> names = new ArrayList<>();
        List<Consumer<ObjectNode>> setters = new ArrayList<>();
        choose(sorted, need, 0, new ArrayList<>(), combo -> {
            names.add(String.join(",", combo.stream().map(Policy::nameValue).toList()));
            List<Double> copy = List.copyOf(combo);
            setters.add(tree -> {
                ArrayNode a = ((ObjectNode) tree.get("route")).putArray("thresholds");
                copy.forEach(a::add);
            });
        });
        return new Dimension("thresholds", names, setters);
    }

    private static void choose(List<Double> from, int k, int start, List<Double> acc, Consumer<List<Double>> out) {
        if (acc.size() == k) {
            out.accept(acc);
            return;
        }
        for (int i = start; i < from.size(); i++) {
            acc.add(from.get(i));
            choose(from, k, i + 1, acc, out);
            acc.remove(acc.size() - 1);
        }
    }

    /** Plain values put at {@code parent.key} (or the top level when parent is null). */
    private Dimension values(PolicyFile.At at, String label, String parent, String key, boolean unit) throws PolicyException {
        List<String> names = new ArrayList<>();
        List<Consumer<ObjectNode>> setters = new ArrayList<>();
        for (PolicyFile.At v : at.list(1)) {
            if (unit) v.unit();
            if (v.node.isContainerNode()) throw file.error(v, "must be a single value");
            JsonNode value = v.node.deepCopy();
            names.add(value.isNumber() ? Policy.nameValue(value.asDouble()) : value.asText());
            setters.add(tree -> (parent == null ? tree : (ObjectNode) tree.get(parent)).set(key, value));
        }
        return new Dimension(label, names, setters);
    }

    private Dimension acceptance(PolicyFile.At at, String key) throws PolicyException {
        if (!(base.route() instanceof Policy.Cascade)) throw file.error(at, "the base policy's route is not a cascade");
        List<String> names = new ArrayList<>();
        List<Consumer<ObjectNode>> setters = new ArrayList<>();
        for (PolicyFile.At v : at.list(1)) {
            double d = v.unit();
            names.add(Policy.nameValue(d));
            setters.add(tree -> ((ObjectNode) tree.get("route")).putObject("accept").put(key, d));
        }
        return new Dimension(key.equals("min_confidence") ? "confidence" : "quality", names, setters);
    }

    private Dimension ttl(PolicyFile.At at) throws PolicyException {
        List<String> names = new ArrayList<>();
        List<Consumer<ObjectNode>> setters = new ArrayList<>();
        for (PolicyFile.At v : at.list(1)) {
            int minutes = v.integer();
            names.add(String.valueOf(minutes));
            setters.add(tree -> tree.putObject("cache").put("exact_match", true).put("ttl_minutes", minutes));
        }
        return new Dimension("ttl", names, setters);
    }

    private Dimension byFeature(PolicyFile.At at, String feature) throws PolicyException {
        if (!(base.route() instanceof Policy.Static)) throw file.error(at, "the base policy's route is not static");
        List<String> names = new ArrayList<>();
        List<Consumer<ObjectNode>> setters = new ArrayList<>();
        for (PolicyFile.At v : at.list(1)) {
            if (v.node.isContainerNode()) throw file.error(v, "must be a tier");
            JsonNode value = v.node.deepCopy();
            names.add(value.asText());
            setters.add(tree -> {
                ObjectNode route = (ObjectNode) tree.get("route");
                ObjectNode by = route.has("by_feature") && route.get("by_feature").isObject() ? (ObjectNode) route.get("by_feature") : route.putObject("by_feature");
                by.set(feature, value);
            });
        }
        return new Dimension(feature, names, setters);
    }

}
