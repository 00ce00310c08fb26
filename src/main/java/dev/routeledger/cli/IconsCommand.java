package dev.routeledger.cli;

import dev.routeledger.console.IconFiles;
import dev.routeledger.console.Screenshots;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;

/** {@code icons --out DIR}: the app icon as PNGs, .ico and .icns (what icons/ holds), rendered headless. */
final class IconsCommand implements Command {
    @Override
    public String name() { return "icons"; }

    @Override
    public String usage() {
        return "icons --out DIR   write the app icon as PNGs (16–512 px), a Windows .ico and a macOS .icns";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(raw, Set.of("out"), Set.of());
        Path dir = a.path("out", null);
        if (dir == null) throw new UsageException("icons needs --out DIR");
        Screenshots.headless(800, 600);
        CompletableFuture<List<Path>> done = new CompletableFuture<>();
        Platform.startup(() -> {
            try {
                done.complete(IconFiles.write(dir));
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        });
        for (Path p : done.get(60, TimeUnit.SECONDS)) out.println("wrote " + p);
        Platform.exit();
        return 0;
    }
}
