package dev.routeledger.ingest;

import java.util.List;
import java.util.Map;

/**
 * What one file's import did. {@code rowsRead = rowsLoaded + rowsDuplicate + rowsRejected + rowsSkipped}
 * always holds; conflicts (a known request_id with different content) are among the rejected rows.
 */
public record ImportResult(String path, String format, long rowsRead, long rowsLoaded, long rowsDuplicate,
                           long rowsRejected, long rowsSkipped, long rowsConflict, int batchId, String contentHash,
                           String reader, Integer sameFileAsBatch, Map<String, String> columns,
                           List<String> warnings, Map<String, Double> stepSeconds, double seconds) {

    public boolean balanced() {
        return rowsRead == rowsLoaded + rowsDuplicate + rowsRejected + rowsSkipped;
    }

    /** One plain sentence for a person. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s: read %,d, loaded %,d", path, rowsRead, rowsLoaded));
        if (rowsDuplicate > 0) sb.append(String.format(", %,d already in the workspace", rowsDuplicate));
        if (rowsRejected > 0) {
            sb.append(String.format(", rejected %,d", rowsRejected));
            if (rowsConflict > 0) sb.append(String.format(" (%,d conflicting duplicates)", rowsConflict));
        }
        if (rowsSkipped > 0) sb.append(String.format(", skipped %,d that are not calls", rowsSkipped));
        if (rowsRead == 0) sb.append(" (the file holds no records)");
        return sb.toString();
    }
}
