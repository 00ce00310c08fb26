package dev.routeledger.analytics;

import dev.routeledger.store.CallFacts;
import java.util.Arrays;
import java.util.Locale;

/** What a breakdown can group by (SPEC §5); each maps to a fixed SQL expression, never to user text. */
public enum Dimension {
    USER("user_id", "%s", 0),
    TEAM("team", "%s", 0),
    FEATURE("feature", "%s", 0),
    TIER("eff_tier", "coalesce(CAST(%s AS VARCHAR), 'unknown')", CallFacts.TIER_HEAD),
    MODEL("model", "%s", CallFacts.MODEL_HEAD),
    PROVIDER("provider", "%s", CallFacts.PROVIDER_HEAD),
    STATUS("status", "%s", CallFacts.STATUS_HEAD),
    // grouped on the truncated timestamp and formatted after grouping: strftime on every call cost 0.65 s at 10 M calls
    DAY("date_trunc('day', ts)", "strftime(%s, '%%Y-%%m-%%d')", 0),
    WEEK("date_trunc('week', ts)", "strftime(%s, '%%Y-%%m-%%d')", 0),
    MONTH("date_trunc('month', ts)", "strftime(%s, '%%Y-%%m')", 0);

    /** The expression a query groups by (over the columns of {@code calls}). */
    public final String sql;
    private final String label;
    /**
     * Whether a trace's calls share the group (a trace has one user, team and feature, and is counted in the
     * period it starts): its traces are then counted by their heads, not by a distinct count (CallFacts).
     */
    public final boolean wholeTraces;
    /**
     * For a dimension a trace's calls can differ in (tier, model, provider, status): its bit of the stored
     * per-value trace heads (CallFacts.dimHeads); 0 for the others.
     */
    final int headBit;

    Dimension(String sql, String label, int headBit) {
        this.sql = sql;
        this.label = label;
        this.wholeTraces = headBit == 0;
        this.headBit = headBit;
    }

    /** The group's name as shown, from the grouped value {@code grouped} (a column of the grouped result). */
    public String label(String grouped) {
        return label.formatted(grouped);
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Dimension parse(String s) {
        for (Dimension d : values()) {
            if (d.key().equals(s.strip().toLowerCase(Locale.ROOT))) return d;
        }
        throw new IllegalArgumentException("cannot break down by '" + s + "'; one of: "
            + String.join(", ", Arrays.stream(values()).map(Dimension::key).toList()));
    }
}
