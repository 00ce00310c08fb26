package dev.routeledger.cost;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UsdTest {
    @Test
    void centsWithTheSignBeforeTheDollar() {
        assertThat(Usd.format(1234.567)).isEqualTo("$1,234.57");
        assertThat(Usd.format(-209.894)).isEqualTo("-$209.89");
        assertThat(Usd.format(0.01)).isEqualTo("$0.01");
    }

    @Test
    void belowACentFourDecimalsAndNothingSignedThatRoundsToZero() {
        assertThat(Usd.format(0.0013)).isEqualTo("$0.0013");
        assertThat(Usd.format(-0.0013)).isEqualTo("-$0.0013");
        assertThat(Usd.format(-0.00001)).isEqualTo("$0.00");
        assertThat(Usd.format(-0.0)).isEqualTo("$0.00");
        assertThat(Usd.format(0)).isEqualTo("$0.00");
        assertThat(Usd.format(Double.NaN)).isEqualTo("–");
    }
}
