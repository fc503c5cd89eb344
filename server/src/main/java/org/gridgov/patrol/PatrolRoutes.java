package org.gridgov.patrol;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.Responses;
import org.gridgov.api.TimeWindow;
import org.gridgov.area.Jurisdictions;
import org.gridgov.grid.PlanTimeline;
import org.gridgov.incident.Incident;
import org.gridgov.incident.IncidentRoutes;
import org.gridgov.incident.IncidentStore;
import org.gridgov.incident.Visibility;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;
import org.gridgov.roster.DutyBook;
import org.gridgov.roster.DutyRoster;

/**
 * Patrols and responders: position uploads, tracks, coverage per grid, gaps, and the nearest
 * responders of an incident by road travel time.
 */
public final class PatrolRoutes {

    static final double DEFAULT_DISTANCE_M = 50;

    private final PatrolStore store;
    private final IncidentStore incidents;
    private final Jurisdictions areas;
    private final PlanTimeline plans;
    // the network read at start, or after a road import (docs/onboarding.md)
    private final java.util.function.Supplier<RoadGraph> roadGraph;
    private final Clock clock;
    private final DutyRoster roster;

    public PatrolRoutes(
            PatrolStore store,
            IncidentStore incidents,
            Jurisdictions areas,
            PlanTimeline plans,
            java.util.function.Supplier<RoadGraph> roadGraph,
            Clock clock,
            DutyRoster roster) {
        this.roster = roster;
        this.store = store;
        this.incidents = incidents;
        this.areas = areas;
        this.plans = plans;
        this.roadGraph = roadGraph;
        this.clock = clock;
    }

    public void mount(Router router) {
        router.post("/api/v1/staff/:id/positions").handler(this::upload);
        router.get("/api/v1/staff/:id/track").handler(this::track);
        router.get("/api/v1/analytics/patrol-coverage").handler(this::coverage);
        router.get("/api/v1/analytics/patrol-gaps").handler(this::gaps);
        router.get("/api/v1/incidents/:id/responders").handler(this::responders);
    }

    private void upload(RoutingContext ctx) {
        long staffId = Handlers.pathId(ctx, "id");
        Principal caller = Access.require(ctx);
        // A phone uploads its own owner's track; nobody writes positions for someone else.
        if (caller.staffId() != staffId && !caller.has(Role.ADMIN)) {
            throw Access.forbidden(
                    "you are staff member "
                            + caller.staffId()
                            + "; positions of "
                            + staffId
                            + " come from their own phone");
        }
        PositionBatch batch = PositionBatch.parse(JsonBody.object(ctx.body().buffer()), clock);
        for (int k = 0; k < batch.positions().size(); k++) {
            var p = batch.positions().get(k);
            if (areas.locate(p.lon(), p.lat()).where() == Jurisdictions.Where.OUTSIDE) {
                throw new ProblemException(
                        Problem.of(
                                422,
                                "out-of-area",
                                "A position is outside the service area",
                                areas.outsideDetail(p.lon(), p.lat()),
                                "/positions"));
            }
        }
        Handlers.blocking(
                ctx,
                () -> {
                    int n = batch.positions().size();
                    int stored = store.upload(staffId, batch.positions());
                    ObjectNode r = Responses.JSON.createObjectNode();
                    r.put("staffId", staffId);
                    r.put("received", n);
                    r.put("stored", stored);
                    r.put("duplicates", n - stored);
                    return r;
                },
                (c, r) -> Responses.json(c, 200, r));
    }

    private void track(RoutingContext ctx) {
        long staffId = Handlers.pathId(ctx, "id");
        Principal caller = Access.require(ctx);
        if (caller.staffId() != staffId && !caller.hasAny(Role.SEES_STAFF)) {
            throw Access.forbidden(
                    "a track is seen by its owner and by those who may see staff "
                            + Role.SEES_STAFF);
        }
        TimeWindow window = TimeWindow.parse(ctx, clock, Duration.ofDays(1));
        Handlers.blocking(
                ctx,
                () -> store.track(staffId, window, caller.subdistrictId()),
                Responses::geoJson);
    }

    private void coverage(RoutingContext ctx) {
        Long own = Access.requireAny(ctx, Role.SEES_KPIS).subdistrictId(); // the isolation rule
        TimeWindow window = TimeWindow.parse(ctx, clock, Duration.ofDays(7));
        double distance = QueryParams.number(ctx, "distance", 5, 500, DEFAULT_DISTANCE_M);
        Long grid = QueryParams.positiveLong(ctx, "grid");
        Handlers.blocking(
                ctx, () -> store.coverage(grid, window, distance, own), Responses::geoJson);
    }

