package org.gridgov.workflow;

import java.util.EnumSet;
import java.util.Set;

/** The states of a case (DESIGN.md §4), as stored in incident.status. */
public enum CaseStatus {
    REPORTED, ACCEPTED, REJECTED, DISPATCHED, IN_PROGRESS, RESOLVED, VERIFIED, CLOSED, ESCALATED, COORDINATION;

    /** No action but comments and feedback changes these. */
    public static final Set<CaseStatus> FINAL = EnumSet.of(REJECTED, CLOSED);

    public boolean open() {
        return !FINAL.contains(this);
    }
}
