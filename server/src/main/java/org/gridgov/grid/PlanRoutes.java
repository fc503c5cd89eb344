package org.gridgov.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.Responses;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.rebalance.PlanLayout;
import org.gridgov.rebalance.UnitGraph;

/**
 * /api/v1/plans…: list, read, create a draft from a plan, validate, adopt at an effective time,
 * edit a draft (with undo and redo), and GET /api/v1/grids/at (which grid covered a point at a
 * time). Each subdistrict has its own plans: a caller of one subdistrict sees and changes only its
 * plans (another's answer 404, as if they did not exist); district-wide callers see all.
 */
public final class PlanRoutes {

    private final Planning planning;
    private final PlanQueries queries;

    public PlanRoutes(Planning planning) {
        this.planning = planning;
        this.queries = new PlanQueries(planning);
    }

    public void mount(Router router) {
        router.get("/api/v1/plans").handler(this::list);
        router.post("/api/v1/plans").handler(this::create);
        router.get("/api/v1/plans/:id").handler(this::one);
        router.post("/api/v1/plans/:id/validate").handler(this::validate);
        router.post("/api/v1/plans/:id/adopt").handler(this::adopt);
        router.post("/api/v1/plans/:id/edits").handler(this::edit);
        router.get("/api/v1/plans/:id/edits").handler(this::history);
        router.get("/api/v1/plans/:id/units").handler(this::units);
        router.post("/api/v1/plans/:id/undo").handler(this::undo);
        router.post("/api/v1/plans/:id/redo").handler(this::redo);
        router.get("/api/v1/plans/:a/compare/:b").handler(this::compare);
        router.get("/api/v1/plans/:id/export").handler(this::export);
        router.get("/api/v1/grids/at").handler(this::gridAt);
    }

    /** The caller's subdistrict; null for a district-wide caller. */
    private static Long scope(RoutingContext ctx) {
        Principal p = Access.caller(ctx);
        return p == null ? null : p.subdistrictId();
    }

    private ObjectNode json(PlanStore.PlanRow p) {
        Instant now = planning.clock().instant();
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("id", p.id());
        n.put("name", p.name());
        n.put("status", p.statusNow(now));
        n.put("inEffect", p.inEffect(now));
        if (p.effectiveFrom() != null) n.put("effectiveFrom", p.effectiveFrom().toString());
        else n.putNull("effectiveFrom");
        if (p.effectiveTo() != null) n.put("effectiveTo", p.effectiveTo().toString());
        else n.putNull("effectiveTo");
        if (p.basedOn() != null) n.put("basedOn", p.basedOn());
        else n.putNull("basedOn");
        n.put("version", p.version());
        n.put("createdAt", p.createdAt().toString());
        if (p.subdistrictId() != null) n.put("subdistrictId", p.subdistrictId());
        else n.putNull("subdistrictId");
        return n;
    }

    /**
     * GET /api/v1/plans[?subdistrict=ID]: the caller's subdistrict's plans; a district-wide caller
     * sees every plan, or one subdistrict's with ?subdistrict=.
     */
    private void list(RoutingContext ctx) {
        Long scope = scope(ctx);
        Long asked = QueryParams.positiveLong(ctx, "subdistrict");
        if (scope != null && asked != null && !scope.equals(asked))
            throw Access.forbidden(
                    "your scope is subdistrict "
                            + scope
                            + "; the plans of subdistrict "
                            + asked
                            + " are not yours to see");
        Long subdistrict = scope != null ? scope : asked;
        Handlers.blocking(
                ctx,
                () -> {
                    ObjectNode out = Responses.JSON.createObjectNode();
                    ArrayNode plans = out.putArray("plans");
                    for (PlanStore.PlanRow p : queries.list(subdistrict)) plans.add(json(p));
                    return out;
                },
                (c, out) -> Responses.json(c, 200, out));
    }

    private void one(RoutingContext ctx) {
        long id = Handlers.pathId(ctx, "id");
        Handlers.blocking(
                ctx,
                () -> {
                    PlanQueries.Counted p = queries.counted(id, scope(ctx));
                    ObjectNode n = json(p.plan());
                    n.put("grids", p.grids());
                    return n;
                },
                (c, out) -> Responses.json(c, 200, out));
    }

    /**
     * POST /api/v1/plans {"from": "active"|id|"empty", "name"?, "subdistrictId"?}: a draft copy of
     * a plan, or (empty) a draft with no grids for the rebalancer to grow a first plan in; the
     * draft is the subdistrict's (default: the caller's; district-wide callers name one when the
     * district has several).
     */
    private void create(RoutingContext ctx) {
        Planning.requirePlanner(ctx);
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        JsonNode from = body.get("from");
        String fromText = from == null ? "active" : from.asText();
        if (from != null && !from.isTextual() && !from.isIntegralNumber()) {
            throw new ProblemException(
                    Problem.invalidField("/from", "'from' must be 'active', 'empty' or a plan id"));
        }
        JsonNode nameNode = body.get("name");
        if (nameNode != null
                && (!nameNode.isTextual()
                        || nameNode.asText().isBlank()
                        || nameNode.asText().length() > 200)) {
            throw new ProblemException(
                    Problem.invalidField(
                            "/name",
                            "'name' must be a non-empty string of at most 200 characters"));
        }
        Long requested = Planning.requestedSubdistrict(body);
        Long scope = scope(ctx);
        Handlers.blocking(
                ctx,
                () -> {
                    Long subdistrict = queries.draftSubdistrict(requested, scope);
                    String name = nameNode != null ? nameNode.asText().strip() : null;
                    long id = queries.createDraft(fromText, name, subdistrict, scope);
                    return json(queries.require(id, scope));
                },
                (c, out) -> {
                    c.response().putHeader("Location", "/api/v1/plans/" + out.get("id").asLong());
                    Responses.json(c, 201, out);
                });
    }

