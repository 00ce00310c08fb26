package dev.routeledger.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Users ranked by effective cost (SPEC §5), with share and Pareto position. A user is flagged when their share
 * is large (default ≥ 5 % of spend and in the top 1 % of users) or their spend is a robust outlier (median/MAD
 * z-score ≥ 3.5). The z-score is taken on log spend: per-user spend is heavy-tailed (a few users spend orders of
 * magnitude more than the median), and on raw dollars a sixth of the sample's users came out as "outliers". The
 * evidence: their share of the frontier tier's spend, how often they repeat a prompt (calls whose prompt_hash
 * they sent in an earlier trace, possibly before the view's range — a cascade's calls share one prompt and are
 * not repeats), and what a cache or the cheapest tier would have saved on those repeats.
 */
public final class PowerUsers {
    public static final double SHARE_THRESHOLD = 0.05;
    public static final double TOP_FRACTION = 0.01;
    public static final double Z_THRESHOLD = 3.5;
    /** From this share of repeated calls, repeats are worth naming as evidence. */
    public static final double REPEAT_EVIDENCE = 0.10;

    private PowerUsers() {}

    public record User(String userId, int rank, double costUsd, double share, double cumulativeShare, long calls, long traces,
                       double frontierShare, double frontierSpendShare, double repeatRatio, long repeatCalls,
                       double cacheSavingsUsd, double lowerTierSavingsUsd, double robustZ, boolean flagged, List<String> reasons) {}

    /** @param top1PctShare spend share of the top 1 % of users (at least one user); likewise top 10 % */
    public record Result(List<User> users, long userCount, double totalCostUsd, double top1PctShare, double top10PctShare,
                         Integer frontierTier, String cheapModel) {}

