package dev.routeledger.cli;

/** The command line was wrong: exit code 2 with the message and the usage. */
public class UsageException extends RuntimeException {
    public UsageException(String message) { super(message); }
}
