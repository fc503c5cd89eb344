package org.gridgov.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.incident.IncidentRoutes;
import org.gridgov.incident.IncidentStore;
import org.gridgov.incident.Visibility;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;

/** POST /api/v1/incidents/{id}/actions and the workflow's queues. */
public final class WorkflowRoutes {

    private final CaseEngine engine;
    private final IncidentStore incidents;
    private final Duplicates duplicates;
    private final Queues queues;
    private final Subtasks subtasks;
    private final java.time.Clock clock;

    public WorkflowRoutes(
            CaseEngine engine,
            IncidentStore incidents,
            Duplicates duplicates,
            Queues queues,
            Subtasks subtasks,
            java.time.Clock clock) {
        this.engine = engine;
        this.subtasks = subtasks;
        this.clock = clock;
        this.incidents = incidents;
        this.duplicates = duplicates;
        this.queues = queues;
    }

    public void mount(Router r) {
        r.post("/api/v1/incidents/:id/actions").handler(this::action);
        r.get("/api/v1/incidents/:id/actions").handler(this::allowed);
        r.get("/api/v1/incidents/:id/duplicates").handler(this::duplicates);
        r.get("/api/v1/workflow/queues/:queue").handler(this::queue);
        r.post("/api/v1/incidents/:id/subtasks/:sid/actions").handler(this::subtaskAction);
        r.get("/api/v1/subtasks").handler(this::mySubtasks);
    }

    /** One subtask's start, finish or reassignment; answers the incident as an action does. */
    private void subtaskAction(RoutingContext ctx) {
        Principal p = Access.require(ctx);
        long id = Handlers.pathId(ctx, "id");
        long sid = Handlers.pathId(ctx, "sid");
        String key = idempotencyKey(ctx);
        SubtaskRequest req = SubtaskRequest.parse(JsonBody.object(ctx.body().buffer()));
        Handlers.blocking(
                ctx,
                () -> {
                    CaseEngine.Outcome o = engine.applySubtask(p, id, sid, req, key);
                    return IncidentRoutes.forReader(
                            incidents,
                            p,
                            incidents.find(o.incidentId()).orElseThrow(),
                            "POST /api/v1/incidents/{id}/subtasks/{sid}/actions");
                },
                (c, n) -> Responses.json(c, 200, n));
    }

    /** GET /api/v1/subtasks?assignee=me: the caller's subtasks not done. */
    private void mySubtasks(RoutingContext ctx) {
        Principal p = Access.require(ctx);
        String who = Handlers.param(ctx, "assignee");
        if (!"me".equals(who))
            throw new ProblemException(
                    Problem.invalidParameter(
                            "assignee", "'assignee' is required and must be 'me' (your subtasks)"));
        Handlers.blocking(
                ctx,
                () -> subtasks.mine(p.staffId(), clock.instant()),
                (c, n) -> Responses.json(c, 200, n));
    }

    private void action(RoutingContext ctx) {
        Principal p = Access.require(ctx);
        long id = Handlers.pathId(ctx, "id");
        String key = idempotencyKey(ctx);
        ActionRequest req = ActionRequest.parse(JsonBody.object(ctx.body().buffer()));
        Handlers.blocking(
                ctx,
                () -> {
                    CaseEngine.Outcome o = engine.apply(p, id, req, key);
                    return IncidentRoutes.forReader(
                            incidents,
                            p,
                            incidents.find(o.incidentId()).orElseThrow(),
                            "POST /api/v1/incidents/{id}/actions");
                },
                (c, n) -> Responses.json(c, 200, n));
    }

