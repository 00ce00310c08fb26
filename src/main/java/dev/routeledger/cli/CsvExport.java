package dev.routeledger.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.routeledger.analytics.Breakdown;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;

/** CSV files for spreadsheets: a header row, one row per line, written to a temporary file and then moved into place. */
final class CsvExport {
    private static final CsvMapper CSV = new CsvMapper();

    private CsvExport() {}

    static void breakdown(Breakdown.Result r, Path file) throws IOException {
        if (r.rows().isEmpty()) {
            Files.writeString(file, "");
            return;
        }
        ObjectNode first = ReportCommand.rowJson(r, r.rows().get(0));
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        for (Iterator<String> it = first.fieldNames(); it.hasNext(); ) schema.addColumn(it.next());
        Path tmp = file.toAbsolutePath().resolveSibling(file.getFileName() + ".part");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            var writer = CSV.writer(schema.build()).writeValues(w);
            for (Breakdown.Row row : r.rows()) writer.write(ReportCommand.rowJson(r, row));
            writer.close();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
