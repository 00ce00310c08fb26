package dev.routeledger.ingest;

import java.util.Map;
import java.util.Set;

/** The canonical log read record by record: used when a mapping file adds custom fields to a canonical file. */
final class CanonicalRecordFormat implements SourceFormat {
    @Override
    public String name() { return "canonical"; }

    @Override
    public boolean matches(Set<String> keys) {
        return ColumnMapping.resolve(java.util.List.copyOf(keys)).missingRequired().isEmpty();
    }

    @Override
    public String expects() {
        return "canonical (request_id, timestamp, model, and the optional fields of the README)";
    }

    @Override
    public SourceMapping mapping(Set<String> keys, Map<String, String> hints) {
        ColumnMapping cm = ColumnMapping.resolve(java.util.List.copyOf(keys));
        SourceMapping m = new SourceMapping();
        cm.fields().forEach((f, col) -> {
            m.set(f, JsonSql.text("r", col), col);
            m.consumes(col);
        });
        if (cm.promptTextColumn() != null) {
            m.prompt(JsonSql.text("r", cm.promptTextColumn())).consumes(cm.promptTextColumn());
        }
        cm.droppedTextColumns().forEach(m::consumes);
        return m;
    }
}
