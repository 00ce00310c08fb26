package dev.routeledger.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/**
 * One DuckDB file holding a team's calls, import history, rejected rows and tier map.
 * The workspace owns its connection; other threads take their own with {@link #newConnection()}
 * because one DuckDB connection must not be used from two threads at once.
 */
public final class Workspace implements AutoCloseable {
    private final Path path; // null for an in-memory workspace
    private final DuckDBConnection connection;

    private Workspace(Path path, DuckDBConnection connection) {
        this.path = path;
        this.connection = connection;
    }

    /** Opens the workspace file, creating it (and its folder) when missing. */
    private static final java.util.concurrent.atomic.AtomicBoolean ENGINE_LOADING = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Loads DuckDB's native library on a thread of its own, once per process: its driver unpacks the library (60 MB)
     * from its jar to a temporary file and links it at the first connection, 0.5–1.2 s cold. The console starts it
     * before the window toolkit and the splash, so the first {@link #open} finds it loaded (or waits for it: the
     * JVM initialises a class once, whoever asks first). A failure is left to that open, which reports it.
     */
    public static void preloadEngine() {
        if (!ENGINE_LOADING.compareAndSet(false, true)) return;
        Thread t = new Thread(() -> {
            try {
                Class.forName("org.duckdb.DuckDBNative", true, Workspace.class.getClassLoader());
            } catch (Throwable e) {
                // the first open loads it again and says why it cannot
            }
        }, "duckdb-load");
        t.setDaemon(true);
        t.start();
    }

