package dev.routeledger.replay;

import dev.routeledger.policy.Policy;
import java.util.List;
import java.util.TreeSet;

/**
 * How finely a replay basis must keep each trace for the policies it serves. A policy reads a trace's router
 * score, confidence and quality only through comparisons with its own cuts (a threshold less the band, a cascade's
 * {@code min_confidence} or {@code min_quality}), a trace's user and team only through the lists its rules name,
 * and a trace's prompt and time only for a cache. So above a million calls the basis sums traces that the served
 * policies cannot tell apart into classes (the rows of a 9 M-trace log become some hundreds of thousands): each
 * value kept as the highest of the cuts it reaches, a user or team only when a rule names it (every other user
 * fares alike under every rule). A policy with other cuts, other named users or teams, or a cache, needs a basis
 * of its own.
 *
 * @param scoreCuts the routes' cuts (threshold − band, in double as {@link PolicySql#route} computes them)
 * @param confidenceCuts the cascades' {@code min_confidence} values
 * @param qualityCuts the cascades' {@code min_quality} values
 * @param users the users the rules name
 * @param teams the teams the rules name
 * @param perTrace whether a policy has a cache, which walks the traces one by one (then nothing is summed)
 */
record BasisShape(TreeSet<Double> scoreCuts, TreeSet<Double> confidenceCuts, TreeSet<Double> qualityCuts, TreeSet<String> users, TreeSet<String> teams, boolean perTrace) {

    static BasisShape of(List<Policy> policies) {
        TreeSet<Double> score = new TreeSet<>(), conf = new TreeSet<>(), qual = new TreeSet<>();
        TreeSet<String> users = new TreeSet<>(), teams = new TreeSet<>();
        boolean perTrace = false;
        for (Policy p : policies) {
            if (p.route() instanceof Policy.Threshold th) {
                for (double cut : th.thresholds()) score.add(cut - th.boundaryBand());
            }
            if (p.route() instanceof Policy.Cascade c) {
                if (c.accept().minConfidence() != null) conf.add(c.accept().minConfidence());
                if (c.accept().minQuality() != null) qual.add(c.accept().minQuality());
            }
            for (Policy.Rule r : p.rules()) {
                users.addAll(r.when().getOrDefault("user", List.of()));
                teams.addAll(r.when().getOrDefault("team", List.of()));
            }
            perTrace |= p.cache().exactMatch();
        }
        return new BasisShape(score, conf, qual, users, teams, perTrace);
    }

    /** This shape widened to serve {@code p} as well. */
    BasisShape and(Policy p) {
        BasisShape own = of(List.of(p));
        TreeSet<Double> score = new TreeSet<>(scoreCuts), conf = new TreeSet<>(confidenceCuts), qual = new TreeSet<>(qualityCuts);
        TreeSet<String> u = new TreeSet<>(users), t = new TreeSet<>(teams);
        score.addAll(own.scoreCuts);
        conf.addAll(own.confidenceCuts);
        qual.addAll(own.qualityCuts);
        u.addAll(own.users);
        t.addAll(own.teams);
        return new BasisShape(score, conf, qual, u, t, perTrace || own.perTrace);
    }

    /** Whether a basis of this shape holds everything {@code p} reads of a trace. */
    boolean covers(Policy p) {
        BasisShape own = of(List.of(p));
        return scoreCuts.containsAll(own.scoreCuts) && confidenceCuts.containsAll(own.confidenceCuts) && qualityCuts.containsAll(own.qualityCuts)
            && users.containsAll(own.users) && teams.containsAll(own.teams) && (perTrace || !own.perTrace);
    }

    /** {@code col} (a user or team) where it is one of {@code named}, else NULL: what a rule can tell of it. */
    static String namedOnly(String col, TreeSet<String> named) {
        if (named.isEmpty()) return "CAST(NULL AS VARCHAR)";
        return "CASE WHEN " + col + " IN (" + String.join(", ", named.stream().map(Replay::str).toList()) + ") THEN " + col + " END";
    }

    /**
     * {@code col} as the highest of {@code cuts} it reaches (minus infinity below them all; NULL stays NULL): every
     * comparison {@code col >= cut} with one of the cuts gives what it gives on the exact value.
     */
    static String highestCutReached(String col, TreeSet<Double> cuts) {
        StringBuilder sb = new StringBuilder("CASE WHEN " + col + " IS NULL THEN NULL");
        for (double c : cuts.descendingSet()) sb.append(" WHEN ").append(col).append(" >= ").append(Replay.dbl(c)).append(" THEN ").append(Replay.dbl(c));
        return sb + " ELSE CAST('-inf' AS DOUBLE) END";
    }
}
