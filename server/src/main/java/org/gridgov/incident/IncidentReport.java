package org.gridgov.incident;

import org.gridgov.category.Category;

import java.time.OffsetDateTime;

/** A validated intake request, before routing. */
public record IncidentReport(Category category, Channel channel, double lon, double lat, String description,
                             OffsetDateTime reportedAt, String reporterName, String reporterPhone) {
}
