package dev.routeledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationTest;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The start's style rehearsal (SPEC §9: no FX-thread task over 100 ms): every part of it is built and styled off
 * the FX thread with the console's theme and stylesheet, without an error, and a stop ends it after its first
 * round (each kind of control styled once), so the window waits for one round at most. Real JavaFX, headless Monocle.
 */
class StyleRehearsalTest extends ApplicationTest {
    @Override
    public void start(Stage stage) {
        MainWindow.applyTheme(false);
        stage.setScene(new Scene(new StackPane(), 400, 300));
        stage.show();
    }

    /**
     * As at the console's start, the FX thread lays out no text meanwhile: windows other test classes left open, and
     * their screens still being prepared, would (controls' skins share one text-measuring object with the
     * rehearsal's), so they are closed and waited for.
     */
    @BeforeEach
    void noOtherWindows() throws Exception {
        FxToolkit.cleanupStages();
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !ScreenWarmup.anyRunning());
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void stylesEveryPartOfEveryRoundOffTheFxThread() throws Exception {
        StyleRehearsal r = StyleRehearsal.start(true);
        r.done().get(60, TimeUnit.SECONDS);
        assertThat(r.failure()).isNull();
        assertThat(r.parts()).isEqualTo(StyleRehearsal.ROUNDS * StyleRehearsal.PARTS);
    }

    @Test
    void aStopEndsItOnceEveryPartHasBeenStyledOnce() throws Exception {
        StyleRehearsal r = StyleRehearsal.start(false);
        r.stop();
        r.done().get(60, TimeUnit.SECONDS);
        assertThat(r.failure()).isNull();
        assertThat(r.parts()).isEqualTo(StyleRehearsal.PARTS);
    }
}
