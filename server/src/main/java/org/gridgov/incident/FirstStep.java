package org.gridgov.incident;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The clock a new report starts with: its first step (acceptance), that step's deadline and the
 * timers to arm. Written by intake in the same statement as the incident, so no extra round trip.
 */
public record FirstStep(String step, OffsetDateTime dueAt, List<Timer> timers) {

    public record Timer(String kind, OffsetDateTime fireAt) {
    }

    /** Decides the first step of a routed report (the workflow's deadline rules). */
    public interface Planner {
        /** null when no step clock runs (the report goes straight to the district). */
        FirstStep plan(IncidentReport report, Routing routing);
    }
}
