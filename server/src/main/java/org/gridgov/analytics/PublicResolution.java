package org.gridgov.analytics;

import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.people.Access;

/**
 * What callers without a token get from analytics (docs/analytics.md, "Public resolution"): a 10 m
 * cell over a one-minute window answered "1" at one incident, which named the case. For them cells
 * are at least {@link #MIN_CELL_M} (smaller is refused, naming {@code size}), time windows are
 * widened to whole days in the subdistrict's time zone, and counts under {@link #MIN_COUNT} are
 * suppressed. Staff keep full resolution.
 */
final class PublicResolution {

    static final double MIN_CELL_M = 100;
    static final int MIN_COUNT = 3;
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** Sent with every coarsened answer, so a client can tell. */
    static final String HEADER = "X-Gridgov-Resolution";

    static final String PUBLIC = "public: cells >= 100 m, whole days, counts under 3 suppressed";

    private PublicResolution() {}

    /** Anonymous callers get the public resolution. */
    static boolean applies(RoutingContext ctx) {
        return Access.caller(ctx) == null;
    }

    /** 400 naming size when a public caller asks for cells under 100 m. */
    static void requireCellSize(double size) {
        if (size < MIN_CELL_M) {
            throw new ProblemException(
                    Problem.invalidParameter(
                            "size",
                            String.format(
                                    java.util.Locale.ROOT,
                                    "cells of %.0f m are for staff; without a token cells are at least %.0f m",
                                    size,
                                    MIN_CELL_M)));
        }
    }

    /** Whether a count may be published: zero (nothing to protect) or at least three. */
    static boolean shown(long count) {
        return count == 0 || count >= MIN_COUNT;
    }

    /**
     * Whether a series of counts may be published: each of them may. A trend shows the mean of the
     * earlier periods beside the current one, so one small earlier count (a mean of 0.5 over two
     * days is one case) would give away what the current count's rule hides.
     */
    static boolean shown(long[] counts) {
        for (long c : counts) if (!shown(c)) return false;
        return true;
    }

    /** The start of t's day in the subdistrict's zone. */
    static OffsetDateTime dayStart(OffsetDateTime t) {
        return t.atZoneSameInstant(ZONE).truncatedTo(ChronoUnit.DAYS).toOffsetDateTime();
    }

    /**
     * t itself when it is a midnight, else the next midnight: [dayStart(from), dayEnd(to)) holds
     * [from, to).
     */
    static OffsetDateTime dayEnd(OffsetDateTime t) {
        ZonedDateTime z = t.atZoneSameInstant(ZONE);
        ZonedDateTime start = z.truncatedTo(ChronoUnit.DAYS);
        return (start.equals(z) ? start : start.plusDays(1)).toOffsetDateTime();
    }

    static void mark(RoutingContext ctx) {
        ctx.response().putHeader(HEADER, PUBLIC);
    }
}
