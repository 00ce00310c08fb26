package dev.routeledger.replay;

import dev.routeledger.analytics.Filter;
import dev.routeledger.policy.Policy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The figures router papers report on an eval set (SPEC §6.3), so that a replay compares with published results:
 * each model's own point and the oracle as RouterBench reports them, and for a two-tier router RouteLLM's
 * cost/quality curve, CPT(50 %), CPT(80 %) and APGR computed the way its evaluation code does — thresholds at
 * the deciles of the router's scores (a prompt at or above one goes to the strong model; above, for the last),
 * CPT by linear interpolation of strong-model calls against quality, APGR as the area under the quality curve
 * relative to the weak and strong models' own. The router is the eval set's {@code router_score} where it has
 * one; without it, a random router (scores from the hash of the prompt id), the baseline RouteLLM also reports.
 */
public record EvalMetrics(List<ModelPoint> models, double oracleSuccess, double oracleCostUsd, long prompts, RouterCurve router) {

    /** One model answering every prompt it has a result for. */
    public record ModelPoint(String model, Integer tier, long prompts, double success, double costUsd) {}

    /** @param points (threshold, strong-model share 0–1, quality 0–1), by strong share */
    public record RouterCurve(String weak, String strong, String scores, long prompts, double weakQuality, double strongQuality,
                              List<double[]> points, double cpt50, double cpt80, double apgr) {}

    static EvalMetrics compute(Connection conn, Filter scope, Policy policy) throws SQLException {
        Filter f = scope.withShadow(true);
        String where = "(" + f.where() + ") AND shadow";
        List<ModelPoint> models = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT model, any_value(eff_tier), count(*), avg(coalesce(label, 0)), sum(coalesce(cost_effective, 0))"
            + " FROM calls WHERE " + where + " GROUP BY model ORDER BY 5, 1")) {
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // the policy's tier of the model when it lists it, else the workspace's
                    Integer tier = (Integer) rs.getObject(2);
                    for (int t = 0; t < policy.tiers().size(); t++) if (policy.tiers().get(t).models().contains(rs.getString(1))) tier = t + 1;
                    models.add(new ModelPoint(rs.getString(1), tier, rs.getLong(3), rs.getDouble(4), rs.getDouble(5)));
                }
            }
        }
        double oracleS, oracleC;
        long prompts;
        // RouterBench's oracle: the cheapest model that answers well; when none does, the cheapest
        try (PreparedStatement ps = conn.prepareStatement("SELECT count(*), avg(ok), sum(cost) FROM (SELECT max(coalesce(label, 0)) AS ok,"
            + " coalesce(min(coalesce(cost_effective, 0)) FILTER (WHERE label = 1), min(coalesce(cost_effective, 0))) AS cost FROM calls WHERE " + where
            + " GROUP BY trace_id)")) {
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                prompts = rs.getLong(1);
                oracleS = rs.getDouble(2);
                oracleC = rs.getDouble(3);
            }
        }
        RouterCurve curve = policy.tiers().size() == 2 ? curve(conn, f, where, policy.tiers().get(0).primary(), policy.tiers().get(1).primary()) : null;
        return new EvalMetrics(models, oracleS, oracleC, prompts, curve);
    }

    private static RouterCurve curve(Connection conn, Filter f, String where, String weak, String strong) throws SQLException {
        String pairs = "SELECT trace_id, max(coalesce(label, 0)) FILTER (WHERE model = ?) AS sw, max(coalesce(label, 0)) FILTER (WHERE model = ?) AS ss,"
            + " any_value(router_score) AS rs FROM calls WHERE " + where + " AND model IN (?, ?) GROUP BY trace_id HAVING sw IS NOT NULL AND ss IS NOT NULL";
        String sql = "WITH p AS (" + pairs + "), src AS (SELECT count(rs) = count(*) AS routed FROM p),"
            + " s AS (SELECT sw, ss, CASE WHEN (SELECT routed FROM src) THEN rs ELSE (hash(trace_id) % 1000003) / 1000003.0 END AS score FROM p),"
            + " e AS (SELECT unnest(quantile_cont(score, [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])) AS t,"
            + " unnest([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) AS i FROM s)"
            + " SELECT e.i, e.t, avg(CAST(CASE WHEN e.i = 10 THEN s.score > e.t ELSE s.score >= e.t END AS DOUBLE)) AS strong_share,"
            + " avg(CASE WHEN (CASE WHEN e.i = 10 THEN s.score > e.t ELSE s.score >= e.t END) THEN s.ss ELSE s.sw END) AS quality,"
            + " avg(s.sw), avg(s.ss), count(*), any_value((SELECT routed FROM src)) FROM e CROSS JOIN s GROUP BY e.i, e.t ORDER BY e.i";
        List<double[]> points = new ArrayList<>();
        double weakQ = 0, strongQ = 0;
        long n = 0;
        boolean routed = false;
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, weak);
            ps.setString(2, strong);
            int i = f.bind(ps, 3);
            ps.setString(i++, weak);
            ps.setString(i, strong);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    points.add(new double[] {rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)});
                    weakQ = rs.getDouble(5);
                    strongQ = rs.getDouble(6);
                    n = rs.getLong(7);
                    routed = rs.getBoolean(8);
                }
            }
        }
        if (n == 0) return null;
        points.sort(Comparator.comparingDouble(p -> p[1]));
        double[] x = points.stream().mapToDouble(p -> p[1]).toArray();
        double[] y = points.stream().mapToDouble(p -> p[2]).toArray();
        double auc = trapz(y, x);
        double span = x[x.length - 1] - x[0];
        double apgr = strongQ == weakQ || span == 0 ? Double.NaN : (auc - weakQ * span) / ((strongQ - weakQ) * span);
        return new RouterCurve(weak, strong, routed ? "router_score" : "random", n, weakQ, strongQ, points,
            interp(0.5 * (strongQ - weakQ) + weakQ, y, x), interp(0.8 * (strongQ - weakQ) + weakQ, y, x), apgr);
    }

    /** numpy.trapz(y, x). */
    static double trapz(double[] y, double[] x) {
        double s = 0;
        for (int i = 1; i < x.length; i++) s += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        return s;
    }

    /**
     * numpy.interp(v, xp, fp) as RouteLLM calls it (xp is the quality in strong-share order, which need not
     * increase): the first segment found by a right-sided binary search, clamped at the ends.
     */
    static double interp(double v, double[] xp, double[] fp) {
        int n = xp.length;
        if (v < xp[0]) return fp[0];
        if (v > xp[n - 1]) return fp[n - 1];
        if (v == xp[n - 1]) return fp[n - 1];
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (xp[mid] <= v) lo = mid + 1; else hi = mid;
        }
        int j = lo - 1;
        if (j >= n - 1) return fp[n - 1];
        double dx = xp[j + 1] - xp[j];
        if (dx == 0) return fp[j];
        return fp[j] + (v - xp[j]) * (fp[j + 1] - fp[j]) / dx;
    }
}