    /** The actions the caller may take now, with the version to send as expectedVersion. */
    private void allowed(RoutingContext ctx) {
        Principal p = Access.require(ctx);
        long id = Handlers.pathId(ctx, "id");
        Handlers.blocking(
                ctx,
                () -> {
                    AllowedActions a = engine.allowed(p, id);
                    // like GET /api/v1/incidents/{id}: a case outside the caller's scope is not
                    // theirs to look at
                    // a subtask's holder acts on their subtask though the case is not theirs
                    if (!a.inScope() && a.subtasks().isEmpty()) throw Visibility.notYourCase(id);
                    return a;
                },
                (c, a) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    n.put("incidentId", a.incidentId())
                            .put("version", a.version())
                            .put("status", a.status().name())
                            .put("inScope", a.inScope());
                    if (a.pendingRequest() != null)
                        n.put("pendingRequest", a.pendingRequest().name());
                    else n.putNull("pendingRequest");
                    var arr = n.putArray("actions");
                    a.actions().forEach(x -> arr.add(x.wire));
                    var subs = n.putArray("subtasks");
                    for (AllowedActions.SubtaskOffer o : a.subtasks()) {
                        var so = subs.addObject();
                        so.put("id", o.subtaskId()).put("platform", o.platform());
                        var sa = so.putArray("actions");
                        o.actions().forEach(x -> sa.add(x.wire));
                    }
                    Responses.json(c, 200, n);
                });
    }

    private void duplicates(RoutingContext ctx) {
        Principal p = Access.requireAny(ctx, Role.COMMAND_CENTRE);
        long id = Handlers.pathId(ctx, "id");
        int radius = intParam(ctx, "radius", Duplicates.DEFAULT_RADIUS_M, 1, 2000);
        int days = intParam(ctx, "days", Duplicates.DEFAULT_DAYS, 1, 365);
        Handlers.blocking(
                ctx,
                () -> duplicates.suggest(id, radius, days),
                (c, list) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    n.put("incidentId", id).put("radiusM", radius).put("days", days);
                    var arr = n.putArray("candidates");
                    for (Duplicates.Candidate d : list) {
                        arr.addObject()
                                .put("id", d.id())
                                .put("status", d.status())
                                .put("category", d.category())
                                .put("distanceM", Math.round(d.distanceM() * 10) / 10.0)
                                .put("reportedAt", d.reportedAt().toString());
                    }
                    Responses.json(c, 200, n);
                });
    }

    private void queue(RoutingContext ctx) {
        Long own = Access.requireAny(ctx, Role.COMMAND_CENTRE).subdistrictId();
        String q = ctx.pathParam("queue");
        if (!Queues.NAMES.contains(q))
            throw new ProblemException(
                    Problem.notFound("no queue '" + q + "'; one of " + Queues.NAMES));
        int limit = intParam(ctx, "limit", 100, 1, 1000);
        Handlers.blocking(
                ctx, () -> queues.list(q, own, limit), (c, n) -> Responses.json(c, 200, n));
    }

    static final int MAX_KEY = 100;

    /**
     * The Idempotency-Key of a case action (a phone's queued action), null when none; 400 when it
     * is not one key of 1 to 100 visible ASCII characters.
     */
    static String idempotencyKey(RoutingContext ctx) {
        java.util.List<String> all = ctx.request().headers().getAll(IncidentRoutes.IDEMPOTENCY_KEY);
        if (all.isEmpty()) return null;
        String key = all.get(0);
        if (all.size() > 1
                || key.isEmpty()
                || key.length() > MAX_KEY
                || !key.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e))
            throw new ProblemException(
                    Problem.of(
                            400,
                            "invalid-idempotency-key",
                            "The Idempotency-Key header is invalid",
                            "give one key of 1 to "
                                    + MAX_KEY
                                    + " visible ASCII characters (a UUID is ideal)",
                            IncidentRoutes.IDEMPOTENCY_KEY));
        return key;
    }

    static int intParam(RoutingContext ctx, String name, int def, int min, int max) {
        String v = Handlers.param(ctx, name);
        if (v == null) return def;
        try {
            int x = Integer.parseInt(v);
            if (x >= min && x <= max) return x;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProblemException(
                Problem.invalidParameter(
                        name, "'" + name + "' must be a whole number from " + min + " to " + max));
    }
}
