package dev.routeledger.cli;

import dev.routeledger.ingest.ImportException;
import dev.routeledger.store.WorkspaceException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command line: one class per command; this one only dispatches and turns failures into exit codes. */
public final class Cli {
    public static final String DEFAULT_WORKSPACE = "routeledger.duckdb";

    private final Map<String, Command> commands = new LinkedHashMap<>();

    public Cli() {
        for (Command c : List.of(new SampleCommand(), new ImportCommand(), new PullCommand(), new InfoCommand(), new ReportCommand(), new MonthlyCommand(), new PowerUsersCommand(), new EscalationsCommand(), new CacheCommand(), new TiersCommand(), new PricesCommand(), new ReconcileCommand(), new ReplayCommand(), new SweepCommand(), new OptimizeCommand(), new BenchCommand(), new ScreenshotsCommand(), new IconsCommand())) {
            commands.put(c.name(), c);
        }
    }

    public int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0 || argv[0].equals("help") || argv[0].equals("--help") || argv[0].equals("-h")) {
            printUsage(argv.length == 0 ? err : out);
            return argv.length == 0 ? 2 : 0;
        }
        Command c = commands.get(argv[0]);
        if (c == null) {
            err.println("error: unknown command '" + argv[0] + "'");
            printUsage(err);
            return 2;
        }
        try {
            return c.run(Arrays.asList(argv).subList(1, argv.length), out, err);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println("usage: routeledger " + c.usage());
            return 2;
        } catch (WorkspaceException | ImportException | dev.routeledger.policy.PolicyException | dev.routeledger.replay.ReplayException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("error: " + c.name() + " failed: " + e);
            return 1;
        }
    }

    private void printUsage(PrintStream s) {
        s.println("RouteLedger — where the LLM money goes, and what a better routing policy would save.");
        s.println();
        s.println("usage: java -jar routeledger.jar                 open the desktop console");
        s.println("       java -jar routeledger.jar COMMAND [OPTIONS]");
        s.println();
        commands.values().forEach(c -> s.println("  " + c.usage()));
        s.println();
        s.println("Every command that reads or writes data takes --workspace FILE (default ./" + DEFAULT_WORKSPACE + ", created if missing).");
        s.println("Exit codes: 0 done (also when some rows were rejected), 1 failure, 2 usage error.");
    }

    static Path workspacePath(Args a) {
        return a.path("workspace", DEFAULT_WORKSPACE);
    }
}
