package dev.routeledger.console;

import java.math.BigDecimal;
import javafx.scene.chart.NumberAxis;
import javafx.util.StringConverter;

/**
 * A value axis from zero to a round number above the highest value, in round steps (1, 2, 2.5 or 5 times a power of
 * ten, about six of them). Set by the screen rather than found by the axis: an auto-ranging {@link NumberAxis} tries
 * tick units one after another and measures every label of each, which was half of the overview chart's first layout
 * (40–130 ms on the FX thread here, with SPEC §9's limit at 100 ms).
 */
public record AxisScale(double upper, double unit) {
    private static final double[] STEPS = {1, 2, 2.5, 5, 10};
    /** About this many steps up to the highest value. */
    private static final int TICKS = 6;

    /** The scale for values up to {@code max} (zero and below, or not a number: zero to one). */
    public static AxisScale upTo(double max) {
        if (!(max > 0) || Double.isInfinite(max)) return new AxisScale(1, 0.2);
        double raw = max / TICKS;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double unit = power * STEPS[STEPS.length - 1];
        for (double s : STEPS) {
            if (s * power >= raw * (1 - 1e-9)) {
                unit = s * power;
                break;
            }
        }
        // the top tick at or above the highest value, never a sliver of float error above a whole step
        double upper = Math.ceil(max / unit - 1e-9) * unit;
        return new AxisScale(round(upper), round(unit));
    }

    /** Sets {@code axis} to this scale, its labels written as plain decimals without trailing zeros. */
    public void applyTo(NumberAxis axis) {
        axis.setAutoRanging(false);
        axis.setLowerBound(0);
        axis.setUpperBound(upper);
        axis.setTickUnit(unit);
        axis.setMinorTickCount(0);
        axis.setTickLabelFormatter(new StringConverter<>() {
            @Override public String toString(Number n) {
                return label(n.doubleValue());
            }

            @Override public Number fromString(String s) {
                return Double.valueOf(s);
            }
        });
    }

    /** A tick's label: 0.5, 2, 2.5, 1000 (a tick is a multiple of the unit; float noise is rounded away). */
    static String label(double v) {
        BigDecimal d = BigDecimal.valueOf(round(v)).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    private static double round(double v) {
        return v == 0 ? 0 : new BigDecimal(v).round(new java.math.MathContext(12)).doubleValue();
    }
}
