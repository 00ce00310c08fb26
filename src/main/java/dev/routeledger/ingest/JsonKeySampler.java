package dev.routeledger.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The top-level keys of a JSONL file, for DuckDB's typed reader (which needs its columns named up front).
 * Small files are read whole, so their keys are exact; in a large plain file its first MB and 64 windows of
 * 64 KB spread over the whole file are read; in a large gzip file its first 64 MB.
 */
final class JsonKeySampler {
    static final long WHOLE_FILE_LIMIT = 64L << 20;
    private static final int WINDOWS = 64;
    private static final int WINDOW_BYTES = 64 << 10;
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private JsonKeySampler() {}

    static Set<String> keys(SourceFile file) throws IOException {
        Set<String> keys = new LinkedHashSet<>();
        if (file.gzip() || file.size() <= WHOLE_FILE_LIMIT) {
            try (InputStream in = file.openText()) {
                collect(new BoundedInputStream(in, WHOLE_FILE_LIMIT), keys);
            }
            return keys;
        }
        try (InputStream in = file.openText()) {
            collect(new BoundedInputStream(in, 1L << 20), keys);
        }
        try (FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            long step = file.size() / WINDOWS;
            for (int w = 1; w < WINDOWS; w++) {
                ch.position(w * step);
                InputStream in = new BoundedInputStream(Channels.newInputStream(ch), WINDOW_BYTES);
                int b;
                while ((b = in.read()) >= 0 && b != '\n') { /* skip to the next whole line */ }
                collect(in, keys);
            }
        }
        return keys;
    }

    /** Reads root objects until the input ends or stops being valid JSON (a sample needs no more). */
    private static void collect(InputStream in, Set<String> keys) throws IOException {
        try (JsonParser p = JSON.createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) addObjectKeys(p, t, keys);
        } catch (IOException malformedOrCut) {
            // the sample ends here; the import itself reports bad lines
        }
    }

    /** The keys of the value that starts at {@code t} if it is an object; any other value is skipped. */
    static void addObjectKeys(JsonParser p, JsonToken t, Set<String> keys) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            keys.add(p.currentName());
            p.nextToken();
            p.skipChildren();
        }
    }

    /** Stops after a number of bytes, so a sample never reads a whole large file. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) return -1;
            int b = in.read();
            if (b >= 0) left--;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int n = in.read(buf, off, (int) Math.min(len, left));
            if (n > 0) left -= n;
            return n;
        }

        @Override
        public void close() { /* the owner closes the underlying stream */ }
    }
}
