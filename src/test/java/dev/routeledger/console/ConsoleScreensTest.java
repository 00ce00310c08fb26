package dev.routeledger.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routeledger.analytics.Escalations;
import dev.routeledger.analytics.PowerUsers;
import dev.routeledger.cli.Cli;
import dev.routeledger.console.screens.ImportScreen;
import dev.routeledger.console.screens.PolicyLabScreen;
import dev.routeledger.cost.ModelPrices;
import dev.routeledger.ingest.Importer;
import dev.routeledger.policy.PolicyWriter;
import dev.routeledger.replay.ReplayResult;
import dev.routeledger.store.Workspace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every screen on the bundled sample logs, with the figures the README and the CLI give for them. */
class ConsoleScreensTest extends ConsoleTestBase {
    static Path workspace, cliCopy;

    @BeforeAll
    static void sampleWorkspace() throws Exception {
        Path dir = Files.createTempDirectory("console-screens");
        workspace = dir.resolve("sample.duckdb");
        try (Workspace ws = Workspace.open(workspace)) {
            new Importer(ws, null).importFile(Path.of("sample-logs/acme-gateway-2026-10.jsonl.gz"), "auto");
        }
        // the CLI gets its own copy: one workspace file is open in one place at a time
        cliCopy = dir.resolve("cli.duckdb");
        Files.copy(workspace, cliCopy);
        System.setProperty("routeledger.workspace", workspace.toString());
    }

    @Test
    void everyScreenShowsTheSamplesFigures() throws Exception {
        awaitIdle();
        assertThat(text("#overview-spend")).isEqualTo("$113.28");
        assertThat(text("#overview-calls")).isEqualTo("41,366");
        assertThat(text("#status-text")).contains("44,135 calls").contains("40,000 traces");
        // October by day, every day on the axis, each tier a series
        javafx.scene.chart.StackedBarChart<?, ?> chart = node("#overview-chart", javafx.scene.chart.StackedBarChart.class);
        assertThat(chart.getTitle()).isEqualTo("Spend per day, by tier");
        assertThat(((javafx.scene.chart.CategoryAxis) chart.getXAxis()).getCategories()).hasSize(31).startsWith("10-01").endsWith("10-31");
        assertThat(chart.getData()).extracting(javafx.scene.chart.XYChart.Series::getName).containsExactly("tier 1", "tier 2", "tier 3");
        // the value axis set by the screen: the highest day ($5.03) under a round top, in whole dollars
        javafx.scene.chart.NumberAxis y = (javafx.scene.chart.NumberAxis) chart.getYAxis();
        assertThat(y.isAutoRanging()).isFalse();
        assertThat(y.getUpperBound()).isEqualTo(6.0);
        assertThat(y.getTickUnit()).isEqualTo(1.0);
        tablesAndChartsAreLaidOut("overview");

        open("breakdown");
        tablesAndChartsAreLaidOut("breakdown");
        TableView<?> breakdown = node("#breakdown-table", TableView.class);
        assertThat(breakdown.getItems()).isNotEmpty();

        open("monthly");
        tablesAndChartsAreLaidOut("monthly");
        assertThat(text("#monthly-total")).isEqualTo("$113.28");
        assertThat(text("#monthly-reconcile")).isEqualTo("725 calls differ");

        open("power-users");
        tablesAndChartsAreLaidOut("power-users");
        @SuppressWarnings("unchecked") TableView<PowerUsers.User> users = node("#power-table", TableView.class);
        assertThat(users.getItems().get(0).userId()).isEqualTo("user-4242");
        assertThat(users.getItems().get(0).flagged()).isTrue();
        // the table keeps the share of the width its screen gives it (the window prepares the split pane in steps)
        javafx.scene.Node up = users;
        while (!(up instanceof javafx.scene.control.SplitPane)) up = up.getParent();
        assertThat(((javafx.scene.control.SplitPane) up).getDividerPositions()[0]).isCloseTo(0.68, within(0.02));

        open("escalations");
        tablesAndChartsAreLaidOut("escalations");
        @SuppressWarnings("unchecked") TableView<Escalations.Route> routes = node("#esc-routes", TableView.class);
        Escalations.Route first = routes.getItems().get(0);
        assertThat(first.feature()).isEqualTo("data-analysis");
        assertThat(first.reason()).isEqualTo("rule");
        assertThat(first.flagged()).isTrue();
        // the router-score histogram: the router's tiers, and the sample gateway's band (0.05 below its thresholds
        // 0.55 and 0.85) as a series of its own, in the bins 0.50 and 0.80 only
        javafx.scene.chart.StackedBarChart<?, ?> histogram = node("#esc-histogram", javafx.scene.chart.StackedBarChart.class);
        assertThat(histogram.getData()).extracting(javafx.scene.chart.XYChart.Series::getName)
            .containsExactly("tier 1", "tier 2", "tier 3", "sent up by the boundary band");
        assertThat(histogram.getData().get(3).getData()).extracting(d -> (Object) d.getXValue()).containsExactly("0.5", "0.8");

        open("policy-lab");
        // the sample gateway's own policy, replayed: the logged cost, every outcome observed
        assertThat(text("#lab-cost")).isEqualTo("$113.28");
        assertThat(text("#lab-exact")).isEqualTo("100.0 %");

        open("prices");
        tablesAndChartsAreLaidOut("prices");
        @SuppressWarnings("unchecked") TableView<ModelPrices.Row> prices = node("#prices-models", TableView.class);
        assertThat(prices.getItems()).extracting(ModelPrices.Row::model).contains("gpt-4o", "claude-3-haiku-20240307");

        open("import");
        tablesAndChartsAreLaidOut("import");
        @SuppressWarnings("unchecked") TableView<ImportScreen.Batch> batches = node("#import-results", TableView.class);
        assertThat(batches.getItems()).singleElement().satisfies(b -> assertThat(b.loaded()).isEqualTo(44_135));
    }

