package dev.routeledger.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells which log format a file is in from its records' keys (SPEC §3). Gateways' own formats are tried first
 * (a LiteLLM export also has the canonical request_id, startTime and model), the canonical log last; a file
 * that matches nothing is refused with the list of what was expected.
 */
public final class FormatDetector {
    static final List<SourceFormat> SOURCES = List.of(new LiteLlmFormat(), new HeliconeFormat(), new LangfuseFormat(), new EvalWideFormat());
    static final SourceFormat CANONICAL = new CanonicalRecordFormat();
    private static final int SAMPLE_RECORDS = 1000;
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private FormatDetector() {}

    /** The names {@code --format} accepts. */
    public static List<String> names() {
        List<String> out = new ArrayList<>(List.of("auto", "canonical"));
        SOURCES.forEach(f -> out.add(f.name()));
        return out;
    }

    static SourceFormat byName(String name) {
        if (name.equals("canonical")) return CANONICAL;
        for (SourceFormat f : SOURCES) if (f.name().equals(name)) return f;
        return null;
    }

    /** The format whose records these are, or null. */
    static SourceFormat detect(Set<String> keys) {
        for (SourceFormat f : SOURCES) if (f.matches(keys)) return f;
        return CANONICAL.matches(keys) ? CANONICAL : null;
    }

    static String refusal(String shown, Set<String> keys) {
        StringBuilder sb = new StringBuilder(shown + " matches no log format RouteLedger reads. Expected one of:");
        SOURCES.forEach(f -> sb.append("\n  - ").append(f.expects()));
        sb.append("\n  - ").append(CANONICAL.expects());
        List<String> found = new ArrayList<>(keys);
        sb.append("\nIts columns/keys are: ").append(found.isEmpty() ? "(none)" : String.join(", ", found.subList(0, Math.min(40, found.size()))))
            .append(found.size() > 40 ? ", …" : "")
            .append("\nName the format with --format, or map the columns with --mapping FILE. Nothing was imported.");
        return sb.toString();
    }

    /** Whether top-level keys are those of an API page or a trace download rather than of records. */
    static boolean isEnvelope(Set<String> topKeys) {
        Set<String> n = SourceFormat.normalised(topKeys);
        return (n.contains("data") && !n.contains("requestid") && !n.contains("id")) || (n.contains("observations") && n.contains("trace"));
    }

    /** The keys of the first records of a JSON array (a sample is enough to tell the format). */
    static Set<String> arrayElementKeys(SourceFile file) throws IOException {
        Set<String> keys = new LinkedHashSet<>();
        int seen = 0;
        try (InputStream in = file.openText(); JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_ARRAY) return keys;
            JsonToken t;
            while ((t = p.nextToken()) != null && t != JsonToken.END_ARRAY && seen++ < SAMPLE_RECORDS) JsonKeySampler.addObjectKeys(p, t, keys);
        } catch (IOException malformed) {
            // the sample ends here; the import reports the bad records
        }
        return keys;
    }

    /** The keys of the records inside API pages ({data: […]}) or a trace download ({trace, observations: […]}). */
    static Set<String> innerKeys(SourceFile file) throws IOException {
        Set<String> keys = new LinkedHashSet<>();
        int seen = 0;
        try (InputStream in = file.openText(); JsonParser p = JSON.createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null && seen < SAMPLE_RECORDS) {
                if (t == JsonToken.START_ARRAY) continue; // a JSON array of pages
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME && seen < SAMPLE_RECORDS) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if ((name.equals("data") || name.equals("observations")) && v == JsonToken.START_ARRAY) {
                        while (p.nextToken() == JsonToken.START_OBJECT && seen < SAMPLE_RECORDS) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                keys.add(p.currentName());
                                p.nextToken();
                                p.skipChildren();
                            }
                            seen++;
                        }
                        if (p.currentToken() != JsonToken.END_ARRAY) p.skipChildren();
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException malformed) {
            // the sample ends here; the import reports the bad records
        }
        return keys;
    }
}
