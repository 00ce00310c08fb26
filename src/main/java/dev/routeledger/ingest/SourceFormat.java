package dev.routeledger.ingest;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A gateway's log format (SPEC §3): how to recognise its records and how they map onto the canonical log. */
interface SourceFormat {
    String name();

    /** Whether records with these top-level keys look like this format. */
    boolean matches(Set<String> keys);

    /** What this format's records carry, for the message that refuses a file no format matches. */
    String expects();

    /**
     * A one-row query over the file's records ({@code __bad, r, ctx}) whose columns become the hints given to
     * {@link #mapping}; for what must be judged over the whole file (Helicone's cost unit). NULL when not needed.
     */
    default String hintSql(String recordsSql) {
        return null;
    }

    SourceMapping mapping(Set<String> keys, Map<String, String> hints);

    static Set<String> normalised(Set<String> keys) {
        return keys.stream().map(k -> CanonicalField.normalise(k).toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    static boolean hasAny(Set<String> normalisedKeys, String... names) {
        for (String n : names) {
            if (normalisedKeys.contains(CanonicalField.normalise(n))) return true;
        }
        return false;
    }

    static int count(Set<String> normalisedKeys, String... names) {
        int c = 0;
        for (String n : names) {
            if (normalisedKeys.contains(CanonicalField.normalise(n))) c++;
        }
        return c;
    }
}
