package org.gridgov.incident;

import java.time.OffsetDateTime;
import org.gridgov.category.Category;

/**
 * A validated intake request, before routing. A report given by address has no point (NaN) until
 * the address is placed ({@link #at}).
 *
 * @param reporterEmail where e-mails to the reporter go, or null
 * @param notifyReporter whether the reporter is to be told of their case (docs/notifications.md)
 */
public record IncidentReport(
        Category category,
        Channel channel,
        double lon,
        double lat,
        String description,
        OffsetDateTime reportedAt,
        String reporterName,
        String reporterPhone,
        String reporterEmail,
        boolean notifyReporter) {

    /** A report whose reporter is not to be told (as before there were messages). */
    public IncidentReport(
            Category category,
            Channel channel,
            double lon,
            double lat,
            String description,
            OffsetDateTime reportedAt,
            String reporterName,
            String reporterPhone) {
        this(
                category,
                channel,
                lon,
                lat,
                description,
                reportedAt,
                reporterName,
                reporterPhone,
                null,
                false);
    }

    /** The same report at a point: one given by address, once the address is placed. */
    public IncidentReport at(double lon, double lat) {
        return new IncidentReport(
                category,
                channel,
                lon,
                lat,
                description,
                reportedAt,
                reporterName,
                reporterPhone,
                reporterEmail,
                notifyReporter);
    }
}
