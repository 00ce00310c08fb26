package dev.routeledger.ingest;

/** Quoting for the few places where names and paths must be spliced into SQL (DuckDB table functions take no parameters for them). */
public final class Sql {
    private Sql() {}

    public static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    public static String ident(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
