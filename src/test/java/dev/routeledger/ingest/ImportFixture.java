package dev.routeledger.ingest;

import dev.routeledger.store.Workspace;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Small helpers for import tests: write real files, read the workspace back. */
final class ImportFixture {
    private ImportFixture() {}

    static String call(String id, String extraFields) {
        return "{\"request_id\":\"" + id + "\",\"trace_id\":\"t-" + id + "\",\"timestamp\":\"2026-10-05T10:00:00Z\","
            + "\"user_id\":\"u1\",\"feature\":\"email-triage\",\"model\":\"gpt-4o-mini\",\"prompt_tokens\":100,"
            + "\"completion_tokens\":20,\"cost_usd\":0.0012" + (extraFields.isEmpty() ? "" : "," + extraFields) + "}";
    }

    static Path write(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    static Path writeBytes(Path dir, String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    static Path gzip(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    static long count(Workspace ws, String sql) throws SQLException {
        try (Statement s = ws.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String string(Workspace ws, String sql) throws SQLException {
        try (Statement s = ws.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** "line: reason" of a batch's rejected rows, in line order. */
    static List<String> rejects(Workspace ws, int batch) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = ws.connection().createStatement(); ResultSet rs = s.executeQuery(
                "SELECT line_no, reason FROM rejected_rows WHERE batch_id = " + batch + " ORDER BY line_no, reason")) {
            while (rs.next()) out.add(rs.getString(1) + ": " + rs.getString(2));
        }
        return out;
    }

    static void assertBalanced(ImportResult r) {
        if (!r.balanced()) throw new AssertionError("counts do not balance: " + r);
    }
}
