package org.gridgov.cases;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The states of a case (docs/workflow.md), as stored in incident.status. */
public enum CaseStatus {
    REPORTED,
    ACCEPTED,
    REJECTED,
    DISPATCHED,
    IN_PROGRESS,
    RESOLVED,
    VERIFIED,
    CLOSED,
    ESCALATED,
    COORDINATION;

    /** The names, in declaration order (analytics keeps a status as its index here). */
    public static final List<String> NAMES = Arrays.stream(values()).map(Enum::name).toList();

    /** No action but comments and feedback changes these. */
    public static final Set<CaseStatus> FINAL = EnumSet.of(REJECTED, CLOSED);

    public boolean open() {
        return !FINAL.contains(this);
    }
}
