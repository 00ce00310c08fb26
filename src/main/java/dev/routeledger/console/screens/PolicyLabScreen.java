package dev.routeledger.console.screens;

import dev.routeledger.analytics.Filter;
import dev.routeledger.console.Fmt;
import dev.routeledger.console.Screen;
import dev.routeledger.console.Session;
import dev.routeledger.console.Ui;
import dev.routeledger.policy.DefaultFamily;
import dev.routeledger.policy.LiteLlmConfig;
import dev.routeledger.policy.Policy;
import dev.routeledger.policy.PolicyFile;
import dev.routeledger.policy.PolicyWriter;
import dev.routeledger.replay.Replay;
import dev.routeledger.replay.ReplayResult;
import dev.routeledger.replay.Sweep;
import dev.routeledger.replay.ThresholdGrid;
import dev.routeledger.replay.UnmatchedNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.ScatterChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.controlsfx.control.RangeSlider;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/**
 * The Policy lab (SPEC §8): edit a policy's route (thresholds and band with sliders, or a cascade's acceptance),
 * replay it over the filtered traffic, compare up to four policies side by side, sweep a family and pick a point
 * of the cost/quality frontier, and export the policy file and the LiteLLM config. The replay's basis is kept for
 * the session, so only the first replay of a scope pays for it.
 */
public final class PolicyLabScreen extends Screen {
    static final int COMPARE = 4;
    private Policy base;
    private Label policyName;
    private final ComboBox<String> strategy = new ComboBox<>(FXCollections.observableArrayList("threshold", "cascade"));
    private final RangeSlider cuts = new RangeSlider(0, 1, 0.4, 0.7);
    private final Slider cut = new Slider(0, 1, 0.5);
    private final Slider band = new Slider(0, ThresholdGrid.EDITOR_MAX_BAND, 0.05);
    /** Grid values per unit of the thresholds and band: the sliders' ticks, and the values the basis serves at once. */
    private final Slider minConfidence = new Slider(0, 1, 0.7);
    /** Whether a cascade here accepts on confidence: false for a base cascade that accepts on validation or quality. */
    private final javafx.beans.property.BooleanProperty confidenceAccept = new javafx.beans.property.SimpleBooleanProperty(true);
    private final CheckBox retry = new CheckBox("Retry one tier up on an error or failed validation");
    private final Label values = new Label();
    private final Label thresholdsLabel = new Label("Thresholds (router score)");
    private VBox cost, success, exact, latency;
    private javafx.scene.layout.GridPane compare;
    private final List<ReplayResult> compared = new ArrayList<>();
    private ScatterChart<Number, Number> frontier;
    private Label sweepHint;
    /** What the last replay's figures should be read with: unpriced models, names the policy gives that the log lacks. */
    private final Label notes = new Label();
    private ReplayResult last;
    private Replay replay;
    private Filter replayScope;
    private Filter filter = Filter.ALL;

    public PolicyLabScreen(Session session) {
        super(session);
    }

    @Override public String title() { return "Policy lab"; }
    @Override public String key() { return "policy-lab"; }
    @Override public Ikon icon() { return Material2OutlinedMZ.SCIENCE; }

