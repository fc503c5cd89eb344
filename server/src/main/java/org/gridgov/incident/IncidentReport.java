package org.gridgov.incident;

import java.time.OffsetDateTime;
import org.gridgov.category.Category;

/**
 * A validated intake request, before routing. A report given by address has no point (NaN) until
 * the address is placed ({@link #at}).
 */
public record IncidentReport(
        Category category,
        Channel channel,
        double lon,
        double lat,
        String description,
        OffsetDateTime reportedAt,
        String reporterName,
        String reporterPhone) {

    /** The same report at a point: one given by address, once the address is placed. */
    public IncidentReport at(double lon, double lat) {
        return new IncidentReport(
                category, channel, lon, lat, description, reportedAt, reporterName, reporterPhone);
    }
}
