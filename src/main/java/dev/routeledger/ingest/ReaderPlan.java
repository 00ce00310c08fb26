package dev.routeledger.ingest;

/** How one file is read: the mapped columns and the reader subquery for {@link StageSql}. */
record ReaderPlan(String format, ColumnMapping mapping, String readerSql) {}