    @Override
    protected Node build() {
        policyName = new Label("No policy yet");
        policyName.getStyleClass().add("section-title");
        strategy.setId("lab-strategy");
        strategy.setValue("threshold");
        cuts.setId("lab-thresholds");
        cut.setId("lab-threshold");
        band.setId("lab-band");
        minConfidence.setId("lab-min-confidence");
        retry.setId("lab-retry");
        retry.setSelected(true);
        retry.setWrapText(true); // the editor is narrow: the whole sentence, on two lines
        for (Slider s : List.of(cut, band, minConfidence)) {
            s.setShowTickLabels(true);
            s.setShowTickMarks(true);
            s.setMajorTickUnit(s == band ? 0.05 : 0.1);
            s.setMinorTickCount(s == band ? 0 : 1);
        }
        // thresholds, band and a cascade's confidence stop on the replay basis's grid (every 0.05): a drag never
        // needs a new basis
        for (Slider s : List.of(cut, band, minConfidence)) s.setSnapToTicks(true);
        cuts.setShowTickLabels(true);
        cuts.setShowTickMarks(true);
        cuts.setMajorTickUnit(0.1);
        cuts.setMinorTickCount(1);
        cuts.setSnapToTicks(true);
        // a slider's tick labels sit on an axis that animates each relayout: the old labels fade out over the new
        // ones (ghost labels in a screenshot, and a blur while the editor is resized)
        for (javafx.scene.control.Control s : List.of(cuts, cut, band, minConfidence)) {
            s.skinProperty().addListener((o, a, b) -> s.lookupAll(".axis").forEach(axis -> {
                if (axis instanceof javafx.scene.chart.Axis<?> ax) ax.setAnimated(false);
            }));
        }
        for (var p : List.of(cuts.lowValueProperty(), cuts.highValueProperty(), cut.valueProperty(), band.valueProperty(), minConfidence.valueProperty())) {
            p.addListener((o, a, b) -> describe());
        }
        strategy.setOnAction(e -> describe());
        values.setWrapText(true);
        values.getStyleClass().add("hint");
        // only the controls of the chosen route are live; a cascade that accepts on validation or quality (as its
        // file says) has no confidence to slide
        var threshold = strategy.valueProperty().isEqualTo("threshold");
        cuts.disableProperty().bind(threshold.not());
        cut.disableProperty().bind(threshold.not());
        band.disableProperty().bind(threshold.not());
        minConfidence.disableProperty().bind(strategy.valueProperty().isEqualTo("cascade").and(confidenceAccept).not());
        Button open = new Button("Open policy …");
        open.setId("lab-open");
        open.setOnAction(e -> openPolicy(open.getScene().getWindow()));
        Button run = new Button("Replay");
        run.setId("lab-replay");
        run.setDefaultButton(true);
        run.setOnAction(e -> replayEdited(false));
        Button add = new Button("Replay and compare");
        add.setId("lab-compare");
        add.setOnAction(e -> replayEdited(true));
        Button sweep = new Button("Sweep the family");
        sweep.setId("lab-sweep");
        sweep.setOnAction(e -> sweep());
        Button savePolicy = new Button("Export policy …");
        savePolicy.setOnAction(e -> save(savePolicy.getScene().getWindow(), false));
        Button saveConfig = new Button("Export LiteLLM config …");
        saveConfig.setOnAction(e -> save(saveConfig.getScene().getWindow(), true));
        VBox editor = new VBox(8, policyName, Ui.row(8, new Label("Route"), strategy),
            thresholdsLabel, cuts, cut, new Label("Boundary band"), band,
            new Label("Cascade: accept at confidence"), minConfidence, retry, values);
        editor.getStyleClass().add("card");
        editor.setPrefWidth(360);
        editor.setMinWidth(320);
        cost = Ui.card("Simulated cost", "lab-cost");
        success = Ui.card("Success", "lab-success");
        exact = Ui.card("Exact share", "lab-exact");
        latency = Ui.card("Latency p50 / p95", "lab-latency");
        compare = new javafx.scene.layout.GridPane();
        compare.setId("lab-comparison");
        compare.setHgap(18);
        compare.setVgap(6);
        compare.getStyleClass().add("card");
        compare.add(Ui.hint("“Replay and compare” puts up to four policies side by side."), 0, 0);
        NumberAxis x = new NumberAxis();
        x.setLabel("simulated cost (USD)");
        x.setForceZeroInRange(false);
        NumberAxis y = new NumberAxis();
        y.setLabel("success (%)");
        y.setForceZeroInRange(false);
        frontier = new ScatterChart<>(x, y);
        frontier.setId("lab-frontier");
        frontier.setTitle("Sweep: cost and success of each policy (click a frontier point to edit it)");
        frontier.setAnimated(false);
        frontier.setPrefHeight(300);
        // no empty chart: it shows once a sweep has run
        frontier.setVisible(false);
        frontier.setManaged(false);
        sweepHint = Ui.hint("“Sweep the family” replays variants of this policy (thresholds and band, or a cascade's confidence) and marks the cost/quality frontier.");
        notes.setId("lab-notes");
        notes.getStyleClass().add("lab-notes");
        notes.setWrapText(true);
        notes.setVisible(false);
        notes.setManaged(false);
        VBox results = new VBox(12, Ui.row(12, cost, success), Ui.row(12, exact, latency), notes, Ui.section("Compared"), compare, Ui.section("Frontier"), sweepHint, frontier);
        HBox.setHgrow(results, Priority.ALWAYS);
        VBox page = Ui.page(Ui.title("Policy lab"), Ui.row(8, open, run, add, sweep, Ui.grow(), savePolicy, saveConfig),
            Ui.hint("Replays the filtered traffic (time, users, teams, features) against the policy: outcomes the log observed are exact,"
                + " the rest estimated from comparable traces, with 95 % intervals."), new HBox(16, editor, results));
        ScrollPane sp = new ScrollPane(page);
        sp.setFitToWidth(true);
        return sp;
    }

