package dev.routeledger.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** JSON for machines, aligned tables for people. */
public final class Output {
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {}

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public static void json(PrintStream out, Object node) throws Exception {
        if (node instanceof com.fasterxml.jackson.databind.JsonNode tree) finite(tree);
        out.println(JSON.writeValueAsString(node));
    }

    /**
     * Every number that is not finite (NaN from an aggregate over no rows, an infinite ratio) made null: Jackson
     * would write it as the string "NaN", which a script reading a JSON key as a number cannot take.
     */
    static void finite(com.fasterxml.jackson.databind.JsonNode n) {
        if (n instanceof ObjectNode o) {
            List<String> bad = new ArrayList<>();
            o.fields().forEachRemaining(e -> {
                if (e.getValue().isFloatingPointNumber() && !Double.isFinite(e.getValue().doubleValue())) bad.add(e.getKey());
                else finite(e.getValue());
            });
            bad.forEach(o::putNull);
        } else if (n instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isFloatingPointNumber() && !Double.isFinite(a.get(i).doubleValue())) a.set(i, a.nullNode());
                else finite(a.get(i));
            }
        }
    }

    /** Left-aligned text, right-aligned numbers; the first row is the header. */
    public static void table(PrintStream out, List<String[]> rows) {
        if (rows.isEmpty()) return;
        rows = rows.stream().map(r -> java.util.Arrays.stream(r).map(Output::oneLine).toArray(String[]::new)).toList();
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        boolean[] numeric = new boolean[cols];
        for (int c = 0; c < cols; c++) numeric[c] = true;
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < cols; c++) {
                String v = rows.get(r)[c] == null ? "" : rows.get(r)[c];
                width[c] = Math.max(width[c], v.length());
                if (r > 0 && !v.isEmpty() && !v.matches("[-+$0-9.,%]+")) numeric[c] = false;
            }
        }
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                String v = rows.get(r)[c] == null ? "" : rows.get(r)[c];
                String fmt = "%" + (numeric[c] && r > 0 ? "" : "-") + width[c] + "s";
                if (c > 0) sb.append("  ");
                sb.append(String.format(fmt, v));
            }
            lines.add(sb.toString().stripTrailing());
            if (r == 0) lines.add("-".repeat(sb.toString().stripTrailing().length()));
        }
        lines.forEach(out::println);
    }

    /**
     * A value as one line of a table: a log's text may hold line breaks, tabs or other control characters (a CSV
     * field in quotes), which would break the table's rows; they are shown escaped (as \n, \r, \t, the others as Unicode escapes).
     */
    static String oneLine(String v) {
        if (v == null || v.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f)) return v;
        StringBuilder sb = new StringBuilder();
        for (char ch : v.toCharArray()) {
            switch (ch) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(ch < 0x20 || ch == 0x7f ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
            }
        }
        return sb.toString();
    }

    public static String usd(double v) {
        return dev.routeledger.cost.Usd.format(v);
    }

    public static String count(long v) {
        return String.format(java.util.Locale.US, "%,d", v);
    }
}