    /**
     * Every table and chart of the screen shown is in its layout with a size: the window prepares them in steps,
     * styled first and sized a step later (ScreenWarmup), and none may be left out of the layout.
     */
    private void tablesAndChartsAreLaidOut(String screen) throws Exception {
        awaitIdle();
        java.util.List<javafx.scene.Node> shown = new java.util.ArrayList<>();
        interact(() -> {
            for (String kind : java.util.List.of(".table-view", ".chart")) shown.addAll(lookup(kind).match(javafx.scene.Node::isVisible).queryAll());
        });
        assertThat(shown).as(screen).isNotEmpty().allSatisfy(n -> {
            assertThat(n.isManaged()).as("%s managed", n.getId()).isTrue();
            assertThat(n.getLayoutBounds().getHeight()).as("%s height", n.getId()).isPositive();
        });
    }

    @Test
    void aFilterChangesEveryFigure() throws Exception {
        awaitIdle();
        interact(() -> app.window().filterBar().set("teams").getCheckModel().check("legal"));
        clickOn("#filter-apply");
        awaitIdle();
        // the legal team's October spend, as the monthly report's team line gives it
        assertThat(text("#overview-spend")).isEqualTo("$37.27");
        // the chart refilled while shown (taken out of the scene and put back in its place): the team's days, scaled anew
        javafx.scene.chart.StackedBarChart<?, ?> chart = node("#overview-chart", javafx.scene.chart.StackedBarChart.class);
        javafx.scene.layout.Pane holder = (javafx.scene.layout.Pane) chart.getParent();
        assertThat(holder.getChildren().indexOf(chart)).as("under its empty-state text").isEqualTo(0);
        assertThat(((javafx.scene.layout.Pane) holder.getParent()).getChildren().indexOf(holder)).isEqualTo(2);
        assertThat(((javafx.scene.chart.NumberAxis) chart.getYAxis()).getUpperBound()).isLessThan(6.0);
        assertThat(chart.getData().get(0).getData().get(0).getNode().getStyleClass()).contains("chart-bar").noneMatch(c -> c.matches("data\\d+"));
        tablesAndChartsAreLaidOut("overview, filtered");
        open("monthly");
        assertThat(text("#monthly-total")).isEqualTo("$37.27");
        clickOn("#filter-clear");
        awaitIdle();
        assertThat(text("#monthly-total")).isEqualTo("$113.28");
    }

