package org.gridgov.place;

import java.time.OffsetDateTime;

/** A facility (部件) as stored: its code, kind, owning department and, when known, base unit. */
public record Facility(
        long id,
        String code,
        String kind,
        String department,
        Long unitId,
        String unitCode,
        double lon,
        double lat,
        boolean active,
        OffsetDateTime updatedAt) {}
