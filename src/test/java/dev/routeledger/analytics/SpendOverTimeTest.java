package dev.routeledger.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpendOverTimeTest {
    /** One call's worth of spend at tier 1 on each of {@code n} days from {@code from}, every third day at tier 2 too. */
    private static List<Overview.DayTier> days(String from, int n) {
        List<Overview.DayTier> out = new ArrayList<>();
        LocalDate d = LocalDate.parse(from);
        for (int i = 0; i < n; i++, d = d.plusDays(1)) {
            out.add(new Overview.DayTier(d.toString(), "1", 1.0));
            if (i % 3 == 0) out.add(new Overview.DayTier(d.toString(), "2", 0.5));
        }
        return out;
    }

    private static double total(SpendOverTime.Periods p) {
        return p.byTier().values().stream().flatMapToDouble(Arrays::stream).sum();
    }

    @Test
    void aMonthIsShownByDayWithEveryDayOnTheAxis() {
        List<Overview.DayTier> in = new ArrayList<>(days("2026-10-01", 31));
        in.removeIf(d -> d.day().equals("2026-10-15")); // a day without calls stays on the axis, at zero
        SpendOverTime.Periods p = SpendOverTime.of(in);
        assertThat(p.unit()).isEqualTo("day");
        assertThat(p.labels()).hasSize(31).startsWith("10-01", "10-02").endsWith("10-31");
        assertThat(p.byTier().get("1")[14]).isZero();
        assertThat(p.byTier().get("2")[3]).isEqualTo(0.5);
        assertThat(total(p)).isCloseTo(30 + 0.5 * 11, within(1e-9));
    }

    @Test
    void halfAYearIsShownByWeekFromMonday() {
        SpendOverTime.Periods p = SpendOverTime.of(days("2026-03-04", 200)); // a Wednesday
        assertThat(p.unit()).isEqualTo("week");
        assertThat(p.labels().get(0)).isEqualTo("03-02"); // its week's Monday
        assertThat(p.labels()).hasSize(29);
        assertThat(p.byTier().get("1")[0]).isEqualTo(5.0); // Wednesday to Sunday
        assertThat(p.byTier().get("1")[1]).isEqualTo(7.0);
        assertThat(total(p)).isCloseTo(200 + 0.5 * 67, within(1e-9));
    }

    @Test
    void yearsAreShownByMonthAndLabelsNeverRepeat() {
        SpendOverTime.Periods p = SpendOverTime.of(days("2024-11-20", 800));
        assertThat(p.unit()).isEqualTo("month");
        assertThat(p.labels()).startsWith("2024-11", "2024-12", "2025-01").doesNotHaveDuplicates();
        assertThat(p.byTier().get("1")[0]).isEqualTo(11.0);
        assertThat(total(p)).isCloseTo(800 + 0.5 * 267, within(1e-9));
        // weeks across a new year carry the year, or 2025's and 2026's "01-05" would be one category
        SpendOverTime.Periods weeks = SpendOverTime.of(days("2025-12-01", 90));
        assertThat(weeks.unit()).isEqualTo("week");
        assertThat(weeks.labels()).contains("2025-12-29", "2026-01-05").doesNotHaveDuplicates();
    }

    @Test
    void nothingGivesNoPeriods() {
        assertThat(SpendOverTime.of(List.of()).labels()).isEmpty();
    }
}
