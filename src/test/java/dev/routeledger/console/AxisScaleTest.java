package dev.routeledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AxisScaleTest {
    @Test
    void theTopTickIsTheFirstRoundStepAtOrAboveTheHighestValue() {
        assertThat(AxisScale.upTo(5.03)).isEqualTo(new AxisScale(6, 1));
        assertThat(AxisScale.upTo(6)).isEqualTo(new AxisScale(6, 1));
        assertThat(AxisScale.upTo(113.28)).isEqualTo(new AxisScale(120, 20));
        assertThat(AxisScale.upTo(0.0123)).isEqualTo(new AxisScale(0.0125, 0.0025));
        assertThat(AxisScale.upTo(26121.71)).isEqualTo(new AxisScale(30000, 5000));
        assertThat(AxisScale.upTo(1e-7)).isEqualTo(new AxisScale(1e-7, 2e-8));
    }

    @Test
    void everyScaleHasBetweenThreeAndSevenStepsAndHoldsItsValue() {
        for (double max = 0.0007; max < 1e7; max *= 1.37) {
            AxisScale s = AxisScale.upTo(max);
            double steps = s.upper() / s.unit();
            assertThat(s.upper()).as("upper for %s", max).isGreaterThanOrEqualTo(max);
            assertThat(steps).as("steps for %s", max).isBetween(2.99, 7.01);
            assertThat(Math.abs(steps - Math.rint(steps))).as("whole steps for %s", max).isLessThan(1e-9);
        }
    }

    @Test
    void nothingToShowGivesZeroToOne() {
        assertThat(AxisScale.upTo(0)).isEqualTo(new AxisScale(1, 0.2));
        assertThat(AxisScale.upTo(Double.NaN)).isEqualTo(new AxisScale(1, 0.2));
        assertThat(AxisScale.upTo(-3)).isEqualTo(new AxisScale(1, 0.2));
    }

    @Test
    void ticksAreWrittenWithoutFloatNoiseOrTrailingZeros() {
        assertThat(AxisScale.label(0)).isEqualTo("0");
        assertThat(AxisScale.label(3 * 0.1)).isEqualTo("0.3");
        assertThat(AxisScale.label(2.5)).isEqualTo("2.5");
        assertThat(AxisScale.label(30000)).isEqualTo("30000");
        assertThat(AxisScale.label(7 * 0.0025)).isEqualTo("0.0175");
    }
}
