package dev.routeledger.console.screens;

import dev.routeledger.analytics.TraceFacts;
import dev.routeledger.console.Session;
import java.sql.Connection;

/**
 * Builds the trace facts an import left stale before a screen's query that needs them, with the status bar saying
 * so: once after an import, 7–9 s at 10 M calls (BENCHMARKS.md), which under the query's own label would look like
 * a slow query.
 */
public final class TraceFactsFirst {
    public static final String STATUS = "Linking repeated prompts and escalations across traces (once after an import)";

    private TraceFactsFirst() {}

    static void ensure(Session session, Connection conn) throws Exception {
        if (TraceFacts.built(conn)) return;
        session.step(STATUS, () -> TraceFacts.ensure(conn));
    }
}
