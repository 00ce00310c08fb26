package dev.routeledger.cost;

import java.util.Locale;

/**
 * Dollars as people read them, the same in the CLI's tables and the console: the sign before the dollar sign
 * ("-$1.20", never "$-1.20"), cents for amounts of a cent or more, four decimals below a cent so that a small
 * log's costs do not all read "$0.00", and no "-$0.00" for what rounds to nothing.
 */
public final class Usd {
    private Usd() {}

    public static String format(double v) {
        if (Double.isNaN(v)) return "–";
        double a = Math.abs(v);
        if (a < 0.00005) return "$0.00";
        String sign = v < 0 ? "-" : "";
        return String.format(Locale.US, a < 0.01 ? "%s$%.4f" : "%s$%,.2f", sign, a);
    }
}
