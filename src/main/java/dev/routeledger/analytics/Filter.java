package dev.routeledger.analytics;

import dev.routeledger.store.CallFacts;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Which calls a view looks at (SPEC §5): a time range (UTC, start inclusive, end exclusive) and sets of users,
 * teams, features, tiers, models and providers. Shadow calls are out of spend unless asked for. Values reach
 * SQL only as parameters; the column names are fixed here.
 *
 * @param tiers tier numbers as text, or "unknown" for models the tier map does not know
 */
public record Filter(LocalDateTime from, LocalDateTime to, List<String> users, List<String> teams, List<String> features,
                     List<String> tiers, List<String> models, List<String> providers, boolean includeShadow) {

    public static final Filter ALL = new Filter(null, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), false);

    public Filter {
        users = List.copyOf(users);
        teams = List.copyOf(teams);
        features = List.copyOf(features);
        tiers = List.copyOf(tiers);
        models = List.copyOf(models);
        providers = List.copyOf(providers);
        for (String t : tiers) {
            if (!t.equals("unknown") && !t.matches("\\d{1,4}")) throw new IllegalArgumentException("a tier is a number or 'unknown', not '" + t + "'");
        }
    }

    /** The calendar month YYYY-MM. */
    public Filter month(String yyyyMm) {
        LocalDate first = LocalDate.parse(yyyyMm + "-01");
        return withRange(first.atStartOfDay(), first.plusMonths(1).atStartOfDay());
    }

    public Filter withRange(LocalDateTime from, LocalDateTime to) {
        return new Filter(from, to, users, teams, features, tiers, models, providers, includeShadow);
    }

    public Filter withShadow(boolean include) {
        return new Filter(from, to, users, teams, features, tiers, models, providers, include);
    }

    /** The conditions, with {@code ?} for every value; columns of {@code calls_costed}. Never empty: "true" at least. */
    public String where() {
        List<String> c = new ArrayList<>();
        if (from != null) c.add("ts >= ?");
        if (to != null) c.add("ts < ?");
        in(c, "user_id", users.size());
        in(c, "team", teams.size());
        in(c, "feature", features.size());
        in(c, "model", models.size());
        in(c, "provider", providers.size());
        if (!tiers.isEmpty()) {
            List<String> t = new ArrayList<>();
            long numbers = tiers.stream().filter(x -> !x.equals("unknown")).count();
            if (numbers > 0) t.add("eff_tier IN (" + String.join(", ", java.util.Collections.nCopies((int) numbers, "?")) + ")");
            if (tiers.contains("unknown")) t.add("eff_tier IS NULL");
            c.add("(" + String.join(" OR ", t) + ")");
        }
        if (!includeShadow) c.add("NOT shadow");
        return c.isEmpty() ? "true" : String.join(" AND ", c);
    }

    /** Binds the values of {@link #where()} from parameter {@code i}; returns the next free index. */
    public int bind(PreparedStatement ps, int i) throws SQLException {
        if (from != null) ps.setTimestamp(i++, Timestamp.valueOf(from));
        if (to != null) ps.setTimestamp(i++, Timestamp.valueOf(to));
        for (List<String> vs : List.of(users, teams, features, models, providers)) {
            for (String v : vs) ps.setString(i++, v);
        }
        for (String t : tiers) {
            if (!t.equals("unknown")) ps.setInt(i++, Integer.parseInt(t));
        }
        return i;
    }

    /** Whether the filter keeps or drops whole traces: it selects no tiers, models or providers, which split a cascade. */
    public boolean wholeTraces() {
        return tiers.isEmpty() && models.isEmpty() && providers.isEmpty();
    }

    /**
     * SQL counting the traces among a group's rows that {@code condition} keeps: by their heads when the groups
     * and this filter hold whole traces, else distinct (CallFacts.TRACE_HEADS, TRACE_COUNT).
     */
    public String traceCount(String condition, boolean groupsHoldWholeTraces) {
        return groupsHoldWholeTraces && wholeTraces() ? CallFacts.traceHeads(condition) : CallFacts.traceCount(condition);
    }

    /**
     * SQL counting the traces among the rows of a group by {@code dims}: by their heads when the groups and this
     * filter hold whole traces; by their heads at the one call dimension grouped by (tier, model, provider or
     * status) when the derived facts are built and the filter keeps every call of a trace at each of its values;
     * else distinct.
     */
    public String traceCount(List<Dimension> dims, boolean dimHeadsBuilt) {
        List<Dimension> split = dims.stream().filter(d -> !d.wholeTraces).toList();
        if (split.isEmpty()) return traceCount("true", true);
        Dimension d = split.get(0);
        boolean keepsGroups = (tiers.isEmpty() || d == Dimension.TIER) && (models.isEmpty() || d == Dimension.MODEL)
            && (providers.isEmpty() || d == Dimension.PROVIDER);
        return split.size() == 1 && dimHeadsBuilt && keepsGroups ? CallFacts.dimHeads("true", d.headBit) : CallFacts.traceCount("true");
    }

    /** The number of traces among the calls this filter keeps, counted distinct (right for any filter). */
    public long distinctTraces(java.sql.Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT " + CallFacts.traceCount("true") + " FROM calls WHERE " + where())) {
            bind(ps, 1);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The same filter for shadow calls only (their cost is shown on its own line). */
    public String whereShadowOnly() {
        return new Filter(from, to, users, teams, features, tiers, models, providers, true).where() + " AND shadow";
    }

    private static void in(List<String> c, String column, int n) {
        if (n > 0) c.add(column + " IN (" + String.join(", ", java.util.Collections.nCopies(n, "?")) + ")");
    }
}
