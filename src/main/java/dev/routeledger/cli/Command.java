package dev.routeledger.cli;

import java.io.PrintStream;
import java.util.List;

/** One CLI command. Returns the exit code of SPEC §7: 0 done, 1 failure (2, usage, is thrown as {@link UsageException}). */
public interface Command {
    String name();

    String usage();

    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
