package dev.routeledger.console;

import java.util.ArrayList;
import java.util.List;
import javafx.animation.AnimationTimer;

/**
 * Runs FX work a frame later than {@code Platform.runLater} would. A runnable queued by runLater runs before the
 * next frame is drawn, so its work adds to the layout of what was just shown in the same gap between frames: the
 * overview's tables getting their first rows and its chart getting its bars were one stall (on a 10 M-call
 * workspace at start, 240-340 ms). Queued here, the work runs at the start of the frame after the next.
 */
public final class LaterFrame {
    private LaterFrame() {}

    private static final class Waiting {
        final Runnable work;
        int frames = 2;

        Waiting(Runnable work) {
            this.work = work;
        }
    }

    private static final List<Waiting> WAITING = new ArrayList<>();
    private static volatile int waitingCount;
    private static final AnimationTimer TIMER = new AnimationTimer() {
        @Override
        public void handle(long now) {
            List<Waiting> due = new ArrayList<>();
            WAITING.removeIf(w -> --w.frames <= 0 && due.add(w));
            if (WAITING.isEmpty()) stop();
            try {
                for (Waiting w : due) w.work.run();
            } finally {
                waitingCount = WAITING.size();
            }
        }
    };

    /** Runs {@code work} on the FX thread after the next frame has been laid out and drawn; call on the FX thread. */
    public static void run(Runnable work) {
        WAITING.add(new Waiting(work));
        waitingCount = WAITING.size();
        TIMER.start();
    }

    /** Work still waiting for its frame (the screenshots and tests wait for it as for database work); any thread. */
    public static int waiting() {
        return waitingCount;
    }
}
