package org.gridgov.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import org.gridgov.api.ClientAddress;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Multipart;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.RateLimit;
import org.gridgov.api.Responses;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.people.Access;
import org.gridgov.people.AccessRules;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;
import org.gridgov.people.Scope;

/**
 * Intake and reading of incidents: /api/v1/incidents… Intake is open to the public (a public
 * channel, the server's time, a per-address limit shared with every anonymous write); reading needs
 * a token. docs/intake.md.
 */
public final class IncidentRoutes {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_KEY = 200;
    // Canonical form for the request fingerprint: key order and whitespace do not matter.
    private static final ObjectMapper CANONICAL =
            JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

    private final IncidentStore store;
    private final IncidentRouter router;
    private final CategoryCatalog catalog;
    private final Clock clock;

    private final FirstStep.Planner firstStep;
    private final RateLimit anonymousWrites;
    private final LookupCode lookupCodes;
    private final ReportPhotos photos;

    /** The form part holding the report's JSON in a multipart intake (docs/media.md). */
    static final String REPORT_PART = "report";

    /** The form parts holding photos in a multipart intake. */
    static final String PHOTO_PART = "photo";

    private final AddressIntake addresses;

    // the place and facility a report may name (docs/places.md); none until wired
    private ReportSubjects subjects = ReportSubjects.NONE;

    // group commit of plain reports (docs/intake.md); null: each report its own transaction
    private IntakeBatcher batcher;

    // which subdistrict sent a case to the district; null: no such reads
    private EscalationQueries escalations;

    /**
     * @param anonymousWrites the per-address limit of writes without a token, shared with Open311
     */
    public IncidentRoutes(
            IncidentStore store,
            IncidentRouter router,
            CategoryCatalog catalog,
            Clock clock,
            FirstStep.Planner firstStep,
            RateLimit anonymousWrites,
            LookupCode lookupCodes) {
        this(
                store,
                router,
                catalog,
                clock,
                firstStep,
                anonymousWrites,
                lookupCodes,
                ReportPhotos.NONE,
                null);
    }

