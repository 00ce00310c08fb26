package dev.routeledger.policy;

/** A policy file that cannot be used; the message names the file, the line and the key. Nothing runs. */
public class PolicyException extends Exception {
    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
