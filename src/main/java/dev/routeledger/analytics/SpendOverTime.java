package dev.routeledger.analytics;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The overview's spend over time, by tier, in periods a chart can show: days up to two months, then weeks (from
 * Monday) up to two years, then months. Every period from the first to the last is there, those without calls at
 * zero, so the time axis is even; a day's label carries its year only when the range crosses a year. The
 * overview's one query gives days (a few hundred rows at most a year); the periods are summed from them.
 */
public final class SpendOverTime {
    /** Up to this many days the periods are days. */
    static final int MAX_DAYS = 62;
    /** Up to this many weeks the periods are weeks. */
    static final int MAX_WEEKS = 104;

    /** A period's unit ("day", "week", "month"), its labels in order, and per tier the spend of each period. */
    public record Periods(String unit, List<String> labels, Map<String, double[]> byTier) {}

    private SpendOverTime() {}

    public static Periods of(List<Overview.DayTier> days) {
        if (days.isEmpty()) return new Periods("day", List.of(), Map.of());
        TreeSet<LocalDate> dates = new TreeSet<>();
        for (Overview.DayTier d : days) dates.add(LocalDate.parse(d.day()));
        LocalDate first = dates.first(), last = dates.last();
        long span = ChronoUnit.DAYS.between(first, last) + 1;
        String unit = span <= MAX_DAYS ? "day" : ChronoUnit.WEEKS.between(monday(first), monday(last)) + 1 <= MAX_WEEKS ? "week" : "month";
        boolean years = first.getYear() != last.getYear();
        // every period from the first to the last, keyed by its first day
        Map<LocalDate, Integer> index = new LinkedHashMap<>();
        List<String> labels = new ArrayList<>();
        for (LocalDate p = start(first, unit); !p.isAfter(last); p = next(p, unit)) {
            index.put(p, labels.size());
            labels.add(label(p, unit, years));
        }
        Map<String, double[]> byTier = new TreeMap<>();
        for (Overview.DayTier d : days) {
            double[] sums = byTier.computeIfAbsent(d.tier(), t -> new double[labels.size()]);
            sums[index.get(start(LocalDate.parse(d.day()), unit))] += d.costUsd();
        }
        return new Periods(unit, labels, byTier);
    }

    private static LocalDate monday(LocalDate d) {
        return d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    private static LocalDate start(LocalDate d, String unit) {
        return switch (unit) {
            case "day" -> d;
            case "week" -> monday(d);
            default -> d.withDayOfMonth(1);
        };
    }

    private static LocalDate next(LocalDate d, String unit) {
        return switch (unit) {
            case "day" -> d.plusDays(1);
            case "week" -> d.plusWeeks(1);
            default -> d.plusMonths(1);
        };
    }

    /** "10-01" (a day or a week's Monday, "2026-10-01" when the range crosses a year), "2026-10" for a month. */
    private static String label(LocalDate p, String unit, boolean years) {
        String iso = p.toString();
        if (unit.equals("month")) return iso.substring(0, 7);
        return years ? iso : iso.substring(5);
    }
}
