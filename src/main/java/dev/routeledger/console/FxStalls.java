package dev.routeledger.console;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/**
 * Measures how long the FX thread was kept from its work, two ways (SPEC §9: no UI-thread task over 100 ms):
 * <ul>
 * <li><b>between frames</b>: an animation timer runs on every pulse (about 60 a second), so the longest gap between
 *     two of its calls is the longest time the window could not repaint. It includes the render thread's painting
 *     of the frame before, which the next pulse waits for (with software rendering 40–130 ms for a whole window);</li>
 * <li><b>an event's wait</b>: a probe thread posts a task to the FX thread every 5 ms and records how long it
 *     waited to run, which is how long a click or a key would have waited: the longest FX-thread task.</li>
 * </ul>
 * Used by {@code screenshots}, which prints both per screen. With {@code RL_STALL_STACKS=1} the probe prints the FX
 * thread's stack every 40 ms that a task of its waits: what the stall was spent on.
 */
public final class FxStalls {
    /** The two longest stalls of an interval, in milliseconds. */
    public record Stall(double betweenFramesMs, double eventWaitMs) {
        @Override public String toString() {
            return String.format("%.0f ms between frames, an event waited %.0f ms", betweenFramesMs, eventWaitMs);
        }
    }

    private static final boolean STACKS = System.getenv("RL_STALL_STACKS") != null;

    private final AnimationTimer timer;
    private long last;
    private long longest;
    private final AtomicLong longestWait = new AtomicLong();
    private volatile boolean probing;

    public FxStalls() {
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (last != 0) longest = Math.max(longest, now - last);
                last = now;
            }
        };
    }

    /** Starts measuring; call on the FX thread. */
    public void start() {
        timer.start();
        probing = true;
        Thread probe = new Thread(this::probe, "fx-stall-probe");
        probe.setDaemon(true);
        probe.start();
    }

    private void probe() {
        try {
            while (probing) {
                long posted = System.nanoTime();
                CountDownLatch ran = new CountDownLatch(1);
                // the wait is taken on the FX thread as the task runs: a probe thread slow to wake cannot inflate it
                Platform.runLater(() -> {
                    longestWait.accumulateAndGet(System.nanoTime() - posted, Math::max);
                    ran.countDown();
                });
                if (STACKS) {
                    while (!ran.await(40, TimeUnit.MILLISECONDS)) dumpFxStack(posted);
                }
                ran.await();
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void dumpFxStack(long posted) {
        for (var e : Thread.getAllStackTraces().entrySet()) {
            if (!e.getKey().getName().equals("JavaFX Application Thread")) continue;
            StringBuilder sb = new StringBuilder(String.format("STALL +%.0f ms%n", (System.nanoTime() - posted) / 1e6));
            StackTraceElement[] st = e.getValue();
            for (int i = 0; i < Math.min(st.length, 60); i++) sb.append("    ").append(st[i]).append('\n');
            System.err.print(sb);
        }
    }

    public void stop() {
        timer.stop();
        probing = false;
    }

    /** The longest stalls since the last call, and starts a new interval; call on the FX thread. */
    public Stall take() {
        Stall s = new Stall(longest / 1e6, longestWait.getAndSet(0) / 1e6);
        longest = 0;
        last = 0;
        return s;
    }
}
