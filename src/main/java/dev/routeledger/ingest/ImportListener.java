package dev.routeledger.ingest;

/** Hears what an import is doing, for a progress line or bar. */
@FunctionalInterface
public interface ImportListener {
    ImportListener NONE = (file, step) -> { };

    void step(String file, String step);
}
