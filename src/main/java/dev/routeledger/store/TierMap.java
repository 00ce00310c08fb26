package dev.routeledger.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The workspace's model → tier map (exact names and globs such as {@code groq/*}); the user edits it. */
public final class TierMap {
    private final Workspace ws;

    public TierMap(Workspace ws) { this.ws = ws; }

    public record Entry(String pattern, int tier) {}

    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = ws.connection().prepareStatement("SELECT pattern, tier FROM tier_map ORDER BY tier, pattern");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(new Entry(rs.getString(1), rs.getInt(2)));
            return out;
        } catch (SQLException e) {
            throw new WorkspaceException("Cannot read the tier map: " + Workspace.firstLine(e), e);
        }
    }

    public void set(String pattern, int tier) {
        if (pattern.isBlank()) throw new IllegalArgumentException("empty pattern");
        try (PreparedStatement ps = ws.connection().prepareStatement("INSERT OR REPLACE INTO tier_map VALUES (?, ?)")) {
            ps.setString(1, pattern);
            ps.setInt(2, tier);
            ps.executeUpdate();
            ModelCosting.refresh(ws.connection());
        } catch (SQLException e) {
            throw new WorkspaceException("Cannot change the tier map: " + Workspace.firstLine(e), e);
        }
    }

    public boolean remove(String pattern) {
        try (PreparedStatement ps = ws.connection().prepareStatement("DELETE FROM tier_map WHERE pattern = ?")) {
            ps.setString(1, pattern);
            boolean removed = ps.executeUpdate() > 0;
            ModelCosting.refresh(ws.connection());
            return removed;
        } catch (SQLException e) {
            throw new WorkspaceException("Cannot change the tier map: " + Workspace.firstLine(e), e);
        }
    }
}
