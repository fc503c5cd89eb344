package org.gridgov.roster;

import java.time.Instant;

/**
 * A period of leave: staffId is away in [start, end). substituteId, when named, covers the person's
 * grids first (代班); cancelled leave is kept (cancelledAt) but no longer counts.
 */
public record Leave(
        long id,
        long staffId,
        Instant start,
        Instant end,
        LeaveKind kind,
        Long substituteId,
        String note,
        Instant cancelledAt) {

    boolean covers(Instant t) {
        return cancelledAt == null && !t.isBefore(start) && t.isBefore(end);
    }
}
