package dev.routeledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.routeledger.ingest.Importer;
import dev.routeledger.sample.SampleGenerator;
import dev.routeledger.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.ApplicationTest;
import org.testfx.util.WaitForAsyncUtils;

/** The first console, under headless Monocle: it opens a workspace off the FX thread and shows its figures. */
class ConsoleAppTest extends ApplicationTest {
    static Path workspace;
    static long calls;

    @BeforeAll
    static void workspaceWithCalls() throws Exception {
        Path dir = Files.createTempDirectory("console-test");
        Path log = dir.resolve("s.jsonl");
        calls = new SampleGenerator(new SampleGenerator.Config(300, 5, 1, SampleGenerator.DEFAULT_START)).write(log).calls();
        workspace = dir.resolve("ws.duckdb");
        try (Workspace ws = Workspace.open(workspace)) {
            new Importer(ws, null).importFile(log, "canonical");
        }
        System.setProperty("routeledger.workspace", workspace.toString());
    }

    @Override
    public void start(Stage stage) {
        new ConsoleApp().start(stage);
    }

    @Test
    void showsTheWorkspacesCallsAndSpendPerTier() throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> lookup("#headline").queryAs(Label.class).getText().contains("calls"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(lookup("#headline").queryAs(Label.class).getText()).startsWith(String.format("%,d calls", calls));
        TableView<?> tiers = lookup("#tiers").queryAs(TableView.class);
        assertThat(tiers.getItems()).hasSize(3);
        Path png = Path.of("target", "screenshots", "console-first.png");
        Files.createDirectories(png.getParent());
        interact(() -> {
            try {
                ImageIO.write(SwingFXUtils.fromFXImage(tiers.getScene().snapshot(null), null), "png", png.toFile());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(png).exists();
    }
}
