package dev.routeledger.pull;

/** A pull that did not complete; nothing of it was imported unless the message says otherwise. Never holds the API key. */
public class PullException extends Exception {
    public PullException(String message) {
        super(message);
    }
}
