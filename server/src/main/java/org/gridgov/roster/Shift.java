package org.gridgov.roster;

import java.time.Instant;

/** A rostered shift: staffId is on duty in [start, end). */
public record Shift(long id, long staffId, Instant start, Instant end, String note) {
    boolean covers(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }
}
