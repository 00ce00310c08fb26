package dev.routeledger.ingest;

import java.io.IOException;

/**
 * Finds where a record sits in its file (the line a user can open the file at) and a few KB of its raw text.
 * Called only for rejected records, in increasing record order, so a clean file costs nothing.
 */
interface RecordLocator extends AutoCloseable {
    int RAW_LIMIT = 4096;

    /** Line number and raw text of record {@code rec} (1-based, as the reader numbered it). */
    Located locate(long rec) throws IOException;

    @Override
    void close() throws IOException;

    record Located(Long line, String raw) {}
}
