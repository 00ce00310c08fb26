package dev.routeledger;

import dev.routeledger.cli.Cli;

/**
 * Entry point. With arguments it is the headless CLI; without, it opens the console. The console class is
 * loaded only then, so the CLI never touches JavaFX (and this launcher does not extend Application, which
 * lets a plain class-path jar start JavaFX).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            // DuckDB's native library loads while JavaFX starts
            dev.routeledger.store.Workspace.preloadEngine();
            try {
                Class.forName("dev.routeledger.console.ConsoleApp").getMethod("launchConsole", String[].class).invoke(null, (Object) args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                // JavaFX cannot start without a display (a server, an SSH session) or without its native libraries:
                // say so in plain words rather than with a stack trace (-Drouteledger.debug=true shows it)
                Throwable cause = rootCause(e);
                System.err.println("RouteLedger: the console could not start: " + cause.getMessage() + ". It needs a graphical"
                    + " display; without one, run a command instead, e.g. `java -jar routeledger.jar info` (`help` lists them).");
                if (Boolean.getBoolean("routeledger.debug")) e.printStackTrace();
                System.exit(1);
            }
            return;
        }
        // one number format for everyone, as in the JSON: the tables' "1,234.5" must not turn into "1.234,5" on a
        // German laptop (and the CLI's column alignment reads numbers in that form)
        java.util.Locale.setDefault(java.util.Locale.Category.FORMAT, java.util.Locale.US);
        System.exit(new Cli().run(args, System.out, System.err));
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }
}
