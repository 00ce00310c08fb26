package dev.routeledger.ingest;

/** How one file is read: the mapped columns, the reader subquery for {@link StageSql}, and how rejects are located. */
record ReaderPlan(String format, ColumnMapping mapping, String readerSql, RecordLocator locator) {}
