package dev.routeledger.console.screens;

import dev.routeledger.console.TableRows;
import dev.routeledger.analytics.Filter;
import dev.routeledger.console.Fmt;
import dev.routeledger.console.Screen;
import dev.routeledger.console.Session;
import dev.routeledger.console.Ui;
import dev.routeledger.cost.CatalogUpdater;
import dev.routeledger.cost.ModelPrices;
import dev.routeledger.cost.PriceOverrides;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;

/** Prices (SPEC §4): how each model of the log is priced, your overrides and discounts, and refreshing the catalog. */
public final class PricesScreen extends Screen {
    private Label catalog;
    private TableView<ModelPrices.Row> models;
    private final ComboBox<String> overrideModel = new ComboBox<>();
    private final TextField in = new TextField(), out = new TextField(), cached = new TextField();
    private final ComboBox<String> scope = new ComboBox<>(FXCollections.observableArrayList("provider", "model"));
    private final TextField discountName = new TextField(), percent = new TextField();
    private final ListView<String> adjustments = new ListView<>();

    public PricesScreen(Session session) {
        super(session);
    }

    @Override public String title() { return "Prices"; }
    @Override public String key() { return "prices"; }
    @Override public Ikon icon() { return Material2OutlinedAL.ATTACH_MONEY; }

    record Data(String catalog, List<ModelPrices.Row> rows, List<String> adjustments) {}

