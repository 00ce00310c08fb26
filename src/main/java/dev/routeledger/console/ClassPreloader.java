package dev.routeledger.console;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads, on a background thread, the classes that building and styling the screens will need: control skins
 * and behaviours, ControlsFX's skins, charts, and the console's own classes. Loading them on the FX thread
 * when a screen was first built (about 600 classes) was a large part of the 60–150 ms a build took. Classes are
 * loaded and linked but not initialised: no static initialiser runs off the FX thread.
 */
final class ClassPreloader {
    private ClassPreloader() {}

    private static final List<String> PREFIXES = List.of("javafx/scene/control/skin/", "com/sun/javafx/scene/control/behavior/",
        "com/sun/javafx/scene/control/", "impl/org/controlsfx/skin/", "org/controlsfx/control/", "javafx/scene/chart/",
        "dev/routeledger/console/");

    /** Starts the loading on a daemon thread of low priority; returns at once. The thread ends when done. */
    static Thread start() {
        Thread t = new Thread(ClassPreloader::run, "class-preload");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    private static void run() {
        long t0 = System.nanoTime();
        int loaded = 0;
        ClassLoader loader = ClassPreloader.class.getClassLoader();
        for (Path jar : jars()) {
            List<String> names = new ArrayList<>();
            try (JarFile f = new JarFile(jar.toFile())) {
                for (var e = f.entries(); e.hasMoreElements(); ) {
                    JarEntry entry = e.nextElement();
                    String n = entry.getName();
                    if (n.endsWith(".class") && !n.contains("module-info") && PREFIXES.stream().anyMatch(n::startsWith)) {
                        names.add(n.substring(0, n.length() - 6).replace('/', '.'));
                    }
                }
            } catch (Exception unreadable) {
                continue; // nothing to preload from it: the classes load when first used, as they would anyway
            }
            for (String n : names) {
                try {
                    Class.forName(n, false, loader);
                    loaded++;
                } catch (Throwable notLoadable) {
                    // a class for another platform or an optional dependency: it is never used here
                }
            }
        }
        if (System.getenv("RL_TIMING") != null) System.err.printf("  preloaded %d classes in %.0f ms%n", loaded, (System.nanoTime() - t0) / 1e6);
    }

    /** The jar files the console's and JavaFX's controls come from (one when run from the shaded jar). */
    private static List<Path> jars() {
        List<Path> out = new ArrayList<>();
        for (Class<?> c : List.of(ClassPreloader.class, javafx.scene.control.TableView.class, org.controlsfx.control.CheckComboBox.class,
                javafx.scene.chart.XYChart.class)) {
            try {
                var src = c.getProtectionDomain().getCodeSource();
                if (src == null) continue;
                Path p = Path.of(src.getLocation().toURI());
                if (Files.isRegularFile(p) && !out.contains(p)) out.add(p);
            } catch (URISyntaxException | SecurityException | IllegalArgumentException ignored) {
                // not from a jar file (classes directory, runtime image): nothing to list
            }
        }
        return out;
    }
}