    private double band(ObjectNode body) {
        JsonNode b = body == null ? null : body.get("band");
        if (b == null) return planning.model().band();
        if (!b.isNumber() || b.asDouble() <= 0 || b.asDouble() > 10)
            throw new ProblemException(
                    Problem.invalidField("/band", "'band' must be a number in (0, 10]"));
        return b.asDouble();
    }

    /** POST /api/v1/plans/{id}/validate {"band"?}: every problem of the plan. */
    private void validate(RoutingContext ctx) {
        long id = Handlers.pathId(ctx, "id");
        ObjectNode body = ctx.body().length() == 0 ? null : JsonBody.object(ctx.body().buffer());
        double band = band(body);
        Long scope = scope(ctx);
        Handlers.blocking(
                ctx,
                () -> {
                    Long subdistrict = queries.subdistrictOf(id, scope);
                    UnitGraph g = planning.graph(subdistrict);
                    var w = planning.workloads(g, subdistrict, planning.defaultWindow());
                    PlanQueries.Validation v = queries.validate(id, g, w, band, scope);
                    return v.report().json(id, v.plan().version());
                },
                (c, out) -> Responses.json(c, 200, out));
    }

    /** POST /api/v1/plans/{id}/adopt {"effectiveFrom", "expectedVersion"?}. */
    private void adopt(RoutingContext ctx) {
        Planning.requirePlanner(ctx);
        long id = Handlers.pathId(ctx, "id");
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        JsonNode t = body.get("effectiveFrom");
        if (t == null || !t.isTextual())
            throw new ProblemException(
                    Problem.invalidField(
                            "/effectiveFrom",
                            "'effectiveFrom' (ISO-8601 time with offset) is required"));
        Instant from;
        try {
            from = OffsetDateTime.parse(t.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new ProblemException(
                    Problem.invalidField(
                            "/effectiveFrom",
                            "'effectiveFrom' must be an ISO-8601 time with offset"));
        }
        Integer expected = body.has("expectedVersion") ? PlanEditor.expectedVersion(body) : null;
        double band = band(body);
        Long scope = scope(ctx);
        Handlers.blocking(
                ctx,
                () -> {
                    Long subdistrict = queries.subdistrictOf(id, scope);
                    UnitGraph g = planning.graph(subdistrict);
                    var w = planning.workloads(g, subdistrict, planning.defaultWindow());
                    queries.adopt(
                            id, from, expected, g, w, band, planning.clock().instant(), scope);
                    planning.plans().refreshIfChanged();
                    return json(queries.require(id, scope));
                },
                (c, out) -> Responses.json(c, 200, out));
    }

    private void edit(RoutingContext ctx) {
        Planning.requirePlanner(ctx);
        long id = Handlers.pathId(ctx, "id");
        PlanEdit.Request req = PlanEdit.parse(JsonBody.object(ctx.body().buffer()));
        Handlers.blocking(
                ctx,
                () -> queries.edit(id, req, scope(ctx)),
                (c, out) -> Responses.json(c, 200, out));
    }

    private void undo(RoutingContext ctx) {
        Planning.requirePlanner(ctx);
        long id = Handlers.pathId(ctx, "id");
        int expected = PlanEditor.expectedVersion(JsonBody.object(ctx.body().buffer()));
        Handlers.blocking(
                ctx,
                () -> queries.undo(id, expected, scope(ctx)),
                (c, out) -> Responses.json(c, 200, out));
    }

    /**
     * GET /api/v1/plans/{id}/units: which grid holds each base unit, as parallel arrays (6,000
     * units ≈ 150 kB): what the planner screen needs to pick units by click or lasso and to show
     * the units two plans disagree on, without shipping unit geometry (that comes from
     * /tiles/base_units).
     */
    /** ?format=geojson|gpkg|shp&crs=an offered EPSG code (Planning.offeredCrs). */
    private void export(RoutingContext ctx) {
        long id = Handlers.pathId(ctx, "id");
        PlanExport.Format format = PlanExport.format(Handlers.param(ctx, "format"));
        int crs = PlanExport.crs(Handlers.param(ctx, "crs"), planning.offeredCrs());
        Handlers.blocking(
                ctx,
                () -> PlanExport.convert(queries.exportFeatures(id, scope(ctx)), format, crs),
                (c, bytes) -> {
                    String file = "plan-" + id + "." + format.extension();
                    c.response()
                            .putHeader("Content-Type", format.contentType())
                            .putHeader(
                                    "Content-Disposition", "attachment; filename=\"" + file + "\"")
                            .end(Buffer.buffer(bytes));
                });
    }

    private void units(RoutingContext ctx) {
        long id = Handlers.pathId(ctx, "id");
        Handlers.blocking(
                ctx,
                () -> {
                    List<PlanQueries.UnitGrid> unitGrids = queries.unitGrids(id, scope(ctx));
                    ObjectNode out = Responses.JSON.createObjectNode();
                    out.put("planId", id);
                    ArrayNode units = out.putArray("unitIds"),
                            grids = out.putArray("gridIds"),
                            codes = out.putArray("gridCodes");
                    for (PlanQueries.UnitGrid u : unitGrids) {
                        units.add(u.unitId());
                        grids.add(u.gridId());
                        codes.add(u.gridCode());
                    }
                    return out;
                },
                (c, out) -> Responses.json(c, 200, out));
    }

    private void redo(RoutingContext ctx) {
        Planning.requirePlanner(ctx);
        long id = Handlers.pathId(ctx, "id");
        int expected = PlanEditor.expectedVersion(JsonBody.object(ctx.body().buffer()));
        Handlers.blocking(
                ctx,
                () -> queries.redo(id, expected, scope(ctx)),
                (c, out) -> Responses.json(c, 200, out));
    }

    private void history(RoutingContext ctx) {
        long id = Handlers.pathId(ctx, "id");
        Handlers.blocking(
                ctx,
                () -> {
                    PlanQueries.History h = queries.history(id, scope(ctx));
                    ObjectNode out = Responses.JSON.createObjectNode();
                    out.set("edits", h.edits());
                    out.set("redo", h.redo());
                    return out;
                },
                (c, out) -> Responses.json(c, 200, out));
    }

    private void compare(RoutingContext ctx) {
        long a = Handlers.pathId(ctx, "a"), b = Handlers.pathId(ctx, "b");
        Long scope = scope(ctx);
        Handlers.blocking(
                ctx,
                () -> {
                    // two plans of one subdistrict compare over its units
                    Long subdistrict = queries.subdistrictOf(a, scope);
                    UnitGraph g = planning.graph(subdistrict);
                    var w = planning.workloads(g, subdistrict, planning.defaultWindow());
                    List<PlanLayout> layouts = queries.layouts(g, scope, a, b);
                    return PlanComparison.compare(a, layouts.get(0), b, layouts.get(1), g, w);
                },
                (c, out) -> Responses.json(c, 200, out));
    }

    /**
     * GET /api/v1/grids/at?lon=&lat=&at=: the plan in effect at that time and its grid covering the
     * point.
     */
    private void gridAt(RoutingContext ctx) {
        double lon = coordinate(ctx, "lon", 180), lat = coordinate(ctx, "lat", 90);
        String atText = Handlers.param(ctx, "at");
        Instant at;
        try {
            at =
                    atText == null
                            ? planning.clock().instant()
                            : OffsetDateTime.parse(atText).toInstant();
        } catch (DateTimeParseException e) {
            throw new ProblemException(
                    Problem.invalidParameter("at", "'at' must be an ISO-8601 time with offset"));
        }
        Handlers.blocking(
                ctx,
                () -> {
                    planning.plans().refreshIfChanged();
                    // among every subdistrict's plan in effect at that time
                    if (planning.plans().periodsAt(at).isEmpty())
                        throw new ProblemException(
                                Problem.notFound("no grid plan was in effect at " + at));
                    GridIndex index = planning.plans().indexAt(at);
                    GridIndex.Hit hit =
                            index.find(lon, lat)
                                    .orElseThrow(
                                            () ->
                                                    new ProblemException(
                                                            Problem.notFound(
                                                                    "no grid of the plans "
                                                                            + index.planIds()
                                                                            + " in effect covers "
                                                                            + lon
                                                                            + ","
                                                                            + lat)));
                    GridCell cell = hit.cell();
                    ObjectNode out = Responses.JSON.createObjectNode();
                    out.put("at", at.toString());
                    out.put("planId", hit.planId());
                    ObjectNode grid = out.putObject("grid");
                    grid.put("id", cell.id());
                    grid.put("code", cell.code());
                    grid.put("communityId", cell.communityId());
                    // the grid's worker; who is on duty at a time is GET /api/v1/rosters/on-duty
                    Long worker = cell.people().workerId();
                    if (worker != null) grid.put("workerId", worker);
                    return out;
                },
                (c, out) -> Responses.json(c, 200, out));
    }

    private static double coordinate(RoutingContext ctx, String name, double limit) {
        String v = Handlers.param(ctx, name);
        if (v == null)
            throw new ProblemException(
                    Problem.invalidParameter(name, "'" + name + "' is required"));
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d) || Math.abs(d) > limit) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new ProblemException(
                    Problem.invalidParameter(
                            name, "'" + name + "' must be a number within ±" + (int) limit));
        }
    }
}
