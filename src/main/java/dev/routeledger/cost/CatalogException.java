package dev.routeledger.cost;

/** A price catalog that cannot be used; the message says why in plain words. */
public class CatalogException extends Exception {
    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
