package org.gridgov.incident;

import java.time.OffsetDateTime;
import org.gridgov.category.Category;

/** A validated intake request, before routing. */
public record IncidentReport(
        Category category,
        Channel channel,
        double lon,
        double lat,
        String description,
        OffsetDateTime reportedAt,
        String reporterName,
        String reporterPhone) {}
