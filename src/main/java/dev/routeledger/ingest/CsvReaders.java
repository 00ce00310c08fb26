package dev.routeledger.ingest;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CSV with a header, read by DuckDB's {@code read_csv} with every column as text (so no value can fail the
 * reader) and {@code store_rejects} for lines that are broken as CSV (wrong column count, bad quoting, bytes
 * that are not UTF-8): those land in {@link #ERRORS_TABLE} with DuckDB's record number, the rest load.
 */
final class CsvReaders {
    static final String ERRORS_TABLE = "rl_csv_errors";
    static final String SCANS_TABLE = "rl_csv_scans";
    static final long MAX_LINE_BYTES = 64L << 20;

    private CsvReaders() {}

    record Header(List<String> columns, char delimiter) {}

    static Header header(SourceFile file) throws IOException, ImportException {
        String first;
        try (InputStream in = file.openText()) {
            if (file.bom()) in.skipNBytes(3);
            StringBuilder sb = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n' && sb.length() < (1 << 20)) sb.append((char) b);
            first = new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8).strip();
        }
        char delim = delimiter(first);
        List<String> names = splitHeader(first, delim);
        if (names.isEmpty()) throw new ImportException("The CSV file has no header line: " + file.path());
        List<String> unique = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i).strip();
            if (n.isEmpty()) n = "column_" + (i + 1);
            String candidate = n;
            for (int k = 2; !seen.add(candidate.toLowerCase()); k++) candidate = n + "_" + k;
            unique.add(candidate);
        }
        return new Header(unique, delim);
    }

    /** RFC 4180 fields of one line: quotes wrap a field, a doubled quote is a quote. */
    static List<String> splitHeader(String line, char delim) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == delim) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (!line.isEmpty()) out.add(cur.toString());
        return out;
    }

    /** The separator that splits the header into the most fields, outside quotes. */
    private static char delimiter(String headerLine) {
        char best = ',';
        int bestCount = 0;
        for (char c : new char[] {',', '\t', ';', '|'}) {
            int count = 0;
            boolean quoted = false;
            for (char ch : headerLine.toCharArray()) {
                if (ch == '"') quoted = !quoted;
                else if (ch == c && !quoted) count++;
            }
            if (count > bestCount) {
                best = c;
                bestCount = count;
            }
        }
        return best;
    }

    static ReaderPlan plan(SourceFile file, Header header) {
        ColumnMapping m = ColumnMapping.resolve(header.columns());
        List<String> select = new ArrayList<>();
        select.add("CAST(NULL AS VARCHAR) AS __bad");
        for (Map.Entry<CanonicalField, String> e : m.fields().entrySet()) {
            select.add(Sql.ident(e.getValue()) + " AS f_" + e.getKey().column);
        }
        select.add(m.promptTextColumn() == null ? "CAST(NULL AS VARCHAR) AS __prompt" : Sql.ident(m.promptTextColumn()) + " AS __prompt");
        if (m.extraColumns().isEmpty()) {
            select.add("CAST(NULL AS JSON) AS __extra");
        } else {
            List<String> pairs = new ArrayList<>();
            List<String> allNull = new ArrayList<>();
            for (String k : m.extraColumns()) {
                pairs.add(Sql.literal(k) + ", " + Sql.ident(k));
                allNull.add("NULLIF(" + Sql.ident(k) + ", '') IS NULL");
            }
            select.add("CASE WHEN " + String.join(" AND ", allNull) + " THEN NULL ELSE json_object(" + String.join(", ", pairs) + ") END AS __extra");
        }
        return new ReaderPlan("canonical", m, "SELECT " + String.join(", ", select) + " FROM " + source(file, header));
    }

    /** DuckDB's reader over the file: every column as text, broken lines stored in {@link #ERRORS_TABLE}. */
    static String source(SourceFile file, Header header) {
        List<String> columns = new ArrayList<>();
        for (String c : header.columns()) columns.add(Sql.literal(c) + ": 'VARCHAR'");
        return "read_csv(" + Sql.literal(file.path().toString())
            + ", header = true, auto_detect = false, delim = " + Sql.literal(String.valueOf(header.delimiter()))
            + ", quote = '\"', escape = '\"', columns = {" + String.join(", ", columns) + "}"
            + ", compression = " + Sql.literal(file.duckCompression())
            + ", store_rejects = true, rejects_table = '" + ERRORS_TABLE + "', rejects_scan = '" + SCANS_TABLE + "'"
            + ", max_line_size = " + MAX_LINE_BYTES + ", parallel = true)";
    }

    /**
     * Walks the CSV's records as DuckDB numbers them (the header is record 1; blank lines count but give no
     * row) and tells the physical line each starts on. Survivor records (rows DuckDB produced) are numbered
     * by skipping blank records and those in {@code brokenRecords}.
     */
    static final class Locator implements RecordLocator {
        private final CsvParser parser;
        private final Set<Long> brokenRecords;
        private final char delimiter;
        private long duckRecord = 1; // the header
        private long survivor;

        Locator(SourceFile file, char delimiter, Set<Long> brokenRecords) throws IOException {
            this.brokenRecords = brokenRecords;
            this.delimiter = delimiter;
            InputStream in = file.openText();
            if (file.bom()) in.skipNBytes(3);
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
            CsvMapper mapper = new CsvMapper();
            mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            parser = (CsvParser) mapper.getFactory().createParser(reader);
            parser.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            parser.setSchema(CsvSchema.emptySchema().withColumnSeparator(delimiter).withQuoteChar('"'));
            skipRecord(); // header
        }

        /** The next row (Jackson wraps the document in one array and each row in another), or null at the end. */
        private Located next() throws IOException {
            if (parser.nextToken() != JsonToken.START_ARRAY) return null;
            long line = -1;
            StringBuilder raw = new StringBuilder();
            int fields = 0;
            boolean blank = true;
            while (parser.nextToken() == JsonToken.VALUE_STRING) {
                if (line < 0) line = parser.currentTokenLocation().getLineNr();
                String v = parser.getText();
                if (!v.isEmpty()) blank = false;
                if (raw.length() < RAW_LIMIT) {
                    if (fields > 0) raw.append(delimiter);
                    raw.append(v);
                }
                fields++;
            }
            duckRecord++;
            String text = raw.length() > RAW_LIMIT ? raw.substring(0, RAW_LIMIT) : raw.toString();
            return new Located(line < 0 ? null : line, blank && fields <= 1 ? "" : text);
        }

        private void skipRecord() throws IOException {
            if (parser.nextToken() != JsonToken.START_ARRAY) return; // the document's array
            if (parser.nextToken() == JsonToken.START_ARRAY) {
                while (parser.nextToken() == JsonToken.VALUE_STRING) { /* header values */ }
            }
        }

        /** The physical line of the survivor row {@code rec}. */
        @Override
        public Located locate(long rec) throws IOException {
            Located l;
            while ((l = next()) != null) {
                if (l.raw().isEmpty() || brokenRecords.contains(duckRecord)) continue;
                if (++survivor == rec) return l;
            }
            return new Located(null, null);
        }

        /** The physical line of DuckDB's record number {@code duckRec}, for the broken records; in increasing order. */
        Located locateBroken(long duckRec) throws IOException {
            Located l;
            while (duckRecord < duckRec && (l = next()) != null) {
                if (duckRecord == duckRec) return l;
            }
            return new Located(null, null);
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }
}
