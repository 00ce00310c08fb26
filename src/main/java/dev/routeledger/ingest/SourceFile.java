package dev.routeledger.ingest;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** What a file on disk holds, told from its first bytes rather than its name. */
public record SourceFile(Path path, long size, boolean gzip, Container container, boolean bom) {

    public enum Container { JSONL, JSON_ARRAY, CSV, PARQUET, EMPTY, BINARY }

    private static final int SNIFF = 64 * 1024;

    public static SourceFile probe(Path path) throws ImportException {
        if (!Files.exists(path)) throw new ImportException("File not found: " + path);
        if (!Files.isRegularFile(path)) throw new ImportException("Not a file: " + path);
        if (!Files.isReadable(path)) throw new ImportException("File is not readable: " + path);
        try {
            long size = Files.size(path);
            byte[] head;
            try (InputStream in = Files.newInputStream(path)) {
                head = in.readNBytes(4);
            }
            boolean gzip = head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
            if (!gzip && head.length == 4 && head[0] == 'P' && head[1] == 'A' && head[2] == 'R' && head[3] == '1') {
                return new SourceFile(path, size, false, Container.PARQUET, false);
            }
            byte[] text;
            try (InputStream in = open(path, gzip)) {
                text = in.readNBytes(SNIFF);
            } catch (EOFException | ZipException e) {
                throw new ImportException("The gzip file is truncated or corrupt: " + path + " (" + e.getMessage() + "); nothing was imported.", e);
            }
            boolean bom = text.length >= 3 && (text[0] & 0xff) == 0xef && (text[1] & 0xff) == 0xbb && (text[2] & 0xff) == 0xbf;
            return new SourceFile(path, size, gzip, sniff(text, bom ? 3 : 0), bom);
        } catch (IOException e) {
            throw new ImportException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static Container sniff(byte[] text, int from) {
        int i = from;
        while (i < text.length && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) i++;
        if (i >= text.length) return Container.EMPTY;
        int control = 0;
        for (int j = from; j < text.length; j++) {
            int b = text[j] & 0xff;
            if (b == 0) return Container.BINARY;
            if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
        }
        if (control > text.length / 20) return Container.BINARY;
        if (text[i] == '{') return Container.JSONL;
        if (text[i] == '[') return followedByAnotherValue(text, i) ? Container.JSONL : Container.JSON_ARRAY;
        return Container.CSV;
    }

    /**
     * Whether the JSON value at {@code from} ends within the sniffed bytes and another value follows it: JSON Lines
     * whose first line is an array (a bad record, rejected with its line like any other), not one JSON array.
     */
    private static boolean followedByAnotherValue(byte[] text, int from) {
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(text, from, text.length - from)) {
            p.nextToken();
            p.skipChildren();
        } catch (IOException cutOrMalformed) {
            return false; // a large array runs past the sniff, or the document is broken: read it as an array
        }
        for (int j = from; j < text.length; j++) {
            if (text[j] != '\n') continue;
            // past the first line: anything but blanks means more than one value
            for (int k = j + 1; k < text.length; k++) {
                if (text[k] != ' ' && text[k] != '\t' && text[k] != '\r' && text[k] != '\n') return firstLineIsWholeValue(text, from, j);
            }
            return false;
        }
        return false;
    }

    /** Whether the first line (from {@code from} to {@code newline}) holds one whole JSON value. */
    private static boolean firstLineIsWholeValue(byte[] text, int from, int newline) {
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(text, from, newline - from)) {
            p.nextToken();
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The file's bytes, decompressed when it is gzip'd. */
    public InputStream openText() throws IOException {
        return open(path, gzip);
    }

    private static InputStream open(Path path, boolean gzip) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        return gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    /** DuckDB's compression option for this file. */
    public String duckCompression() {
        return gzip ? "gzip" : "uncompressed";
    }

    /**
     * Reads a gzip file to its end: DuckDB's lenient JSON reader would otherwise load a truncated file's
     * first part without a word, and an import must never leave half a file behind.
     */
    public void verifyGzipComplete() throws ImportException {
        if (!gzip) return;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = openText()) {
            while (in.read(buf) >= 0) { /* drain */ }
        } catch (EOFException | ZipException e) {
            throw new ImportException("The gzip file is truncated or corrupt: " + path + " (" + e.getMessage() + "); nothing was imported.", e);
        } catch (IOException e) {
            throw new ImportException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** A plain copy without the byte-order mark, which DuckDB's JSON reader does not accept. */
    public SourceFile withoutBom() throws ImportException {
        if (!bom) return this;
        try {
            Path copy = Files.createTempFile("routeledger-nobom-", ".jsonl");
            copy.toFile().deleteOnExit();
            try (InputStream in = openText(); OutputStream out = Files.newOutputStream(copy)) {
                in.skipNBytes(3);
                in.transferTo(out);
            }
            return new SourceFile(copy, Files.size(copy), false, container, false);
        } catch (IOException e) {
            throw new ImportException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file's content hash, recorded with each import batch to tell a user "this file was imported before":
     * CRC32C of the bytes as stored, with their length. Request ids, not this hash, decide what is a
     * duplicate, so a collision could only word a note wrongly; CRC32C runs at memory speed where SHA-256
     * cost 0.5 s per 500 MB (5 s on a 10 M-call log) before DuckDB could start.
     */
    public String contentHash() throws ImportException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            CRC32C crc = new CRC32C();
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            long length = 0;
            int n;
            while ((n = ch.read(buf)) > 0) {
                length += n;
                buf.flip();
                crc.update(buf);
                buf.clear();
            }
            return String.format("crc32c:%08x:%d", crc.getValue(), length);
        } catch (IOException e) {
            throw new ImportException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
