package org.gridgov.analytics;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.TimeWindow;
import org.gridgov.cases.CaseStatus;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.category.CategoryParam;
import org.gridgov.category.Platforms;
import org.gridgov.geo.Bbox;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;

/**
 * The filter every analytics endpoint shares: from/to (default: the last 365 days), category,
 * platform, status (comma-separated list), grid and bbox, within the caller's subdistrict. Without
 * a token the window is widened to whole days ({@link PublicResolution}).
 */
record AnalyticsQuery(OffsetDateTime from, OffsetDateTime to, PointFilter filter, boolean coarse) {

    static final Duration DEFAULT_WINDOW = Duration.ofDays(365);

    static AnalyticsQuery parse(
            RoutingContext ctx, CategoryCatalog catalog, IncidentPoints points, Clock clock) {
        TimeWindow window = TimeWindow.parse(ctx, clock, DEFAULT_WINDOW);
        OffsetDateTime from = window.from(), to = window.to();
        boolean coarse = PublicResolution.applies(ctx);
        if (coarse) {
            // widened, not refused: the default window ("the last 365 days", ending now) is not in
            // whole days either
            from = PublicResolution.dayStart(from);
            to = PublicResolution.dayEnd(to);
            PublicResolution.mark(ctx);
        }
        String category = CategoryParam.of(ctx, catalog);
        String platform = QueryParams.oneOf(ctx, "platform", Platforms.CODES);
        int statusMask = 0;
        String status = Handlers.param(ctx, "status");
        if (status != null) {
            for (String s : status.split(",")) {
                int k = CaseStatus.NAMES.indexOf(s.trim());
                if (k < 0)
                    throw new ProblemException(
                            Problem.invalidParameter(
                                    "status",
                                    "'" + s + "' is not a status; one of " + CaseStatus.NAMES));
                statusMask |= 1 << k;
            }
        }
        Long grid = QueryParams.positiveLong(ctx, "grid");
        String bboxText = Handlers.param(ctx, "bbox");
        Bbox b = bboxText == null ? null : Bbox.parse("bbox", bboxText);
        PointFilter f =
                new PointFilter(
                        minute(from),
                        minute(to),
                        categoryFilter(category, points),
                        platform == null ? -1 : Platforms.CODES.indexOf(platform),
                        statusMask,
                        grid == null ? 0 : grid,
                        b == null ? 0 : b.minLon(),
                        b == null ? 0 : b.minLat(),
                        b == null ? 0 : b.maxLon(),
                        b == null ? 0 : b.maxLat(),
                        b != null,
                        subdistrict(ctx));
        return new AnalyticsQuery(from, to, f, coarse);
    }

    /**
     * The isolation rule (docs/access.md, people/Principal#subdistrictId): a caller inside one
     * subdistrict counts its incidents only; a district-wide caller every incident; so does an
     * anonymous one, whose answers are coarsened ({@link PublicResolution}). 0: every incident.
     */
    static long subdistrict(RoutingContext ctx) {
        Principal p = Access.caller(ctx);
        Long own = p == null ? null : p.subdistrictId();
        return own == null ? 0 : own;
    }

    /** The filter index of a category: -1 for any; a code no incident has yet matches nothing. */
    static int categoryFilter(String category, IncidentPoints points) {
        if (category == null) return -1;
        int k = points.categoryIndex(category);
        return k >= 0 ? k : Integer.MAX_VALUE - 1;
    }

    /** Minutes since the epoch, rounded up, so [from, to) in minutes matches [from, to) in time. */
    static int minute(OffsetDateTime t) {
        return (int) Math.floorDiv(t.toEpochSecond() + 59, 60);
    }
}
