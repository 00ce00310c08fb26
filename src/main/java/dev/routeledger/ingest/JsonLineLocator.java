package dev.routeledger.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Walks a JSONL file's lines the way DuckDB's newline-delimited reader counts records: every line holding
 * anything but white space is a record, blank lines are not. Keeps at most {@link #RAW_LIMIT} bytes of a line,
 * so a 50 MB line costs no memory.
 */
final class JsonLineLocator implements RecordLocator {
    private final InputStream in;
    private long line;   // physical lines consumed
    private long record; // records consumed
    private final byte[] keep = new byte[RAW_LIMIT];

    JsonLineLocator(InputStream in) {
        this.in = in;
    }

    @Override
    public Located locate(long rec) throws IOException {
        while (true) {
            int kept = 0;
            boolean blank = true;
            boolean any = false;
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                any = true;
                if (blank && b != ' ' && b != '\t' && b != '\r') blank = false;
                if (kept < keep.length) keep[kept++] = (byte) b;
            }
            if (b < 0 && !any) return new Located(null, null); // past the end: should not happen
            line++;
            if (blank) continue;
            record++;
            if (record == rec) {
                int len = kept;
                if (len > 0 && keep[len - 1] == '\r') len--;
                return new Located(line, new String(keep, 0, len, StandardCharsets.UTF_8));
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
