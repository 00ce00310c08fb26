package dev.routeledger.policy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The family the optimizer searches when the user gives none: the workspace's own tiers, cheapest first (each tier's models by
 * how much the log used them, the most used first as the primary), threshold routes over a grid of cuts with
 * and without a boundary band, and cheap-first cascades on confidence and on validation — every one retrying
 * a failed call one tier up, as gateways do.
 */
public final class DefaultFamily {
    private DefaultFamily() {}

    public static List<Policy> of(Connection conn) throws SQLException, PolicyException {
        Map<Integer, List<String>> tiers = new TreeMap<>();
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT eff_tier, model FROM calls WHERE eff_tier IS NOT NULL GROUP BY ALL ORDER BY eff_tier, count(*) DESC, model")) {
            while (rs.next()) tiers.computeIfAbsent(rs.getInt(1), t -> new ArrayList<>()).add(rs.getString(2));
        }
        // the tiers the log has, cheapest first, whatever their numbers: a log of tiers 2 and 3 (no open-weight models)
        // is a two-tier policy, its tier 2 the policy's first
        int k = tiers.size();
        if (k < 2) {
            throw new PolicyException("The optimizer's default family needs the log's models on at least two tiers; the workspace has "
                + (k == 0 ? "no model on a known tier" : "tier " + tiers.keySet().iterator().next() + " only")
                + ". Map the models (tiers --set) or give a family file (--family).");
        }
        StringBuilder tierYaml = new StringBuilder("tiers:\n");
        for (Map.Entry<Integer, List<String>> e : tiers.entrySet()) {
            tierYaml.append("  - name: tier-").append(e.getKey()).append("\n    models: [");
            tierYaml.append(String.join(", ", e.getValue().stream().map(m -> "'" + m.replace("'", "''") + "'").toList())).append("]\n");
        }
        String threshold = "routeledger_policy: 1\nname: threshold\n" + tierYaml
            + "route: {strategy: threshold, thresholds: [" + String.join(", ", java.util.stream.IntStream.range(1, k).mapToObj(i -> String.valueOf((double) i / k)).toList())
            + "], boundary_band: 0.0}\n"
            + "escalate_on_failure: true\nsweep:\n  thresholds: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]\n  boundary_band: [0.0, 0.05]\n";
        String cascade = "routeledger_policy: 1\nname: cascade\n" + tierYaml
            + "route: {strategy: cascade, start_tier: 1, accept: {min_confidence: 0.7}, max_tier: " + k + "}\n"
            + "escalate_on_failure: true\nsweep:\n  min_confidence: [0.5, 0.6, 0.7, 0.8, 0.9]\n";
        String validated = "routeledger_policy: 1\nname: cascade-validation\n" + tierYaml
            + "route: {strategy: cascade, start_tier: 1, accept: {validation: pass}, max_tier: " + k + "}\nescalate_on_failure: true\n";
        List<Policy> out = new ArrayList<>(PolicyFile.parseFamily(threshold, "the default threshold family"));
        out.addAll(PolicyFile.parseFamily(cascade, "the default cascade family"));
        out.add(PolicyFile.parse(validated, "the default validation cascade"));
        return out;
    }
}
