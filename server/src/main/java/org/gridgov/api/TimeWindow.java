package org.gridgov.api;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * The from/to query parameters: [from, to), to defaulting to now and from to a length before it.
 */
public record TimeWindow(OffsetDateTime from, OffsetDateTime to) {

    public static TimeWindow parse(RoutingContext ctx, Clock clock, Duration defaultLength) {
        OffsetDateTime to = QueryParams.time(ctx, "to"), from = QueryParams.time(ctx, "from");
        if (to == null) to = OffsetDateTime.now(clock);
        if (from == null) from = to.minus(defaultLength);
        QueryParams.requireOrder(from, to);
        return new TimeWindow(from, to);
    }
}
