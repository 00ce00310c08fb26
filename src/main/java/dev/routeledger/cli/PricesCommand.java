package dev.routeledger.cli;

import dev.routeledger.cost.ModelPrices;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routeledger.cost.CatalogException;
import dev.routeledger.cost.CatalogUpdater;
import dev.routeledger.cost.PriceOverrides;
import dev.routeledger.store.Workspace;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code prices}: the catalog the workspace prices calls with, the models of the log and how each is priced,
 * the user's overrides and discounts; {@code --update URL} refreshes the catalog.
 */
final class PricesCommand implements Command {
    @Override
    public String name() { return "prices"; }

    @Override
    public String usage() {
        return "prices [--workspace FILE] [--model M] [--update URL] [--override MODEL --input $/Mtok --output $/Mtok [--cached $/Mtok]]"
            + " [--remove-override MODEL] [--discount provider:NAME=PCT|model:NAME=PCT] [--remove-discount provider:NAME|model:NAME] [--json]";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(raw, Set.of("workspace", "model", "update", "override", "input", "output", "cached", "remove-override",
            "discount", "remove-discount"), Set.of("json"));
        try (Workspace ws = Workspace.open(Cli.workspacePath(a))) {
            Connection c = ws.connection();
            if (a.flag("update")) {
                try {
                    CatalogUpdater.Outcome o = new CatalogUpdater().update(c, a.get("update", null), msg -> err.println("  " + msg));
                    out.println(o.message());
                } catch (CatalogException e) {
                    err.println("error: the price catalog was not updated: " + e.getMessage());
                    return 1;
                }
            }
            if (a.flag("override")) {
                if (!a.flag("input") || !a.flag("output")) throw new UsageException("--override needs --input and --output (USD per million tokens)");
                String model = a.get("override", null);
                PriceOverrides.setPrice(c, model, Args.number(a.get("input", null), "--input"), Args.number(a.get("output", null), "--output"),
                    a.flag("cached") ? Args.number(a.get("cached", null), "--cached") : null);
                out.println("Override set: " + model + " is priced at your prices from now on, in every report.");
            }
            if (a.flag("remove-override")) {
                out.println(PriceOverrides.removePrice(c, a.get("remove-override", null)) ? "Override removed." : "No such override.");
            }
            if (a.flag("discount")) {
                String spec = a.get("discount", null);
                String[] parts = spec.split("[:=]");
                if (parts.length != 3) throw new UsageException("--discount takes provider:NAME=PCT or model:NAME=PCT, e.g. provider:anthropic=20");
                try {
                    PriceOverrides.setDiscount(c, parts[0], parts[1], Args.number(parts[2], "--discount"));
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                out.println("Discount set: " + parts[2] + " % off " + parts[0] + " " + parts[1] + " (applied to effective cost in every report).");
            }
            if (a.flag("remove-discount")) {
                String[] parts = a.get("remove-discount", "").split(":", 2);
                if (parts.length != 2) throw new UsageException("--remove-discount takes provider:NAME or model:NAME");
                out.println(PriceOverrides.removeDiscount(c, parts[0], parts[1]) ? "Discount removed." : "No such discount.");
            }
            return show(c, a, out);
        }
    }

    private static int show(Connection c, Args a, PrintStream out) throws Exception {
        ObjectNode n = Output.object();
        ObjectNode info = n.putObject("catalog");
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT key, value FROM price_catalog_info ORDER BY key")) {
            while (rs.next()) info.put(rs.getString(1), rs.getString(2));
        }
        ArrayNode models = n.putArray("models");
        String filter = a.get("model", null);
        for (ModelPrices.Row r : ModelPrices.list(c, filter)) {
            ObjectNode m = models.addObject();
            m.put("model", r.model());
            m.put("catalog_key", r.catalogKey());
            m.put("matched", r.matched());
            m.put("calls", r.calls());
            putNumber(m, "input_per_mtok", r.inputPerMtok());
            putNumber(m, "output_per_mtok", r.outputPerMtok());
            putNumber(m, "cached_per_mtok", r.cachedPerMtok());
            m.put("overridden", r.overridden());
            m.put("discount_pct", r.discountPct());
            m.put("cost_usd", r.costUsd());
            m.put("calls_catalog_costed", r.catalogCostedCalls());
            m.put("calls_unpriced", r.unpricedCalls());
        }
        if (filter != null) {
            ArrayNode entries = n.putArray("catalog_entries");
            try (PreparedStatement ps = c.prepareStatement("SELECT model_key, provider, input_per_token * 1e6, output_per_token * 1e6,"
                    + " cache_read_per_token * 1e6, long_context_threshold, max_input_tokens FROM price_catalog WHERE model_key ILIKE '%' || ? || '%'"
                    + " ORDER BY length(model_key), model_key LIMIT 50")) {
                ps.setString(1, filter);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode e = entries.addObject();
                        e.put("model_key", rs.getString(1));
                        e.put("provider", rs.getString(2));
                        putNumber(e, "input_per_mtok", rs, 3);
                        putNumber(e, "output_per_mtok", rs, 4);
                        putNumber(e, "cached_per_mtok", rs, 5);
                        putNumber(e, "long_context_above_tokens", rs, 6);
                        putNumber(e, "max_input_tokens", rs, 7);
                    }
                }
            }
        }
        ArrayNode overrides = n.putArray("overrides");
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT model, input_per_token * 1e6, output_per_token * 1e6,"
                + " cache_read_per_token * 1e6 FROM price_overrides ORDER BY model")) {
            while (rs.next()) {
                ObjectNode o = overrides.addObject().put("model", rs.getString(1)).put("input_per_mtok", rs.getDouble(2)).put("output_per_mtok", rs.getDouble(3));
                putNumber(o, "cached_per_mtok", rs, 4);
            }
        }
        ArrayNode discounts = n.putArray("discounts");
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT scope, name, percent FROM discounts ORDER BY scope, name")) {
            while (rs.next()) discounts.addObject().put("scope", rs.getString(1)).put("name", rs.getString(2)).put("percent", rs.getDouble(3));
        }
        if (a.flag("json")) {
            Output.json(out, n);
            return 0;
        }
        out.println("Catalog    " + dev.routeledger.cost.CatalogUpdater.describe(dev.routeledger.cost.CatalogUpdater.info(c)));
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"model in the log", "priced as", "how", "calls", "in $/Mtok", "out $/Mtok", "cached $/Mtok", "discount", "spend"});
        for (var m : models) {
            rows.add(new String[] {m.get("model").asText(), m.path("catalog_key").asText("—"),
                m.get("overridden").asBoolean() ? "your override" : m.path("matched").asText(""), Output.count(m.get("calls").asLong()),
                num(m, "input_per_mtok"), num(m, "output_per_mtok"), num(m, "cached_per_mtok"),
                m.get("discount_pct").asDouble() > 0 ? String.format("%.1f %%", m.get("discount_pct").asDouble()) : "",
                Output.usd(m.get("cost_usd").asDouble())});
        }
        Output.table(out, rows);
        if (n.has("catalog_entries")) {
            out.println();
            out.println("Catalog entries matching '" + filter + "':");
            for (var e : n.get("catalog_entries")) {
                out.println("  " + e.get("model_key").asText() + "  in " + num(e, "input_per_mtok") + "  out " + num(e, "output_per_mtok")
                    + "  cached " + num(e, "cached_per_mtok") + " $/Mtok" + (e.hasNonNull("long_context_above_tokens")
                    ? "  (long-context prices above " + e.get("long_context_above_tokens").asLong() + " tokens)" : ""));
            }
        }
        if (!overrides.isEmpty() || !discounts.isEmpty()) {
            out.println();
            overrides.forEach(o -> out.println("Override   " + o.get("model").asText() + ": in " + o.get("input_per_mtok").asDouble()
                + ", out " + o.get("output_per_mtok").asDouble() + " $/Mtok"));
            discounts.forEach(d -> out.println("Discount   " + d.get("percent").asDouble() + " % off " + d.get("scope").asText() + " " + d.get("name").asText()));
        }
        return 0;
    }

    private static void putNumber(ObjectNode n, String key, ResultSet rs, int col) throws Exception {
        double v = rs.getDouble(col);
        if (rs.wasNull()) n.putNull(key); else n.put(key, Math.round(v * 1e6) / 1e6);
    }

    private static String num(com.fasterxml.jackson.databind.JsonNode n, String key) {
        return n.hasNonNull(key) ? String.format("%.4g", n.get(key).asDouble()) : "—";
    }

    private static void putNumber(ObjectNode n, String key, Double v) {
        if (v == null) n.putNull(key); else n.put(key, v);
    }
}
