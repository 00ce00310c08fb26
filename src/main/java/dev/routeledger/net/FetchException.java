package dev.routeledger.net;

/** A download that did not succeed; the message is for a person and never holds a header value. */
public class FetchException extends Exception {
    public FetchException(String message) {
        super(message);
    }
}