    private void gaps(RoutingContext ctx) {
        Long own = Access.require(ctx).subdistrictId(); // the isolation rule
        int days = QueryParams.whole(ctx, "days", 1, 365, 7);
        double distance = QueryParams.number(ctx, "distance", 5, 500, DEFAULT_DISTANCE_M);
        Long grid = QueryParams.positiveLong(ctx, "grid");
        OffsetDateTime to = QueryParams.time(ctx, "to");
        OffsetDateTime asOf = to == null ? OffsetDateTime.now(clock) : to;
        Handlers.blocking(
                ctx,
                () -> {
                    // the caller's subdistrict's plan, or every subdistrict's for the district
                    List<Long> planIds =
                            (own == null
                                            ? plans.periodsAt(asOf.toInstant())
                                            : plans.periodAt(asOf.toInstant(), own).stream()
                                                    .toList())
                                    .stream().map(PlanTimeline.Period::planId).toList();
                    if (planIds.isEmpty())
                        throw new ProblemException(
                                Problem.invalidParameter(
                                        "to", "no grid plan was in effect at " + asOf));
                    return store.gaps(asOf, days, distance, planIds, grid, own);
                },
                Responses::geoJson);
    }

    /**
     * A possible responder: where they were last seen, and (once ranked) their road travel time.
     */
    private record Candidate(
            long id,
            String name,
            String role,
            String platform,
            double lon,
            double lat,
            OffsetDateTime at,
            double straight,
            int vertex,
            double seconds) {}

    /** Walking pace between a position and the road network, m/s. */
    static final double WALK_MPS = 1.4;

    private void responders(RoutingContext ctx) {
        Principal caller = Access.requireAny(ctx, Role.SEES_RESPONDERS);
        long incidentId = Handlers.pathId(ctx, "id");
        int limit = QueryParams.whole(ctx, "limit", 1, 50, 5);
        int maxAge = QueryParams.whole(ctx, "maxAgeMinutes", 1, 7 * 24 * 60, 8 * 60);
        Instant now = Instant.now(clock);
        Handlers.blocking(
                ctx,
                () -> {
                    // like GET /api/v1/incidents/{id}: who is near a case is for those whose scope
                    // holds it
                    Incident incident =
                            incidents
                                    .find(incidentId)
                                    .orElseThrow(
                                            () ->
                                                    new ProblemException(
                                                            Problem.notFound(
                                                                    "incident "
                                                                            + incidentId
                                                                            + " does not exist")));
                    if (!IncidentRoutes.sees(IncidentRoutes.visibility(caller), incident))
                        throw Visibility.notYourCase(incidentId);
                    PatrolStore.Nearby near =
                            store.nearby(
                                    incidentId,
                                    now.minus(Duration.ofMinutes(maxAge)),
                                    now.plus(PositionBatch.CLOCK_SKEW));
                    double incLon = near.lon(), incLat = near.lat();
                    RoadGraph roads = roadGraph.get();
                    int target = roads.nearest(incLon, incLat);
                    double targetWalk = roads.metres(incLon, incLat, target) / WALK_MPS;
                    RoadGraph.Paths paths = roads.towards(target);
                    List<Candidate> ranked = new java.util.ArrayList<>();
                    DutyBook book = roster.book();
                    for (PatrolStore.Sighting k : near.candidates()) {
                        // the on-duty rule's test of a person: on leave or off shift, not asked
                        if (!book.available(k.id(), now)) continue;
                        int v = roads.nearest(k.lon(), k.lat());
                        double drive = paths.seconds(v);
                        if (Double.isInfinite(drive))
                            continue; // cut off from the incident by one-way streets
                        ranked.add(
                                new Candidate(
                                        k.id(),
                                        k.name(),
                                        k.role(),
                                        k.platform(),
                                        k.lon(),
                                        k.lat(),
                                        k.at(),
                                        k.straight(),
                                        v,
                                        drive
                                                + roads.metres(k.lon(), k.lat(), v) / WALK_MPS
                                                + targetWalk));
                    }
                    ranked.sort(
                            java.util.Comparator.comparingDouble(Candidate::seconds)
                                    .thenComparingLong(Candidate::id));
                    ObjectNode root = Responses.JSON.createObjectNode();
                    root.put("incidentId", incidentId);
                    ArrayNode list = root.putArray("responders");
                    for (Candidate k : ranked.subList(0, Math.min(limit, ranked.size()))) {
                        ObjectNode r = list.addObject();
                        r.put("staffId", k.id());
                        r.put("name", k.name());
                        r.put("role", k.role());
                        r.put("platform", k.platform());
                        ObjectNode pos = r.putObject("position");
                        pos.put("type", "Point");
                        pos.putArray("coordinates").add(k.lon()).add(k.lat());
                        r.put("positionAt", k.at().toString());
                        r.put("travelSeconds", Math.round(k.seconds() * 10) / 10.0);
                        r.put("straightLineMetres", Math.round(k.straight() * 10) / 10.0);
                        String route = paths.route(k.vertex());
                        r.set(
                                "route",
                                route == null
                                        ? Responses.JSON.nullNode()
                                        : Responses.JSON.readTree(route));
                    }
                    return root;
                },
                (c, root) -> Responses.json(c, 200, root));
    }
}
