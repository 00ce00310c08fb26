package dev.routeledger.replay;

import dev.routeledger.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One policy as SQL over the replay basis ({@code rb_trace}): per trace, the tier the policy starts at (rules,
 * then the route, then the context window), and the walk up the tiers as expected values — at each tier the
 * chance of getting there ({@code reach_t}), of succeeding there ({@code qq_t}), and of the policy going on
 * ({@code u_t}: a cascade that does not accept, or a failure a gateway sees when the policy escalates on failure).
 * An observed tier decides with its own signals; an estimated one with how often comparable observed calls
 * were accepted, given success and given failure. The success of a tier reached after a lower tier let the
 * trace go on is conditioned on that ({@code c1_t}, {@code c0_t} of the basis).
 */
final class PolicySql {
    enum Mode { STOP, SIGNAL, ACCEPT }

    private final Policy policy;
    private final ReplayBasis basis;
    private final int k;

    PolicySql(Policy policy, ReplayBasis basis) {
        this.policy = policy;
        this.basis = basis;
        this.k = basis.tiers;
    }

    Mode mode(int t) {
        if (t >= k) return Mode.STOP;
        if (policy.route() instanceof Policy.Cascade c && t < c.maxTier()) return Mode.ACCEPT;
        return policy.escalateOnFailure() ? Mode.SIGNAL : Mode.STOP;
    }

    /** Whether a call with these columns lets the trace stop at its tier (for a tier whose mode is not STOP). */
    String accepts(int t, Function<String, String> col) {
        if (mode(t) == Mode.SIGNAL) return "NOT coalesce(" + col.apply("sig") + ", false)";
        Policy.Accept a = ((Policy.Cascade) policy.route()).accept();
        String ok = "coalesce(" + col.apply("ok") + ", false)";
        if (a.minConfidence() != null) return "coalesce(" + ok + " AND " + col.apply("conf") + " >= " + Replay.dbl(a.minConfidence()) + ", false)";
        if (a.minQuality() != null) return "coalesce(" + ok + " AND " + col.apply("qual") + " >= " + Replay.dbl(a.minQuality()) + ", false)";
        // validation: pass; a feature with no validator passes
        return "coalesce(" + ok + " AND (" + col.apply("val") + " = 'pass' OR (" + col.apply("val") + " IS NULL AND NOT " + col.apply("validated") + ")), false)";
    }

    /** The tier each trace starts at: its rule's action, else the route; never below the tier its prompt fits. */
    String startTier() {
        return startTier(ruleIndex(), fitTier());
    }

    /** The start tier from a rule index and a fit tier given as SQL (columns, in the sweep's classes). */
    String startTier(String ruleIndex, String fit) {
        String route = route();
        String start = route;
        if (!policy.rules().isEmpty()) {
            StringBuilder sb = new StringBuilder("CASE " + ruleIndex);
            for (int i = 0; i < policy.rules().size(); i++) {
                Policy.Rule r = policy.rules().get(i);
                sb.append(" WHEN ").append(i + 1).append(" THEN ").append(r.tier() != null ? String.valueOf(r.tier()) : "greatest(" + route + ", " + r.minTier() + ")");
            }
            start = sb + " ELSE " + route + " END";
        }
        return policy.contextWindow() ? "greatest(" + start + ", " + fit + ")" : start;
    }

    /** How the route alone picks a tier, from the trace's score, feature and the gateway's own first pick. */
    String route() {
        if (policy.route() instanceof Policy.Threshold th) {
            StringBuilder sb = new StringBuilder("CASE WHEN score IS NULL THEN least(greatest(coalesce(first_tier, 1), 1), " + k + ") ELSE 1");
            for (double cut : th.thresholds()) {
                // computed in double, as a gateway would: 0.55 − 0.05 is 0.5000000000000001, not 0.5
                sb.append(" + CAST(score >= ").append(Replay.dbl(cut - th.boundaryBand())).append(" AS INTEGER)");
            }
            return sb + " END";
        }
        if (policy.route() instanceof Policy.Static st) {
            StringBuilder sb = new StringBuilder("CASE");
            for (Map.Entry<String, Integer> e : st.byFeature().entrySet()) {
                sb.append(" WHEN feature = ").append(Replay.str(e.getKey())).append(" THEN ").append(e.getValue());
            }
            return sb.length() == 4 ? String.valueOf(st.defaultTier()) : sb + " ELSE " + st.defaultTier() + " END";
        }
        return String.valueOf(((Policy.Cascade) policy.route()).startTier());
    }

