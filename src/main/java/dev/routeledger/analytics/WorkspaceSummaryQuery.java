package dev.routeledger.analytics;

import dev.routeledger.store.CallFacts;
import dev.routeledger.store.Workspace;
import dev.routeledger.store.WorkspaceException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** Reads a {@link WorkspaceSummary} with a few set queries. */
public final class WorkspaceSummaryQuery {
    private WorkspaceSummaryQuery() {}

    public static WorkspaceSummary run(Workspace ws) {
        Connection c = ws.connection();
        try (Statement s = c.createStatement()) {
            long calls, traces, users, noCost;
            double cost, shadowCost, estimated;
            boolean discounted;
            Timestamp from, to;
            try (ResultSet rs = s.executeQuery("SELECT count(*), " + CallFacts.TRACE_HEADS + ", count(DISTINCT user_id), min(ts), max(ts),"
                    + " coalesce(sum(cost_effective) FILTER (WHERE NOT shadow), 0), coalesce(sum(cost_effective) FILTER (WHERE shadow), 0),"
                    + " count(*) FILTER (WHERE " + CostSource.UNPRICED + " AND NOT shadow),"
                    + " coalesce(sum(cost_effective) FILTER (WHERE NOT shadow AND " + CostSource.CATALOG + "), 0),"
                    + " (SELECT coalesce(bool_or(discount_pct > 0), false) FROM model_costing) FROM calls")) {
                rs.next();
                calls = rs.getLong(1);
                traces = rs.getLong(2);
                users = rs.getLong(3);
                from = rs.getTimestamp(4);
                to = rs.getTimestamp(5);
                cost = rs.getDouble(6);
                shadowCost = rs.getDouble(7);
                noCost = rs.getLong(8);
                estimated = rs.getDouble(9);
                discounted = rs.getBoolean(10);
            }
            List<WorkspaceSummary.TierSpend> tiers = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT eff_tier, count(*), coalesce(sum(cost_effective), 0), count(*) FILTER (WHERE " + CostSource.UNPRICED + ")"
                    + " FROM calls WHERE NOT shadow GROUP BY eff_tier ORDER BY eff_tier NULLS LAST")) {
                while (rs.next()) {
                    int t = rs.getInt(1);
                    tiers.add(new WorkspaceSummary.TierSpend(rs.wasNull() ? null : t, rs.getLong(2), rs.getDouble(3), rs.getLong(4)));
                }
            }
            List<WorkspaceSummary.UnknownModel> unknown = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT model, count(*) FROM calls WHERE eff_tier IS NULL GROUP BY model ORDER BY 2 DESC, 1")) {
                while (rs.next()) unknown.add(new WorkspaceSummary.UnknownModel(rs.getString(1), rs.getLong(2)));
            }
            List<WorkspaceSummary.UnknownModel> unpriced = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT model, count(*) FROM calls WHERE " + CostSource.UNPRICED + " GROUP BY model ORDER BY 2 DESC, 1")) {
                while (rs.next()) unpriced.add(new WorkspaceSummary.UnknownModel(rs.getString(1), rs.getLong(2)));
            }
            long batches, rejected;
            try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM import_batches), (SELECT count(*) FROM rejected_rows)")) {
                rs.next();
                batches = rs.getLong(1);
                rejected = rs.getLong(2);
            }
            return new WorkspaceSummary(ws.describe(), ws.schemaVersion(), calls, traces, users,
                from == null ? null : from.toLocalDateTime(), to == null ? null : to.toLocalDateTime(), cost, shadowCost, noCost,
                tiers, unknown, batches, rejected, estimated, unpriced, discounted);
        } catch (SQLException e) {
            throw new WorkspaceException("Cannot read workspace " + ws.describe() + ": " + Workspace.firstLine(e), e);
        }
    }
}
