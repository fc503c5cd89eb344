package org.gridgov.workorder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.gridgov.api.Csv;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.category.Versioned;
import org.gridgov.incident.EnteredBy;
import org.gridgov.incident.FirstStep;
import org.gridgov.incident.IncidentRouter;
import org.gridgov.incident.ReporterMask;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;

/**
 * 12345 hotline work orders (docs/workorders.md): a batch as JSON or CSV, all or nothing; the
 * orders waiting to be placed; placing one. The command centre's roles only (the hotline's
 * integration account is a CENTRE_OPERATOR account).
 */
public final class WorkOrderRoutes {

    /** Orders per request: a batch is one transaction. */
    static final int MAX_BATCH = 200;

    static final int MAX_LIMIT = 200;

    private final WorkOrderStore store;
    private final Versioned<HotlineCategories> mapping;
    private final CategoryCatalog catalog;
    private final CasePlan.Planner planner;
    private final Clock clock;

    public WorkOrderRoutes(
            WorkOrderStore store,
            Versioned<HotlineCategories> mapping,
            CategoryCatalog catalog,
            IncidentRouter router,
            FirstStep.Planner firstStep,
            Clock clock) {
        this.store = store;
        this.mapping = mapping;
        this.catalog = catalog;
        this.planner = new HotlineDeadlines(router, firstStep);
        this.clock = clock;
    }

    public void mount(Router r) {
        r.post("/api/v1/workorders").handler(this::intakeJson);
        r.post("/api/v1/workorders/csv").handler(this::intakeCsv);
        r.get("/api/v1/workorders").handler(this::list);
        r.post("/api/v1/workorders/:id/place").handler(this::place);
    }