    /** Which rule decides the trace (1-based, first match wins), 0 for none. */
    String ruleIndex() {
        if (policy.rules().isEmpty()) return "0";
        StringBuilder sb = new StringBuilder("CASE");
        for (int i = 0; i < policy.rules().size(); i++) {
            List<String> conds = new ArrayList<>();
            for (Map.Entry<String, List<String>> w : policy.rules().get(i).when().entrySet()) {
                String column = switch (w.getKey()) {
                    case "feature" -> "feature";
                    case "user" -> "user_id";
                    case "team" -> "team";
                    default -> throw new IllegalArgumentException("rule key " + w.getKey());
                };
                conds.add(column + " IN (" + String.join(", ", w.getValue().stream().map(Replay::str).toList()) + ")");
            }
            sb.append(" WHEN ").append(conds.isEmpty() ? "true" : String.join(" AND ", conds)).append(" THEN ").append(i + 1);
        }
        return sb + " ELSE 0 END";
    }

    /** The lowest tier whose primary model's context window holds the prompt (1 when the policy ignores windows). */
    String fitTier() {
        return policy.contextWindow() ? "fit" : "1";
    }

    /**
     * Per feature, for each non-stopping tier, from the calls observed there: how often one was accepted given
     * success (a1) and given a failure that answered (a0), and how often it did not answer at all (e: an error,
     * timeout or rate limit — never accepted, and no sign of how hard the request was). Kept apart because the
     * mix differs with difficulty: on easy traffic most failures are errors, on hard traffic wrong answers.
     */
    private String acceptanceCtes() {
        List<String> byTier = new ArrayList<>();
        List<String> pivot = new ArrayList<>();
        List<String> global = new ArrayList<>();
        for (int t = 1; t <= k; t++) {
            if (mode(t) == Mode.STOP) continue;
            byTier.add("WHEN " + t + " THEN " + accepts(t, c -> c));
            for (String o : List.of("1", "0", "e")) {
                pivot.add("max(CASE WHEN tier = " + t + " AND n" + o + " >= " + ReplayBasis.MIN_EVIDENCE + " THEN k" + o + " / n" + o + " END) AS fa" + o + "_" + t);
                global.add("max(CASE WHEN tier = " + t + " THEN k" + o + " / nullif(n" + o + ", 0) END) AS ga" + o + "_" + t);
            }
        }
        if (byTier.isEmpty()) return null;
        String acc = "CAST(CASE tier " + String.join(" ", byTier) + " END AS DOUBLE)";
        return "acc_raw AS (SELECT tier, fk, sum(w1 * " + acc + ") AS k1, sum(w1) AS n1, sum(w0 * " + acc + ") FILTER (WHERE ok) AS k0,"
            + " sum(w0) FILTER (WHERE ok) AS n0, CAST(sum(cnt) FILTER (WHERE NOT coalesce(ok, false)) AS DOUBLE) AS ke, CAST(sum(cnt) AS DOUBLE) AS ne"
            + " FROM rb_acc GROUP BY GROUPING SETS ((tier, fk), (tier))),\n"
            + "acc_f AS (SELECT fk, " + String.join(", ", pivot) + " FROM acc_raw WHERE fk IS NOT NULL GROUP BY fk),\n"
            + "acc_g AS (SELECT " + String.join(", ", global) + " FROM acc_raw WHERE fk IS NULL)";
    }

