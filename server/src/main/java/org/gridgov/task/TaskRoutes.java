package org.gridgov.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Multipart;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.incident.EnteredBy;
import org.gridgov.media.MediaQueries;
import org.gridgov.media.Photo;
import org.gridgov.media.Photos;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;

/**
 * Tasks (docs/tasks.md): a commander or grid leader creates one; the worker lists theirs, uploads
 * photos for its check items and completes it; a commander cancels it.
 */
public final class TaskRoutes {

    static final int MAX_LIMIT = 500;
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x20-\\x7e]{1,100}");

    private final TaskStore store;
    private final CategoryCatalog catalog;
    private final Photos photos;
    private final MediaQueries media;
    private final TaskStore.FailedCheckReporter reporter;

    public TaskRoutes(
            TaskStore store,
            CategoryCatalog catalog,
            Photos photos,
            MediaQueries media,
            org.gridgov.incident.IncidentStore incidents,
            org.gridgov.incident.IncidentRouter router,
            org.gridgov.incident.FirstStep.Planner firstStep) {
        this.store = store;
        this.catalog = catalog;
        this.photos = photos;
        this.media = media;
        this.reporter = new FailedChecks(incidents, router, firstStep, catalog);
    }

    public void mount(Router r) {
        r.post("/api/v1/tasks").handler(this::create);
        r.get("/api/v1/tasks").handler(this::list);
        r.get("/api/v1/tasks/:id").handler(this::one);
        r.post("/api/v1/tasks/:id/photos")
                .handler(this::admitPhotos)
                .handler(Multipart.reader(photos.limits("photo")))
                .handler(this::addPhotos);
        r.post("/api/v1/tasks/:id/complete").handler(this::complete);
        r.post("/api/v1/tasks/:id/cancel").handler(this::cancel);
    }

    /** A commander may act on any target; a grid leader on targets of their community. */
    static TaskStore.TargetCheck commanderOf(Principal p) {
        return t -> {
            if (p.hasAny(Role.COMMAND_CENTRE)) return;
            if (p.has(Role.GRID_LEADER)
                    && p.scope().communityId() != null
                    && p.scope().communityId().equals(t.communityId())) return;
            throw new ProblemException(
                    Problem.of(
                            403,
                            "forbidden",
                            "Forbidden",
                            "the target is in grid "
                                    + t.gridId()
                                    + ", outside the community you answer for",
                            "/target"));
        };
    }

    /**
     * The isolation rule first (docs/access.md): a caller inside one subdistrict sets tasks on
     * targets of that subdistrict only (403), then {@code then}.
     */
    private TaskStore.TargetCheck inSubdistrict(Principal p, TaskStore.TargetCheck then)
            throws java.sql.SQLException {
        if (p.subdistrictId() == null) return then;
        Set<Long> communities = store.communitiesOf(p.subdistrictId());
        return t -> {
            if (t.communityId() == null || !communities.contains(t.communityId()))
                throw new ProblemException(
                        Problem.of(
                                403,
                                "forbidden",
                                "Forbidden",
                                "the target lies outside subdistrict "
                                        + p.subdistrictId()
                                        + ", where you work",
                                "/target"));
            then.check(t);
        };
    }

    private void create(RoutingContext ctx) {
        Principal p = Access.requireAny(ctx, Role.ASSIGNS_TASKS);
        ObjectNode o = JsonBody.object(ctx.body().buffer());
        TaskStore.NewTask n = parseNew(o, catalog);
        Handlers.blocking(
                ctx,
                () -> store.create(n, inSubdistrict(p, commanderOf(p)), p.staffId()),
                (c, t) -> Responses.json(c, 201, TaskJson.of(t)));
    }

    static TaskStore.NewTask parseNew(ObjectNode o, CategoryCatalog catalog) {
        Set<String> fields = Set.of("kind", "title", "target", "dueAt", "assigneeId", "checks");
        for (var it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) throw bad("/" + f, "unknown field '" + f + "'");
        }
        String k = JsonBody.optionalText(o, "kind", "/kind", 20);
        TaskKind kind;
        try {
            kind = TaskKind.valueOf(k == null ? "" : k);
        } catch (IllegalArgumentException e) {
            kind = null;
        }
        if (kind == null || kind == TaskKind.RECHECK)
            throw bad("/kind", "the kind is VISIT, INSPECTION or SURVEY");
        String title = JsonBody.optionalText(o, "title", "/title", 200);
        if (title == null || title.isBlank()) throw bad("/title", "give the task's title");
        JsonNode tg = o.get("target");
        if (tg == null || !tg.isObject())
            throw bad(
                    "/target",
                    "give the target: {\"type\": \"UNIT\"|\"PLACE\", \"id\": n}"
                            + " or {\"type\": \"AREA\", \"area\": GeoJSON polygon}");
        String tt = JsonBody.optionalText((ObjectNode) tg, "type", "/target/type", 10);
        TargetType type;
        try {
            type = TargetType.valueOf(tt == null ? "" : tt);
        } catch (IllegalArgumentException e) {
            throw bad("/target/type", "the target's type is UNIT, PLACE or AREA");
        }
        Long id = null;
        String area = null;
        if (type == TargetType.AREA) {
            JsonNode a = tg.get("area");
            if (a == null
                    || !a.isObject()
                    || !Set.of("Polygon", "MultiPolygon").contains(a.path("type").asText()))
                throw bad("/target/area", "the area is a GeoJSON Polygon or MultiPolygon (WGS 84)");
            area = a.toString();
        } else {
            JsonNode i = tg.get("id");
            if (i == null || !i.isIntegralNumber() || !i.canConvertToLong())
                throw bad("/target/id", "give the " + type.name().toLowerCase() + "'s id");
            id = i.asLong();
        }
        OffsetDateTime due = time(o, "dueAt");
        if (due == null) throw bad("/dueAt", "give the due time (ISO-8601 with offset)");
        Long assignee = null;
        JsonNode as = o.get("assigneeId");
        if (as != null && !as.isNull()) {
            if (!as.isIntegralNumber() || !as.canConvertToLong())
                throw bad("/assigneeId", "the assignee is a staff id");
            assignee = as.asLong();
        }
        List<CheckItem> checks = CheckItem.parseAll(o.get("checks"), "/checks", catalog);
        return new TaskStore.NewTask(kind, title, type, id, area, due, assignee, checks);
    }

    static OffsetDateTime time(ObjectNode o, String f) {
        String s = JsonBody.optionalText(o, f, "/" + f, 40);
        if (s == null) return null;
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            throw bad("/" + f, "'" + s + "' is not an ISO-8601 time with offset");
        }
    }

    private void list(RoutingContext ctx) {
        Principal p = Access.require(ctx);
        String a = Handlers.param(ctx, "assignee");
        Long assignee =
                a == null
                        ? null
                        : a.equals("me") ? p.staffId() : id(a, "assignee", "'me' or an id");
        String state = Handlers.param(ctx, "state");
        if (state != null && !Set.of("OPEN", "DONE", "CANCELLED").contains(state))
            throw new ProblemException(
                    Problem.invalidParameter("state", "state is OPEN, DONE or CANCELLED"));
        String g = Handlers.param(ctx, "gridId"), cp = Handlers.param(ctx, "campaignId");
        String l = Handlers.param(ctx, "limit"), off = Handlers.param(ctx, "offset");
        int limit = l == null ? 200 : (int) id(l, "limit", "1 to " + MAX_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT)
            throw new ProblemException(
                    Problem.invalidParameter("limit", "limit is 1 to " + MAX_LIMIT));
        int offset = off == null ? 0 : (int) id(off, "offset", "a whole number");
        TaskStore.Filter f =
                new TaskStore.Filter(
                        assignee,
                        state,
                        g == null ? null : id(g, "gridId", "a grid id"),
                        cp == null ? null : id(cp, "campaignId", "a campaign id"),
                        limit,
                        offset);
        Handlers.blocking(
                ctx,
                () -> store.list(f, seen(p)),
                (c, ts) -> Responses.json(c, 200, TaskJson.list(ts)));
    }

    static TaskStore.Seen seen(Principal p) {
        return new TaskStore.Seen(
                p.staffId(),
                p.scope().type(),
                p.scope().gridId(),
                p.scope().communityId(),
                p.subdistrictId());
    }

    private static long id(String s, String param, String what) {
        try {
            long v = Long.parseLong(s);
            if (v >= 0 && v <= Integer.MAX_VALUE * 4L) return v;
        } catch (NumberFormatException e) {
            // below
        }
        throw new ProblemException(Problem.invalidParameter(param, param + " is " + what));
    }

    /**
     * The task when the caller sees it (their own, or one of the grids in their scope); else 404.
     */
    private Task visible(Principal p, long id) throws Exception {
        Task t = store.find(id).orElseThrow(() -> TaskStore.notFound(id));
        // the isolation rule: another subdistrict's task does not exist for this caller
        if (p.subdistrictId() != null
                && (t.communityId() == null
                        || !store.communitiesOf(p.subdistrictId()).contains(t.communityId())))
            throw TaskStore.notFound(id);
        if (sees(p, t)) return t;
        throw TaskStore.notFound(id);
    }

    static boolean sees(Principal p, Task t) {
        if (t.assigneeId() != null && t.assigneeId() == p.staffId()) return true;
        return switch (p.scope().type()) {
            case "SUBDISTRICT", "DISTRICT" -> true;
            case "GRID" -> p.scope().gridId() != null && p.scope().gridId().equals(t.gridId());
            case "COMMUNITY" ->
                    p.scope().communityId() != null
                            && p.scope().communityId().equals(t.communityId());
            default -> false;
        };
    }

    private void one(RoutingContext ctx) {
        Principal p = Access.require(ctx);
        long id = Handlers.pathId(ctx, "id");
        Handlers.blocking(
                ctx, () -> visible(p, id), (c, t) -> Responses.json(c, 200, TaskJson.of(t)));
    }

    private static final String TASK = "gridgov.task.task";

    /** The caller's own open task (else 403/404/409), before the body is read. */
    private void admitPhotos(RoutingContext ctx) {
        Principal p = Access.require(ctx);
        long id = Handlers.pathId(ctx, "id");
        if (!Multipart.is(ctx))
            throw new ProblemException(
                    Problem.unsupportedMediaType(
                            "send multipart/form-data: a part 'photo' (file) and a part 'check'"
                                    + " (the check item's key)"));
        ctx.vertx()
                .executeBlocking(() -> visible(p, id), false)
                .onComplete(
                        ar -> {
                            if (ar.failed()) {
                                ctx.fail(ar.cause());
                                return;
                            }
                            Task t = ar.result();
                            if (t.assigneeId() == null || t.assigneeId() != p.staffId())
                                ctx.fail(
                                        new ProblemException(
                                                Problem.of(
                                                        403,
                                                        "forbidden",
                                                        "Forbidden",
                                                        "task "
                                                                + id
                                                                + " is assigned to someone else",
                                                        null)));
                            else if (!t.open())
                                ctx.fail(
                                        new ProblemException(
                                                Problem.of(
                                                        409,
                                                        "task-not-open",
                                                        "The task is not open",
                                                        "task " + id + " is " + t.state(),
                                                        null)));
                            else {
                                ctx.put(TASK, t);
                                ctx.next();
                            }
                        });
    }

    private void addPhotos(RoutingContext ctx) {
        Principal p = Access.require(ctx);
        Task t = ctx.get(TASK);
        Multipart.Form form = Multipart.form(ctx);
        if (form == null) throw bad("photo", "send multipart/form-data with a part 'photo'");
        for (String name : form.fields().names())
            if (!name.equals("check"))
                throw bad(
                        name,
                        "unknown form part '" + name + "'; the parts are 'photo' and 'check'");
        String check = form.field("check");
        if (check == null || t.checks().stream().noneMatch(c -> c.key().equals(check)))
            throw bad(
                    "check",
                    "give the key of one of the task's check items: "
                            + t.checks().stream().map(CheckItem::key).toList());
        if (form.files().isEmpty()) throw bad("photo", "send a photo in a part 'photo'");
        Handlers.blocking(
                ctx,
                () -> {
                    List<Photo> checked = photos.check(form.files());
                    int max = photos.settings().maxPerCase();
                    if (store.photoCount(t.id()) + checked.size() > max)
                        throw new ProblemException(
                                Problem.of(
                                        422,
                                        "too-many-files",
                                        "Too many files",
                                        "task " + t.id() + ": at most " + max + " photos",
                                        "photo"));
                    photos.store(checked);
                    List<Long> ids = media.addToTask(t.id(), check, checked, p.staffId());
                    ObjectNode n = Responses.JSON.createObjectNode();
                    n.put("mediaId", ids.get(0));
                    ids.forEach(n.putArray("mediaIds")::add);
                    return n;
                },
                (c, n) -> Responses.json(c, 201, n));
    }

    private void complete(RoutingContext ctx) {
        Principal p = Access.require(ctx);
        long id = Handlers.pathId(ctx, "id");
        String key = ctx.request().getHeader("Idempotency-Key");
        if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches())
            throw new ProblemException(
                    Problem.of(
                            400,
                            "invalid-header",
                            "A header is invalid",
                            "Idempotency-Key is 1 to 100 printable ASCII characters",
                            "Idempotency-Key"));
        Buffer body = ctx.body().buffer();
        Completion done = Completion.parse(JsonBody.object(body));
        EnteredBy by =
                new EnteredBy(p.staffId(), p.username(), p.roles().iterator().next().name(), false);
        Handlers.blocking(
                ctx,
                () -> {
                    visible(p, id);
                    return store.complete(id, done, key, p.staffId(), by, reporter);
                },
                (c, out) -> {
                    if (out instanceof TaskStore.Replayed r) alreadyApplied(c, r.task());
                    else Responses.json(c, 200, TaskJson.of(((TaskStore.Done) out).task()));
                });
    }

    /** 409 with the task's state: the same Idempotency-Key again, nothing changed. */
    private static void alreadyApplied(RoutingContext ctx, Task t) {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("type", Problem.TYPE_BASE + "action-already-applied");
        n.put("title", "The action was applied already");
        n.put("status", 409);
        n.put("detail", "this Idempotency-Key completed task " + t.id() + " already");
        n.put("instance", ctx.request().path());
        n.put("taskId", t.id());
        n.put("state", t.state());
        n.put("version", t.version());
        n.set("task", TaskJson.of(t));
        ctx.response()
                .setStatusCode(409)
                .putHeader("Content-Type", Responses.PROBLEM_JSON)
                .end(n.toString());
    }

    private void cancel(RoutingContext ctx) {
        Principal p = Access.requireAny(ctx, Role.ASSIGNS_TASKS);
        long id = Handlers.pathId(ctx, "id");
        ObjectNode o = JsonBody.object(ctx.body().buffer());
        for (var it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("expectedVersion") && !f.equals("reason"))
                throw bad("/" + f, "unknown field '" + f + "'");
        }
        JsonNode v = o.get("expectedVersion");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt())
            throw bad("/expectedVersion", "give the task's version (a whole number)");
        String reason = JsonBody.optionalText(o, "reason", "/reason", 500);
        if (reason == null || reason.isBlank()) throw bad("/reason", "say why it is cancelled");
        Handlers.blocking(
                ctx,
                () -> {
                    visible(p, id);
                    return store.cancel(id, v.asInt(), reason, commanderOf(p));
                },
                (c, t) -> Responses.json(c, 200, TaskJson.of(t)));
    }

    static ProblemException bad(String pointer, String detail) {
        return new ProblemException(Problem.invalidField(pointer, detail));
    }
}
