package dev.routeledger.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One command's arguments: positionals, {@code --name value} options and {@code --flag}s, checked against what the command takes. */
public final class Args {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    private Args() {}

    public static Args parse(List<String> raw, Set<String> valueOptions, Set<String> flags) {
        Args a = new Args();
        for (int i = 0; i < raw.size(); i++) {
            String s = raw.get(i);
            if (s.startsWith("--") && s.length() > 2) {
                String name = s.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq > 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name)) {
                    if (value != null) throw new UsageException("--" + name + " takes no value");
                    a.options.put(name, "true");
                } else if (valueOptions.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= raw.size()) throw new UsageException("--" + name + " needs a value");
                        value = raw.get(++i);
                    }
                    a.options.put(name, value);
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            } else {
                a.positional.add(s);
            }
        }
        return a;
    }

    public List<String> positional() { return positional; }

    public boolean flag(String name) { return options.containsKey(name); }

    public String get(String name, String dflt) { return options.getOrDefault(name, dflt); }

    public Path path(String name, String dflt) {
        String v = get(name, dflt);
        return v == null ? null : Path.of(v);
    }

    public long longValue(String name, long dflt, long min) {
        String v = options.get(name);
        if (v == null) return dflt;
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n < min) throw new UsageException("--" + name + " must be at least " + min + ", got " + v);
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    /** A decimal number given on the command line; {@code what} names the option in the message. */
    public static double number(String v, String what) {
        try {
            double d = Double.parseDouble(v.strip());
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException | NullPointerException e) {
            throw new UsageException(what + " must be a number, got '" + v + "'");
        }
    }
}
