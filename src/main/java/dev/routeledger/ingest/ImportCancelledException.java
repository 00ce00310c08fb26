package dev.routeledger.ingest;

/** The user cancelled an import; the workspace is as it was before. */
public class ImportCancelledException extends ImportException {
    public ImportCancelledException(String path) {
        super("Import of " + path + " was cancelled; nothing of it was written.");
    }
}