    /**
     * Per trace: bucket, actual cost/success/latency, simulated cost/success/latency, calls per tier, exact and
     * all decisions, whether the cache answered it. {@code hits} is the cache's table (tkey, wkey) or null.
     */
    String perTrace(String hits) {
        StringBuilder sql = head(startTier());
        String last = walk(sql, "st", "", "x0");
        sql.append(",\nres AS (SELECT tkey, n, bucket, fk, bin, feature, score, first_tier, rule_idx, fit, has_real, actual_cost, actual_s, actual_lat, ")
            .append(String.join(", ", results("st", ""))).append(" FROM ").append(last).append(")");
        List<String> outCols = new ArrayList<>(List.of("r.n", "r.bucket", "r.fk", "r.bin", "r.has_real", "r.actual_cost", "r.actual_s", "r.actual_lat"));
        for (int t = 1; t <= k; t++) {
            // a trace the cache answers takes another's outcome: its own estimates weigh nothing
            outCols.add("r.ct_" + t);
            outCols.add(hits == null ? "r.w1_" + t : "CASE WHEN h.wkey IS NULL THEN r.w1_" + t + " ELSE 0.0 END AS w1_" + t);
            outCols.add(hits == null ? "r.w0_" + t : "CASE WHEN h.wkey IS NULL THEN r.w0_" + t + " ELSE 0.0 END AS w0_" + t);
        }
        if (hits == null) {
            outCols.addAll(List.of("r.sim_cost", "r.sim_s", "r.sim_lat", "r.dec_exact", "r.dec", "false AS hit"));
            for (int t = 1; t <= k; t++) outCols.addAll(List.of("r.calls_" + t, "r.nreal_" + t));
            sql.append(",\nout AS (SELECT ").append(String.join(", ", outCols)).append(" FROM res r)");
        } else {
            // a trace the cache answers costs nothing, makes no call and takes the earlier answer's outcome
            outCols.addAll(List.of("CASE WHEN h.wkey IS NULL THEN r.sim_cost ELSE 0.0 END AS sim_cost", "CASE WHEN h.wkey IS NULL THEN r.sim_s ELSE w.sim_s END AS sim_s",
                "CASE WHEN h.wkey IS NULL THEN r.sim_lat ELSE 0.0 END AS sim_lat", "CASE WHEN h.wkey IS NULL THEN r.dec_exact ELSE 0.0 END AS dec_exact",
                "CASE WHEN h.wkey IS NULL THEN r.dec ELSE 0.0 END AS dec", "h.wkey IS NOT NULL AS hit"));
            for (int t = 1; t <= k; t++) outCols.addAll(List.of("CASE WHEN h.wkey IS NULL THEN r.calls_" + t + " ELSE 0.0 END AS calls_" + t, "r.nreal_" + t));
            sql.append(",\nout AS (SELECT ").append(String.join(", ", outCols)).append(" FROM res r LEFT JOIN ").append(hits)
                .append(" h ON h.tkey = r.tkey LEFT JOIN res w ON w.tkey = h.wkey)");
        }
        return sql.toString();
    }

    /**
     * The walks of every start tier side by side, for the sweep's classes: per trace, {@code res} holds each start
     * tier s's results suffixed {@code _s<s>} (sim_cost_s1, calls_2_s3 …), from one read of the basis.
     */
    String perTraceByStart() {
        StringBuilder sql = head("0");
        String from = "x0";
        List<String> cols = new ArrayList<>();
        for (int s = 1; s <= k; s++) {
            from = walk(sql, String.valueOf(s), "_s" + s, from);
            cols.addAll(results(String.valueOf(s), "_s" + s));
        }
        return sql.append(",\nres AS (SELECT n, bucket, fk, bin, feature, score, first_tier, rule_idx, fit, actual_cost, actual_s, ").append(String.join(", ", cols))
            .append(" FROM ").append(from).append(")").toString();
    }

