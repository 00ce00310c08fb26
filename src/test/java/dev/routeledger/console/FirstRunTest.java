package dev.routeledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.ApplicationTest;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The README's first command on a fresh machine: no workspace yet, so the console imports the bundled
 * sample-logs/ into ~/.routeledger/sample.duckdb and shows it.
 */
class FirstRunTest extends ApplicationTest {
    static String realHome;
    static Path home;

    @BeforeAll
    static void freshHome() throws Exception {
        realHome = System.getProperty("user.home");
        home = Files.createTempDirectory("first-run-home");
        System.setProperty("user.home", home.toString());
        System.clearProperty("routeledger.workspace");
        // a workspace another test opened would be the "last workspace" a returning user gets
        java.util.prefs.Preferences.userNodeForPackage(ConsoleApp.class).remove("workspace");
    }

    @AfterAll
    static void restoreHome() {
        System.setProperty("user.home", realHome);
    }

    @Override
    public void start(Stage stage) {
        new ConsoleApp().start(stage);
    }

    @Test
    void theBundledSampleIsImportedOnceAndShown() throws Exception {
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> lookup("#status-text").tryQuery().isPresent()
            && lookup("#status-text").queryAs(Label.class).getText().contains("calls"));
        // sample-logs/README.md: 44,135 calls
        assertThat(lookup("#status-text").queryAs(Label.class).getText()).contains("44,135 calls");
        // the window comes together over its first frames: the figure's label may not be in it yet
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> lookup("#overview-spend").tryQueryAs(Label.class)
            .map(l -> l.getText().startsWith("$")).orElse(false));
        assertThat(lookup("#overview-spend").queryAs(Label.class).getText()).isEqualTo("$113.28");
        assertThat(home.resolve(".routeledger/sample.duckdb")).exists();
    }
}