    @Override
    protected void load(Filter f) {
        filter = new Filter(f.from(), f.to(), f.users(), f.teams(), f.features(), List.of(), List.of(), List.of(), false);
        // the filter or the calls changed: the kept basis, and which names the calls have, are out of date
        replay = null;
        unmatchedFor = null;
        if (base != null) {
            replayEdited(false);
            return;
        }
        session.submit("Choosing a starting policy", (ws, conn, task) -> {
            // the sample's gateway where the workspace holds its models (the bundled sample, wherever it was opened
            // from), else a threshold policy over the workspace's own tiers
            Policy sample = PolicyFile.parse(dev.routeledger.sample.SampleGenerator.gatewayPolicy(), "the sample's gateway policy");
            if (logged(conn, sample)) return sample;
            try {
                return DefaultFamily.of(conn).stream().filter(p -> p.route() instanceof Policy.Threshold).findFirst().orElse(null);
            } catch (dev.routeledger.policy.PolicyException e) {
                return null; // fewer than two tiers to start from: the editor says what to do
            }
        }, p -> {
            if (p == null) {
                policyName.setText("No policy yet");
                values.setText("The workspace's models are on fewer than two known tiers, so there is no starting policy. Open a policy file,"
                    + " or map the models to tiers (tiers --set) and come back.");
            }
            if (p != null) {
                setBase(p);
                // the starting policy is the first column of the comparison: what the others are measured against
                replayEdited(true);
            }
        });
    }

