package dev.routeledger.export;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.routeledger.analytics.MonthForecast;
import dev.routeledger.analytics.MonthlyReport;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The monthly report as files finance can file: CSV (one line per figure, for a spreadsheet) and a printable,
 * self-contained HTML document (print it to PDF from any browser). Both are written to a temporary file and
 * moved into place, so a failed export never leaves half a file.
 */
public final class MonthlyExport {
    private static final CsvMapper CSV = new CsvMapper();

    private MonthlyExport() {}

    public static void csv(MonthlyReport.Result r, Path file) throws IOException {
        CsvSchema schema = CsvSchema.builder().setUseHeader(true).addColumn("section").addColumn("name").addColumn("cost_usd")
            .addColumn("share").addColumn("previous_month_cost_usd").addColumn("change_pct").build();
        List<List<Object>> rows = new ArrayList<>();
        rows.add(row("total", r.month(), r.totalCostUsd(), 1.0, r.previousMonthCostUsd(), r.changePct()));
        rows.add(row("catalog_estimated", r.month(), r.catalogEstimatedUsd(), share(r.catalogEstimatedUsd(), r.totalCostUsd()), null, null));
        rows.add(row("shadow_not_in_total", r.month(), r.shadowCostUsd(), null, null, null));
        for (MonthlyReport.Line l : r.byTeam()) rows.add(row("team", l.name(), l.costUsd(), l.share(), l.previousCostUsd(), l.changePct()));
        for (MonthlyReport.Line l : r.byFeature()) rows.add(row("feature", l.name(), l.costUsd(), l.share(), l.previousCostUsd(), l.changePct()));
        for (MonthlyReport.Line l : r.byModel()) rows.add(row("model", l.name(), l.costUsd(), l.share(), l.previousCostUsd(), l.changePct()));
        MonthForecast f = r.forecast();
        if (f != null) {
            rows.add(row("forecast", "month_end", f.forecastUsd(), null, null, null));
            rows.add(row("forecast", "low_95", f.lowUsd(), null, null, null));
            rows.add(row("forecast", "high_95", f.highUsd(), null, null, null));
        }
        rows.add(row("reconciliation", "logged_usd", r.reconcileLoggedUsd(), null, null, null));
        rows.add(row("reconciliation", "catalog_usd", r.reconcileCatalogUsd(), null, null, null));
        rows.add(row("reconciliation", "calls_differing", (double) r.reconcileCallsDiffering(), null, null, null));
        Path tmp = file.toAbsolutePath().resolveSibling(file.getFileName() + ".part");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            CSV.writer(schema).writeValues(w).writeAll(rows).close();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<Object> row(String section, String name, double cost, Double share, Double previous, Double change) {
        List<Object> r = new ArrayList<>();
        r.add(section);
        r.add(name);
        r.add(cost);
        r.add(share);
        r.add(previous);
        r.add(change);
        return r;
    }

    private static Double share(double part, double total) {
        return total > 0 ? part / total : null;
    }

    public static void html(MonthlyReport.Result r, String workspace, Path file) throws IOException {
        YearMonth ym = YearMonth.parse(r.month());
        String title = "LLM spend — " + ym.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + ym.getYear();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>\n<style>\n")
            .append("@page { size: A4; margin: 18mm 16mm; }\n")
            .append("body { font-family: -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; color: #1d2330; margin: 32px auto; max-width: 860px; font-size: 13px; }\n")
            .append("h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 28px 0 8px; border-bottom: 1px solid #d5dae3; padding-bottom: 4px; }\n")
            .append(".sub { color: #5b6475; margin-bottom: 20px; } .kpis { display: flex; gap: 16px; flex-wrap: wrap; }\n")
            .append(".kpi { border: 1px solid #d5dae3; border-radius: 8px; padding: 10px 14px; min-width: 160px; }\n")
            .append(".kpi .v { font-size: 20px; font-weight: 600; } .kpi .l { color: #5b6475; font-size: 11px; text-transform: uppercase; letter-spacing: .04em; }\n")
            .append("table { border-collapse: collapse; width: 100%; } th, td { padding: 5px 8px; border-bottom: 1px solid #eceff4; }\n")
            .append("th { text-align: left; color: #5b6475; font-weight: 600; font-size: 11px; text-transform: uppercase; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }\n")
            .append(".up { color: #b3261e; } .down { color: #1b7f3b; } .note { color: #5b6475; font-size: 11px; margin-top: 24px; }\n")
            .append("h2, table { break-inside: avoid; }\n</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<div class=\"sub\">").append(esc(workspace)).append(" · generated ")
            .append(esc(Instant.now().toString().substring(0, 16).replace('T', ' '))).append(" UTC · RouteLedger</div>\n");
        h.append("<div class=\"kpis\">");
        kpi(h, "Spend", usd(r.totalCostUsd()));
        kpi(h, "Previous month", r.previousMonthCostUsd() > 0 ? usd(r.previousMonthCostUsd()) : "no spend");
        kpi(h, "Change", r.changePct() == null ? "–" : String.format("%+.1f %%", r.changePct()));
        kpi(h, "Catalog-estimated", usd(r.catalogEstimatedUsd()) + (r.totalCostUsd() > 0
            ? String.format(" (%.1f %%)", 100 * r.catalogEstimatedUsd() / r.totalCostUsd()) : ""));
        if (r.forecast() != null) {
            kpi(h, "Month-end forecast", usd(r.forecast().forecastUsd()) + "<div class=\"l\">95 %: " + usd(r.forecast().lowUsd()) + " – "
                + usd(r.forecast().highUsd()) + "</div>");
        }
        h.append("</div>\n");
        if (r.forecast() != null) {
            h.append("<p>The month is under way: ").append(r.forecast().completeDays()).append(" of ").append(r.forecast().daysInMonth())
                .append(" days complete, ").append(usd(r.forecast().toDateUsd())).append(" spent in them. The forecast extends the trend of the daily cost (")
                .append(String.format("%+.2f", r.forecast().slopeUsdPerDay())).append(" $/day per day) over the remaining days.</p>\n");
        } else if (!r.complete()) {
            h.append("<p>The month is under way; too few complete days for a forecast.</p>\n");
        }
        section(h, "By team", r.byTeam());
        section(h, "By feature", r.byFeature());
        section(h, "By model", r.byModel());
        h.append("<h2>Reconciliation</h2>\n<p>Calls that carry a logged cost: logged ").append(usd(r.reconcileLoggedUsd()))
            .append(" against ").append(usd(r.reconcileCatalogUsd())).append(" at catalog prices; ").append(String.format("%,d", r.reconcileCallsDiffering()))
            .append(" calls differ by more than 5 % (see <code>reconcile --month ").append(esc(r.month())).append("</code>).</p>\n");
        h.append("<div class=\"note\">Spend is the effective cost of non-shadow calls: the cost the gateway logged, else tokens × catalog price")
            .append(r.discounted() ? ", less negotiated discounts" : "").append(". Shadow (evaluation) calls cost ").append(usd(r.shadowCostUsd()))
            .append(" more and are not in the total. All times UTC.</div>\n</body></html>\n");
        Path tmp = file.toAbsolutePath().resolveSibling(file.getFileName() + ".part");
        Files.writeString(tmp, h.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void kpi(StringBuilder h, String label, String value) {
        h.append("<div class=\"kpi\"><div class=\"l\">").append(esc(label)).append("</div><div class=\"v\">").append(value).append("</div></div>");
    }

    private static void section(StringBuilder h, String title, List<MonthlyReport.Line> lines) {
        h.append("<h2>").append(esc(title)).append("</h2>\n<table><tr><th></th><th class=\"n\">Spend</th><th class=\"n\">Share</th>")
            .append("<th class=\"n\">Previous month</th><th class=\"n\">Change</th></tr>\n");
        for (MonthlyReport.Line l : lines) {
            Double c = l.changePct();
            h.append("<tr><td>").append(esc(l.name())).append("</td><td class=\"n\">").append(usd(l.costUsd())).append("</td><td class=\"n\">")
                .append(String.format("%.1f %%", 100 * l.share())).append("</td><td class=\"n\">").append(l.previousCostUsd() > 0 ? usd(l.previousCostUsd()) : "–")
                .append("</td><td class=\"n ").append(c == null ? "" : c > 0 ? "up" : "down").append("\">")
                .append(c == null ? "new" : String.format("%+.1f %%", c)).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    static String usd(double v) {
        return String.format(Locale.ROOT, "$%,.2f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
