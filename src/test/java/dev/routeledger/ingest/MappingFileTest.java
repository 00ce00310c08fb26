package dev.routeledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** A user's YAML mapping file routes custom columns and metadata keys onto canonical fields, for any format. */
class MappingFileTest extends ImportTestBase {

    String one(String sql) throws Exception {
        try (Statement s = ws.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void liteLlmMetadataKeyBecomesTheFeature() throws Exception {
        Path log = dir.resolve("spend.json");
        Files.writeString(log, """
            [{"request_id": "m1", "startTime": "2026-10-05T09:00:00Z", "model": "gpt-4o", "spend": 0.01, "request_tags": ["job:77"],
              "metadata": {"user_api_key_alias": "ci-bot", "spend_logs_metadata": {"product_area": "billing", "squad": "payments"}}}]
            """);
        Path mapping = dir.resolve("mapping.yaml");
        Files.writeString(mapping, """
            # our gateway puts the product area in spend_logs_metadata
            format: litellm
            fields:
              feature: metadata.spend_logs_metadata.product_area
              team: metadata.spend_logs_metadata.squad
            """);
        ImportResult r = importer.importFile(log, "auto", UserMapping.load(mapping));
        assertThat(r.format()).isEqualTo("litellm");
        assertThat(r.columns()).containsKey("metadata.spend_logs_metadata.product_area (mapping file)");
        assertThat(one("SELECT feature FROM calls WHERE request_id = 'm1'")).isEqualTo("billing"); // wins over request_tags[0]
        assertThat(one("SELECT team FROM calls WHERE request_id = 'm1'")).isEqualTo("payments");
    }

    @Test
    void canonicalCsvWithACustomColumn() throws Exception {
        Path csv = dir.resolve("calls.csv");
        Files.writeString(csv, "request_id,timestamp,model,squad,cost\nc1,2026-10-06 10:00:00,gpt-4o-mini,growth,0.002\n");
        Path mapping = dir.resolve("m.yml");
        Files.writeString(mapping, "fields:\n  team: squad\n");
        importer.importFile(csv, "auto", UserMapping.load(mapping));
        assertThat(one("SELECT team FROM calls WHERE request_id = 'c1'")).isEqualTo("growth");
        assertThat(one("SELECT cost_usd FROM calls WHERE request_id = 'c1'")).isEqualTo("0.002");
    }

    @Test
    void badMappingFilesSayWhatIsWrong() throws Exception {
        Path unknownField = dir.resolve("a.yaml");
        Files.writeString(unknownField, "fields:\n  product: metadata.x\n");
        assertThatThrownBy(() -> UserMapping.load(unknownField)).isInstanceOf(ImportException.class)
            .hasMessageContaining("'product' is not a canonical field");
        Path notYaml = dir.resolve("b.yaml");
        Files.writeString(notYaml, "fields:\n  team: [unclosed\n");
        assertThatThrownBy(() -> UserMapping.load(notYaml)).isInstanceOf(ImportException.class)
            .hasMessageContaining("not valid YAML").hasMessageContaining("line");
        Path typeTag = dir.resolve("c.yaml");
        Files.writeString(typeTag, "fields: !!java.io.File\n  team: x\n");
        assertThatThrownBy(() -> UserMapping.load(typeTag)).isInstanceOf(ImportException.class);
        Path huge = dir.resolve("d.yaml");
        Files.writeString(huge, "fields:\n  team: x\n" + "#".repeat((int) UserMapping.MAX_BYTES));
        assertThatThrownBy(() -> UserMapping.load(huge)).isInstanceOf(ImportException.class).hasMessageContaining("larger than");
        Path unknownKey = dir.resolve("e.yaml");
        Files.writeString(unknownKey, "fields:\n  team: x\nformt: litellm\n");
        assertThatThrownBy(() -> UserMapping.load(unknownKey)).isInstanceOf(ImportException.class).hasMessageContaining("'formt'");
    }
}
