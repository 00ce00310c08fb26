package dev.routeledger.ingest;

import dev.routeledger.store.Workspace;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh workspace file and importer for each import test. */
abstract class ImportTestBase {
    @TempDir Path dir;
    Workspace ws;
    Importer importer;

    @BeforeEach
    void openWorkspace() {
        ws = Workspace.open(dir.resolve("ws.duckdb"));
        importer = new Importer(ws, null);
    }

    @AfterEach
    void closeWorkspace() {
        ws.close();
    }
}
