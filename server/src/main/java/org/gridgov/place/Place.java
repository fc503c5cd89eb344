package org.gridgov.place;

import java.time.OffsetDateTime;

/**
 * A place (场所) as stored, with its base unit and the grid that unit belongs to under the plan in
 * effect (derived, never stored: null when no plan is in effect). The owner's name and phone are
 * personal data: {@link PlaceJson} masks them unless the reader may see them.
 */
public record Place(
        long id,
        String code,
        String kind,
        String name,
        String ownerName,
        String ownerPhone,
        long unitId,
        String unitCode,
        Long gridId,
        String gridCode,
        String gridName,
        double lon,
        double lat,
        boolean active,
        OffsetDateTime updatedAt) {}
