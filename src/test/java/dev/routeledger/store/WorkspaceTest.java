package dev.routeledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {
    @TempDir Path dir;

    @Test
    void aNewWorkspaceIsCreatedWithItsSchemaVersionAndTierMap() {
        Path f = dir.resolve("sub/folder/team.duckdb");
        try (Workspace ws = Workspace.open(f)) {
            assertThat(ws.schemaVersion()).isEqualTo(Schema.VERSION);
            assertThat(new TierMap(ws).entries()).isNotEmpty();
        }
        assertThat(f).exists();
        try (Workspace again = Workspace.open(f)) {
            assertThat(again.schemaVersion()).isEqualTo(Schema.VERSION);
        }
    }

    @Test
    void aWorkspaceFromANewerVersionIsRefusedAndNotChanged() throws Exception {
        Path f = dir.resolve("future.duckdb");
        try (Workspace ws = Workspace.open(f); Statement s = ws.connection().createStatement()) {
            s.execute("UPDATE workspace_meta SET value = '" + (Schema.VERSION + 1) + "' WHERE key = 'schema_version'");
            s.execute("CHECKPOINT");
        }
        byte[] before = Files.readAllBytes(f);
        assertThatThrownBy(() -> Workspace.open(f)).isInstanceOf(WorkspaceException.class)
            .hasMessageContaining("newer RouteLedger").hasMessageContaining("nothing was changed");
        assertThat(Arrays.equals(before, Files.readAllBytes(f))).isTrue();
    }

    @Test
    void filesThatAreNotWorkspacesAreRefused() throws Exception {
        Path text = dir.resolve("notes.duckdb");
        Files.writeString(text, "my notes, not a database");
        assertThatThrownBy(() -> Workspace.open(text)).hasMessageContaining("not a RouteLedger workspace");
        assertThat(Files.readString(text)).isEqualTo("my notes, not a database");

        Path other = dir.resolve("other.duckdb");
        try (var c = DriverManager.getConnection("jdbc:duckdb:" + other); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE sales (x INT)");
        }
        assertThatThrownBy(() -> Workspace.open(other)).hasMessageContaining("not a RouteLedger workspace");
    }

    @Test
    void theTierMapPrefersExactNamesThenTheMostSpecificGlobAndListsUnknownModels() throws Exception {
        try (Workspace ws = Workspace.inMemory(); Statement s = ws.connection().createStatement()) {
            s.execute("INSERT INTO calls_main (request_id, trace_id, ts, model, batch_id) VALUES"
                + " ('1','1',TIMESTAMP '2026-10-01','gpt-4o-mini',1), ('2','2',TIMESTAMP '2026-10-01','gpt-4o',1),"
                + " ('3','3',TIMESTAMP '2026-10-01','groq/llama-3.3-70b-versatile',1), ('4','4',TIMESTAMP '2026-10-01','acme-secret-model',1)");
            // rows written past the importer: match their models as an import does
            dev.routeledger.cost.PriceMatches.refreshAll(ws.connection());
            var rs = s.executeQuery("SELECT model, tier FROM model_tiers ORDER BY model");
            StringBuilder sb = new StringBuilder();
            while (rs.next()) sb.append(rs.getString(1)).append('=').append(rs.getString(2)).append(' ');
            assertThat(sb.toString()).isEqualTo("acme-secret-model=null gpt-4o=3 gpt-4o-mini=2 groq/llama-3.3-70b-versatile=1 ");
            new TierMap(ws).set("acme-*", 2);
            rs = s.executeQuery("SELECT tier FROM model_tiers WHERE model = 'acme-secret-model'");
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }
}
