package org.gridgov.place;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.Responses;
import org.gridgov.geo.Bbox;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;

/**
 * Places, facilities and departments for staff (docs/places.md): lists for pickers and maps, one by
 * id or code. The owner of a place is personal data: shown as stored only reading one place, and
 * only to {@link Role#SEES_PLACE_OWNERS}; masked otherwise.
 */
public final class PlaceRoutes {

    static final int PLACE_LIMIT = 200, PLACE_MAX = 2000;
    static final int FACILITY_LIMIT = 500, FACILITY_MAX = 5000;

    private final PlaceStore store;

    public PlaceRoutes(PlaceStore store) {
        this.store = store;
    }

    public void mount(Router r) {
        r.get("/api/v1/departments").handler(this::departments);
        r.get("/api/v1/places").handler(this::places);
        r.get("/api/v1/places/:id").handler(this::place);
        r.get("/api/v1/facilities").handler(this::facilities);
        r.get("/api/v1/facilities/:code").handler(this::facility);
    }

    private void departments(RoutingContext ctx) {
        Access.require(ctx);
        Handlers.blocking(
                ctx,
                store::departments,
                (c, list) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    ArrayNode a = n.putArray("departments");
                    list.forEach(d -> a.add(PlaceJson.department(d)));
                    Responses.json(c, 200, n);
                });
    }

    private void places(RoutingContext ctx) {
        Access.require(ctx);
        var q =
                new PlaceStore.PlaceQuery(
                        bbox(ctx),
                        QueryParams.oneOf(ctx, "kind", PlaceKinds.PLACES),
                        QueryParams.positiveLong(ctx, "unitId"),
                        QueryParams.positiveLong(ctx, "gridId"),
                        QueryParams.whole(ctx, "limit", 1, PLACE_MAX, PLACE_LIMIT));
        Handlers.blocking(
                ctx,
                // one more than asked: whether the list was cut
                () -> store.places(withLimit(q, q.limit() + 1)),
                (c, list) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    ArrayNode a = n.putArray("places");
                    // lists are masked for everyone, as lists of cases are
                    list.stream().limit(q.limit()).forEach(p -> a.add(PlaceJson.place(p, false)));
                    n.put("limit", q.limit()).put("truncated", list.size() > q.limit());
                    Responses.json(c, 200, n);
                });
    }

    private static PlaceStore.PlaceQuery withLimit(PlaceStore.PlaceQuery q, int limit) {
        return new PlaceStore.PlaceQuery(q.bbox(), q.kind(), q.unitId(), q.gridId(), limit);
    }

    private void place(RoutingContext ctx) {
        Principal p = Access.require(ctx);
        long id = Handlers.pathId(ctx, "id");
        boolean owner = p.hasAny(Role.SEES_PLACE_OWNERS);
        Handlers.blocking(
                ctx,
                () ->
                        store.place(id)
                                .orElseThrow(
                                        () ->
                                                new ProblemException(
                                                        Problem.notFound(
                                                                "place "
                                                                        + id
                                                                        + " does not exist"))),
                (c, place) -> Responses.json(c, 200, PlaceJson.place(place, owner)));
    }

    private void facilities(RoutingContext ctx) {
        Access.require(ctx);
        String department = Handlers.param(ctx, "department");
        if (department != null && !department.matches("[A-Z][A-Z0-9_]{1,31}"))
            throw new ProblemException(
                    Problem.invalidParameter(
                            "department",
                            "'"
                                    + department
                                    + "' is not a department code; GET"
                                    + " /api/v1/departments lists them"));
        var q =
                new PlaceStore.FacilityQuery(
                        bbox(ctx),
                        QueryParams.oneOf(ctx, "kind", PlaceKinds.FACILITIES),
                        department,
                        QueryParams.whole(ctx, "limit", 1, FACILITY_MAX, FACILITY_LIMIT));
        Handlers.blocking(
                ctx,
                () ->
                        store.facilities(
                                new PlaceStore.FacilityQuery(
                                        q.bbox(), q.kind(), q.department(), q.limit() + 1)),
                (c, list) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    ArrayNode a = n.putArray("facilities");
                    list.stream().limit(q.limit()).forEach(f -> a.add(PlaceJson.facility(f)));
                    n.put("limit", q.limit()).put("truncated", list.size() > q.limit());
                    Responses.json(c, 200, n);
                });
    }

    private void facility(RoutingContext ctx) {
        Access.require(ctx);
        String code = ctx.pathParam("code");
        if (code == null || !code.matches(PlaceKinds.CODE))
            throw new ProblemException(
                    Problem.invalidParameter(
                            "code",
                            "'"
                                    + code
                                    + "' is not a facility code (1 to 40 of A-Z, a-z,"
                                    + " 0-9, '_', '-')"));
        Handlers.blocking(
                ctx,
                () ->
                        store.facility(code)
                                .orElseThrow(
                                        () ->
                                                new ProblemException(
                                                        Problem.notFound(
                                                                "facility '"
                                                                        + code
                                                                        + "' does not exist"))),
                (c, f) -> Responses.json(c, 200, PlaceJson.facility(f)));
    }

    private static Bbox bbox(RoutingContext ctx) {
        String b = Handlers.param(ctx, "bbox");
        return b == null ? null : Bbox.parse("bbox", b);
    }
}
