package dev.routeledger.replay;

import dev.routeledger.policy.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A world where the truth is known by construction: every trace has an outcome at every tier (success,
 * confidence, validation, status, tokens), drawn from a hidden difficulty. A gateway (threshold routing with
 * escalation on failure) makes the real calls; the log shows them, plus shadow calls at the other tiers for a
 * chosen share of traces. {@link #truth} walks a policy over the full outcomes in plain Java — what a replay of
 * the log must reproduce exactly when every tier is observed, and approach within its intervals when not.
 */
final class ReplayWorld {
    static final String[] MODELS = {"groq/llama-3.3-70b-versatile", "gpt-4o-mini", "gpt-4o"};
    static final double[] SKILL = {0.45, 0.65, 0.9};
    static final double[] VERBOSITY = {1.0, 1.2, 1.5};
    static final String[] FEATURES = {"extract", "chat"};

    /** One tier's outcome for one trace. */
    record Outcome(boolean ok, boolean success, double confidence, String validation, long completionTokens) {}

    record Trace(String id, String feature, double score, long promptTokens, Outcome[] at, long startMs) {}

    final List<Trace> traces = new ArrayList<>();

    ReplayWorld(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            String feature = FEATURES[i % 2];
            double difficulty = Math.min(1, Math.max(0, (feature.equals("extract") ? 0.45 : 0.35) + 0.22 * r.nextGaussian()));
            double score = Math.round(Math.min(1, Math.max(0, difficulty + 0.05 * r.nextGaussian())) * 10000) / 10000.0;
            long prompt = 200 + r.nextInt(1800);
            long completion = 50 + r.nextInt(400);
            Outcome[] at = new Outcome[3];
            for (int t = 0; t < 3; t++) {
                boolean ok = !(t == 0 && r.nextDouble() < 0.03);
                boolean success = ok && r.nextDouble() < 1 / (1 + Math.exp(-14 * (SKILL[t] - difficulty)));
                double conf = Math.round(Math.min(1, Math.max(0, (success ? 0.78 : 0.45) + 0.12 * r.nextGaussian())) * 10000) / 10000.0;
                String validation = feature.equals("extract") && ok ? (success ? "pass" : "fail") : null;
                at[t] = new Outcome(ok, success, conf, validation, ok ? Math.round(completion * VERBOSITY[t]) : 0);
            }
            traces.add(new Trace(String.format("t%05d", i), feature, score, prompt, at, 1_790_000_000_000L + i * 60_000L));
        }
    }

    /** The logged gateway: thresholds 0.4 / 0.7 with a 0.05 band, a retry one tier up on an error or a failed validation. */
    static int gatewayStart(double score) {
        return 1 + (score >= 0.4 - 0.05 ? 1 : 0) + (score >= 0.7 - 0.05 ? 1 : 0);
    }

    /** Writes the log: the gateway's real calls, and shadow calls at every other tier for traces whose index is picked. */
    Path write(Path file, java.util.function.IntPredicate shadowed) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < traces.size(); i++) {
            Trace tr = traces.get(i);
            boolean[] called = new boolean[3];
            int t = gatewayStart(tr.score());
            int attempt = 1;
            while (true) {
                called[t - 1] = true;
                line(sb, tr, t, attempt, false);
                Outcome o = tr.at()[t - 1];
                boolean failed = !o.ok() || "fail".equals(o.validation());
                if (t == 3 || !failed) break;
                t++;
                attempt++;
            }
            if (shadowed.test(i)) {
                for (int s = 1; s <= 3; s++) if (!called[s - 1]) line(sb, tr, s, 0, true);
            }
        }
        Files.writeString(file, sb);
        return file;
    }

    private static void line(StringBuilder sb, Trace tr, int tier, int attempt, boolean shadow) {
        Outcome o = tr.at()[tier - 1];
        sb.append("{\"request_id\":\"").append(tr.id()).append(shadow ? "-s" + tier : "-" + attempt).append("\",\"trace_id\":\"").append(tr.id())
            .append("\",\"timestamp\":").append(tr.startMs() + attempt * 1000L).append(",\"feature\":\"").append(tr.feature())
            .append("\",\"user_id\":\"u").append(tr.id().hashCode() % 50).append("\",\"model\":\"").append(MODELS[tier - 1]).append("\",\"tier\":").append(tier)
            .append(",\"router_score\":").append(tr.score()).append(",\"routed_tier\":").append(gatewayStart(tr.score()))
            .append(",\"prompt_tokens\":").append(o.ok() ? tr.promptTokens() : 0).append(",\"completion_tokens\":").append(o.completionTokens())
            .append(",\"status\":\"").append(o.ok() ? "ok" : "error").append("\",\"latency_ms\":").append(100 + 10 * o.completionTokens());
        if (o.ok()) {
            sb.append(",\"quality\":").append(o.success() ? 1.0 : 0.0).append(",\"confidence\":").append(o.confidence());
            if (o.validation() != null) sb.append(",\"validation\":\"").append(o.validation()).append('"');
        }
        if (!shadow) sb.append(",\"attempt\":").append(attempt);
        sb.append(",\"shadow\":").append(shadow).append("}\n");
    }

    /** The true cost and success of a policy on this world (threshold, cascade or static; no rules, no cache). */
    double[] truth(Policy p, double[][] prices) {
        double cost = 0, success = 0;
        for (Trace tr : traces) {
            int t;
            if (p.route() instanceof Policy.Threshold th) {
                t = 1;
                for (double cut : th.thresholds()) if (tr.score() >= cut - th.boundaryBand()) t++;
            } else if (p.route() instanceof Policy.Cascade c) {
                t = c.startTier();
            } else {
                Policy.Static st = (Policy.Static) p.route();
                t = st.byFeature().getOrDefault(tr.feature(), st.defaultTier());
            }
            while (true) {
                Outcome o = tr.at()[t - 1];
                cost += o.ok() ? tr.promptTokens() * prices[t - 1][0] + o.completionTokens() * prices[t - 1][1] : 0;
                if (t == 3) break;
                boolean up;
                if (p.route() instanceof Policy.Cascade c && t < c.maxTier()) {
                    up = !(o.ok() && o.confidence() >= c.accept().minConfidence());
                } else {
                    up = p.escalateOnFailure() && (!o.ok() || "fail".equals(o.validation()));
                }
                if (!up) break;
                t++;
            }
            if (tr.at()[t - 1].success()) success++;
        }
        return new double[] {cost, success / traces.size()};
    }

    /** The (input, output) price per token the workspace charges each tier's model. */
    static double[][] prices(Connection conn) throws SQLException {
        double[][] out = new double[3][2];
        for (int t = 0; t < 3; t++) {
            try (PreparedStatement ps = conn.prepareStatement("SELECT in_p, out_p FROM model_costing WHERE model = ?")) {
                ps.setString(1, MODELS[t]);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out[t][0] = rs.getDouble(1);
                    out[t][1] = rs.getDouble(2);
                }
            }
        }
        return out;
    }
}
