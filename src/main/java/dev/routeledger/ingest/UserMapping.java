package dev.routeledger.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's mapping file (YAML): which source column or metadata key feeds which canonical field, for any
 * format. Paths are dotted ({@code metadata.spend_logs_metadata.product_area}); a path wins over the format's
 * own mapping of that field.
 *
 * <pre>
 * format: litellm          # optional: the format the file is for
 * fields:
 *   feature: metadata.spend_logs_metadata.product_area
 *   team: metadata.user_api_key_alias
 * </pre>
 *
 * Parsed as plain data (no type tags, no code) and at most {@link #MAX_BYTES}.
 */
public record UserMapping(Path source, String format, Map<CanonicalField, String> fields) {
    public static final long MAX_BYTES = 256 * 1024;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static UserMapping load(Path file) throws ImportException {
        try {
            if (!Files.isRegularFile(file)) throw new ImportException("Mapping file " + file + " does not exist.");
            if (Files.size(file) > MAX_BYTES) throw new ImportException("Mapping file " + file + " is larger than " + MAX_BYTES / 1024 + " KB; a mapping file is a few lines.");
            String text = Files.readString(file);
            rejectTypeTags(file, text);
            JsonNode root = YAML.readTree(text);
            if (root == null || !root.isObject()) throw new ImportException("Mapping file " + file + " must hold a map with a 'fields:' section.");
            String format = root.hasNonNull("format") ? root.get("format").asText() : null;
            JsonNode fieldsNode = root.has("fields") ? root.get("fields") : null;
            if (fieldsNode == null || !fieldsNode.isObject() || fieldsNode.isEmpty()) {
                throw new ImportException("Mapping file " + file + ": 'fields:' must map canonical fields to source paths, e.g. 'feature: metadata.product_area'.");
            }
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!k.equals("format") && !k.equals("fields")) {
                    throw new ImportException("Mapping file " + file + ": unknown key '" + k + "' (expected 'format' and 'fields').");
                }
            }
            Map<CanonicalField, String> fields = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = fieldsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                CanonicalField f = field(e.getKey());
                if (f == null) {
                    throw new ImportException("Mapping file " + file + ": '" + e.getKey() + "' is not a canonical field (one of: "
                        + String.join(", ", java.util.Arrays.stream(CanonicalField.values()).map(c -> c.column).toList()) + ").");
                }
                if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                    throw new ImportException("Mapping file " + file + ": the value of '" + e.getKey() + "' must be a column name or dotted path.");
                }
                fields.put(f, e.getValue().asText().strip());
            }
            return new UserMapping(file, format, Map.copyOf(fields));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ImportException("Mapping file " + file + " is not valid YAML" + (at == null ? "" : " (line " + at.getLineNr() + ")")
                + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ImportException("Cannot read mapping file " + file + ": " + e.getMessage(), e);
        }
    }

    /** YAML type tags ({@code !!java.io.File}) name classes; a mapping file is plain data, so any tag is refused. */
    static void rejectTypeTags(Path file, String text) throws IOException, ImportException {
        try (com.fasterxml.jackson.dataformat.yaml.YAMLParser p = ((YAMLFactory) YAML.getFactory()).createParser(text)) {
            while (p.nextToken() != null) {
                if (p.getTypeId() != null) {
                    throw new ImportException(file + " line " + p.currentTokenLocation().getLineNr() + ": the YAML type tag '" + p.getTypeId()
                        + "' is not allowed (mapping files are plain data).");
                }
            }
        }
    }

    private static CanonicalField field(String name) {
        for (CanonicalField f : CanonicalField.values()) {
            if (f.column.equalsIgnoreCase(name.strip())) return f;
        }
        return null;
    }

    void applyTo(SourceMapping m) {
        fields.forEach((f, path) -> m.set(f, JsonSql.text("r", path), path + " (mapping file)"));
    }
}