    /**
     * @param photos checks and stores photos sent with a report (multipart intake)
     * @param addresses reports given by address (docs/addresses.md); null: refused
     */
    public IncidentRoutes(
            IncidentStore store,
            IncidentRouter router,
            CategoryCatalog catalog,
            Clock clock,
            FirstStep.Planner firstStep,
            RateLimit anonymousWrites,
            LookupCode lookupCodes,
            ReportPhotos photos,
            AddressIntake addresses) {
        this.photos = photos;
        this.addresses = addresses;
        this.lookupCodes = lookupCodes;
        this.firstStep = firstStep;
        this.anonymousWrites = anonymousWrites;
        this.store = store;
        this.router = router;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * A subdistrict reads the cases it sent to the district (docs/access.md); without this, only
     * what its scope holds.
     */
    public IncidentRoutes withEscalations(EscalationQueries e) {
        this.escalations = e;
        return this;
    }

    /** Reports may name a place or facility that {@code s} looks up (docs/places.md). */
    public IncidentRoutes withSubjects(ReportSubjects s) {
        this.subjects = s;
        return this;
    }

    /** Plain reports (no photos, place or facility) are written in batches by {@code b}. */
    public IncidentRoutes withBatcher(IntakeBatcher b) {
        this.batcher = b;
        return this;
    }

    public void mount(Router r) {
        // JSON, or multipart/form-data: the report's JSON in a part "report", photos in "photo"
        r.post("/api/v1/incidents")
                .handler(Multipart.reader(photos.limits(PHOTO_PART)))
                .handler(this::intake);
        r.post("/api/v1/incidents/preview").handler(this::preview);
        r.get("/api/v1/incidents").handler(this::list);
        r.get("/api/v1/incidents/:id").handler(this::one);
        r.get("/api/v1/incidents/:id/events").handler(this::events);
    }

    private void intake(RoutingContext ctx) {
        Principal caller = Access.caller(ctx);
        if (caller == null) limitAnonymous(ctx);
        Multipart.Form form = Multipart.form(ctx);
        if (form == null) requireJson(ctx);
        String key = idempotencyKey(ctx);
        ObjectNode body = form == null ? JsonBody.object(ctx.body().buffer()) : reportPart(form);
        IntakeRequest.Parsed parsed = IntakeRequest.parse(body, catalog, clock, caller);
        IncidentReport report = parsed.report();
        List<Multipart.FilePart> files = form == null ? List.of() : form.files();
        if (parsed.address() != null && parsed.namesSubjects())
            throw new ProblemException(
                    Problem.invalidField(
                            parsed.placeId() != null ? "/placeId" : "/facilityCode",
                            "a report naming a place or facility gives its 'location', not an"
                                    + " 'address'"));
        if (parsed.address() != null) {
            // a report placed later by an operator has no case to hold its photos yet
            if (!files.isEmpty())
                throw new ProblemException(
                        Problem.invalidField(
                                "/address",
                                "photos go with a report given by location; send the photos"
                                        + " after the case exists (POST"
                                        + " /api/v1/incidents/{id}/media)"));
            byAddress(ctx, parsed, key, key == null ? null : fingerprint(body));
            return;
        }
        ReportPhotos.Staged[] staged = {null};
        ReportSubjects.Named[] named = {ReportSubjects.Named.NOTHING};
        blockingThenCommitted(
                ctx,
                () -> {
                    // the photos are checked, then written, only once the report is valid
                    staged[0] = photos.stage(files, caller == null ? null : caller.staffId());
                    String hash = key == null ? null : fingerprint(body, staged[0].hashes());
                    named[0] =
                            subjects.resolve(
                                    parsed.placeId(),
                                    parsed.facilityCode(),
                                    report.lon(),
                                    report.lat());
                    // a facility's department routes the categories that say so (docs/places.md)
                    Routing routing = named[0].route(router.route(report), report.category());
                    IncidentStore.Attach photosOf = staged[0].isEmpty() ? null : staged[0]::insert;
                    FirstStep first = firstStep.plan(report, routing);
                    if (batcher != null && photosOf == null && !named[0].any())
                        return batcher.submit(
                                new IncidentStore.Pending(
                                        report, routing, first, key, hash, parsed.enteredBy()));
                    return CompletableFuture.completedFuture(
                            store.insert(
                                    report,
                                    routing,
                                    first,
                                    key,
                                    hash,
                                    parsed.enteredBy(),
                                    null,
                                    named[0].any()
                                            ? IncidentStore.naming(named[0], photosOf)
                                            : photosOf));
                },
                (c, intake) -> {
                    Incident i = intake.incident();
                    // staff see what the report names; the public's answer stays as it was
                    ObjectNode answer =
                            IncidentJson.incident(i, IncidentJson.Reporter.AS_GIVEN)
                                    .put("lookupCode", lookupCodes.of(i.id()));
                    if (caller != null) IncidentJson.withSubjects(answer, named[0]);
                    c.response().putHeader("Location", "/api/v1/incidents/" + i.id());
                    if (intake.replayed()) c.response().putHeader("Idempotent-Replayed", "true");
                    // the reporter's own answer: what they sent, as they sent it, and the code
                    // that with the ticket number (the id) opens the tracking page
                    Responses.json(c, 201, withMedia(answer, staged[0].ids()));
                });
    }

    /**
     * As {@link Handlers#blocking}, for work whose result arrives later (a report waiting for its
     * batch's commit): the worker thread is not held while it waits.
     */
    private static <T> void blockingThenCommitted(
            RoutingContext ctx,
            Callable<CompletableFuture<T>> work,
            BiConsumer<RoutingContext, T> answer) {
        ctx.vertx()
                .executeBlocking(work, false)
                .compose(f -> Future.fromCompletionStage(f, ctx.vertx().getOrCreateContext()))
                .onComplete(
                        ar -> {
                            if (ar.succeeded()) {
                                try {
                                    answer.accept(ctx, ar.result());
                                } catch (RuntimeException e) {
                                    ctx.fail(e);
                                }
                            } else {
                                Throwable t = ar.cause();
                                ctx.fail(
                                        t instanceof CompletionException && t.getCause() != null
                                                ? t.getCause()
                                                : t);
                            }
                        });
    }

    /** The photos stored with the report, as links (their files need a token or approval). */
    private static ObjectNode withMedia(ObjectNode answer, List<Long> ids) {
        if (ids.isEmpty()) return answer;
        var arr = answer.putArray("media");
        for (long id : ids) arr.addObject().put("id", id).put("url", "/api/v1/media/" + id);
        return answer;
    }

    /** The report's JSON from a multipart intake; any other text part is refused. */
    private static ObjectNode reportPart(Multipart.Form form) {
        for (String name : form.fields().names()) {
            if (!name.equals(REPORT_PART))
                throw new ProblemException(
                        Problem.of(
                                422,
                                "invalid-field",
                                "A field of the request is invalid",
                                "unknown form part '"
                                        + name
                                        + "': send the report as '"
                                        + REPORT_PART
                                        + "' and photos as '"
                                        + PHOTO_PART
                                        + "'",
                                name));
        }
        String json = form.field(REPORT_PART);
        if (json == null)
            throw new ProblemException(
                    Problem.of(
                            422,
                            "invalid-field",
                            "A field of the request is invalid",
                            "a multipart report needs a part '"
                                    + REPORT_PART
                                    + "' holding the report's JSON",
                            REPORT_PART));
        return JsonBody.object(io.vertx.core.buffer.Buffer.buffer(json));
    }

    /**
     * A report given by address: placed by its best match (201, as any report, with the match), or
     * acknowledged and queued for an operator to place (202). docs/addresses.md.
     */
    private void byAddress(
            RoutingContext ctx, IntakeRequest.Parsed parsed, String key, String hash) {
        if (addresses == null) throw noAddresses();
        Handlers.blocking(
                ctx,
                () ->
                        addresses.take(
                                parsed.report(),
                                parsed.address(),
                                "/address",
                                parsed.enteredBy(),
                                key,
                                hash),
                (c, outcome) -> {
                    if (outcome instanceof AddressIntake.Placed p) {
                        Incident i = p.intake().incident();
                        c.response().putHeader("Location", "/api/v1/incidents/" + i.id());
                        if (p.intake().replayed())
                            c.response().putHeader("Idempotent-Replayed", "true");
                        ObjectNode n =
                                IncidentJson.incident(i, IncidentJson.Reporter.AS_GIVEN)
                                        .put("lookupCode", lookupCodes.of(i.id()));
                        n.putObject("address")
                                .put("given", parsed.address())
                                .put("matched", p.match().plate().label())
                                .put("score", Math.round(p.match().score() * 1000) / 1000.0);
                        Responses.json(c, 201, n);
                    } else {
                        AddressIntake.Queued q = (AddressIntake.Queued) outcome;
                        if (q.held().replayed())
                            c.response().putHeader("Idempotent-Replayed", "true");
                        ObjectNode n = Responses.JSON.createObjectNode();
                        n.put("placementId", q.held().id())
                                .put("status", "AWAITING_PLACEMENT")
                                .put("receivedAt", q.held().receivedAt().toString())
                                .put("address", parsed.address())
                                .put(
                                        "message",
                                        "已收到，地址待人工定位 (received; an operator will"
                                                + " place the address on the map)");
                        Responses.json(c, 202, n);
                    }
                });
    }

    private static ProblemException noAddresses() {
        return new ProblemException(
                Problem.invalidField(
                        "/address", "this server takes reports by location only; give 'location'"));
    }

    /**
     * What intake would decide for this report — the same validation and the same IncidentRouter —
     * without storing anything: the form shows it before the operator submits. In memory, no I/O.
     */
    private void preview(RoutingContext ctx) {
        requireJson(ctx);
        // the same rules for the same caller; not rate-limited: it stores nothing and costs no I/O
        IntakeRequest.Parsed parsed =
                IntakeRequest.parse(
                        JsonBody.object(ctx.body().buffer()), catalog, clock, Access.caller(ctx));
        if (parsed.address() != null)
            throw new ProblemException(
                    Problem.invalidField(
                            "/address",
                            "a preview needs a 'location': look the address up with GET"
                                    + " /api/v1/geocode?q= first"));
        IncidentReport report = parsed.report();
        if (parsed.namesSubjects()) {
            // the named facility may route it (docs/places.md): that needs a look-up
            Handlers.blocking(
                    ctx,
                    () -> {
                        ReportSubjects.Named named =
                                subjects.resolve(
                                        parsed.placeId(),
                                        parsed.facilityCode(),
                                        report.lon(),
                                        report.lat());
                        Routing routing = named.route(router.route(report), report.category());
                        return IncidentJson.preview(
                                report, routing, firstStep.plan(report, routing));
                    },
                    (c, n) -> Responses.json(c, 200, n));
            return;
        }
        Routing routing = router.route(report);
        Responses.json(
                ctx, 200, IncidentJson.preview(report, routing, firstStep.plan(report, routing)));
    }

    /** Counts a write without a token against the caller's address: 429 beyond the limit. */
    private void limitAnonymous(RoutingContext ctx) {
        if (anonymousWrites.tryTake(ClientAddress.of(ctx))) return;
        ctx.response()
                .putHeader(
                        "Retry-After",
                        Integer.toString(Math.max(1, 60 / anonymousWrites.perMinute())));
        throw new ProblemException(anonymousWrites.tooMany());
    }

    private static void requireJson(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            throw new ProblemException(
                    Problem.unsupportedMediaType(
                            "send the report as application/json, got "
                                    + (contentType == null
                                            ? "no Content-Type"
                                            : "'" + contentType + "'")));
        }
    }

