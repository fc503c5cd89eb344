package org.gridgov.place;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Handlers;
import org.gridgov.api.HeldBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.Responses;
import org.gridgov.geo.Bbox;
import org.gridgov.grid.UploadConversion;
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
    private final UploadConversion files;

    public PlaceRoutes(PlaceStore store, UploadConversion files) {
        this.store = store;
        this.files = files;
    }

    public void mount(Router r) {
        r.get("/api/v1/departments").handler(this::departments);
        r.get("/api/v1/places").handler(this::places);
        r.get("/api/v1/places/:id").handler(this::place);
        r.get("/api/v1/facilities").handler(this::facilities);
        r.get("/api/v1/facilities/:code").handler(this::facility);
        // the file is read only once the caller may import (ApiRouter held it)
        for (boolean places : new boolean[] {true, false})
            r.post(places ? "/api/v1/places/import" : "/api/v1/facilities/import")
                    .handler(this::admitImport)
                    .handler(HeldBody.reader(files.maxBytes()))
                    .handler(ctx -> importFile(ctx, places));
    }

    /**
     * An import of places or facilities (GeoJSON or CSV), all or nothing: 200 with what it did, or
     * 422 listing every problem with its feature or line (docs/places.md).
     */
    private void admitImport(RoutingContext ctx) {
        Access.requireAny(ctx, Role.PLANNERS);
        ctx.next();
    }

    private void importFile(RoutingContext ctx, boolean places) {
        String type = ctx.request().getHeader("Content-Type");
        String t = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT);
        byte[] body = HeldBody.of(ctx).getBytes();
        if (UploadConversion.isPackaged(body)) {
            // a GeoPackage or zipped Shapefile, in any CRS offered: converted as the base-unit
            // import converts its files, then read as the GeoJSON it becomes
            String srs = Handlers.param(ctx, "srs");
            Handlers.blocking(
                    ctx,
                    () -> files.toGeoJson(body, srs),
                    (c, fc) -> write(c, PlaceImport.geoJson((ObjectNode) fc, places), places));
            return;
        }
        PlaceImport.Read read;
        if (t.startsWith("text/csv")) read = PlaceImport.csv(body, places);
        else if (t.startsWith("application/geo+json") || t.startsWith("application/json"))
            read = PlaceImport.geoJson(org.gridgov.api.JsonBody.object(HeldBody.of(ctx)), places);
        else
            throw new ProblemException(
                    Problem.unsupportedMediaType(
                            "send a GeoJSON FeatureCollection (application/geo+json), a CSV"
                                    + " file (text/csv), a GeoPackage or a zipped Shapefile,"
                                    + " found "
                                    + (type == null ? "none" : type)));
        write(ctx, read, places);
    }

    /** Writes what was read, all or nothing; 422 with every problem. */
    private void write(RoutingContext ctx, PlaceImport.Read read, boolean places) {
        if (!read.issues().isEmpty()) {
            refuse(ctx, read.issues());
            return;
        }
        Handlers.blocking(
                ctx,
                () -> store.importRows(read.rows(), places),
                (c, done) -> {
                    if (!done.issues().isEmpty()) {
                        refuse(c, done.issues());
                        return;
                    }
                    ObjectNode n = Responses.JSON.createObjectNode();
                    n.put("inserted", done.inserted()).put("updated", done.updated());
                    Responses.json(c, 200, n);
                });
    }

    /** 422 problem+json with every problem found; nothing was written. */
    private static void refuse(RoutingContext ctx, java.util.List<PlaceImport.Issue> issues) {
        PlaceImport.Issue first = issues.get(0);
        Problem p =
                Problem.of(
                        422,
                        "invalid-import",
                        "The import is invalid; nothing was written",
                        issues.size()
                                + " problem(s); the first: "
                                + first.where()
                                + (first.code() == null ? "" : " (" + first.code() + ")")
                                + ": "
                                + first.problem(),
                        null);
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("type", p.type())
                .put("title", p.title())
                .put("status", p.status())
                .put("detail", p.detail())
                .put("instance", ctx.request().path());
        ArrayNode a = n.putArray("errors");
        issues.stream()
                .limit(200)
                .forEach(
                        i ->
                                a.addObject()
                                        .put("at", i.where())
                                        .put("code", i.code())
                                        .put("problem", i.problem()));
        ctx.response()
                .setStatusCode(422)
                .putHeader("Content-Type", Responses.PROBLEM_JSON)
                .end(n.toString());
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
                () -> {
                    Place place =
                            store.place(id)
                                    .orElseThrow(
                                            () ->
                                                    new ProblemException(
                                                            Problem.notFound(
                                                                    "place "
                                                                            + id
                                                                            + " does not exist")));
                    // an unmasked owner leaves a row first, as a reporter does (reporter_read)
                    if (owner && (place.ownerName() != null || place.ownerPhone() != null))
                        store.logOwnerRead(
                                p.staffId(),
                                String.join(
                                        ",", p.roles().stream().map(Role::name).sorted().toList()),
                                id,
                                "GET /api/v1/places/{id}");
                    return place;
                },
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