    public static Workspace open(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        boolean existed = Files.exists(abs);
        if (existed && Files.isDirectory(abs)) {
            throw new WorkspaceException("Workspace " + abs + " is a folder; give a file name such as team.duckdb.");
        }
        if (existed) {
            refuseNonDuckDbFile(abs);
        } else {
            try {
                if (abs.getParent() != null) Files.createDirectories(abs.getParent());
            } catch (IOException e) {
                throw new WorkspaceException("Cannot create the folder for workspace " + abs + ": " + e.getMessage(), e);
            }
        }
        DuckDBConnection conn;
        try {
            conn = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + abs, connectionProperties());
        } catch (SQLException e) {
            throw new WorkspaceException("Cannot open workspace " + abs + ": " + firstLine(e), e);
        }
        return initialise(abs, conn);
    }

    /** A throw-away workspace in memory (tests, previews). */
    public static Workspace inMemory() {
        try {
            DuckDBConnection conn = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", connectionProperties());
            return initialise(null, conn);
        } catch (SQLException e) {
            throw new WorkspaceException("Cannot create an in-memory workspace: " + firstLine(e), e);
        }
    }

    private static Workspace initialise(Path path, DuckDBConnection conn) {
        Workspace ws = new Workspace(path, conn);
        try {
            ws.configure(conn);
            ws.migrate();
            // an import that stopped between saving its rows and pricing them (CallFacts) is completed here
            CallFacts.completePending(conn);
            return ws;
        } catch (RuntimeException | SQLException e) {
            try { conn.close(); } catch (SQLException ignored) { /* already failing */ }
            if (e instanceof WorkspaceException we) throw we;
            throw new WorkspaceException("Cannot prepare workspace " + ws.describe() + ": " + e.getMessage(), e);
        }
    }

    private static Properties connectionProperties() {
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "false");
        return p;
    }

    private void configure(Connection conn) throws SQLException {
        try (Statement s = conn.createStatement()) {
            // Timestamps without an offset are UTC (SPEC §2); all arithmetic is done in UTC.
            s.execute("SET TimeZone = 'UTC'");
            // Imports number a file's records by the staging table's rowid, which follows the file only
            // while DuckDB preserves insertion order (its default; set here so no configuration can undo it).
            s.execute("SET preserve_insertion_order = true");
            s.execute("SET threads = " + Math.max(1, Runtime.getRuntime().availableProcessors()));
            s.execute("SET memory_limit = '" + memoryLimitMb() + "MB'");
        }
    }

    /** DuckDB takes most of the RAM by default; a desktop tool should leave room for everything else. */
    private static long memoryLimitMb() {
        String override = System.getProperty("routeledger.duckdb.memoryMb");
        if (override != null) return Long.parseLong(override);
        long total = 8L << 30;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            total = os.getTotalMemorySize();
        }
        return Math.max(512, total / 2 / (1 << 20));
    }

    private void migrate() throws SQLException {
        Integer found = storedVersion();
        if (found != null && found > Schema.VERSION) {
            throw new WorkspaceException("Workspace " + describe() + " was written by a newer RouteLedger (schema version "
                + found + "; this version reads up to " + Schema.VERSION + "). Open it with a newer RouteLedger; nothing was changed.");
        }
        if (found != null && found == Schema.VERSION) return;
        if (found == null && hasForeignTables()) {
            throw new WorkspaceException("File " + describe() + " is a DuckDB database but not a RouteLedger workspace; nothing was changed.");
        }
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            for (String ddl : Schema.DDL) s.execute(ddl);
            if (found != null && found < 4) {
                // version 4 stores each call's facts: the batches' own tables get the columns calls_main got in the DDL
                // and every call is left pending: CallFacts.completePending fills them once the workspace is open
                for (String t : CallFacts.callTables(connection)) {
                    for (String column : CallFacts.DEFINITIONS) {
                        s.execute("ALTER TABLE " + CallFacts.quote(t) + " ADD COLUMN IF NOT EXISTS " + column);
                    }
                }
                s.execute("UPDATE calls_main SET multi_call = NULL");
                for (String t : CallFacts.callTables(connection)) {
                    s.execute("UPDATE " + CallFacts.quote(t) + " SET label = " + CallFacts.LABEL + ", decile = " + CallFacts.DECILE);
                }
            }
            if (found != null && found >= 4) {
                // the fact columns of later versions (5: trace heads and derived facts; 6: heads per tier, model,
                // provider and status): the batches' own tables get the columns calls_main got in the DDL; the
                // version 5 heads are marked below, the derived facts rebuilt on first use
                for (String t : CallFacts.callTables(connection)) {
                    for (String column : CallFacts.DEFINITIONS) {
                        s.execute("ALTER TABLE " + CallFacts.quote(t) + " ADD COLUMN IF NOT EXISTS " + column);
                    }
                }
                DerivedFacts.invalidate(connection);
            }
            // the DDL resets the calls view to calls_main alone: put the batches' own tables back into it
            CallsView.refresh(connection);
            // version 5's trace heads, over every table of calls (hence after the view is whole again)
            if (found != null && found == 4) CallFacts.markAllHeads(connection);
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT OR REPLACE INTO workspace_meta VALUES ('schema_version', ?), ('created_by', 'RouteLedger')")) {
                ps.setString(1, Integer.toString(Schema.VERSION));
                ps.executeUpdate();
            }
            if (found == null) seedTierMap();
            dev.routeledger.cost.PriceCatalog.seedIfEmpty(connection);
            // an upgraded workspace's models get their prices matched; every workspace gets its model costing
            if (found != null) dev.routeledger.cost.PriceMatches.refreshAll(connection);
            ModelCosting.refresh(connection);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private Integer storedVersion() throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = 'workspace_meta'")) {
            rs.next();
            if (rs.getLong(1) == 0) return null;
        }
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT value FROM workspace_meta WHERE key = 'schema_version'")) {
            if (!rs.next()) return null;
            try {
                return Integer.parseInt(rs.getString(1).trim());
            } catch (NumberFormatException e) {
                throw new WorkspaceException("Workspace " + describe() + " records an unreadable schema version '"
                    + rs.getString(1) + "'; nothing was changed.");
            }
        }
    }

    private boolean hasForeignTables() throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main'")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    private void seedTierMap() throws SQLException {
        try (InputStream in = Workspace.class.getResourceAsStream("/dev/routeledger/default-tier-map.tsv");
             PreparedStatement ps = connection.prepareStatement("INSERT OR REPLACE INTO tier_map VALUES (?, ?)")) {
            if (in == null) throw new IllegalStateException("default tier map missing from the application");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] parts = line.split("\t");
                ps.setString(1, parts[0].trim());
                ps.setInt(2, Integer.parseInt(parts[1].trim()));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A DuckDB file starts with a fixed header; refusing anything else keeps us from touching a user's other files. */
    private static void refuseNonDuckDbFile(Path abs) {
        try {
            if (Files.size(abs) == 0) return; // an empty file becomes a new workspace
            byte[] head = new byte[12];
            try (InputStream in = Files.newInputStream(abs)) {
                int n = in.readNBytes(head, 0, head.length);
                if (n < 12 || head[8] != 'D' || head[9] != 'U' || head[10] != 'C' || head[11] != 'K') {
                    throw new WorkspaceException("File " + abs + " is not a RouteLedger workspace (not a DuckDB database); nothing was changed.");
                }
            }
        } catch (IOException e) {
            throw new WorkspaceException("Cannot read workspace " + abs + ": " + e.getMessage(), e);
        }
    }

    public Connection connection() { return connection; }

    /** A connection of its own for another thread (DuckDB connections are not thread-safe). */
    public Connection newConnection() {
        try {
            Connection c = connection.duplicate();
            configure(c);
            return c;
        } catch (SQLException e) {
            throw new WorkspaceException("Cannot open another connection to " + describe() + ": " + firstLine(e), e);
        }
    }

    public Path path() { return path; }

    public String describe() { return path == null ? "(in memory)" : path.toString(); }

    public int schemaVersion() {
        try {
            Integer v = storedVersion();
            return v == null ? 0 : v;
        } catch (SQLException e) {
            throw new WorkspaceException("Cannot read the schema version: " + firstLine(e), e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new WorkspaceException("Cannot close workspace " + describe() + ": " + firstLine(e), e);
        }
    }

    /**
     * The line of an error that says what went wrong. DuckDB's JDBC driver sometimes leads with a generic
     * "unsuccessful or closed pending query result" and puts the cause on a later "Error:" line.
     */
    public static String firstLine(Throwable e) {
        String m = e.getMessage();
        if (m == null) return e.getClass().getSimpleName();
        String[] lines = m.split("\n");
        for (String l : lines) {
            if (l.startsWith("Error: ")) return l.substring(7).trim();
        }
        return lines[0];
    }
}
