package org.gridgov.incident;

import java.time.OffsetDateTime;

/**
 * The clock a new report starts with: its first step (acceptance), that step's deadline, when to
 * remind (null: no reminder) and when to escalate (null: never). Intake writes it in the same
 * statement as the incident — one timer row, no extra round trip.
 */
public record FirstStep(
        String step, OffsetDateTime dueAt, OffsetDateTime remindAt, OffsetDateTime escalateAt) {

    /** Decides the first step of a routed report (the workflow's deadline rules). */
    public interface Planner {
        /** null when no step clock runs (the report goes straight to the district). */
        FirstStep plan(IncidentReport report, Routing routing);
    }
}
