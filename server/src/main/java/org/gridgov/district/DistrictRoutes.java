package org.gridgov.district;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.assess.Period;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;

/**
 * The district command centre's reads (区指挥中心, docs/district.md): GET /api/v1/district/queue and GET
 * /api/v1/district/board. Its actions are case actions (POST /api/v1/incidents/{id}/actions,
 * package workflow).
 */
public final class DistrictRoutes {

    private final DistrictStore store;
    private final ZoneId zone;
    private final Clock clock;

    public DistrictRoutes(DistrictStore store, ZoneId zone, Clock clock) {
        this.store = store;
        this.zone = zone;
        this.clock = clock;
    }

    public void mount(Router r) {
        r.get("/api/v1/district/queue").handler(this::queue);
        r.get("/api/v1/district/board").handler(this::board);
    }

    private void queue(RoutingContext ctx) {
        Principal p = Access.requireAny(ctx, Role.DISTRICT_SCOPED);
        int limit = limit(ctx);
        Handlers.blocking(
                ctx,
                () -> store.queue(p.subdistrictId(), limit, clock.instant()),
                (c, n) -> Responses.json(c, 200, n));
    }

    /** ?period=2026-11 (a year, quarter or month, as the KPIs); default: this month. */
    private void board(RoutingContext ctx) {
        Principal p = Access.requireAny(ctx, Role.DISTRICT_SCOPED);
        String name = Handlers.param(ctx, "period");
        if (name == null) name = YearMonth.now(clock.withZone(zone)).toString();
        Period range = Period.named(name, zone);
        String label = name;
        Handlers.blocking(
                ctx,
                () ->
                        store.board(p.subdistrictId(), range.from(), range.to(), clock.instant())
                                .put("period", label),
                (c, n) -> Responses.json(c, 200, n));
    }

    private static int limit(RoutingContext ctx) {
        String v = Handlers.param(ctx, "limit");
        if (v == null) return 200;
        try {
            int x = Integer.parseInt(v);
            if (x >= 1 && x <= 1000) return x;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProblemException(
                Problem.invalidParameter("limit", "'limit' must be a whole number from 1 to 1000"));
    }
}
