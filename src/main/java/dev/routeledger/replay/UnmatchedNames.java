package dev.routeledger.replay;

import dev.routeledger.analytics.Filter;
import dev.routeledger.policy.Policy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The features, users and teams a policy names (its static route's features, its rules' conditions) that no call in
 * the replayed scope has. A replay treats such a name as any other: it matches nothing, so the rule or tier silently
 * does nothing — usually a typo ("sumarize") or a name from another gateway's log, which the user should hear of.
 */
public final class UnmatchedNames {
    private UnmatchedNames() {}

    /** One line per unmatched name: {@code feature 'x' (route.by_feature)}, in the policy's order. */
    public static List<String> find(Connection conn, Filter scope, Policy policy) throws SQLException {
        // column → name → where the policy names it
        Map<String, Map<String, String>> named = new LinkedHashMap<>();
        for (String col : List.of("feature", "user_id", "team")) named.put(col, new LinkedHashMap<>());
        if (policy.route() instanceof Policy.Static st) {
            for (String f : new TreeSet<>(st.byFeature().keySet())) named.computeIfAbsent("feature", k -> new LinkedHashMap<>()).putIfAbsent(f, "route.by_feature");
        }
        for (int i = 0; i < policy.rules().size(); i++) {
            for (Map.Entry<String, List<String>> w : new java.util.TreeMap<>(policy.rules().get(i).when()).entrySet()) {
                String col = switch (w.getKey()) {
                    case "feature" -> "feature";
                    case "user" -> "user_id";
                    case "team" -> "team";
                    default -> null;
                };
                if (col == null) continue;
                for (String v : w.getValue()) named.computeIfAbsent(col, k -> new LinkedHashMap<>()).putIfAbsent(v, "rules[" + i + "].when." + w.getKey());
            }
        }
        List<String> out = new ArrayList<>();
        Filter f = scope.withShadow(true);
        for (Map.Entry<String, Map<String, String>> e : named.entrySet()) {
            String col = e.getKey();
            List<String> values = new ArrayList<>(e.getValue().keySet());
            if (values.isEmpty()) continue;
            Set<String> seen = new java.util.HashSet<>();
            // the names bound as parameters: they come from a user's file
            String sql = "SELECT DISTINCT " + col + " FROM calls WHERE (" + f.where() + ") AND " + col + " IN ("
                + String.join(", ", java.util.Collections.nCopies(values.size(), "?")) + ")";
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                int i = f.bind(ps, 1);
                for (String v : values) ps.setString(i++, v);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) seen.add(rs.getString(1));
                }
            }
            String label = col.equals("user_id") ? "user" : col;
            for (String v : values) {
                if (!seen.contains(v)) out.add(label + " '" + v + "' (" + e.getValue().get(v) + ")");
            }
        }
        return out;
    }
}