    @Override
    protected Node build() {
        catalog = new Label();
        catalog.setId("prices-catalog");
        catalog.getStyleClass().add("hint");
        Button refresh = new Button("Refresh the catalog");
        refresh.setId("prices-refresh");
        refresh.setOnAction(e -> session.submit("Downloading LiteLLM's price catalog", (ws, conn, task) ->
            new CatalogUpdater().update(conn, null, msg -> { }).message(), msg -> changed()));
        models = Ui.table("prices-models", "No calls yet: import a log.");
        Ui.text(models, "Model in the log", ModelPrices.Row::model, 200);
        Ui.text(models, "Priced as", r -> r.catalogKey() == null ? "—" : r.catalogKey(), 180);
        Ui.text(models, "How", r -> r.overridden() ? "your override" : r.matched() == null ? "" : r.matched(), 110);
        Ui.number(models, "Calls", ModelPrices.Row::calls, Fmt::count, 70);
        Ui.number(models, "In $/Mtok", r -> r.inputPerMtok() == null ? -1.0 : r.inputPerMtok(), PricesScreen::price, 80);
        Ui.number(models, "Out $/Mtok", r -> r.outputPerMtok() == null ? -1.0 : r.outputPerMtok(), PricesScreen::price, 80);
        Ui.number(models, "Cached", r -> r.cachedPerMtok() == null ? -1.0 : r.cachedPerMtok(), PricesScreen::price, 70);
        Ui.number(models, "Discount", ModelPrices.Row::discountPct, v -> v > 0 ? String.format("%.1f %%", v) : "", 70);
        Ui.number(models, "Spend", ModelPrices.Row::costUsd, Fmt::usd, 90);
        models.setPrefHeight(330);
        models.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> {
            if (r != null) overrideModel.setValue(r.model());
        });
        overrideModel.setEditable(true);
        overrideModel.setPromptText("model");
        overrideModel.setId("prices-override-model");
        in.setPromptText("input $/Mtok");
        out.setPromptText("output $/Mtok");
        cached.setPromptText("cached (optional)");
        // wide enough for their prompts ("cached (optional)" was cut off at 110 px)
        for (TextField f : List.of(in, out, cached)) f.setPrefWidth(140);
        percent.setPrefWidth(110);
        Button setPrice = new Button("Set my price");
        setPrice.setId("prices-set-override");
        setPrice.setOnAction(e -> {
            String m = overrideModel.getValue();
            Double i = number(in), o = number(out), c = cached.getText().isBlank() ? null : number(cached);
            if (m == null || m.isBlank() || i == null || o == null) {
                session.onErrorShow("An override needs a model and its input and output prices in USD per million tokens.");
                return;
            }
            session.submit("Re-pricing with your override", (ws, conn, task) -> {
                PriceOverrides.setPrice(conn, m, i, o, c);
                return m;
            }, x -> changed());
        });
        scope.setValue("provider");
        discountName.setPromptText("provider or model");
        percent.setPromptText("% off");
        Button setDiscount = new Button("Set discount");
        setDiscount.setId("prices-set-discount");
        setDiscount.setOnAction(e -> {
            Double p = number(percent);
            String name = discountName.getText().strip();
            if (name.isEmpty() || p == null) {
                session.onErrorShow("A discount needs a provider or model name and a percentage between 0 and 100.");
                return;
            }
            session.submit("Re-pricing with the discount", (ws, conn, task) -> {
                PriceOverrides.setDiscount(conn, scope.getValue(), name, p);
                return name;
            }, x -> changed());
        });
        adjustments.setId("prices-adjustments");
        adjustments.setPrefHeight(110);
        // as wide as the forms above it: an override or discount line names a model and its prices
        adjustments.setPrefWidth(600);
        adjustments.setMinWidth(320);
        Button remove = new Button("Remove selected");
        remove.setOnAction(e -> {
            String sel = adjustments.getSelectionModel().getSelectedItem();
            if (sel == null) return;
            session.submit("Removing " + sel, (ws, conn, task) -> {
                String[] p = sel.split(" ", 3);
                if (p[0].equals("override")) PriceOverrides.removePrice(conn, p[1]); else PriceOverrides.removeDiscount(conn, p[1], p[2].split(" ")[0]);
                return sel;
            }, x -> changed());
        });
        VBox forms = new VBox(8, Ui.section("Your prices"), Ui.row(8, overrideModel, in, out, cached, setPrice),
            Ui.row(8, new Label("Discount on"), scope, discountName, percent, setDiscount),
            Ui.hint("Overrides replace the catalog's price for a model; discounts (negotiated rates) apply to the effective cost of every report."),
            new HBox(8, adjustments, remove));
        return Ui.page(Ui.title("Prices"), Ui.row(10, catalog, Ui.grow(), refresh), models, forms);
    }

    private static String price(double v) {
        return v < 0 ? "—" : String.format("%.3f", v);
    }

    private static Double number(TextField f) {
        try {
            return Double.parseDouble(f.getText().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Prices changed: every figure is re-read. */
    private void changed() {
        session.dataChanged();
    }

    @Override
    protected void load(Filter filter) {
        session.submit("Reading prices", (ws, conn, task) -> {
            String info = "Catalog: " + dev.routeledger.cost.CatalogUpdater.describe(dev.routeledger.cost.CatalogUpdater.info(conn));
            List<String> adj = new ArrayList<>();
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT model, input_per_token * 1e6, output_per_token * 1e6 FROM price_overrides ORDER BY 1")) {
                while (rs.next()) adj.add(String.format("override %s  in %.3f · out %.3f $/Mtok", rs.getString(1), rs.getDouble(2), rs.getDouble(3)));
            }
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT scope, name, percent FROM discounts ORDER BY 1, 2")) {
                while (rs.next()) adj.add(String.format("discount %s %s  %.1f %% off", rs.getString(1), rs.getString(2), rs.getDouble(3)));
            }
            return new Data(info, ModelPrices.list(conn, null), adj);
        }, d -> {
            catalog.setText(d.catalog());
            TableRows.setAll(models, d.rows());
            overrideModel.getItems().setAll(d.rows().stream().map(ModelPrices.Row::model).toList());
            adjustments.getItems().setAll(d.adjustments());
            adjustments.setPlaceholder(new Label("No overrides or discounts."));
        });
    }
}
