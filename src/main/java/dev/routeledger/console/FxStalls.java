package dev.routeledger.console;

import javafx.animation.AnimationTimer;

/**
 * Measures how long the FX thread was kept from drawing: an animation timer runs on every pulse (about 60 a
 * second), so the longest gap between two of its calls is the longest time the window could not repaint or take
 * input (SPEC §9: no FX-thread task over 100 ms). Used by {@code screenshots}, which prints it per screen.
 */
public final class FxStalls {
    private final AnimationTimer timer;
    private long last;
    private long longest;

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
    }

    public void stop() {
        timer.stop();
    }

    /** The longest gap since the last call, in milliseconds, and starts a new interval; call on the FX thread. */
    public double takeLongestMs() {
        double ms = longest / 1e6;
        longest = 0;
        last = 0;
        return ms;
    }
}
