package dev.routeledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.routeledger.sample.SampleGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.chart.Chart;
import javafx.scene.control.Label;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A workspace with no calls yet (a user's own, before the first import): every chart says there is nothing to draw
 * and what to do, in place of bare axes, and the figures come back once a log is imported.
 */
class EmptyWorkspaceTest extends ConsoleTestBase {
    static Path dir;

    @BeforeAll
    static void emptyWorkspace() throws Exception {
        dir = Files.createTempDirectory("console-empty");
        System.setProperty("routeledger.workspace", dir.resolve("empty.duckdb").toString());
    }

    @Test
    void chartsSayTheyHaveNothingToDrawUntilALogIsImported() throws Exception {
        awaitIdle();
        assertThat(text("#overview-spend")).isEqualTo("$0.00");
        assertThat(text("#status-text")).endsWith("no calls yet: import a log (Ctrl+O)");
        assertEmpty("#overview-chart", "import a log");
        open("monthly");
        assertThat(text("#monthly-total-note")).contains("no calls in the workspace yet");
        open("power-users");
        assertEmpty("#power-pareto", "No users");
        open("escalations");
        assertEmpty("#esc-funnel", "No trace");
        assertEmpty("#esc-histogram", "router score");

        Path log = dir.resolve("log.jsonl");
        new SampleGenerator(new SampleGenerator.Config(400, 5, 2, SampleGenerator.DEFAULT_START)).write(log);
        open("import");
        dev.routeledger.console.screens.ImportScreen screen = (dev.routeledger.console.screens.ImportScreen) app.window().screen("import");
        interact(() -> screen.preview(List.of(log)));
        awaitIdle();
        clickOn("#import-go");
        awaitIdle();
        open("overview");
        assertThat(text("#overview-spend")).startsWith("$").isNotEqualTo("$0.00");
        assertThat(text("#status-text")).contains(" calls  ·  ").contains(" UTC");
        assertDrawn("#overview-chart");
        open("power-users");
        assertDrawn("#power-pareto");
        open("escalations");
        assertDrawn("#esc-histogram");
    }

    private void assertEmpty(String chartId, String says) {
        assertThat(node(chartId, Chart.class).isVisible()).as(chartId + " hidden").isFalse();
        Label empty = node(chartId + "-empty", Label.class);
        assertThat(empty.isVisible()).as(chartId + " says it is empty").isTrue();
        assertThat(empty.getText()).containsIgnoringCase(says);
    }

    private void assertDrawn(String chartId) {
        assertThat(node(chartId, Chart.class).isVisible()).as(chartId + " shown").isTrue();
        assertThat(node(chartId + "-empty", Label.class).isVisible()).as(chartId + "'s empty text hidden").isFalse();
    }
}
