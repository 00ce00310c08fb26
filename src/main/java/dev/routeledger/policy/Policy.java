package dev.routeledger.policy;

import java.util.List;
import java.util.Map;

/**
 * A routing policy (SPEC §6.1): the tiers (cheapest first; a tier's first model is its primary), how a request
 * picks its tier, the rules checked before that, and what the gateway does on failure, on long prompts and for
 * repeated prompts. Tiers are numbered from 1 in the order given. Built by {@link PolicyFile}, which validates.
 */
public record Policy(String name, List<Tier> tiers, Route route, List<Rule> rules, boolean escalateOnFailure, boolean contextWindow,
                     Cache cache) {

    public Policy {
        tiers = List.copyOf(tiers);
        rules = List.copyOf(rules);
    }

    public record Tier(String name, List<String> models) {
        public Tier {
            models = List.copyOf(models);
        }

        public String primary() {
            return models.get(0);
        }
    }

    /** How a request that no rule decides gets its tier. */
    public sealed interface Route permits Threshold, Cascade, Static {}

    /** By router score: below {@code thresholds[i]} → tier i + 1, else the top tier; a score within the band below a threshold goes up. */
    public record Threshold(List<Double> thresholds, double boundaryBand) implements Route {
        public Threshold {
            thresholds = List.copyOf(thresholds);
        }
    }

    /** Start at {@code startTier}; accept the answer or go one tier up, at most to {@code maxTier}. */
    public record Cascade(int startTier, Accept accept, int maxTier) implements Route {}

    /**
     * When a cascade accepts an answer: exactly one of a minimum confidence, validation passing (a feature with no
     * validator passes), or a minimum quality (an oracle judge, for eval sets).
     */
    public record Accept(Double minConfidence, boolean validationPass, Double minQuality) {}

    /** A fixed tier per feature, else the default. */
    public record Static(Map<String, Integer> byFeature, int defaultTier) implements Route {
        public Static {
            byFeature = Map.copyOf(byFeature);
        }
    }

    /**
     * A rule: when every condition holds (the call's feature, user or team is in the list), the request goes to
     * {@code tier}, or at least to {@code minTier} — exactly one of them is set.
     */
    public record Rule(Map<String, List<String>> when, Integer tier, Integer minTier) {
        public Rule {
            when = Map.copyOf(when);
        }
    }

    /** Exact-match cache on prompt_hash; disabled when {@code exactMatch} is false (the TTL then unused). */
    public record Cache(boolean exactMatch, int ttlMinutes) {
        public static final int DEFAULT_TTL_MINUTES = 1440;
        public static final Cache NONE = new Cache(false, DEFAULT_TTL_MINUTES);
    }

    /** A value as a policy's name shows it (a sweep's members, the Policy lab's edits): 0.5, 0, 1440, no trailing ".0". */
    public static String nameValue(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e9 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
