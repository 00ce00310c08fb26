package dev.routeledger.replay;

/** A replay that cannot run as asked (no evidence for a tier, no price for a model); the message says what to do. */
public final class ReplayException extends Exception {
    public ReplayException(String message) {
        super(message);
    }
}
