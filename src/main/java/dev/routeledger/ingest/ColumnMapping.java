package dev.routeledger.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which source column feeds which canonical field, which columns carry prompt text, and which are kept
 * as they came in the {@code extra} JSON. When several columns name one field, the canonical name wins,
 * then the alias listed first; the losers go to {@code extra} so nothing is dropped.
 */
public record ColumnMapping(Map<CanonicalField, String> fields, String promptTextColumn,
                            List<String> droppedTextColumns, List<String> extraColumns) {

    public static ColumnMapping resolve(List<String> sourceColumns) {
        Map<CanonicalField, String> best = new EnumMap<>(CanonicalField.class);
        Map<CanonicalField, Integer> bestRank = new EnumMap<>(CanonicalField.class);
        for (String col : sourceColumns) {
            for (CanonicalField f : CanonicalField.values()) {
                int rank = f.matchRank(col);
                if (rank >= 0 && (!bestRank.containsKey(f) || rank < bestRank.get(f))) {
                    best.put(f, col);
                    bestRank.put(f, rank);
                }
            }
        }
        String prompt = null;
        List<String> dropped = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        for (String col : sourceColumns) {
            if (best.containsValue(col)) continue;
            String n = CanonicalField.normalise(col);
            boolean isPrompt = CanonicalField.PROMPT_TEXT_KEYS.stream().anyMatch(k -> CanonicalField.normalise(k).equals(n));
            boolean isResponse = CanonicalField.RESPONSE_TEXT_KEYS.stream().anyMatch(k -> CanonicalField.normalise(k).equals(n));
            if (isPrompt && prompt == null) {
                prompt = col;
            } else if (isPrompt || isResponse) {
                dropped.add(col);
            } else {
                extra.add(col);
            }
        }
        return new ColumnMapping(Collections.unmodifiableMap(best), prompt, List.copyOf(dropped), List.copyOf(extra));
    }

    public List<CanonicalField> missingRequired() {
        List<CanonicalField> missing = new ArrayList<>();
        for (CanonicalField f : CanonicalField.values()) {
            if (f.isRequired() && !fields.containsKey(f)) missing.add(f);
        }
        return missing;
    }

    /** Source column → canonical name, for showing a user what was detected. */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        fields.forEach((f, col) -> out.put(col, f.column));
        if (promptTextColumn != null) out.put(promptTextColumn, "prompt_hash (hashed, text not stored)");
        droppedTextColumns.forEach(c -> out.put(c, "(text, not stored)"));
        extraColumns.forEach(c -> out.put(c, "extra"));
        return out;
    }
}
