package org.gridgov.workflow;

import org.gridgov.workflow.DeadlineRules.StepClock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;

/** The pending reminder / overdue / escalation rows of a case's current step. */
final class Timers {

    private Timers() {
    }

    /** Cancels the case's pending timers and arms those of its new step (none when {@code clock} is null). */
    static void rearm(Connection c, long incidentId, StepClock clock, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE case_timer SET state = 'CANCELLED' WHERE incident_id = ? AND state = 'PENDING'")) {
            ps.setLong(1, incidentId);
            ps.executeUpdate();
        }
        if (clock == null) return;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO case_timer (incident_id, step, kind, fire_at, step_due_at) VALUES (?, ?, ?, ?, ?)")) {
            add(ps, incidentId, clock, "REMIND", clock.remindAt());
            add(ps, incidentId, clock, "OVERDUE", clock.dueAt());
            add(ps, incidentId, clock, "ESCALATE", clock.escalateAt());
            ps.executeBatch();
        }
    }

    private static void add(PreparedStatement ps, long id, StepClock clock, String kind, Instant at) throws SQLException {
        if (at == null) return;
        ps.setLong(1, id);
        ps.setString(2, clock.step().name());
        ps.setString(3, kind);
        ps.setObject(4, at.atOffset(ZoneOffset.UTC));
        ps.setObject(5, clock.dueAt().atOffset(ZoneOffset.UTC));
        ps.addBatch();
    }
}
