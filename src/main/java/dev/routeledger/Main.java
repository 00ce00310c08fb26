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
            Class.forName("dev.routeledger.console.ConsoleApp").getMethod("launchConsole", String[].class).invoke(null, (Object) args);
            return;
        }
        System.exit(new Cli().run(args, System.out, System.err));
    }
}
