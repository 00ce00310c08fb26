package dev.routeledger.cli;

import dev.routeledger.sample.SampleGenerator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code sample --out PATH [--traces N] [--days D] [--seed S]}: writes synthetic gateway logs. */
final class SampleCommand implements Command {
    @Override
    public String name() { return "sample"; }

    @Override
    public String usage() {
        return "sample --out PATH [--traces N] [--days D] [--seed S] [--json]   write realistic synthetic logs (canonical JSONL; .gz compresses)";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(raw, Set.of("out", "traces", "days", "seed"), Set.of("json"));
        if (!a.positional().isEmpty()) throw new UsageException("sample takes no positional arguments; use --out PATH");
        Path path = a.path("out", null);
        if (path == null) throw new UsageException("sample needs --out PATH");
        long traces = a.longValue("traces", 20_000, 1);
        int days = (int) a.longValue("days", 30, 1);
        long seed = a.longValue("seed", 42, Long.MIN_VALUE);
        long t0 = System.nanoTime();
        SampleGenerator.Stats s = new SampleGenerator(new SampleGenerator.Config(traces, days, seed, SampleGenerator.DEFAULT_START)).write(path);
        if (a.flag("json")) {
            Output.json(out, Output.object().put("traces", s.traces()).put("calls", s.calls()).put("path", s.path().toString()));
        } else {
            out.printf("wrote %,d calls in %,d traces to %s in %.1f s%n", s.calls(), s.traces(), s.path(), (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }
}