    /** WITH, the acceptance evidence and x0: the basis's traces with the start tier {@code st}, rule, fit and acceptance rates. */
    private StringBuilder head(String st) {
        StringBuilder sql = new StringBuilder("WITH ");
        String accCtes = acceptanceCtes();
        if (accCtes != null) sql.append(accCtes).append(",\n");
        sql.append("x0 AS (SELECT rb_trace.*, ").append(st).append(" AS st, ").append(ruleIndex())
            .append(" AS rule_idx");
        for (int t = 1; t <= k; t++) {
            if (mode(t) == Mode.STOP) continue;
            for (String o : List.of("1", "0", "e")) {
                sql.append(", coalesce(acc_f.fa").append(o).append('_').append(t).append(", acc_g.ga").append(o).append('_').append(t).append(o.equals("e") ? ", 0.0" : ", 1.0")
                    .append(") AS ea").append(o).append('_').append(t);
            }
        }
        sql.append(" FROM rb_trace");
        if (accCtes != null) sql.append(" LEFT JOIN acc_f ON acc_f.fk = rb_trace.fk CROSS JOIN acc_g");
        return sql.append(")");
    }

    /**
     * Appends the walk up the tiers from start tier {@code st} (SQL) to {@code sql}, reading {@code from}; its
     * columns carry the suffix {@code sfx}. Returns the name of its last CTE.
     */
    private String walk(StringBuilder sql, String st, String sfx, String from) {
        Function<String, String> n = base -> base + sfx; // reach_2 → reach_2_s1
        for (int t = 1; t <= k; t++) {
            final int tt = t;
            String p = (t - 1) + "";
            String reach = t == 1 ? "CASE WHEN " + st + " = 1 THEN 1.0 ELSE 0.0 END"
                : "CASE WHEN " + st + " > " + t + " THEN 0.0 WHEN " + st + " = " + t + " THEN 1.0 ELSE " + n.apply("reach_" + p) + " * " + n.apply("u_" + p) + " END";
            // reached from below: the trace went on after a success that was not accepted (c1), an answer that
            // failed (c0), or no answer at all (an error: no sign of difficulty, so the tier's own estimate)
            String qq = t == 1 ? "q_1" : "CASE WHEN ex_" + t + " OR " + st + " >= " + t + " OR " + n.apply("u_" + p) + " <= 0 THEN q_" + t
                + " ELSE least(1.0, greatest(0.0, (" + n.apply("qq_" + p) + " * (1 - " + n.apply("A1_" + p) + ") * c1_" + t + " + " + n.apply("E_" + p) + " * q_" + t
                + " + greatest(0.0, 1 - " + n.apply("qq_" + p) + " - " + n.apply("E_" + p) + ") * (1 - " + n.apply("A0_" + p) + ") * c0_" + t + ") / " + n.apply("u_" + p) + ")) END";
            String a1, a0, e, u;
            if (mode(t) == Mode.STOP) {
                a1 = a0 = "1.0";
                e = "0.0";
                u = "0.0";
            } else {
                String exact = "CAST(" + accepts(t, c -> c.equals("validated") ? c : c + "_" + tt) + " AS DOUBLE)";
                a1 = "CASE WHEN ex_" + t + " THEN " + exact + " ELSE ea1_" + t + " END";
                a0 = "CASE WHEN ex_" + t + " THEN " + exact + " ELSE ea0_" + t + " END";
                e = "CASE WHEN ex_" + t + " THEN 0.0 ELSE least(eae_" + t + ", 1 - q_" + t + ") END";
                u = "greatest(0.0, 1 - " + n.apply("qq_" + t) + " * " + n.apply("A1_" + t) + " - greatest(0.0, 1 - " + n.apply("qq_" + t) + " - " + n.apply("E_" + t) + ") * "
                    + n.apply("A0_" + t) + ")";
            }
            String x = "x" + t + sfx, y = "y" + t + sfx;
            sql.append(",\n").append(x).append(" AS (SELECT *, ").append(reach).append(" AS ").append(n.apply("reach_" + t)).append(", ").append(qq).append(" AS ")
                .append(n.apply("qq_" + t)).append(", ").append(a1).append(" AS ").append(n.apply("A1_" + t)).append(", ").append(a0).append(" AS ").append(n.apply("A0_" + t))
                .append(", ").append(e).append(" AS ").append(n.apply("E_" + t)).append(" FROM ").append(from).append(")");
            sql.append(",\n").append(y).append(" AS (SELECT *, ").append(u).append(" AS ").append(n.apply("u_" + t)).append(" FROM ").append(x).append(")");
            from = y;
        }
        return from;
    }

