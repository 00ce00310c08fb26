package dev.routeledger.ingest;

import dev.routeledger.cost.PriceMatches;
import dev.routeledger.store.CallFacts;
import dev.routeledger.store.CallsView;
import dev.routeledger.store.Schema;
import dev.routeledger.store.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Loads canonical log files (JSONL, JSON array, CSV, Parquet; each optionally gzip'd) into a workspace.
 *
 * <p>Each file is read by DuckDB's own reader into a staging table where every row is typed and checked.
 * The whole import is one transaction: staging, duplicate marking, rejected rows, and then either keeping the
 * staging table as the batch's own table (large files: their rows are never copied) or merging it into
 * {@code calls_main} (small files), the batch record and the {@code calls} view. A failure or a Cancel before
 * the commit leaves the workspace exactly as it was.
 */
public final class Importer {
    /** From this many loaded rows a batch keeps its staging table instead of being merged into calls_main. */
    static final long OWN_TABLE_MIN_ROWS = 100_000;
    private static final String REJECT_RECS = "rl_reject_recs";
    private static final String CALL_COLUMNS = Schema.CALL_COLUMNS;

    private final Connection conn;
    private final ImportListener listener;
    private final long ownTableMinRows;
    private String stage; // this import's staging table
    private String recordNo; // SQL for a staged row's 1-based record number
    private volatile Statement running;
    private volatile boolean cancelled;
    private Path bomFreeCopy; // a temporary copy made for DuckDB's JSON reader, deleted after the import
    private final List<Path> tempFiles = new ArrayList<>(); // lenient rewrites of JSON documents, deleted after the import
    private UserMapping userMapping;
    private String sourceLabel;
    private String requestedFormat = "auto";
    private List<String> warnings = new ArrayList<>();
    private boolean dryRun; // plan the staging and read a few rows, write nothing
    private static final int PREVIEW_PROBE_ROWS = 100;
    private Map<String, Double> steps = new LinkedHashMap<>(); // seconds per step of the current import, for bench
    private long lapStart;

    private void lap(String step) {
        long now = System.nanoTime();
        steps.merge(step, Math.round((now - lapStart) / 1e6) / 1e3, Double::sum);
        lapStart = now;
    }

    public Importer(Workspace workspace, ImportListener listener) {
        this(workspace, listener, OWN_TABLE_MIN_ROWS);
    }

    /** For tests: the batch size from which a batch keeps its own table. */
    Importer(Workspace workspace, ImportListener listener, long ownTableMinRows) {
        this.conn = workspace.connection();
        this.listener = listener == null ? ImportListener.NONE : listener;
        this.ownTableMinRows = ownTableMinRows;
    }

    /** Stops the import under way from another thread; it ends with {@link ImportCancelledException}. */
    public void cancel() {
        cancelled = true;
        Statement s = running;
        if (s != null) {
            try {
                s.cancel();
            } catch (SQLException ignored) {
                // the statement finished meanwhile; the flag stops the next step
            }
        }
    }

    public ImportResult importFile(Path path, String format) throws ImportException {
        return importFile(path, format, null);
    }

    /**
     * @param format  {@code auto} (or null) to detect it from the records' keys, else one of {@link FormatDetector#names()}
     * @param mapping a user's mapping file, or null
     */
    public ImportResult importFile(Path path, String format, UserMapping mapping) throws ImportException {
        return importFile(path, format, mapping, null);
    }

    /**
     * @param sourceLabel what the batch record names as its source instead of the file's path (a pull from a
     *                    gateway names the gateway's URL), or null
     */
    public ImportResult importFile(Path path, String format, UserMapping mapping, String sourceLabel) throws ImportException {
        this.sourceLabel = sourceLabel;
        checkFormat(format);
        this.userMapping = mapping;
        this.requestedFormat = format == null ? "auto" : format;
        long t0 = System.nanoTime();
        steps = new LinkedHashMap<>();
        lapStart = t0;
        String shown = path.toString();
        cancelled = false;
        SourceFile file = SourceFile.probe(path);
        if (file.container() == SourceFile.Container.BINARY) {
            throw new ImportException(shown + " is not a log file (it holds binary data); expected canonical JSONL, CSV or"
                + " Parquet, optionally gzip'd. Nothing was imported.");
        }
        // CRC32C is light enough to run beside DuckDB's read (it is mostly memory bandwidth); SHA-256 there
        // was measured slower on two cores.
        CompletableFuture<String> hashing = CompletableFuture.supplyAsync(() -> {
            try {
                return file.contentHash();
            } catch (ImportException e) {
                throw new CompletionException(e);
            }
        });
        warnings = new ArrayList<>();
        stage = "calls_import_" + Long.toHexString(System.nanoTime());
        try {
            conn.setAutoCommit(false);
            Staged staged = file.container() == SourceFile.Container.EMPTY ? null : stage(file, shown);
            String sha = awaitHash(hashing);
            if (staged != null) {
                // Rows written inside a transaction get rowids from a large base, in insertion order (which
                // follows the file): the record number is the distance from the first one.
                recordNo = "(" + stage + ".rowid - " + countOf("SELECT coalesce(min(rowid), 0) FROM " + stage) + " + 1)";
            }
            lap("stage");
            Integer sameAs = previousBatchWithHash(sha);
            if (sameAs != null) warnings.add("this file was imported before (batch " + sameAs + "); only rows not yet in the workspace load");
            checkCancelled(shown);
            if (staged != null) {
                for (CanonicalField f : staged.plan.mapping().missingRequired()) {
                    warnings.add("no column for " + f.column + ": every row is rejected (see the canonical fields in the README)");
                }
                markDuplicates(shown);
                lap("duplicates");
            }
            listener.step(shown, "saving");
            return commit(file, shown, sha, sameAs, staged, warnings, t0);
        } catch (SQLException e) {
            rollbackQuietly();
            if (cancelled) throw new ImportCancelledException(shown);
            throw new ImportException("Import of " + shown + " failed: " + Workspace.firstLine(e) + ". Nothing of it was written.", e);
        } catch (ImportException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        } finally {
            try {
                conn.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is gone; nothing was committed
            }
            hashing.cancel(false);
            dropTemp();
            deleteTempFiles();
        }
    }

    /**
     * What an import of the file would do, without writing anything: the detected format, which source column
     * feeds which field, and the first records as they would be stored (with the reason when one would be rejected).
     */
    public DryRun dryRun(Path path, String format, UserMapping mapping, int rows) throws ImportException {
        checkFormat(format);
        this.userMapping = mapping;
        this.requestedFormat = format == null ? "auto" : format;
        String shown = path.toString();
        warnings = new ArrayList<>();
        SourceFile file = SourceFile.probe(path);
        if (file.container() == SourceFile.Container.BINARY) throw new ImportException(shown + " is not a log file (it holds binary data).");
        if (file.container() == SourceFile.Container.EMPTY) return new DryRun(shown, "none", Map.of(), List.of(), List.of("the file holds no records"));
        dryRun = true;
        stage = "calls_dry_run";
        try {
            conn.setAutoCommit(false);
            Staged st = stage(file, shown);
            String sql = StageSql.select(st.plan.readerSql(), st.plan.mapping(), st.reader.equals("fast"), st.reader.equals("records"))
                + " LIMIT " + Math.max(1, rows);
            List<Map<String, Object>> out = new ArrayList<>();
            try (Statement s = newStatement(); ResultSet rs = s.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getMetaData().getColumnLabel(i).equals("extra") ? rs.getString(i) : rs.getObject(i);
                        if (v != null) row.put(rs.getMetaData().getColumnLabel(i), v instanceof Timestamp t ? t.toInstant().toString() : v);
                    }
                    out.add(row);
                }
            } finally {
                running = null;
            }
            return new DryRun(shown, st.plan.format(), new LinkedHashMap<>(st.describe), out, List.copyOf(warnings));
        } catch (SQLException e) {
            throw new ImportException("Cannot read " + shown + ": " + Workspace.firstLine(e), e);
        } finally {
            dryRun = false;
            rollbackQuietly();
            try {
                conn.setAutoCommit(true);
            } catch (SQLException ignored) {
                // nothing was written
            }
            dropTemp();
            deleteTempFiles();
        }
    }

    /** The result of {@link #dryRun}. */
    public record DryRun(String path, String format, Map<String, String> columns, List<Map<String, Object>> rows, List<String> warnings) {}

    /** The BOM-free copy and the lenient rewrites an import made of its file. */
    private void deleteTempFiles() {
        if (bomFreeCopy != null) tempFiles.add(bomFreeCopy);
        bomFreeCopy = null;
        for (Path t : tempFiles) {
            try {
                Files.deleteIfExists(t);
            } catch (IOException ignored) {
                // deleteOnExit is the fallback
            }
        }
        tempFiles.clear();
    }

    private void rollbackQuietly() {
        try {
            conn.rollback();
        } catch (SQLException ignored) {
            // nothing was committed either way
        }
    }

    private static String awaitHash(CompletableFuture<String> hashing) throws ImportException {
        try {
            return hashing.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ImportException ie) throw ie;
            throw e;
        }
    }

    private static void checkFormat(String format) throws ImportException {
        if (format == null || FormatDetector.names().contains(format)) return;
        throw new ImportException("Unknown format '" + format + "'; expected one of: " + String.join(", ", FormatDetector.names()) + ".");
    }

    /** Where a rejected record is found again: by line (JSONL, CSV) or only by its position (arrays, pages, Parquet, eval sets). */
    private enum Locate { JSON, CSV, POSITION }

    private record Staged(ReaderPlan plan, SourceFile file, String reader, CsvReaders.Header csvHeader, List<long[]> csvBroken,
                          List<String> csvBrokenText, Locate locate, Map<String, String> describe) {
        Staged(ReaderPlan plan, SourceFile file, String reader, CsvReaders.Header csvHeader, List<long[]> csvBroken, List<String> csvBrokenText) {
            this(plan, file, reader, csvHeader, csvBroken, csvBrokenText,
                csvHeader != null ? Locate.CSV : reader.equals("parquet") ? Locate.POSITION : Locate.JSON, plan.mapping().describe());
        }
    }

    /** The format to read a file in: the one asked for, the mapping file's, or the one its keys show. */
    private SourceFormat resolveFormat(Set<String> keys, String shown) throws ImportException {
        String name = !requestedFormat.equals("auto") ? requestedFormat : userMapping != null && userMapping.format() != null ? userMapping.format() : null;
        if (name != null) {
            SourceFormat f = FormatDetector.byName(name);
            if (f == null) throw new ImportException("Unknown format '" + name + "' in " + userMapping.source() + "; expected one of: "
                + String.join(", ", FormatDetector.names()) + ".");
            return f;
        }
        SourceFormat f = FormatDetector.detect(keys);
        if (f == null) throw new ImportException(FormatDetector.refusal(shown, keys));
        return f;
    }

    /** Stages a gateway's records through its format's mapping (and the user's mapping file, which wins). */
    private Staged stageSource(SourceFormat format, Set<String> keys, String records, SourceFile file, CsvReaders.Header header,
                               Locate locate) throws SQLException {
        try (Statement s = newStatement()) {
            JsonSql.createMacros(s);
        } finally {
            running = null;
        }
        if (format instanceof EvalWideFormat) records = EvalWideFormat.records(records, keys);
        Map<String, String> hints = new LinkedHashMap<>();
        String hintSql = format.hintSql(records);
        if (hintSql != null) {
            try (Statement s = newStatement(); ResultSet rs = s.executeQuery(hintSql)) {
                if (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) hints.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                }
            } finally {
                running = null;
            }
        }
        SourceMapping m = format.mapping(keys, hints);
        if (userMapping != null) userMapping.applyTo(m);
        warnings.addAll(m.warnings());
        String readerSql = m.readerSql(records);
        if (!dryRun) execute(StageSql.build(stage, readerSql, m.columnMapping(), false, true));
        return new Staged(new ReaderPlan(format.name(), m.columnMapping(), readerSql), file, "records", header, List.of(), List.of(), locate,
            m.describe());
    }

    private Staged stage(SourceFile original, String shown) throws ImportException, SQLException {
        listener.step(shown, "reading");
        try {
            switch (original.container()) {
                case JSONL, JSON_ARRAY -> {
                    SourceFile file = original.withoutBom();
                    if (file != original) bomFreeCopy = file.path();
                    Set<String> top = file.container() == SourceFile.Container.JSON_ARRAY ? FormatDetector.arrayElementKeys(file) : JsonKeySampler.keys(file);
                    boolean envelope = FormatDetector.isEnvelope(top);
                    Set<String> keys = envelope ? FormatDetector.innerKeys(file) : top;
                    SourceFormat format = resolveFormat(keys, shown);
                    boolean whole = envelope || SourceRecords.firstValueSpansLines(file);
                    // pretty-printed JSON (an API page, a single payload) is read value by value, not line by line
                    if (format != FormatDetector.CANONICAL || userMapping != null || whole) {
                        file.verifyGzipComplete();
                        Locate locate = whole || file.container() == SourceFile.Container.JSON_ARRAY || format instanceof EvalWideFormat
                            ? Locate.POSITION : Locate.JSON;
                        if (!whole && file.container() == SourceFile.Container.JSONL) {
                            return stageSource(format, keys, SourceRecords.json(file, false), file, null, locate);
                        }
                        try {
                            return stageSource(format, keys, SourceRecords.json(file, whole), file, null, locate);
                        } catch (SQLException notStrictJson) {
                            // DuckDB cannot skip a parse error outside newline-delimited JSON: one value per line, read again
                            rollbackQuietly();
                            checkCancelled(shown);
                            listener.step(shown, "reading leniently (the JSON document has an error)");
                            Path lines = Files.createTempFile("routeledger-values-", ".jsonl");
                            lines.toFile().deleteOnExit();
                            tempFiles.add(lines);
                            JsonValuesToLines.rewrite(file, lines);
                            SourceFile asLines = SourceFile.probe(lines);
                            return stageSource(format, keys, SourceRecords.json(asLines, false), asLines, null, Locate.POSITION);
                        }
                    }
                    try {
                        Set<String> sampled = file.container() == SourceFile.Container.JSON_ARRAY ? JsonKeySampler.keys(file) : top;
                        lap("sample_keys");
                        ReaderPlan fast = JsonReaders.fast(file, sampled);
                        if (!fast.mapping().fields().isEmpty()) {
                            if (!dryRun) execute(StageSql.build(stage, fast.readerSql(), fast.mapping(), true));
                            // a preview stages nothing, so it reads its first rows here to learn whether the fast reader copes
                            else execute(StageSql.select(fast.readerSql(), fast.mapping(), true, false) + " LIMIT " + PREVIEW_PROBE_ROWS);
                            return new Staged(fast, file, "fast", null, List.of(), List.of());
                        }
                    } catch (SQLException fastFailed) {
                        rollbackQuietly(); // the failed statement aborted the transaction
                        checkCancelled(shown);
                        // a bad line somewhere: read again, line by line, rejecting only what is bad
                    }
                    listener.step(shown, "reading carefully (the file has bad lines)");
                    file.verifyGzipComplete();
                    List<String> allKeys = new ArrayList<>();
                    try (Statement s = newStatement(); ResultSet rs = s.executeQuery(JsonReaders.keysSql(file))) {
                        while (rs.next()) allKeys.add(rs.getString(1));
                    } finally {
                        running = null;
                    }
                    ReaderPlan careful = JsonReaders.careful(file, allKeys);
                    if (!dryRun) execute(StageSql.build(stage, careful.readerSql(), careful.mapping(), false));
                    return new Staged(careful, file, "careful", null, List.of(), List.of());
                }
                case CSV -> {
                    original.verifyGzipComplete();
                    CsvReaders.Header header = CsvReaders.header(original);
                    Set<String> keys = new java.util.LinkedHashSet<>(header.columns());
                    SourceFormat format = resolveFormat(keys, shown);
                    execute("DROP TABLE IF EXISTS " + CsvReaders.ERRORS_TABLE);
                    execute("DROP TABLE IF EXISTS " + CsvReaders.SCANS_TABLE);
                    Staged source = null;
                    ReaderPlan plan;
                    if (format != FormatDetector.CANONICAL || userMapping != null) {
                        source = stageSource(format, keys, SourceRecords.table(CsvReaders.source(original, header)), original, header,
                            format instanceof EvalWideFormat ? Locate.POSITION : Locate.CSV);
                        plan = source.plan;
                    } else {
                        plan = CsvReaders.plan(original, header);
                        if (!dryRun) execute(StageSql.build(stage, plan.readerSql(), plan.mapping(), false));
                    }
                    if (dryRun) return source != null ? source : new Staged(plan, original, "csv", header, List.of(), List.of());
                    List<long[]> broken = new ArrayList<>();
                    List<String> brokenText = new ArrayList<>();
                    try (Statement s = newStatement(); ResultSet rs = s.executeQuery(
                            "SELECT line, string_agg(DISTINCT error_type || ': ' || error_message, '; '), any_value(csv_line) FROM "
                                + CsvReaders.ERRORS_TABLE + " GROUP BY line ORDER BY line")) {
                        while (rs.next()) {
                            broken.add(new long[] {rs.getLong(1)});
                            brokenText.add(rs.getString(2) + "\u0000" + (rs.getString(3) == null ? "" : rs.getString(3)));
                        }
                    } catch (SQLException noErrorsTable) {
                        // DuckDB creates the table only when it had something to store
                    } finally {
                        running = null;
                    }
                    if (source != null) {
                        return new Staged(plan, original, "records", header, broken, brokenText, source.locate, source.describe);
                    }
                    return new Staged(plan, original, "csv", header, broken, brokenText);
                }
                case PARQUET -> {
                    List<String> columns = new ArrayList<>();
                    String source = "read_parquet(" + Sql.literal(original.path().toString()) + ")";
                    try (Statement s = newStatement(); ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + source)) {
                        while (rs.next()) columns.add(rs.getString(1));
                    } finally {
                        running = null;
                    }
                    SourceFormat format = resolveFormat(new java.util.LinkedHashSet<>(columns), shown);
                    if (format != FormatDetector.CANONICAL || userMapping != null) {
                        return stageSource(format, new java.util.LinkedHashSet<>(columns), SourceRecords.table(source), original, null, Locate.POSITION);
                    }
                    ReaderPlan plan = ParquetReaders.plan(source, columns);
                    if (!dryRun) execute(StageSql.build(stage, plan.readerSql(), plan.mapping(), false));
                    return new Staged(plan, original, "parquet", null, List.of(), List.of());
                }
                default -> throw new IllegalStateException("unreadable container " + original.container());
            }
        } catch (IOException e) {
            throw new ImportException("Cannot read " + shown + ": " + e.getMessage() + ". Nothing was imported.", e);
        }
    }

    /**
     * A request_id seen before — earlier in this file or in the workspace — is a duplicate when its content is
     * the same and a conflict when it differs; a conflict is rejected and reported, never overwritten.
     */
    private void markDuplicates(String shown) throws SQLException, ImportException {
        listener.step(shown, "checking for duplicates");
        // Grouping on the 64-bit hash is much cheaper than on the strings; a hash collision only adds a candidate.
        String st = stage;
        String content = Schema.contentHash(st + ".");
        // Repeated request ids are duplicate candidates; a file without any (the usual case) skips the rest.
        // Grouping on the 64-bit hash is much cheaper than on the strings; a collision only adds a candidate.
        // (Grouping by trace here as well, for CallFacts, was slower than doing it after the commit: 7.2 s against
        // 3.9 + 1.1 s at 10 M calls — grouping rows of the open transaction costs about twice as much.)
        execute("CREATE OR REPLACE TEMP TABLE rl_repeats AS SELECT hash(request_id) AS hr FROM " + st
            + " WHERE reason IS NULL AND disposition IS NULL GROUP BY 1 HAVING count(*) > 1");
        if (countOf("SELECT count(*) FROM rl_repeats") > 0) execute("UPDATE " + st + " SET disposition = CASE WHEN " + content + " = d.first_hash THEN 'duplicate' ELSE 'conflict' END,"
            + " reason = CASE WHEN " + content + " = d.first_hash THEN NULL ELSE 'conflicting duplicate of request_id '"
            + " || " + st + ".request_id || ' (record ' || d.first_rec || ' of this file has different content)' END"
            + " FROM (SELECT request_id, min(" + recordNo + ") AS first_rec, arg_min(" + Schema.contentHash("") + ", rowid) AS first_hash FROM " + st
            + "       WHERE reason IS NULL AND disposition IS NULL AND hash(request_id) IN (SELECT hr FROM rl_repeats)"
            + "       GROUP BY request_id HAVING count(*) > 1) d"
            + " WHERE " + st + ".request_id = d.request_id AND " + recordNo + " <> d.first_rec AND " + st + ".reason IS NULL"
            + " AND " + st + ".disposition IS NULL");
        checkCancelled(shown);
        if (countOf("SELECT count(*) FROM (SELECT 1 FROM calls LIMIT 1)") == 0) return;
        String known = Schema.contentHash("c.");
        execute("UPDATE " + st + " SET disposition = CASE WHEN " + known + " = " + content + " THEN 'duplicate' ELSE 'conflict' END,"
            + " reason = CASE WHEN " + known + " = " + content + " THEN NULL ELSE 'request_id ' || " + st + ".request_id"
            + " || ' was already imported with different content (batch ' || c.batch_id || ')' END"
            + " FROM calls c WHERE c.request_id = " + st + ".request_id AND " + st + ".reason IS NULL AND " + st + ".disposition IS NULL");
    }

    private ImportResult commit(SourceFile file, String shown, String sha, Integer sameAs, Staged staged,
                                List<String> warnings, long t0) throws SQLException, ImportException {
        long read = 0, loaded = 0, duplicate = 0, rejected = 0, conflict = 0, skipped = 0;
        if (staged != null) {
            try (Statement s = newStatement(); ResultSet rs = s.executeQuery("SELECT count(*),"
                    + " count(*) FILTER (WHERE reason IS NULL AND disposition IS NULL),"
                    + " count(*) FILTER (WHERE disposition = 'duplicate'),"
                    + " count(*) FILTER (WHERE reason IS NOT NULL),"
                    + " count(*) FILTER (WHERE disposition = 'conflict'),"
                    + " count(*) FILTER (WHERE disposition = 'skipped') FROM " + stage)) {
                rs.next();
                read = rs.getLong(1) + staged.csvBroken.size();
                loaded = rs.getLong(2);
                duplicate = rs.getLong(3);
                rejected = rs.getLong(4) + staged.csvBroken.size();
                conflict = rs.getLong(5);
                skipped = rs.getLong(6);
            } finally {
                running = null;
            }
        }
        checkCancelled(shown);
        int batchId = (int) countOf("SELECT coalesce(max(batch_id), 0) + 1 FROM import_batches");
        String keptTable = null;
        if (staged != null) {
            writeRejects(staged, batchId, shown);
            lap("save_rejects");
            // the batch's new models get their catalog prices matched in its transaction
            PriceMatches.addMissing(conn, "(SELECT model, provider FROM " + stage + " WHERE reason IS NULL AND disposition IS NULL)");
            if (loaded >= ownTableMinRows) {
                // a large batch keeps the table it was staged into: its rows are not copied again
                if (loaded < read - staged.csvBroken.size()) {
                    execute("DELETE FROM " + stage + " WHERE reason IS NOT NULL OR disposition IS NOT NULL");
                }
                keptTable = "calls_batch_" + batchId;
                execute("ALTER TABLE " + stage + " RENAME TO " + keptTable);
            } else {
                execute("INSERT INTO calls_main (" + CALL_COLUMNS + ", batch_id, multi_call, label, decile) SELECT " + CALL_COLUMNS + ", " + batchId
                    + ", NULL, label, decile FROM " + stage + " WHERE reason IS NULL AND disposition IS NULL");
                execute("DROP TABLE " + stage);
            }
            lap("save_rows");
        }
        checkCancelled(shown);
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO import_batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            running = ps;
            ps.setInt(1, batchId);
            ps.setString(2, sourceLabel != null ? sourceLabel : file.path().toAbsolutePath().toString());
            ps.setLong(3, file.size());
            ps.setString(4, sha);
            ps.setString(5, staged == null ? "canonical" : staged.plan.format());
            ps.setLong(6, read);
            ps.setLong(7, loaded);
            ps.setLong(8, duplicate);
            ps.setLong(9, rejected);
            ps.setLong(10, skipped);
            ps.setLong(11, conflict);
            ps.setTimestamp(12, Timestamp.from(Instant.now().minusNanos(System.nanoTime() - t0)));
            ps.setTimestamp(13, Timestamp.from(Instant.now()));
            ps.setString(14, keptTable);
            ps.executeUpdate();
        } finally {
            running = null;
        }
        CallsView.refresh(conn);
        checkCancelled(shown);
        conn.commit();
        lap("save_commit");
        listener.step(shown, "pricing and linking traces");
        conn.setAutoCommit(true);
        try {
            CallFacts.completePending(conn);
        } catch (SQLException e) {
            throw new ImportException("The " + loaded + " calls of " + shown + " were saved (batch " + batchId + "), but pricing them failed: "
                + Workspace.firstLine(e) + ". They are priced when the workspace is next opened.", e);
        }
        lap("facts");
        Map<String, String> columns = staged == null ? Map.of() : staged.describe;
        return new ImportResult(shown, staged == null ? "canonical" : staged.plan.format(), read, loaded, duplicate, rejected, skipped,
            conflict, batchId, sha, staged == null ? "none" : staged.reader, sameAs, new LinkedHashMap<>(columns),
            List.copyOf(warnings), Map.copyOf(steps), (System.nanoTime() - t0) / 1e9);
    }

    /** Rejected rows with the line a user can open the file at and the start of the raw text, in chunks. */
    private void writeRejects(Staged staged, int batchId, String shown) throws SQLException, ImportException {
        DuckDBConnection duck = (DuckDBConnection) conn;
        if (!staged.csvBroken.isEmpty()) {
            Set<Long> none = Set.of();
            try (CsvReaders.Locator walk = new CsvReaders.Locator(staged.file, staged.csvHeader.delimiter(), none);
                 DuckDBAppender app = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rejected_rows")) {
                for (int i = 0; i < staged.csvBroken.size(); i++) {
                    long duckRecord = staged.csvBroken.get(i)[0];
                    String[] text = staged.csvBrokenText.get(i).split("\u0000", 2);
                    RecordLocator.Located at = walk.locateBroken(duckRecord);
                    app.beginRow().append(batchId).appendNull();
                    appendLong(app, at.line());
                    app.append(text[0]).append(cut(at.raw() != null ? at.raw() : text[1])).endRow();
                }
            } catch (IOException e) {
                throw new ImportException("Cannot read " + shown + " again to locate its rejected rows: " + e.getMessage(), e);
            }
        }
        long rejectedInStage = countOf("SELECT count(*) FROM " + stage + " WHERE reason IS NOT NULL");
        if (rejectedInStage == 0) return;
        execute("CREATE OR REPLACE TEMP TABLE " + REJECT_RECS + " AS SELECT " + recordNo + " AS __rec, reason FROM " + stage
            + " WHERE reason IS NOT NULL ORDER BY __rec");
        Set<Long> brokenRecords = new HashSet<>();
        for (long[] b : staged.csvBroken) brokenRecords.add(b[0]);
        try (RecordLocator locator = switch (staged.locate) {
                case CSV -> new CsvReaders.Locator(staged.file, staged.csvHeader.delimiter(), brokenRecords);
                case POSITION -> RecordNumberLocator.INSTANCE;
                case JSON -> JsonReaders.locator(staged.file);
            }) {
            long after = 0;
            while (true) {
                checkCancelled(shown);
                List<Long> recs = new ArrayList<>();
                List<String> reasons = new ArrayList<>();
                try (PreparedStatement ps = conn.prepareStatement("SELECT __rec, reason FROM " + REJECT_RECS
                        + " WHERE __rec > ? ORDER BY __rec LIMIT 10000")) {
                    ps.setLong(1, after);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            recs.add(rs.getLong(1));
                            reasons.add(rs.getString(2));
                        }
                    }
                }
                if (recs.isEmpty()) break;
                try (DuckDBAppender app = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rejected_rows")) {
                    for (int i = 0; i < recs.size(); i++) {
                        RecordLocator.Located at = locator.locate(recs.get(i));
                        app.beginRow().append(batchId).append(recs.get(i));
                        appendLong(app, staged.reader.equals("parquet") ? recs.get(i) : at.line());
                        app.append(reasons.get(i));
                        if (at.raw() == null) app.appendNull(); else app.append(cut(at.raw()));
                        app.endRow();
                    }
                }
                after = recs.get(recs.size() - 1);
            }
        } catch (IOException e) {
            throw new ImportException("Cannot read " + shown + " again to locate its rejected rows: " + e.getMessage(), e);
        }
    }

    private static void appendLong(DuckDBAppender app, Long v) throws SQLException {
        if (v == null) app.appendNull(); else app.append(v.longValue());
    }

    private static String cut(String raw) {
        return raw.length() <= RecordLocator.RAW_LIMIT ? raw : raw.substring(0, RecordLocator.RAW_LIMIT) + "…";
    }

    private Integer previousBatchWithHash(String sha) throws ImportException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT min(batch_id) FROM import_batches WHERE content_hash = ?")) {
            ps.setString(1, sha);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                int v = rs.getInt(1);
                return rs.wasNull() ? null : v;
            }
        } catch (SQLException e) {
            throw new ImportException("Cannot read the workspace's import history: " + Workspace.firstLine(e), e);
        }
    }

    private void checkCancelled(String shown) throws ImportCancelledException {
        if (cancelled) throw new ImportCancelledException(shown);
    }

    private Statement newStatement() throws SQLException {
        Statement s = conn.createStatement();
        running = s;
        return s;
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = newStatement()) {
            s.execute(sql);
        } finally {
            running = null;
        }
    }

    private long countOf(String sql) throws SQLException {
        try (Statement s = newStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } finally {
            running = null;
        }
    }

    private void dropTemp() {
        // the staging table is not here: it is part of the import's transaction (kept, merged or rolled back)
        for (String t : List.of(REJECT_RECS, CsvReaders.ERRORS_TABLE, CsvReaders.SCANS_TABLE, "rl_repeats")) {
            try (Statement s = conn.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + t);
            } catch (SQLException ignored) {
                // a temp table dies with the connection anyway
            }
        }
    }
}