    /**
     * Whether the workspace has calls of every tier's primary model of {@code p}: looked up in model_costing, which
     * holds a row per model and provider of the calls (a miss in calls would scan millions of rows).
     */
    private static boolean logged(java.sql.Connection conn, Policy p) throws java.sql.SQLException {
        for (Policy.Tier t : p.tiers()) {
            try (var ps = conn.prepareStatement("SELECT 1 FROM model_costing WHERE model = ? LIMIT 1")) {
                ps.setString(1, t.primary());
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) return false;
                }
            }
        }
        return true;
    }

    private void setBase(Policy p) {
        base = p;
        // the policy's own name (a frontier point's values are in the line under the editor, kept current)
        policyName.setText(p.name().replaceAll(" \\[.*", "") + " · " + p.tiers().size() + " tiers");
        boolean three = p.tiers().size() == 3;
        cuts.setVisible(three);
        cuts.setManaged(three);
        cut.setVisible(p.tiers().size() == 2);
        cut.setManaged(p.tiers().size() == 2);
        // sliders for one or two thresholds; more stay as the file sets them, shown in the line under the editor
        thresholdsLabel.setText(p.tiers().size() <= 3 ? "Thresholds (router score)" : "Thresholds (router score): as the policy file sets them");
        thresholdsLabel.setWrapText(true);
        // "static" is offered only for a static policy: it has nothing to slide, and the lab keeps its tiers by feature
        if (p.route() instanceof Policy.Static) {
            if (!strategy.getItems().contains("static")) strategy.getItems().add("static");
            strategy.setValue("static");
        } else {
            strategy.getItems().remove("static");
        }
        confidenceAccept.set(!(p.route() instanceof Policy.Cascade c) || c.accept().minConfidence() != null);
        if (p.route() instanceof Policy.Threshold t) {
            strategy.setValue("threshold");
            if (three) {
                cuts.setHighValue(t.thresholds().get(1));
                cuts.setLowValue(t.thresholds().get(0));
            } else if (!t.thresholds().isEmpty()) {
                cut.setValue(t.thresholds().get(0));
            }
            band.setValue(t.boundaryBand());
        } else if (p.route() instanceof Policy.Cascade c) {
            strategy.setValue("cascade");
            if (c.accept().minConfidence() != null) minConfidence.setValue(c.accept().minConfidence());
        }
        retry.setSelected(p.escalateOnFailure());
        describe();
    }

    /**
     * The base policy with the editor's route: what the sliders show replaces what they control, and everything
     * else of the base's route stays as its file wrote it (a cascade's start and top tier and its acceptance on
     * validation or quality, a static route's tiers by feature, the thresholds of a policy of four or more tiers,
     * which have no slider).
     */
    Policy edited() {
        Policy.Route route;
        String name;
        int n = base.tiers().size();
        // named as a sweep names its members, so the lab's policies and the frontier's read alike
        if ("static".equals(strategy.getValue()) && base.route() instanceof Policy.Static st) {
            route = st;
            name = "static default=" + st.defaultTier();
        } else if ("cascade".equals(strategy.getValue())) {
            Policy.Cascade own = base.route() instanceof Policy.Cascade c ? c : null;
            Policy.Accept accept = own == null || own.accept().minConfidence() != null
                ? new Policy.Accept(round(minConfidence.getValue()), false, null) : own.accept();
            route = new Policy.Cascade(own == null ? 1 : own.startTier(), accept, own == null ? n : own.maxTier());
            name = "cascade " + (accept.minConfidence() != null ? "confidence=" + Policy.nameValue(accept.minConfidence())
                : accept.validationPass() ? "validation=pass" : "quality=" + Policy.nameValue(accept.minQuality()));
        } else {
            List<Double> t = n == 3 ? List.of(round(cuts.getLowValue()), round(cuts.getHighValue()))
                : n == 2 ? List.of(round(cut.getValue()))
                : base.route() instanceof Policy.Threshold th ? th.thresholds()
                : java.util.stream.IntStream.range(1, n).mapToObj(i -> round((double) i / n)).toList();
            route = new Policy.Threshold(t, round(band.getValue()));
            name = "thresholds=" + String.join(",", t.stream().map(Policy::nameValue).toList()) + " band=" + Policy.nameValue(round(band.getValue()));
        }
        return new Policy(base.name().replaceAll(" \\[.*", "") + " [" + name + "]", base.tiers(), route, base.rules(), retry.isSelected(),
            base.contextWindow(), base.cache());
    }

    /**
     * A slider's value without its floating-point noise (0.35000000000000003 → 0.35), to nine decimals: a policy
     * opened from a file keeps the values it wrote (0.555 stays 0.555); dragging snaps to the sliders' ticks.
     */
    static double round(double v) {
        return Math.round(v * 1e9) / 1e9;
    }

    private void describe() {
        if (base == null) return;
        values.setText(edited().name());
    }

    private void replayEdited(boolean addToComparison) {
        if (base == null) return;
        Policy p = edited();
        Filter scope = filter;
        session.submit("Replaying " + p.name(), (ws, conn, task) -> new Replayed(replayer(conn, scope, p).run(p), unmatched(conn, scope, p)), d -> {
            ReplayResult r = d.result();
            show(r);
            showNotes(r, d.unmatched());
            if (addToComparison) {
                if (compared.size() == COMPARE) compared.remove(0);
                compared.add(r);
                showComparison();
            }
        });
    }

    /**
     * The session's replay for this scope: its basis is built once and kept while the scope stays, for the policy and
     * every threshold and band the sliders stop at (and, for a cascade, every confidence), so moving them replays
     * without a new basis on large logs. A policy it does not serve (a cascade first, other tiers, cuts off the grid)
     * gets a basis prepared around it in the same way.
     */
    private Replay replayer(java.sql.Connection conn, Filter scope, Policy p) throws Exception {
        if (replay == null || !scope.equals(replayScope) || !replay.serves(p)) {
            replay = Replay.prepare(conn, scope, ThresholdGrid.editor(p));
            replayScope = scope;
        }
        return replay;
    }

    private void show(ReplayResult r) {
        last = r;
        Ui.setCard(cost, Fmt.usd(r.simulatedCostUsd()), r.savingsPct() == null ? "" : r.savingsPct() >= 0
            ? String.format(Locale.US, "saves %.1f %% (%.1f – %.1f %%) of %s", r.savingsPct(), r.savingsPctCi()[0], r.savingsPctCi()[1], Fmt.usd(r.actualCostUsd()))
            : String.format(Locale.US, "costs %.1f %% more (%.1f – %.1f %%) than %s", -r.savingsPct(), -r.savingsPctCi()[1], -r.savingsPctCi()[0], Fmt.usd(r.actualCostUsd())));
        Ui.setCard(success, Fmt.pct(r.simulatedSuccess()), String.format(Locale.US, "95 %%: %s – %s · logged %s", Fmt.pct(r.successCi()[0]),
            Fmt.pct(r.successCi()[1]), Fmt.pct(r.actualSuccess())));
        Ui.setCard(exact, Fmt.pct(r.exactShare()), r.mostlyEstimated() ? "mostly estimated: treat with care" : "of the calls observed in the log");
        Ui.setCard(latency, Fmt.ms(r.latencyP50()) + " / " + Fmt.ms(r.latencyP95()), "logged " + Fmt.ms(r.actualLatencyP50()) + " / " + Fmt.ms(r.actualLatencyP95()));
    }

    /** The scope and named values {@link #unmatchedNames} were found for: a slider's move changes neither. */
    private Object unmatchedFor;
    private List<String> unmatchedNames;

    /**
     * The names {@code p} gives that no call in {@code scope} has, looked up again only when the scope, the rules or a
     * static route's features change (on the session's thread, like every replay): not a scan of the calls per slider move.
     */
    private List<String> unmatched(java.sql.Connection conn, Filter scope, Policy p) throws java.sql.SQLException {
        Object key = List.of(scope, p.rules(), p.route() instanceof Policy.Static st ? st.byFeature() : java.util.Map.of());
        if (!key.equals(unmatchedFor)) {
            unmatchedNames = UnmatchedNames.find(conn, scope, p);
            unmatchedFor = key;
        }
        return unmatchedNames;
    }

    /** A replay's result and the names its policy gives that no call in the scope has. */
    record Replayed(ReplayResult result, List<String> unmatched) {}

    private void showNotes(ReplayResult r, List<String> unmatched) {
        List<String> n = new java.util.ArrayList<>();
        if (!r.unpricedModels().isEmpty()) {
            n.add("No price for " + String.join(", ", r.unpricedModels()) + ": the calls estimated on it count at $0, so the simulated cost is too low."
                + " Set a price on the Prices screen.");
        }
        if (!unmatched.isEmpty()) {
            n.add("The policy names what no call in this view has, so those parts of it do nothing: " + String.join(", ", unmatched) + ".");
        }
        if (r.unknownTierCalls() > 0) {
            n.add(Fmt.count(r.unknownTierCalls()) + " real calls are on models of no known tier: in the actual cost, but no evidence for any tier.");
        }
        notes.setText(String.join("\n", n));
        notes.setVisible(!n.isEmpty());
        notes.setManaged(!n.isEmpty());
    }

    private void showComparison() {
        compare.getChildren().clear();
        String[] metrics = {"Simulated cost", "Savings", "Success", "Success 95 %", "Exact share", "Latency p95", "Calls by tier"};
        for (int r = 0; r < metrics.length; r++) {
            Label l = new Label(metrics[r]);
            l.getStyleClass().add("hint");
            compare.add(l, 0, r + 1);
        }
        for (int i = 0; i < compared.size(); i++) {
            ReplayResult x = compared.get(i);
            // what the edit changed ("thresholds=0.45,0.85 band=0"), without the brackets it has in the policy's name
            String name = x.policy().indexOf('[') < 0 ? x.policy() : x.policy().substring(x.policy().indexOf('[') + 1).replaceFirst("]$", "");
            Label head = new Label("#" + (i + 1) + " " + name);
            head.setWrapText(true);
            head.setMaxWidth(190);
            head.getStyleClass().add("section-title");
            compare.add(head, i + 1, 0);
            String[] v = {Fmt.usd(x.simulatedCostUsd()), x.savingsPct() == null ? "–" : String.format(Locale.US, "%.1f %%", x.savingsPct()),
                Fmt.pct(x.simulatedSuccess()), Fmt.pct(x.successCi()[0]) + " – " + Fmt.pct(x.successCi()[1]), Fmt.pct(x.exactShare()),
                Fmt.ms(x.latencyP95()), String.join(" / ", x.callsByTier().stream().map(c -> Fmt.count(Math.round(c))).toList())};
            for (int r = 0; r < v.length; r++) compare.add(new Label(v[r]), i + 1, r + 1);
        }
    }

    private void sweep() {
        if (base == null) return;
        Filter scope = filter;
        Policy edited = edited();
        String family = PolicyWriter.yaml(edited) + sweepSection(edited);
        session.submit("Sweeping policies", (ws, conn, task) -> {
            List<Policy> ps = new ArrayList<>(PolicyFile.parseFamily(family, "the lab's family"));
            return Sweep.run(conn, scope, ps, done -> session.reportProgress(done / (double) ps.size()));
        }, this::showSweep);
    }

    /** What "Sweep the family" varies: what the editor's route lets one choose. */
    static String sweepSection(Policy p) {
        int n = p.tiers().size();
        String tiers = String.join(", ", java.util.stream.IntStream.rangeClosed(1, n).mapToObj(String::valueOf).toList());
        if (p.route() instanceof Policy.Static) return "sweep:\n  default_tier: [" + tiers + "]\n";
        if (p.route() instanceof Policy.Cascade c) {
            if (c.accept().minConfidence() != null) return "sweep:\n  min_confidence: [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]\n";
            if (c.accept().minQuality() != null) return "sweep:\n  min_quality: [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]\n";
            // on validation: where the cascade starts (below its top tier), or its top tier when it cannot climb
            if (c.maxTier() <= 1) return "sweep:\n  max_tier: [" + tiers + "]\n";
            return "sweep:\n  start_tier: [" + String.join(", ", java.util.stream.IntStream.range(1, c.maxTier()).mapToObj(String::valueOf).toList()) + "]\n";
        }
        return "sweep:\n  thresholds: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]\n  boundary_band: [0.0, 0.05]\n";
    }

    private void showSweep(Sweep.Result r) {
        XYChart.Series<Number, Number> all = new XYChart.Series<>(), front = new XYChart.Series<>();
        all.setName("policies");
        front.setName("frontier");
        for (Sweep.Point p : r.points()) {
            XYChart.Data<Number, Number> d = new XYChart.Data<>(p.result().simulatedCostUsd(), 100 * p.result().simulatedSuccess());
            (p.onFrontier() ? front : all).getData().add(d);
        }
        frontier.getData().setAll(List.of(all, front));
        frontier.setVisible(true);
        frontier.setManaged(true);
        sweepHint.setText(r.points().size() + " policies; " + r.frontier().size() + " on the frontier (no other is both cheaper and better)."
            + " Click a frontier point to load it into the editor.");
        // a frontier point, clicked, goes into the editor
        for (int i = 0; i < front.getData().size(); i++) {
            Sweep.Point p = r.frontier().get(i);
            Node n = front.getData().get(i).getNode();
            if (n != null) {
                n.setOnMouseClicked(e -> {
                    setBase(p.policy());
                    show(p.result());
                });
                javafx.scene.control.Tooltip.install(n, new javafx.scene.control.Tooltip(p.policy().name()));
            }
        }
    }

    private void openPolicy(Window owner) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open a policy file");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Policy (YAML or JSON)", "*.yaml", "*.yml", "*.json"));
        java.io.File f = fc.showOpenDialog(owner);
        if (f == null) return;
        session.submit("Reading " + f.getName(), (ws, conn, task) -> PolicyFile.load(f.toPath()), this::usePolicy);
    }

    /** {@code p} (opened from a file) into the editor, and replayed. */
    public void usePolicy(Policy p) {
        setBase(p);
        replayEdited(false);
    }

    private void save(Window owner, boolean liteLlm) {
        if (base == null) return;
        Policy p = edited();
        FileChooser fc = new FileChooser();
        fc.setTitle(liteLlm ? "Export a LiteLLM proxy config" : "Export the policy");
        fc.setInitialFileName(liteLlm ? "config.yaml" : "policy.yaml");
        java.io.File f = fc.showSaveDialog(owner);
        if (f == null) return;
        session.submit("Writing " + f.getName(), (ws, conn, task) -> {
            Path tmp = f.toPath().resolveSibling(f.getName() + ".part");
            Files.writeString(tmp, liteLlm ? LiteLlmConfig.yaml(p) : PolicyWriter.yaml(p));
            Files.move(tmp, f.toPath(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return f;
        }, x -> { });
    }

    /** The picture shows a second policy beside the first and a swept frontier. */
    @Override
    public void beforeScreenshot() {
        if (base == null || compared.size() > 1) return;
        cuts.setLowValue(0.45);
        cuts.setHighValue(0.85);
        band.setValue(0.0);
        replayEdited(true);
        sweep();
    }

    /** The last replay's result (for tests). */
    public ReplayResult lastResult() { return last; }

    public Policy editedPolicy() { return base == null ? null : edited(); }
}