    private static String idempotencyKey(RoutingContext ctx) {
        List<String> all = ctx.request().headers().getAll(IDEMPOTENCY_KEY);
        if (all.isEmpty()) return null;
        String key = all.get(0);
        if (all.size() > 1
                || key.isEmpty()
                || key.length() > MAX_KEY
                || !key.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) {
            throw new ProblemException(
                    Problem.of(
                            400,
                            "invalid-idempotency-key",
                            "The Idempotency-Key header is invalid",
                            "give one key of 1 to "
                                    + MAX_KEY
                                    + " visible ASCII characters (a UUID is ideal)",
                            IDEMPOTENCY_KEY));
        }
        return key;
    }

    /**
     * With photos, their hashes are part of the request: the same key with other photos is refused.
     * ("photos" is no field of a report, which refuses unknown ones: no body collides.)
     */
    static String fingerprint(ObjectNode body, List<String> photoHashes) {
        if (photoHashes.isEmpty()) return fingerprint(body);
        ObjectNode withPhotos = body.deepCopy();
        var arr = withPhotos.putArray("photos");
        photoHashes.forEach(arr::add);
        return fingerprint(withPhotos);
    }

    static String fingerprint(ObjectNode body) {
        try {
            byte[] canonical = CANONICAL.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the caller may read: their subdistrict (or every one, for district scope), and in it
     * their scope (grid, community, platform, subdistrict) and their assigned cases.
     */
    public static Visibility visibility(Principal p) {
        boolean reporters = AccessRules.seesReporter(p, null);
        Scope s = p.scope();
        // the isolation rule: a caller inside one subdistrict sees that subdistrict's cases only
        Long sid = p.subdistrictId();
        if (s.wholeSubdistrict() || s.wholeDistrict())
            return new Visibility(true, null, null, null, p.staffId(), reporters, sid);
        return new Visibility(
                false, s.gridId(), s.communityId(), s.platform(), p.staffId(), reporters, sid);
    }

    /** Whether the incident lies within what the reader may see. */
    public static boolean sees(Visibility v, Incident i) {
        if (!v.coversSubdistrict(i.subdistrictId())) return false;
        if (v.all()) return true;
        Routing r = i.routing();
        if (v.assigneeId() != null && v.assigneeId().equals(r.assigneeId())) return true;
        if (v.gridId() != null) return v.gridId().equals(r.gridId());
        if (v.communityId() != null) return v.communityId().equals(r.communityId());
        return v.platform() != null && v.platform().equals(r.platform());
    }

    /**
     * As {@link #visibleOrRefuse}, and a coordinated case is also seen by those who hold one of its
     * subtasks: the assignee, or the staff of the subtask's platform (docs/workflow.md); and a case
     * the reader's subdistrict sent to the district by those who read that subdistrict whole
     * ({@link Visibility#readsSentFrom}, docs/access.md).
     */
    private Incident visibleOrSubtask(Visibility v, Incident i) throws SQLException {
        if (sees(v, i)) return i;
        if (v.coversSubdistrict(i.subdistrictId())
                && store.holdsSubtask(i.id(), v.assigneeId(), v.platform())) return i;
        Long from = v.readsSentFrom();
        if (from != null && escalations != null && escalations.sentFrom(i.id(), from)) return i;
        return visibleOrRefuse(v, i);
    }

    private static Incident visibleOrRefuse(Visibility v, Incident i) {
        if (!sees(v, i)) {
            throw new ProblemException(
                    Problem.of(
                            403,
                            "not-your-case",
                            "Not your case",
                            "incident " + i.id() + " lies outside your scope",
                            null));
        }
        return i;
    }

    private void list(RoutingContext ctx) {
        Visibility v = visibility(Access.require(ctx));
        IncidentFilter f = IncidentFilter.parse(ctx, catalog);
        if (f.sentToDistrict()) requireSentReader(v);
        String query = ctx.request().query();
        Handlers.blocking(
                ctx,
                () -> {
                    List<Incident> rows = store.list(f, v);
                    String next = null;
                    if (rows.size() > f.limit()) {
                        String q = query == null ? "" : query.replaceAll("(^|&)cursor=[^&]*", "");
                        q = q.startsWith("&") ? q.substring(1) : q;
                        next =
                                "/api/v1/incidents?"
                                        + (q.isEmpty() ? "" : q + "&")
                                        + "cursor="
                                        + IncidentFilter.encodeCursor(rows.get(f.limit() - 1).id());
                    }
                    ObjectNode page = IncidentJson.page(rows, f.limit(), next);
                    // leaders' 督办 on each row, for the board (docs/workflow.md)
                    store.addLeaderSupervision(page);
                    return page;
                },
                (c, page) -> {
                    c.response().putHeader("Content-Type", "application/geo+json");
                    Responses.geoJson(c, page);
                });
    }

    /**
     * sentToDistrict=true lists what the reader keeps reading by id once it is the district's
     * ({@link Visibility#readsSentFrom}): for anyone else it means nothing (district-wide: 400) or
     * is not theirs to follow (a grid worker, a platform's staff: 403), as reading such a case is.
     */
    private void requireSentReader(Visibility v) {
        if (v.subdistrictId() == null)
            throw new ProblemException(
                    Problem.invalidParameter(
                            IncidentFilter.SENT_TO_DISTRICT,
                            "'sentToDistrict' is for the staff of one subdistrict; a district-wide"
                                    + " caller lists every case already (the escalated ones:"
                                    + " status=ESCALATED, or GET /api/v1/district/queue)"));
        if (v.readsSentFrom() == null || escalations == null)
            throw new ProblemException(
                    Problem.of(
                            403,
                            "forbidden",
                            "Forbidden",
                            "the cases a subdistrict sent to the district are followed by those"
                                    + " who read the whole subdistrict (its command centre,"
                                    + " liaison); your scope is narrower",
                            IncidentFilter.SENT_TO_DISTRICT));
    }

    private void one(RoutingContext ctx) {
        Principal p = Access.require(ctx);
        Visibility v = visibility(p);
        long id = Handlers.pathId(ctx, "id");
        Handlers.blocking(
                ctx,
                () ->
                        forReader(
                                store,
                                p,
                                visibleOrSubtask(v, store.find(id).orElseThrow(() -> notFound(id))),
                                "GET /api/v1/incidents/{id}"),
                (c, n) -> Responses.json(c, 200, n));
    }

    /**
     * The incident as this reader may see it: its reporter unmasked when
     * people/AccessRules.REPORTER says so — and then the read is logged first (reporter_read), so
     * no unmasked answer leaves unlogged — else masked. Blocking: call it inside {@link
     * Handlers#blocking}.
     *
     * @param endpoint the route, as the audit log names it, e.g. "GET /api/v1/incidents/{id}"
     */
    public static ObjectNode forReader(
            IncidentStore store, Principal p, Incident i, String endpoint) throws SQLException {
        boolean unmasked =
                IncidentJson.hasReporter(i)
                        && AccessRules.seesReporter(p, i.routing().assigneeId());
        if (unmasked) {
            List<String> roles = p.roles().stream().map(Role::name).sorted().toList();
            store.logReporterRead(p.staffId(), String.join(",", roles), i.id(), endpoint);
        }
        ObjectNode n =
                IncidentJson.withSubjects(
                        IncidentJson.incident(
                                i,
                                unmasked
                                        ? IncidentJson.Reporter.AS_GIVEN
                                        : IncidentJson.Reporter.MASKED),
                        store.subjects(i.id()));
        store.addCaseWork(i.id(), n);
        return n;
    }

    private void events(RoutingContext ctx) {
        Visibility v = visibility(Access.require(ctx));
        long id = Handlers.pathId(ctx, "id");
        Handlers.blocking(
                ctx,
                () -> {
                    visibleOrSubtask(v, store.find(id).orElseThrow(() -> notFound(id)));
                    return store.events(id);
                },
                (c, events) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    n.put("incidentId", id);
                    n.putArray("events").addAll(events);
                    Responses.json(c, 200, n);
                });
    }

    private static ProblemException notFound(long id) {
        return new ProblemException(Problem.notFound("incident " + id + " does not exist"));
    }
}
