package dev.routeledger.replay;

import dev.routeledger.analytics.Filter;
import dev.routeledger.policy.Policy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Replays a family of policies over the same traffic (SPEC §6.3): the basis is built once, each policy then
 * costs one aggregate over it. The cost/quality frontier is the set of policies no other policy beats on both:
 * cheaper and at least as successful.
 */
public final class Sweep {
    public record Point(Policy policy, ReplayResult result, boolean onFrontier) {}

    public record Result(List<Point> points, Double actualCostUsd, Double actualSuccess, long traces) {
        /** The points on the frontier, cheapest first. */
        public List<Point> frontier() {
            return points.stream().filter(Point::onFrontier).toList();
        }
    }

    private Sweep() {}

    /** @param progress told the number of policies done so far, after each */
    public static Result run(Connection conn, Filter scope, List<Policy> family, IntConsumer progress) throws SQLException, ReplayException {
        if (family.isEmpty()) throw new ReplayException("The family has no policies to replay.");
        Replay replay = Replay.prepare(conn, scope, family.get(0));
        List<ReplayResult> results = new ArrayList<>();
        for (Policy p : family) {
            if (Thread.currentThread().isInterrupted()) throw new ReplayException("The sweep was cancelled.");
            results.add(replay.run(p));
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
        return new Result(points, any.actualCostUsd(), any.actualSuccess(), any.traces());
    }

    /**
     * The optimizer's pick: the cheapest policy whose success holds the floor on the lower end of its interval;
     * null when none does. The default floor is the actual traffic's success less one point.
     */
    public static Point cheapestHolding(Result r, double floor) {
        return r.points().stream().filter(p -> p.result().successCi()[0] >= floor).findFirst().orElse(null);
    }

    /** SPEC §6.3: no worse than the actual success less one point (on an eval set: the best policy's less one point). */
    public static double defaultFloor(Result r) {
        if (r.actualSuccess() != null) return r.actualSuccess() - 0.01;
        return r.points().stream().mapToDouble(p -> p.result().simulatedSuccess()).max().orElse(0) - 0.01;
    }
}