    private void intakeJson(RoutingContext ctx) {
        Principal p = Access.requireAny(ctx, Role.COMMAND_CENTRE);
        requireType(ctx, "application/json", "the orders as application/json");
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("orders"))
                throw new ProblemException(
                        Problem.invalidField(
                                "/" + f, "unknown field '" + f + "'; send {\"orders\": [...]}"));
        }
        JsonNode orders = body.get("orders");
        if (orders == null || !orders.isArray() || orders.isEmpty())
            throw new ProblemException(
                    Problem.invalidField(
                            "/orders", "'orders' must be a non-empty array of work orders"));
        if (orders.size() > MAX_BATCH)
            throw new ProblemException(
                    Problem.invalidField(
                            "/orders",
                            orders.size() + " orders; at most " + MAX_BATCH + " per request"));
        List<Located> batch = new ArrayList<>();
        List<BadItem> bad = new ArrayList<>();
        OffsetDateTime now = now();
        HotlineCategories m = mapping.current();
        for (int i = 0; i < orders.size(); i++) {
            String prefix = "/orders/" + i;
            UnaryOperator<String> field = f -> prefix + f;
            try {
                batch.add(
                        new Located(
                                i, WorkOrderRequest.parse(orders.get(i), m, catalog, now), field));
            } catch (ProblemException e) {
                bad.add(WorkOrderStore.at(new Located(i, null, field), e.problem()));
            }
        }
        sameNumberTwice(batch, bad);
        store(ctx, p, batch, bad, orders.size());
    }

    private void intakeCsv(RoutingContext ctx) {
        Principal p = Access.requireAny(ctx, Role.COMMAND_CENTRE);
        requireType(ctx, "text/csv", "a CSV file (Content-Type: text/csv)");
        Buffer buf = ctx.body().buffer();
        byte[] bytes = buf == null ? new byte[0] : buf.getBytes();
        String file = "workorders.csv";
        List<WorkOrderCsv.Line> lines;
        try {
            lines = WorkOrderCsv.read(file, new ByteArrayInputStream(bytes));
        } catch (Csv.BadCsv e) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "invalid-csv",
                            "The CSV file is invalid",
                            e.getMessage(),
                            e.column() == null
                                    ? "line " + e.line()
                                    : "line " + e.line() + ", column " + e.column()));
        } catch (IllegalStateException e) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "invalid-csv",
                            "The CSV file is invalid",
                            e.getMessage() + " (save the file as CSV UTF-8)",
                            null));
        }
        if (lines.isEmpty())
            throw new ProblemException(
                    Problem.of(
                            422,
                            "invalid-csv",
                            "The CSV file is invalid",
                            file + ": no orders",
                            null));
        if (lines.size() > MAX_BATCH)
            throw new ProblemException(
                    Problem.of(
                            422,
                            "invalid-csv",
                            "The CSV file is invalid",
                            lines.size() + " orders; at most " + MAX_BATCH + " per file",
                            null));
        List<Located> batch = new ArrayList<>();
        List<BadItem> bad = new ArrayList<>();
        OffsetDateTime now = now();
        HotlineCategories m = mapping.current();
        for (WorkOrderCsv.Line l : lines) {
            UnaryOperator<String> field = f -> WorkOrderCsv.cell(file, l.line(), f);
            try {
                batch.add(
                        new Located(
                                l.line(),
                                WorkOrderRequest.parse(l.order(), m, catalog, now),
                                field));
            } catch (ProblemException e) {
                bad.add(WorkOrderStore.at(new Located(l.line(), null, field), e.problem()));
            }
        }
        sameNumberTwice(batch, bad);
        store(ctx, p, batch, bad, lines.size());
    }

    /**
     * One number twice in one batch: which content is meant is unclear, so the second is refused.
     */
    private static void sameNumberTwice(List<Located> batch, List<BadItem> bad) {
        Map<String, Located> seen = new HashMap<>();
        for (Located l : batch) {
            Located first =
                    seen.putIfAbsent(
                            WorkOrderStore.key(l.order().sourceSystem(), l.order().externalNo()),
                            l);
            if (first != null)
                bad.add(
                        new BadItem(
                                l.index(),
                                Problem.of(
                                        422,
                                        "invalid-field",
                                        "A field of the request is invalid",
                                        "order "
                                                + l.order().externalNo()
                                                + " appears twice in the batch (also at "
                                                + first.field().apply("")
                                                + ")",
                                        l.field().apply("/externalNo"))));
        }
    }

    private void store(
            RoutingContext ctx, Principal p, List<Located> batch, List<BadItem> bad, int total) {
        if (!bad.isEmpty()) {
            refuse(ctx, bad, total);
            return;
        }
        EnteredBy by = new EnteredBy(p.staffId(), p.username(), role(p), false);
        Handlers.blocking(
                ctx,
                () -> {
                    try {
                        return new Outcome(store.intake(batch, planner, by), List.of());
                    } catch (WorkOrderStore.Refused r) {
                        return new Outcome(List.of(), r.bad);
                    }
                },
                (c, result) -> {
                    if (!result.refused().isEmpty()) {
                        refuse(c, result.refused(), total);
                        return;
                    }
                    boolean created = result.stored().stream().anyMatch(s -> !s.replayed());
                    ObjectNode n = Responses.JSON.createObjectNode();
                    ArrayNode arr = n.putArray("orders");
                    for (WorkOrderStore.Stored s : result.stored()) arr.add(json(s));
                    Responses.json(c, created ? 201 : 200, n);
                });
    }

    /** What a batch came to: the stored orders, or the refused ones (nothing stored). */
    private record Outcome(List<WorkOrderStore.Stored> stored, List<BadItem> refused) {}

    /**
     * The batch refused, nothing stored: one problem naming every bad order in {@code errors}. Its
     * type is theirs when they agree (else invalid-work-orders); 409 when every one is a conflict
     * of numbers, else 422.
     */
    static void refuse(RoutingContext ctx, List<BadItem> bad, int total) {
        bad = bad.stream().sorted(java.util.Comparator.comparingLong(BadItem::index)).toList();
        Problem first = bad.get(0).problem();
        boolean sameType = bad.stream().allMatch(b -> b.problem().type().equals(first.type()));
        boolean allConflicts = bad.stream().allMatch(b -> b.problem().status() == 409);
        StringBuilder detail =
                new StringBuilder(
                        bad.size() + " of " + total + " work orders refused; nothing was stored: ");
        for (int i = 0; i < bad.size(); i++) {
            Problem b = bad.get(i).problem();
            if (i > 0) detail.append("; ");
            detail.append(b.field()).append(": ").append(b.detail());
        }
        ObjectNode node = Responses.JSON.createObjectNode();
        node.put("type", sameType ? first.type() : Problem.TYPE_BASE + "invalid-work-orders");
        node.put("title", sameType ? first.title() : "Work orders of the batch are invalid");
        int status = allConflicts ? 409 : 422;
        node.put("status", status);
        node.put("detail", detail.toString());
        node.put("field", first.field());
        node.put("instance", ctx.request().path());
        ArrayNode errors = node.putArray("errors");
        for (BadItem b : bad) {
            Problem q = b.problem();
            errors.addObject()
                    .put("index", b.index())
                    .put("field", q.field())
                    .put("type", q.type())
                    .put("status", q.status())
                    .put("detail", q.detail());
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", Responses.PROBLEM_JSON)
                .end(Buffer.buffer(node.toString()));
    }

    private void list(RoutingContext ctx) {
        Access.requireAny(ctx, Role.COMMAND_CENTRE);
        String stateText = Handlers.param(ctx, "state");
        String state = null;
        if (stateText != null) {
            state = stateText.toUpperCase(Locale.ROOT);
            if (!state.equals("UNPLACED") && !state.equals("CASE"))
                throw new ProblemException(
                        Problem.invalidParameter(
                                "state", "'state' is unplaced or case, got '" + stateText + "'"));
        }
        String source = Handlers.textParam(ctx, "sourceSystem", 64);
        int limit = intParam(ctx, "limit", 50, 1, MAX_LIMIT);
        Long incident = longParam(ctx, "incidentId");
        Long before = longParam(ctx, "before");
        String s = state;
        Handlers.blocking(
                ctx,
                () -> store.list(s, source, incident, before, limit),
                (c, rows) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    ArrayNode arr = n.putArray("orders");
                    for (int i = 0; i < Math.min(limit, rows.size()); i++)
                        arr.add(json(rows.get(i)));
                    if (rows.size() > limit) n.put("nextBefore", rows.get(limit - 1).id());
                    Responses.json(c, 200, n);
                });
    }

    private void place(RoutingContext ctx) {
        Principal p = Access.requireAny(ctx, Role.COMMAND_CENTRE);
        long id = Handlers.pathId(ctx, "id");
        requireType(ctx, "application/json", "the point as application/json");
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("location"))
                throw new ProblemException(
                        Problem.invalidField(
                                "/" + f, "unknown field '" + f + "'; allowed: location"));
        }
        double[] point = WorkOrderRequest.location(body.get("location"));
        if (point == null)
            throw new ProblemException(
                    Problem.invalidField(
                            "/location", "'location' is required: {\"lon\": …, \"lat\": …}"));
        EnteredBy by = new EnteredBy(p.staffId(), p.username(), role(p), false);
        Handlers.blocking(
                ctx,
                () -> store.place(id, point[0], point[1], this::order, planner, by),
                (c, s) -> {
                    c.response().putHeader("Location", "/api/v1/incidents/" + s.incidentId());
                    Responses.json(c, 201, json(s).without("index"));
                });
    }

    /** A stored order made an order again, to be placed: its category as in force at the call. */
    private WorkOrder order(WorkOrderStore.Row r) {
        var category =
                catalog.at(r.reportedAt().toInstant())
                        .find(r.category())
                        .or(() -> catalog.find(r.category()))
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "category " + r.category() + " vanished"));
        return new WorkOrder(
                r.sourceSystem(),
                r.externalNo(),
                r.externalCategory(),
                category,
                r.text(),
                r.reportedAt(),
                r.signDueAt(),
                r.completeDueAt(),
                r.callerName(),
                r.callerPhone(),
                r.address(),
                null,
                null);
    }

    static ObjectNode json(WorkOrderStore.Stored s) {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("index", s.index());
        n.put("id", s.id());
        n.put("sourceSystem", s.sourceSystem());
        n.put("externalNo", s.externalNo());
        n.put("state", s.state());
        if (s.incidentId() == null) n.putNull("incidentId");
        else n.put("incidentId", s.incidentId());
        ArrayNode d = n.putArray("proposedDuplicates");
        s.proposedDuplicates().forEach(d::add);
        n.put("replayed", s.replayed());
        return n;
    }

    /** An order of the list: the caller masked, as every list is (docs/personal-data.md). */
    static ObjectNode json(WorkOrderStore.Row r) {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("id", r.id());
        n.put("sourceSystem", r.sourceSystem());
        n.put("externalNo", r.externalNo());
        n.put("externalCategory", r.externalCategory());
        n.put("category", r.category());
        n.put("text", r.text());
        if (r.address() == null) n.putNull("address");
        else n.put("address", r.address());
        if (r.lon() == null) n.putNull("location");
        else n.putObject("location").put("lon", r.lon()).put("lat", r.lat());
        n.put("reportedAt", r.reportedAt().toString());
        n.put("signDueAt", r.signDueAt().toString());
        n.put("completeDueAt", r.completeDueAt().toString());
        if (r.callerName() != null || r.callerPhone() != null) {
            ObjectNode c = n.putObject("caller");
            if (r.callerName() != null) c.put("name", ReporterMask.name(r.callerName()));
            if (r.callerPhone() != null) c.put("phone", ReporterMask.phone(r.callerPhone()));
        }
        n.put("state", r.state());
        if (r.incidentId() == null) n.putNull("incidentId");
        else n.put("incidentId", r.incidentId());
        ArrayNode d = n.putArray("proposedDuplicates");
        r.proposedDuplicates().forEach(d::add);
        n.put("receivedAt", r.receivedAt().toString());
        return n;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock)
                .withOffsetSameInstant(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.MICROS);
    }

    private static String role(Principal p) {
        for (Role r : p.roles()) if (Role.COMMAND_CENTRE.contains(r)) return r.name();
        return p.roles().iterator().next().name();
    }

    private static int intParam(RoutingContext ctx, String name, int dflt, int min, int max) {
        String v = Handlers.param(ctx, name);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(
                Problem.invalidParameter(
                        name, "'" + name + "' is a whole number from " + min + " to " + max));
    }

    private static Long longParam(RoutingContext ctx, String name) {
        String v = Handlers.param(ctx, name);
        if (v == null) return null;
        try {
            long n = Long.parseLong(v);
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(
                Problem.invalidParameter(name, "'" + name + "' is a positive whole number"));
    }

    private static void requireType(RoutingContext ctx, String type, String what) {
        String t = ctx.request().getHeader("Content-Type");
        if (t == null || !t.toLowerCase(Locale.ROOT).startsWith(type))
            throw new ProblemException(
                    Problem.unsupportedMediaType(
                            "send "
                                    + what
                                    + ", got "
                                    + (t == null ? "no Content-Type" : "'" + t + "'")));
    }
}
