package dev.routeledger.console;

import dev.routeledger.analytics.Filter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import org.controlsfx.control.CheckComboBox;

/**
 * The filter every screen honours (SPEC §5, §8): a date range and sets of users, teams, features, tiers and
 * models. The choices are the workspace's own values; the filter applies on Apply (or Enter in a date).
 */
public final class FilterBar extends HBox {
    private final Session session;
    private final DatePicker from = new DatePicker();
    private final DatePicker to = new DatePicker();
    private final Map<String, CheckComboBox<String>> sets = new LinkedHashMap<>();

    public FilterBar(Session session) {
        super(8);
        this.session = session;
        getStyleClass().add("filter-bar");
        from.setPromptText("from");
        to.setPromptText("to (inclusive)");
        from.setId("filter-from");
        to.setId("filter-to");
        from.setPrefWidth(130);
        to.setPrefWidth(152); // its prompt whole in the theme's font
        getChildren().addAll(new Label("Filter"), from, to);
        for (String[] s : new String[][] {{"users", "Users"}, {"teams", "Teams"}, {"features", "Features"}, {"tiers", "Tiers"}, {"models", "Models"}}) {
            CheckComboBox<String> c = new CheckComboBox<>();
            c.setId("filter-" + s[0]);
            c.setTitle(s[1]);
            c.setPrefWidth(128);
            // the title says how many are chosen (ControlsFX's own count does not follow items set later)
            String name = s[1];
            c.getCheckModel().getCheckedItems().addListener((ListChangeListener<String>) ch -> {
                int n = c.getCheckModel().getCheckedItems().size();
                c.setTitle(n == 0 ? name : name + " (" + n + ")");
            });
            sets.put(s[0], c);
            getChildren().add(c);
        }
        Button apply = new Button("Apply");
        apply.setId("filter-apply");
        apply.setDefaultButton(false);
        apply.setOnAction(e -> apply());
        Button clear = new Button("Clear");
        clear.setId("filter-clear");
        clear.setOnAction(e -> clear());
        getChildren().addAll(apply, clear);
        from.setOnAction(e -> apply());
        to.setOnAction(e -> apply());
    }

    /** Loads the choices from the workspace (after it opened or an import). */
    public void reloadChoices() {
        session.submit("Reading the filter's choices", (ws, conn, task) -> choices(conn), values -> {
            for (Map.Entry<String, List<String>> e : values.entrySet()) {
                CheckComboBox<String> c = sets.get(e.getKey());
                List<String> checked = new ArrayList<>(c.getCheckModel().getCheckedItems());
                c.getItems().setAll(e.getValue());
                for (String v : checked) if (e.getValue().contains(v)) c.getCheckModel().check(v);
            }
        });
    }

    private static Map<String, List<String>> choices(Connection conn) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String[][] q = {{"users", "user_id"}, {"teams", "team"}, {"features", "feature"},
            {"tiers", "coalesce(CAST(eff_tier AS VARCHAR), 'unknown')"}, {"models", "model"}};
        for (String[] s : q) {
            List<String> vs = new ArrayList<>();
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("SELECT DISTINCT " + s[1] + " AS v FROM calls WHERE " + s[1] + " IS NOT NULL ORDER BY 1 LIMIT 5000")) {
                while (rs.next()) vs.add(rs.getString(1));
            }
            out.put(s[0], vs);
        }
        return out;
    }

    /** Sets the session's filter from the controls. */
    public void apply() {
        LocalDate f = from.getValue(), t = to.getValue();
        session.filter().set(new Filter(f == null ? null : f.atStartOfDay(), t == null ? null : t.plusDays(1).atStartOfDay(),
            checked("users"), checked("teams"), checked("features"), checked("tiers"), checked("models"), List.of(), false));
    }

    public void clear() {
        from.setValue(null);
        to.setValue(null);
        for (CheckComboBox<String> c : sets.values()) c.getCheckModel().clearChecks();
        session.filter().set(Filter.ALL);
    }

    public CheckComboBox<String> set(String name) {
        return sets.get(name);
    }

    public DatePicker from() { return from; }

    public DatePicker to() { return to; }

    private List<String> checked(String name) {
        return List.copyOf(sets.get(name).getCheckModel().getCheckedItems());
    }
}
