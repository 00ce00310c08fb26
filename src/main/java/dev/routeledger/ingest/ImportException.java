package dev.routeledger.ingest;

/** A file could not be imported at all; nothing of it was written. The message is meant for the user. */
public class ImportException extends Exception {
    public ImportException(String message) { super(message); }
    public ImportException(String message, Throwable cause) { super(message, cause); }
}
