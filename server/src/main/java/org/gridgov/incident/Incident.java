package org.gridgov.incident;

import java.time.OffsetDateTime;

/**
 * An incident as its row projects the event log: where, what, its state and its routing; {@code
 * subdistrictId} is the subdistrict whose command centre owns it (null: the district's own case).
 */
public record Incident(
        long id,
        int version,
        String status,
        String category,
        String channel,
        String description,
        double lon,
        double lat,
        OffsetDateTime reportedAt,
        OffsetDateTime receivedAt,
        OffsetDateTime updatedAt,
        Routing routing,
        CaseState state,
        Long subdistrictId) {}
