package org.gridgov.live;

import java.time.OffsetDateTime;

/** One committed incident event, with what a live screen needs to place and filter it. */
public record Change(long eventId, long incidentId, OffsetDateTime at, String type, String fromStatus, String toStatus,
                     String category, String platform, Long gridId, String status, int version, double lon, double lat) {
}
