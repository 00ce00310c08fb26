package dev.routeledger.replay;

import dev.routeledger.analytics.Filter;
import dev.routeledger.policy.Policy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Replays a family of policies over the same traffic (SPEC §6.3): the basis is built once; policies that differ
 * only in where traces start are then costed from one table of trace classes ({@link SweepClasses}), the rest
 * one full replay each. The cost/quality frontier is the set of policies no other policy beats on both:
 * cheaper and at least as successful.
 */
public final class Sweep {
    public record Point(Policy policy, ReplayResult result, boolean onFrontier) {}

    /** @param replay the sweep's replay, basis built: {@link #replay(Policy)} re-runs a point in full */
    public record Result(List<Point> points, Double actualCostUsd, Double actualSuccess, long traces, Replay replay) {
        /** A point's full replay: bootstrap intervals and latency, which a sweep's class sums do not give. */
        public ReplayResult replay(Policy p) throws SQLException, ReplayException {
            return replay.run(p);
        }

        /** The points on the frontier, cheapest first. */
        public List<Point> frontier() {
            return points.stream().filter(Point::onFrontier).toList();
        }
    }

    /** Below this many policies sharing a signature, costing every start tier once would cost more than it saves. */
    static final int MIN_SHARED = 4;

    private Sweep() {}

    /** @param progress told the number of policies done so far, after each */
    public static Result run(Connection conn, Filter scope, List<Policy> family, IntConsumer progress) throws SQLException, ReplayException {
        if (family.isEmpty()) throw new ReplayException("The family has no policies to replay.");
        Replay replay = Replay.prepare(conn, scope, family);
        // policies that differ only in where traces start share one class table (SweepClasses)
        Map<String, List<Policy>> shared = new HashMap<>();
        List<String> signatures = new ArrayList<>();
        for (Policy p : family) {
            String sig = SweepClasses.signature(p, replay.basisFor(p));
            signatures.add(sig);
            if (sig != null) shared.computeIfAbsent(sig, x -> new ArrayList<>()).add(p);
        }
        Map<String, SweepClasses> classes = new HashMap<>();
        List<ReplayResult> results = new ArrayList<>();
        for (int i = 0; i < family.size(); i++) {
            if (Thread.currentThread().isInterrupted()) throw new ReplayException("The sweep was cancelled.");
            Policy p = family.get(i);
            String sig = signatures.get(i);
            if (sig != null && shared.get(sig).size() >= MIN_SHARED) {
                SweepClasses c = classes.get(sig);
                if (c == null) {
                    c = SweepClasses.build(conn, replay.basisFor(p), p, shared.get(sig));
                    classes.put(sig, c);
                }
                results.add(c.run(p));
            } else {
                results.add(replay.run(p));
            }
            progress.accept(results.size());
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < family.size(); i++) order.add(i);
        order.sort(Comparator.<Integer>comparingDouble(i -> results.get(i).simulatedCostUsd()).thenComparing(i -> -results.get(i).simulatedSuccess()));
        List<Point> points = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (int i : order) {
            ReplayResult r = results.get(i);
            boolean frontier = r.simulatedSuccess() > best;
            if (frontier) best = r.simulatedSuccess();
            points.add(new Point(family.get(i), r, frontier));
        }
        ReplayResult any = results.get(0);
        return new Result(points, any.actualCostUsd(), any.actualSuccess(), any.traces(), replay);
    }

    /** SPEC §6.3: no worse than the actual success less one point (on an eval set: the best policy's less one point). */
    public static double defaultFloor(Result r) {
        if (r.actualSuccess() != null) return r.actualSuccess() - 0.01;
        return r.points().stream().mapToDouble(p -> p.result().simulatedSuccess()).max().orElse(0) - 0.01;
    }
}
