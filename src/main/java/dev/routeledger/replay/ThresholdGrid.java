package dev.routeledger.replay;

import dev.routeledger.policy.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * The policies a basis should also serve so that a policy editor can move its thresholds and band (and a cascade's
 * minimum confidence) across a grid
 * without a new basis: on large logs a basis keeps router scores only as finely as its policies' cuts (threshold −
 * band, {@link BasisShape}), and a cut it does not know rebuilds it (7–9 s at 10 M calls). Served for the whole grid
 * at once, the basis has a few per cent more rows and every point of the grid replays in the policy's own time.
 *
 * <p>Grid values are {@code k / steps} — the same doubles as {@code Math.round(v * 100) / 100.0} gives for a
 * multiple of the step — and each cut is computed as the replay computes it, so a cut on the grid is found exactly.
 */
public final class ThresholdGrid {
    /** The Policy lab's sliders: thresholds and confidence every 0.05, the band up to 0.2. */
    public static final int EDITOR_STEPS = 20;
    public static final double EDITOR_MAX_BAND = 0.2;

    private ThresholdGrid() {}

    /**
     * {@code policy} and the Policy lab's grid around it: what the lab and the {@code replay} command prepare, so
     * that on a large log a basis one of them stored ({@link BasisCache}) serves every point of the grid, from
     * either, rather than only the policy that built it.
     */
    public static List<Policy> editor(Policy policy) {
        return around(policy, EDITOR_STEPS, EDITOR_MAX_BAND);
    }

    /**
     * {@code policy} first (its tiers are the basis's), then one threshold policy per band on the grid, whose
     * thresholds are every grid value from 0 to 1: together their cuts are every threshold − band of the grid; and
     * when {@code policy} is a cascade accepting on confidence, one cascade per grid value of the confidence.
     *
     * @param steps grid values per unit (20: every 0.05)
     * @param maxBand the largest band on the grid
     */
    public static List<Policy> around(Policy policy, int steps, double maxBand) {
        List<Policy> out = new ArrayList<>(List.of(policy));
        List<Double> thresholds = new ArrayList<>();
        for (int k = 0; k <= steps; k++) thresholds.add(k / (double) steps);
        for (int b = 0; b / (double) steps <= maxBand + 1e-9; b++) {
            out.add(new Policy(policy.name() + " [grid band " + b + "/" + steps + "]", policy.tiers(), new Policy.Threshold(thresholds, b / (double) steps),
                List.of(), policy.escalateOnFailure(), policy.contextWindow(), policy.cache()));
        }
        // a cascade's acceptance moves on the same grid: one cascade per confidence, as the policy's own otherwise
        if (policy.route() instanceof Policy.Cascade c && c.accept().minConfidence() != null) {
            for (int k = 0; k <= steps; k++) {
                out.add(new Policy(policy.name() + " [grid confidence " + k + "/" + steps + "]", policy.tiers(),
                    new Policy.Cascade(c.startTier(), new Policy.Accept(k / (double) steps, false, null), c.maxTier()),
                    List.of(), policy.escalateOnFailure(), policy.contextWindow(), policy.cache()));
            }
        }
        return out;
    }
}
