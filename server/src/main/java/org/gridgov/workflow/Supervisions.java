package org.gridgov.workflow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;

/** Leaders' 督办 on cases (case_supervision), inside the engine's transaction. */
final class Supervisions {

    private Supervisions() {}

    static void issue(
            Connection c,
            long incidentId,
            long eventId,
            Instant at,
            long byId,
            String byRole,
            String reason,
            Instant dueAt)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                INSERT INTO case_supervision (incident_id, event_id, at, by_id, by_role, reason, due_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setLong(1, incidentId);
            ps.setLong(2, eventId);
            ps.setObject(3, at.atOffset(ZoneOffset.UTC));
            ps.setLong(4, byId);
            ps.setString(5, byRole);
            ps.setString(6, reason);
            ps.setObject(7, dueAt.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    /**
     * The case is resolved now: each 督办 still open and not yet due is met. One resolved after its
     * due time stays unmet (missed), also when the case is resolved again after a rework.
     */
    static void resolved(Connection c, long incidentId, Instant now) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                UPDATE case_supervision SET met_at = ?
                WHERE incident_id = ? AND met_at IS NULL AND due_at >= ?""")) {
            ps.setObject(1, now.atOffset(ZoneOffset.UTC));
            ps.setLong(2, incidentId);
            ps.setObject(3, now.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }
}
