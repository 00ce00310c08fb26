package dev.routeledger.console;

import java.util.Locale;

/** How the console writes numbers: dollars to the cent (sub-cent amounts to four places), counts with grouping. */
public final class Fmt {
    private Fmt() {}

    public static String usd(double v) {
        return dev.routeledger.cost.Usd.format(v);
    }

    public static String usd(Double v) {
        return v == null ? "–" : usd(v.doubleValue());
    }

    public static String count(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    public static String pct(double share) {
        if (Double.isNaN(share)) return "–";
        return String.format(Locale.US, "%.1f %%", 100 * share);
    }

    public static String pct(Double share) {
        return share == null ? "–" : pct(share.doubleValue());
    }

    public static String ms(Double v) {
        return v == null || Double.isNaN(v) ? "–" : String.format(Locale.US, "%,.0f ms", v);
    }
}
