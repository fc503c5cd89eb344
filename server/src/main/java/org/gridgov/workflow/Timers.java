package org.gridgov.workflow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import org.gridgov.workflow.DeadlineRules.StepClock;

/** The pending reminder / overdue / escalation rows of a case's current step. */
final class Timers {

    private Timers() {}

    /**
     * Cancels the case's pending timer and arms its new step's (none when {@code clock} is null):
     * one row, its first kind due.
     */
    static void rearm(Connection c, long incidentId, StepClock clock, Instant now)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE case_timer SET state = 'CANCELLED' WHERE incident_id = ? AND state = 'PENDING'")) {
            ps.setLong(1, incidentId);
            ps.executeUpdate();
        }
        if (clock == null) return;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO case_timer (incident_id, step, kind, fire_at, step_due_at, escalate_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, incidentId);
            ps.setString(2, clock.step().name());
            ps.setString(3, TimerKind.first(clock).name());
            ps.setObject(
                    4,
                    (clock.remindAt() != null ? clock.remindAt() : clock.dueAt())
                            .atOffset(ZoneOffset.UTC));
            ps.setObject(5, clock.dueAt().atOffset(ZoneOffset.UTC));
            ps.setObject(
                    6,
                    clock.escalateAt() == null
                            ? null
                            : clock.escalateAt().atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }
}
