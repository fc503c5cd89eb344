package org.gridgov.incident;

import java.time.OffsetDateTime;

/**
 * The case-workflow part of an incident row (docs/workflow.md), and its reporter (shown only to
 * roles that need it).
 */
public record CaseState(
        String step,
        OffsetDateTime stepDueAt,
        String urgency,
        boolean supervised,
        boolean parked,
        boolean noOwner,
        Long duplicateOf,
        Integer satisfaction,
        OffsetDateTime closedAt,
        String reporterName,
        String reporterPhone) {

    static CaseState fresh(
            String step,
            OffsetDateTime stepDueAt,
            String urgency,
            String reporterName,
            String reporterPhone) {
        return new CaseState(
                step,
                stepDueAt,
                urgency,
                false,
                false,
                false,
                null,
                null,
                null,
                reporterName,
                reporterPhone);
    }
}
