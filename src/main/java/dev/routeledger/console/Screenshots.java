package dev.routeledger.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

/**
 * Renders every screen of the console to PNG without a display (Monocle headless, software rendering): the
 * {@code screenshots} command, and what the README's pictures are made from. Each screen is shown, its figures
 * loaded, and the window captured; the overview is captured again in the dark theme.
 */
public final class Screenshots {
    private Screenshots() {}

    /** Selects the headless platform; must run before JavaFX starts. */
    public static void headless(int width, int height) {
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("prism.order", "sw");
        System.setProperty("prism.text", "t2k");
        System.setProperty("java.awt.headless", "true");
        System.setProperty("headless.geometry", width + "x" + height + "-32");
    }

    /** Opens the workspace {@code workspace} (or the default one) and writes one PNG per screen into {@code out}. */
    public static List<Path> write(Path out, Path workspace, int width, int height) throws Exception {
        Files.createDirectories(out);
        if (workspace != null) System.setProperty("routeledger.workspace", workspace.toString());
        CompletableFuture<Void> started = new CompletableFuture<>();
        Platform.startup(() -> started.complete(null));
        started.get(30, TimeUnit.SECONDS);
        ConsoleApp app = new ConsoleApp();
        Stage[] stage = new Stage[1];
        long t0 = System.nanoTime();
        onFx(() -> {
            stage[0] = new Stage();
            stage[0].setWidth(width);
            stage[0].setHeight(height);
            app.start(stage[0]);
            return null;
        });
        // from the moment a window (the splash) is on screen: JavaFX's own start before it shows nothing to wait on
        FxStalls startStalls = onFx(() -> {
            FxStalls f = new FxStalls();
            f.start();
            return f;
        });
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (onFx(app::window) == null) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the workspace did not open within 5 minutes");
            Thread.sleep(100);
        }
        double windowUp = (System.nanoTime() - t0) / 1e9;
        MainWindow w = app.window();
        settle(app.session());
        System.out.printf("window up in %.2f s, the overview's figures in %.2f s; longest FX-thread stall meanwhile: %s%n", windowUp,
            (System.nanoTime() - t0) / 1e9, onFx(startStalls::take));
        onFx(() -> {
            startStalls.stop();
            return null;
        });
        // as a user would, the screens are opened after the window has prepared them in idle time
        FxStalls warmStalls = onFx(() -> {
            FxStalls f = new FxStalls();
            f.start();
            return f;
        });
        long warmStart = System.nanoTime(), warmDeadline = warmStart + TimeUnit.MINUTES.toNanos(2);
        while (onFx(w::warming) && System.nanoTime() < warmDeadline) Thread.sleep(100);
        System.out.printf("screens prepared in idle time in %.2f s, longest FX-thread stall meanwhile: %s%n",
            (System.nanoTime() - warmStart) / 1e9, onFx(warmStalls::take));
        onFx(() -> {
            warmStalls.stop();
            return null;
        });
        List<Path> written = new ArrayList<>();
        FxStalls stalls = onFx(() -> {
            FxStalls f = new FxStalls();
            f.start();
            return f;
        });
        for (Screen s : w.screens()) {
            onFx(() -> {
                stalls.take();
                w.show(s);
                return null;
            });
            settle(app.session());
            FxStalls.Stall stalled = onFx(stalls::take);
            System.out.printf("%-14s longest FX-thread stall while it opened and loaded: %s%n", s.key(), stalled);
            onFx(() -> {
                s.beforeScreenshot();
                return null;
            });
            settle(app.session());
            written.add(capture(stage[0].getScene(), out.resolve(s.key() + ".png")));
        }
        // each screen again: what switching to a screen costs once it has been shown
        for (Screen s : w.screens()) {
            onFx(() -> {
                stalls.take();
                w.show(s);
                return null;
            });
            Thread.sleep(600);
            System.out.printf("%-14s longest FX-thread stall when shown again: %s%n", s.key(), onFx(stalls::take));
        }
        // a filter change on a screen already shown: every figure of the overview reloads
        onFx(() -> {
            w.show(w.screens().get(0));
            return null;
        });
        settle(app.session());
        for (var f : List.of(dev.routeledger.analytics.Filter.ALL.withShadow(true), dev.routeledger.analytics.Filter.ALL)) {
            onFx(() -> {
                stalls.take();
                app.session().filter().set(f);
                return null;
            });
            settle(app.session());
            System.out.printf("%-14s longest FX-thread stall when the filter changed: %s%n", w.screens().get(0).key(), onFx(stalls::take));
        }
        if (!w.dark()) {
            onFx(() -> {
                stalls.take();
                w.toggleTheme(false);
                return null;
            });
            settle(app.session());
            System.out.printf("%-14s longest FX-thread stall when the theme changed: %s%n", w.screens().get(0).key(), onFx(stalls::take));
            written.add(capture(stage[0].getScene(), out.resolve(w.screens().get(0).key() + "-dark.png")));
            onFx(() -> {
                w.toggleTheme(false);
                return null;
            });
        }
        // in one task: once the last window is closed the FX platform may exit, and a later task would never run
        onFx(() -> {
            stalls.stop();
            stage[0].close();
            app.stop();
            return null;
        });
        return written;
    }

    /** Waits until every piece of work the screens submitted delivered its figures, then two more pulses. */
    static void settle(Session s) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        do {
            Thread.sleep(150);
            if (System.nanoTime() > deadline) throw new IllegalStateException("the screen did not finish loading within 5 minutes");
        } while (onFx(s::pending) > 0);
        for (int i = 0; i < 3; i++) onFx(() -> null);
        Thread.sleep(200);
    }

    static Path capture(Scene scene, Path png) throws Exception {
        onFx(() -> {
            ImageIO.write(SwingFXUtils.fromFXImage(scene.snapshot(null), null), "png", png.toFile());
            return null;
        });
        return png;
    }

    static <T> T onFx(java.util.concurrent.Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(2, TimeUnit.MINUTES);
    }
}
