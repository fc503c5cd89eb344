package org.gridgov.ogc.catalog;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A time dimension's extent at a moment: from the day of the first record (null: none yet) to the
 * end of today, in UTC days, as WMS capabilities advertise it ({@code first/today/P1D}); its
 * default is the last 30 days, today included.
 */
public record TimeExtent(Instant first, Instant now) {

    public static final int DEFAULT_DAYS = 30;

    private LocalDate today() {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    private LocalDate firstDay() {
        LocalDate t = today();
        if (first == null) return t;
        LocalDate f = LocalDate.ofInstant(first, ZoneOffset.UTC);
        return f.isAfter(t) ? t : f;
    }

    public Instant start() {
        return firstDay().atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** The end of today: the first instant after the extent. */
    public Instant end() {
        return today().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** The extent as the capabilities' Dimension gives it. */
    public String extent() {
        return firstDay() + "/" + today() + "/P1D";
    }

    /** The default as the capabilities give it: the last 30 days. */
    public String defaultValue() {
        return today().minusDays(DEFAULT_DAYS - 1) + "/" + today();
    }

    /**
     * The interval a WMS TIME value asks for (null or empty: the default), cut to the extent.
     * Throws IllegalArgumentException for a malformed value or one wholly outside the extent.
     */
    public TimeInterval resolve(String time) {
        TimeInterval t =
                TimeInterval.parse(
                        time == null || time.isBlank() ? defaultValue() : time,
                        TimeInterval.Syntax.WMS,
                        now);
        Instant s = start(), e = end();
        if (!t.overlaps(s, e))
            throw new IllegalArgumentException(
                    "TIME '"
                            + ClientText.shorten(time)
                            + "' is outside the extent "
                            + extent().substring(0, extent().lastIndexOf('/')));
        return new TimeInterval(
                t.start() == null || t.start().isBefore(s) ? s : t.start(),
                t.end() == null || t.end().isAfter(e) ? e : t.end());
    }
}
