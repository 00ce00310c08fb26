package dev.routeledger.cli;

import dev.routeledger.analytics.Filter;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The filter options every analytics command takes (SPEC §5). */
final class FilterArgs {
    static final Set<String> OPTIONS = Set.of("from", "to", "month", "users", "teams", "features", "tiers", "models", "providers");
    static final Set<String> FLAGS = Set.of("include-shadow");
    static final String USAGE = "[--from DATE] [--to DATE] [--month YYYY-MM] [--users A,B] [--teams …] [--features …] [--tiers 1,2,unknown]"
        + " [--models …] [--providers …] [--include-shadow]";

    private FilterArgs() {}

    /** The arguments of an analytics command: the filter's options, {@code --workspace}, {@code --json} and its own options. */
    static Args parseCommand(List<String> raw, String... ownOptions) {
        Set<String> opts = new java.util.HashSet<>(OPTIONS);
        opts.add("workspace");
        opts.addAll(List.of(ownOptions));
        Set<String> flags = new java.util.HashSet<>(FLAGS);
        flags.add("json");
        return Args.parse(raw, opts, flags);
    }

    static Filter parse(Args a) {
        Filter f;
        try {
            f = new Filter(null, null, list(a, "users"), list(a, "teams"), list(a, "features"), list(a, "tiers"), list(a, "models"),
                list(a, "providers"), a.flag("include-shadow"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (a.flag("month")) {
            String m = a.get("month", "");
            if (!m.matches("\\d{4}-(0[1-9]|1[0-2])")) throw new UsageException("--month must be YYYY-MM, got '" + m + "'");
            f = f.month(m);
        }
        LocalDateTime from = date(a.get("from", null), "--from", false);
        LocalDateTime to = date(a.get("to", null), "--to", true);
        if (from != null || to != null) {
            f = f.withRange(from != null ? from : f.from(), to != null ? to : f.to());
        }
        if (f.from() != null && f.to() != null && !f.from().isBefore(f.to())) throw new UsageException("--from must be before --to");
        return f;
    }

    /** YYYY-MM-DD (a --to date includes its whole day) or YYYY-MM-DDTHH:MM[:SS], UTC. */
    static LocalDateTime date(String v, String what, boolean endOfDay) {
        if (v == null) return null;
        try {
            if (v.length() == 10) {
                LocalDate d = LocalDate.parse(v);
                return endOfDay ? d.plusDays(1).atStartOfDay() : d.atStartOfDay();
            }
            return LocalDateTime.parse(v.endsWith("Z") ? v.substring(0, v.length() - 1) : v);
        } catch (DateTimeParseException e) {
            throw new UsageException(what + " must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS (UTC), got '" + v + "'");
        }
    }

    private static List<String> list(Args a, String name) {
        if (!a.flag(name)) return List.of();
        return Arrays.stream(a.get(name, "").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
