package dev.routeledger.console;

import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.testfx.framework.junit5.ApplicationTest;
import org.testfx.util.WaitForAsyncUtils;

/** Starts the real console on the workspace of {@code routeledger.workspace}, under headless Monocle. */
abstract class ConsoleTestBase extends ApplicationTest {
    ConsoleApp app;

    @Override
    public void start(Stage stage) {
        stage.setWidth(1500);
        stage.setHeight(950);
        app = new ConsoleApp();
        app.start(stage);
    }

    /** Waits until the workspace is open, the window whole, and every screen's work has delivered its figures. */
    void awaitIdle() throws Exception {
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> app.window() != null && !app.window().assembling() && app.session().pending() == 0);
        WaitForAsyncUtils.waitForFxEvents();
    }

    void open(String screenKey) throws Exception {
        awaitIdle();
        clickOn("#nav-" + screenKey);
        awaitIdle();
    }

    String text(String id) {
        return lookup(id).queryAs(Label.class).getText();
    }

    <T extends Node> T node(String id, Class<T> type) {
        return lookup(id).queryAs(type);
    }
}