    @Test
    void aNavigationButtonGetsItsTooltipWhenThePointerFirstEntersIt() throws Exception {
        awaitIdle();
        javafx.scene.control.ToggleButton b = lookup("#nav-monthly").queryAs(javafx.scene.control.ToggleButton.class);
        moveTo(b);
        awaitIdle();
        assertThat(b.getTooltip()).isNotNull();
        assertThat(b.getTooltip().getText()).isEqualTo("Monthly report  (Ctrl+3)");
    }

    @Test
    void shortcutsSwitchScreens() throws Exception {
        awaitIdle();
        press(KeyCode.CONTROL).press(KeyCode.DIGIT3).release(KeyCode.DIGIT3).release(KeyCode.CONTROL);
        awaitIdle();
        assertThat(text("#monthly-total")).isEqualTo("$113.28");
    }

    @Test
    void aReplayInThePolicyLabMatchesTheCliForTheSamePolicy() throws Exception {
        open("policy-lab");
        PolicyLabScreen lab = (PolicyLabScreen) app.window().screen("policy-lab");
        awaitIdle();
        // the lab starts from the sample's own gateway (its models are the workspace's), which replays to the log
        assertThat(lab.lastResult().policy()).isEqualTo("acme-gateway-as-logged [thresholds=0.55,0.85 band=0.05]");
        assertThat(lab.lastResult().savingsUsd()).isCloseTo(0.0, within(1e-6));
        // move the thresholds, replay
        interact(() -> {
            var cuts = node("#lab-thresholds", org.controlsfx.control.RangeSlider.class);
            cuts.setHighValue(0.8);
            cuts.setLowValue(0.35);
        });
        clickOn("#lab-replay");
        awaitIdle();
        ReplayResult inConsole = lab.lastResult();
        assertThat(inConsole.policy()).contains("0.35").contains("0.8");
        Path policy = Files.createTempFile("lab-policy", ".yaml");
        Files.writeString(policy, PolicyWriter.yaml(lab.editedPolicy()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new Cli().run(new String[] {"replay", "--workspace", cliCopy.toString(), "--policy", policy.toString(), "--json"},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        JsonNode cli = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(cli.get("simulated_cost_usd").asDouble()).isCloseTo(inConsole.simulatedCostUsd(), within(1e-9));
        assertThat(cli.get("simulated_success").asDouble()).isCloseTo(inConsole.simulatedSuccess(), within(1e-12));
        assertThat(cli.get("savings_usd").asDouble()).isCloseTo(inConsole.savingsUsd(), within(1e-9));
        assertThat(inConsole.savingsUsd()).isNotZero();
    }

    @Test
    void aPolicyOpenedInTheLabIsReplayedAsItsFileSays() throws Exception {
        open("policy-lab");
        PolicyLabScreen lab = (PolicyLabScreen) app.window().screen("policy-lab");
        awaitIdle();
        String tiers = "routeledger_policy: 1\nname: opened\ntiers:\n  - {name: fast, models: [groq/llama-3.3-70b-versatile]}\n"
            + "  - {name: balanced, models: [claude-3-haiku-20240307]}\n  - {name: frontier, models: [gpt-4o]}\n";
        String[] routes = {
            "route: {strategy: static, by_feature: {contract-analysis: 3, telegram-support: 1}, default_tier: 2}\n",
            "route: {strategy: cascade, start_tier: 2, accept: {validation: pass}, max_tier: 3}\n",
            "route: {strategy: cascade, start_tier: 1, accept: {min_quality: 0.8}, max_tier: 2}\n",
            // values off the sliders' ticks stay as written
            "route: {strategy: threshold, thresholds: [0.555, 0.8125], boundary_band: 0.0333}\n"};
        String[] named = {"static default=2", "cascade validation=pass", "cascade quality=0.8", "thresholds=0.555,0.8125 band=0.0333"};
        for (int i = 0; i < routes.length; i++) {
            dev.routeledger.policy.Policy file = dev.routeledger.policy.PolicyFile.parse(tiers + routes[i], "opened.yaml");
            interact(() -> lab.usePolicy(file));
            awaitIdle();
            assertThat(lab.editedPolicy().route()).as(routes[i]).isEqualTo(file.route());
            assertThat(lab.lastResult().policy()).isEqualTo("opened [" + named[i] + "]");
            assertThat(node("#lab-notes", javafx.scene.control.Label.class).isVisible()).as("no notes for " + routes[i]).isFalse();
        }
        // a feature the log does not have (a typo) matches nothing: the lab says so beside the figures
        dev.routeledger.policy.Policy typo = dev.routeledger.policy.PolicyFile.parse(tiers
            + "route: {strategy: static, by_feature: {contract-analysys: 3}, default_tier: 2}\n", "typo.yaml");
        interact(() -> lab.usePolicy(typo));
        awaitIdle();
        assertThat(node("#lab-notes", javafx.scene.control.Label.class).isVisible()).isTrue();
        assertThat(text("#lab-notes")).contains("feature 'contract-analysys' (route.by_feature)");
        // four tiers: no slider for three thresholds, so the file's stay
        String four = tiers + "  - {name: top, models: [claude-3-opus-20240229]}\nroute: {strategy: threshold, thresholds: [0.2, 0.5, 0.9]}\n";
        dev.routeledger.policy.Policy fourTiers = dev.routeledger.policy.PolicyFile.parse(four, "four.yaml");
        interact(() -> lab.usePolicy(fourTiers));
        awaitIdle();
        assertThat(lab.editedPolicy().route()).isEqualTo(fourTiers.route());
    }

    @Test
    void theStatusBarsCancelStopsASweepAndTheSessionGoesOn() throws Exception {
        open("policy-lab");
        PolicyLabScreen lab = (PolicyLabScreen) app.window().screen("policy-lab");
        ReplayResult before = lab.lastResult();
        clickOn("#lab-sweep");
        org.testfx.util.WaitForAsyncUtils.waitFor(30, java.util.concurrent.TimeUnit.SECONDS, () -> app.session().pending() > 0);
        Thread.sleep(300);
        clickOn("#status-cancel");
        awaitIdle();
        // the sweep's result was dropped: no frontier, and the editor's replay as it was
        assertThat(node("#lab-frontier", javafx.scene.chart.ScatterChart.class).isVisible()).isFalse();
        assertThat(lab.lastResult()).isSameAs(before);
        // and the session still works
        interact(() -> node("#lab-thresholds", org.controlsfx.control.RangeSlider.class).setLowValue(0.3));
        clickOn("#lab-replay");
        awaitIdle();
        assertThat(lab.lastResult()).isNotSameAs(before);
        assertThat(lab.lastResult().policy()).contains("thresholds=0.3,0.85");
    }

    @Test
    void powerUsersSaysWhenItFirstBuildsTheTraceFactsAnImportLeftStale() throws Exception {
        awaitIdle();
        interact(() -> app.session().submit("Marking the facts stale", (ws, conn, task) -> {
            dev.routeledger.store.DerivedFacts.invalidate(conn);
            return null;
        }, x -> { }));
        awaitIdle();
        java.util.List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
        interact(() -> app.session().busy().addListener((o, was, now) -> said.add(now)));
        open("power-users");
        // the facts' own status first, then the query's label again, then idle
        String facts = dev.routeledger.console.screens.TraceFactsFirst.STATUS + " …";
        assertThat(said).containsSubsequence("Ranking users …", facts, "Ranking users …", "");
        assertThat(said.indexOf(facts)).isEqualTo(said.lastIndexOf(facts));
        @SuppressWarnings("unchecked") TableView<PowerUsers.User> users = node("#power-table", TableView.class);
        assertThat(users.getItems().get(0).userId()).isEqualTo("user-4242");
        // and stored: the next query that needs them does not build them again
        boolean[] built = new boolean[1];
        interact(() -> app.session().submit("Checking the facts", (ws, conn, task) -> dev.routeledger.analytics.TraceFacts.built(conn), b -> built[0] = b));
        awaitIdle();
        assertThat(built[0]).isTrue();
    }
}
