package org.gridgov.live;

import java.time.OffsetDateTime;

/**
 * One committed incident event, with the incident as it is now: what a live screen needs to place
 * and filter it, and what analytics needs to keep its copy current (x/y in the planar CRS,
 * reportedAt in epoch seconds; subdistrictId null for the district's own cases).
 */
public record Change(
        long eventId,
        long incidentId,
        OffsetDateTime at,
        String type,
        String fromStatus,
        String toStatus,
        String category,
        String platform,
        Long gridId,
        Long communityId,
        String status,
        int version,
        double lon,
        double lat,
        double x,
        double y,
        long reportedEpoch,
        Long subdistrictId) {}
