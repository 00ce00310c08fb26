package dev.routeledger.cli;

import dev.routeledger.console.Screenshots;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code screenshots --out DIR [--workspace FILE]}: every console screen as a PNG, rendered without a display. */
final class ScreenshotsCommand implements Command {
    @Override
    public String name() { return "screenshots"; }

    @Override
    public String usage() {
        return "screenshots --out DIR [--workspace FILE] [--width W] [--height H]   render every console screen to PNG, headless"
            + " (default: the bundled sample workspace)";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(raw, Set.of("out", "workspace", "width", "height"), Set.of());
        Path dir = a.path("out", null);
        if (dir == null) throw new UsageException("screenshots needs --out DIR");
        int width = (int) a.longValue("width", 1440, 800);
        int height = (int) a.longValue("height", 900, 600);
        Screenshots.headless(width, height);
        for (Path p : Screenshots.write(dir, a.path("workspace", null), width, height)) out.println("wrote " + p);
        // JavaFX keeps its threads alive: the command is done
        javafx.application.Platform.exit();
        return 0;
    }
}