    /**
     * Per trace, what the walk from start tier {@code st} (columns suffixed {@code sfx}) gives: simulated cost,
     * success and latency, exact and all decisions, calls per tier, and each estimated tier's weights.
     */
    private List<String> results(String st, String sfx) {
        Function<String, String> n = base -> base + sfx;
        List<String> cost = new ArrayList<>(), succ = new ArrayList<>(), lat = new ArrayList<>(), exact = new ArrayList<>(), dec = new ArrayList<>();
        for (int t = 1; t <= k; t++) {
            String reach = n.apply("reach_" + t);
            cost.add(reach + " * cost_" + t);
            succ.add(reach + " * " + n.apply("qq_" + t) + " * " + n.apply("A1_" + t));
            lat.add(reach + " * lat_" + t);
            exact.add(reach + " * CAST(ex_" + t + " AS DOUBLE)");
            dec.add(reach);
        }
        // a row's costs and latencies are its traces' sums already; its chances are each trace's, so they count n times
        List<String> out = new ArrayList<>(List.of(String.join(" + ", cost) + " AS " + n.apply("sim_cost"), "n * (" + String.join(" + ", succ) + ") AS " + n.apply("sim_s"),
            String.join(" + ", lat) + " AS " + n.apply("sim_lat"), "n * (" + String.join(" + ", exact) + ") AS " + n.apply("dec_exact"),
            "n * (" + String.join(" + ", dec) + ") AS " + n.apply("dec")));
        // an observed tier makes the calls the log shows there (a fallback to another deployment of the tier is one more)
        for (int t = 1; t <= k; t++) {
            out.add("n * " + n.apply("reach_" + t) + " * CASE WHEN nreal_" + t + " > 0 THEN nreal_" + t + " ELSE 1 END AS " + n.apply("calls_" + t));
            out.add("n * nreal_" + t + " AS " + n.apply("nreal_" + t));
        }
        // each estimated tier's weight in the simulated success, split by the tier that conditioned its estimate
        // (ct, 0 = none) and that tier's outcome: first-order sensitivities for the estimates' share of the intervals
        for (int t = 1; t <= k; t++) {
            String p = (t - 1) + "";
            String reach = n.apply("reach_" + t), a1 = n.apply("A1_" + t);
            String direct = t == 1 ? "true" : "(" + st + " >= " + t + " OR " + n.apply("u_" + p) + " <= 0)";
            String est = "NOT ex_" + t + " AND " + reach + " > 0";
            out.add("CASE WHEN " + est + " THEN CASE WHEN " + direct + " THEN near_" + t + " ELSE " + p + " END END AS " + n.apply("ct_" + t));
            out.add("n * CASE WHEN " + est + " THEN CASE WHEN " + direct + " THEN " + reach + " * " + a1 + " * sn_" + t
                + (t == 1 ? "" : " ELSE " + n.apply("reach_" + p) + " * " + n.apply("qq_" + p) + " * (1 - " + n.apply("A1_" + p) + ") * " + a1) + " END ELSE 0.0 END AS " + n.apply("w1_" + t));
            out.add("n * CASE WHEN " + est + " THEN CASE WHEN " + direct + " THEN " + reach + " * " + a1 + " * (1 - sn_" + t + ")"
                + (t == 1 ? "" : " ELSE " + n.apply("reach_" + p) + " * greatest(0.0, 1 - " + n.apply("qq_" + p) + " - " + n.apply("E_" + p) + ") * (1 - " + n.apply("A0_" + p) + ") * " + a1)
                + " END ELSE 0.0 END AS " + n.apply("w0_" + t));
        }
        return out;
    }
}