    public static Result run(Connection conn, Filter filter, int limit) throws SQLException {
        TraceFacts.ensure(conn);
        String sql = """
            WITH f AS NOT MATERIALIZED (
                SELECT user_id, trace_id, eff_tier, coalesce(cost_effective, 0) AS cost, prompt_tokens, completion_tokens, multi_call, trace_head,
                       coalesce(user_repeat, false) AS rep
                  FROM calls WHERE user_id IS NOT NULL AND %1$s),
            frontier AS (SELECT max(eff_tier) AS tier, min(eff_tier) AS cheapest FROM f),
            -- the cheapest tier's most used priced model, at its list prices
            cheap AS (SELECT u.model, mc.in_p AS pin, mc.out_p AS pout
                        FROM (SELECT model, provider, count(*) AS n FROM calls WHERE eff_tier = (SELECT cheapest FROM frontier) AND NOT shadow
                               GROUP BY ALL) u
                        JOIN model_costing mc ON mc.model = u.model AND mc.provider_key = coalesce(u.provider, '')
                       WHERE mc.in_p IS NOT NULL AND mc.out_p IS NOT NULL ORDER BY u.n DESC, u.model LIMIT 1),
            -- repeats are stored per call (TraceFacts.user_repeat): the evidence is a filtered sum in the same pass
            per_user AS (
              SELECT user_id, sum(cost) AS cost, count(*) AS calls, %5$s AS traces,
                     coalesce(sum(cost) FILTER (WHERE eff_tier = (SELECT tier FROM frontier)), 0) AS frontier_cost,
                     count(*) FILTER (WHERE rep) AS repeats,
                     coalesce(sum(cost) FILTER (WHERE rep), 0) AS repeat_cost,
                     coalesce(sum(greatest(cost - (coalesce(prompt_tokens, 0) * (SELECT pin FROM cheap)
                                               + coalesce(completion_tokens, 0) * (SELECT pout FROM cheap)), 0))
                              FILTER (WHERE rep AND eff_tier > (SELECT cheapest FROM frontier)), 0) AS lower_saving
                FROM f GROUP BY user_id),
            stats AS (SELECT sum(cost) AS total, count(*) AS n, median(ln(CASE WHEN cost > 0 THEN cost END)) AS med,
                             mad(ln(CASE WHEN cost > 0 THEN cost END)) AS mad, sum(frontier_cost) AS frontier_total FROM per_user),
            ranked AS (SELECT p.*, row_number() OVER (ORDER BY cost DESC, user_id) AS rnk,
                              sum(cost) OVER (ORDER BY cost DESC, user_id ROWS UNBOUNDED PRECEDING) AS cum FROM per_user p),
            scored AS (SELECT r.*, r.cost / nullif(s.total, 0) AS share, CASE WHEN s.mad > 0 AND r.cost > 0 THEN 0.6745 * (ln(greatest(r.cost, 1e-300)) - s.med) / s.mad END AS z,
                              r.rnk <= greatest(1, ceil(s.n * %2$s)) AS top_users FROM ranked r, stats s),
            chosen AS (SELECT * FROM scored WHERE rnk <= ? OR (share >= %3$s AND top_users) OR z >= %4$s)
            SELECT r.user_id, r.rnk, r.cost, r.share, r.cum / nullif(s.total, 0), r.calls, r.traces,
                   r.frontier_cost / nullif(r.cost, 0), r.frontier_cost / nullif(s.frontier_total, 0),
                   r.repeats / r.calls, r.repeats, r.repeat_cost, r.lower_saving, r.z,
                   s.n, s.total, (SELECT tier FROM frontier), (SELECT model FROM cheap),
                   (SELECT sum(cost) FROM ranked WHERE rnk <= greatest(1, ceil(s.n * 0.01))) / nullif(s.total, 0),
                   (SELECT sum(cost) FROM ranked WHERE rnk <= greatest(1, ceil(s.n * 0.10))) / nullif(s.total, 0),
                   r.top_users, exp(s.med)
              FROM chosen r CROSS JOIN stats s
             ORDER BY r.rnk""".formatted(filter.where(), TOP_FRACTION, SHARE_THRESHOLD, Z_THRESHOLD,
            filter.traceCount("true", true));
        List<User> users = new ArrayList<>();
        long n = 0;
        double total = 0, top1 = 0, top10 = 0;
        Integer frontierTier = null;
        String cheapModel = null;
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            int i = filter.bind(ps, 1);
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n = rs.getLong(15);
                    total = rs.getDouble(16);
                    int ft = rs.getInt(17);
                    frontierTier = rs.wasNull() ? null : ft;
                    cheapModel = rs.getString(18);
                    top1 = rs.getDouble(19);
                    top10 = rs.getDouble(20);
                    int rank = rs.getInt(2);
                    double share = rs.getDouble(4);
                    Double z = Breakdown.nullable(rs, 14);
                    double frontierShare = rs.getDouble(8);
                    double frontierSpendShare = rs.getDouble(9);
                    double repeatRatio = rs.getDouble(10);
                    List<String> reasons = new ArrayList<>();
                    if (share >= SHARE_THRESHOLD && rs.getBoolean(21)) {
                        reasons.add(String.format("%.1f %% of spend, in the top 1 %% of %,d users", 100 * share, n));
                    }
                    if (z != null && z >= Z_THRESHOLD) reasons.add(String.format("robust outlier: spend %.0f× the median user's $%.4f (robust z-score %.1f on log spend)",
                        rs.getDouble(3) / rs.getDouble(22), rs.getDouble(22), z));
                    boolean flagged = !reasons.isEmpty();
                    if (flagged) {
                        if (frontierTier != null && frontierShare > 0) {
                            reasons.add(String.format("%.0f %% of their spend on the frontier tier (%d), %.1f %% of all frontier-tier spend",
                                100 * frontierShare, frontierTier, 100 * frontierSpendShare));
                        }
                        if (repeatRatio >= REPEAT_EVIDENCE) {
                            reasons.add(String.format("%.0f %% of their calls repeat a prompt they sent before (%,d calls, $%,.2f): a cache would have"
                                + " saved $%,.2f, the cheapest tier (%s) $%,.2f", 100 * repeatRatio, rs.getLong(11), rs.getDouble(12),
                                rs.getDouble(12), cheapModel == null ? "no priced model" : cheapModel, rs.getDouble(13)));
                        }
                    }
                    users.add(new User(rs.getString(1), rank, rs.getDouble(3), share, rs.getDouble(5), rs.getLong(6), rs.getLong(7),
                        frontierShare, frontierSpendShare, repeatRatio, rs.getLong(11), rs.getDouble(12), rs.getDouble(13),
                        z == null ? 0 : z, flagged, List.copyOf(reasons)));
                }
            }
        }
        return new Result(users, n, total, top1, top10, frontierTier, cheapModel);
    }
}
