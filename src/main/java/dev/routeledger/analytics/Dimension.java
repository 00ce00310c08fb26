package dev.routeledger.analytics;

import java.util.Arrays;
import java.util.Locale;

/** What a breakdown can group by (SPEC §5); each maps to a fixed SQL expression, never to user text. */
public enum Dimension {
    USER("user_id"),
    TEAM("team"),
    FEATURE("feature"),
    TIER("coalesce(CAST(eff_tier AS VARCHAR), 'unknown')"),
    MODEL("model"),
    PROVIDER("provider"),
    STATUS("status"),
    DAY("strftime(ts, '%Y-%m-%d')"),
    WEEK("strftime(date_trunc('week', ts), '%Y-%m-%d')"),
    MONTH("strftime(ts, '%Y-%m')");

    public final String sql;

    Dimension(String sql) {
        this.sql = sql;
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
