package org.gridgov.people;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.Responses;

/**
 * Staff accounts for administrators: POST /api/v1/staff, GET and PATCH /api/v1/staff/{id}, POST
 * /api/v1/staff/{id}/password-reset, and the audit logs, GET /api/v1/audit. A change that touches
 * what a token vouches for (role, scope, active, password) stops the account's tokens: the V9
 * trigger bumps auth_version, and this instance forgets its cached stamp at once.
 */
public final class StaffRoutes {

    private static final List<String> EMPLOYMENT = List.of("FULL_TIME", "PART_TIME");

    /**
     * What GET /api/v1/audit reads: staff, reference and roster = the admin log's entries of that
     * kind (accounts; reference data; shifts and leave), pii = the unmasked reads of reporters'
     * details (docs/personal-data.md), place-owner = the unmasked reads of places' owners
     * (docs/places.md), accountability = each use of the accountability view
     * (docs/accountability.md), kpi = the months of assessment settled (docs/assessment.md).
     */
    private static final List<String> AUDIT_KINDS =
            List.of("staff", "reference", "roster", "pii", "place-owner", "accountability", "kpi");

    private static final List<String> FIELDS =
            List.of("name", "phone", "roles", "scope", "employment", "active");

    private final StaffStore store;
    private final Sessions sessions;
    private final Runnable afterChange;

    /**
     * afterChange runs (off the event loop) after every committed change, before the answer: the
     * app refreshes the routing index there, so a disabled worker gets no report from this instance
     * once the PATCH has answered (other instances follow on their timer).
     */
    public StaffRoutes(StaffStore store, Sessions sessions, Runnable afterChange) {
        this.store = store;
        this.sessions = sessions;
        this.afterChange = afterChange;
    }

    public void mount(Router r) {
        r.post("/api/v1/staff").handler(this::create);
        r.get("/api/v1/staff/:id").handler(this::get);
        r.patch("/api/v1/staff/:id").handler(this::patch);
        r.post("/api/v1/staff/:id/password-reset").handler(this::passwordReset);
        r.get("/api/v1/audit").handler(this::audit);
    }

    private void create(RoutingContext ctx) {
        Principal admin = Access.requireAny(ctx, Role.ADMINS);
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        onlyFields(body, "username", "name", "phone", "roles", "scope", "employment", "active");
        String username = text(body.get("username"), "username", 64);
        if (!StaffDirectory.validUsername(username))
            throw invalid(
                    "username",
                    "'"
                            + username
                            + "' is not a valid username: 2 to 64 of a-z, 0-9, '.', '_', '-',"
                            + " starting with a letter or digit");
        if (body.get("roles") == null) throw invalid("roles", "'roles' is required");
        StaffStore.Changes ch = changes(body);
        StaffStore.Changes full =
                new StaffStore.Changes(
                        ch.name() != null ? ch.name() : username,
                        ch.phone(),
                        false,
                        ch.role(),
                        ownByDefault(admin, ch.scope() != null ? ch.scope() : Scope.SUBDISTRICT),
                        ch.employment() != null ? ch.employment() : "FULL_TIME",
                        ch.active() != null ? ch.active() : true);
        String password = Passwords.oneTime();
        Handlers.blocking(
                ctx,
                () ->
                        scoped(
                                () ->
                                        store.create(
                                                admin.staffId(),
                                                admin.subdistrictId(),
                                                username,
                                                full,
                                                Passwords.hash(password))),
                (c, created) -> {
                    if (created.isEmpty())
                        throw new ProblemException(
                                Problem.of(
                                        409,
                                        "username-taken",
                                        "The username is taken",
                                        "another account has the username '" + username + "'",
                                        "/username"));
                    ObjectNode n = json(created.get());
                    n.put("oneTimePassword", password);
                    c.response().putHeader("Location", "/api/v1/staff/" + created.get().id());
                    Responses.json(c, 201, n);
                });
    }

    private void get(RoutingContext ctx) {
        Principal admin = Access.requireAny(ctx, Role.ADMINS);
        long id = Handlers.pathId(ctx, "id");
        Handlers.blocking(
                ctx,
                () -> store.get(id),
                (c, a) -> {
                    StaffStore.Account found = found(a, id);
                    // the isolation rule: another subdistrict's staff are not this admin's
                    StaffStore.ownSubdistrict(admin.subdistrictId(), found, "read");
                    Responses.json(c, 200, json(found));
                });
    }

    /**
     * A subdistrict or platform scope without a subdistrictId, given by an administrator of one
     * subdistrict, is in that subdistrict (a district-wide one must say which when there are
     * several: StaffStore's 422).
     */
    private static Scope ownByDefault(Principal admin, Scope s) {
        if (s == null
                || s.subdistrictId() != null
                || admin.subdistrictId() == null
                || !(s.wholeSubdistrict() || "PLATFORM".equals(s.type()))) return s;
        return new Scope(
                s.type(), s.gridId(), s.communityId(), s.platform(), admin.subdistrictId());
    }

    private void patch(RoutingContext ctx) {
        Principal admin = Access.requireAny(ctx, Role.ADMINS);
        long id = Handlers.pathId(ctx, "id");
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        onlyFields(body, FIELDS.toArray(String[]::new));
        StaffStore.Changes given = changes(body);
        StaffStore.Changes ch =
                new StaffStore.Changes(
                        given.name(),
                        given.phone(),
                        given.clearPhone(),
                        given.role(),
                        ownByDefault(admin, given.scope()),
                        given.employment(),
                        given.active());
        Handlers.blocking(
                ctx,
                () -> scoped(() -> store.update(admin.staffId(), admin.subdistrictId(), id, ch)),
                (c, a) -> {
                    StaffStore.Account after = found(a, id);
                    sessions.forget(id); // this instance refuses older tokens at once
                    Responses.json(c, 200, json(after));
                });
    }

    private void passwordReset(RoutingContext ctx) {
        Principal admin = Access.requireAny(ctx, Role.ADMINS);
        long id = Handlers.pathId(ctx, "id");
        // no fields, but a body that is sent must be {}: a mistaken request changes nothing
        var raw = ctx.body().buffer();
        if (raw != null && raw.length() > 0) onlyFields(JsonBody.object(raw));
        String password = Passwords.oneTime();
        Handlers.blocking(
                ctx,
                () ->
                        scoped(
                                () ->
                                        store.resetPassword(
                                                admin.staffId(),
                                                admin.subdistrictId(),
                                                id,
                                                Passwords.hash(password))),
                (c, a) -> {
                    StaffStore.Account after = found(a, id);
                    sessions.forget(id);
                    ObjectNode n = json(after);
                    n.put("oneTimePassword", password);
                    Responses.json(c, 200, n);
                });
    }

    private void audit(RoutingContext ctx) {
        Access.requireAny(ctx, Role.AUDITS);
        String kind = Handlers.param(ctx, "kind");
        if (kind == null) kind = "staff";
        if (!AUDIT_KINDS.contains(kind))
            throw new ProblemException(
                    Problem.invalidParameter(
                            "kind",
                            "'" + kind + "' is not a kind of audit entry; one of " + AUDIT_KINDS));
        int limit = QueryParams.whole(ctx, "limit", 1, 1000, 100);
        String cursor = Handlers.param(ctx, "cursor");
        long before = 0;
        if (cursor != null) {
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                before = -1;
            }
            if (before <= 0)
                throw new ProblemException(
                        Problem.of(
                                400,
                                "invalid-cursor",
                                "The paging cursor is invalid",
                                "'" + cursor + "' is not a cursor this list gave",
                                "cursor"));
        }
        String k = kind;
        long b = before;
        Handlers.blocking(
                ctx,
                () ->
                        switch (k) {
                            case "pii" -> store.reporterReads(limit, b);
                            // a table of its own, so its ids page apart from reporter_read's
                            case "place-owner" -> store.placeOwnerReads(limit, b);
                            default -> store.log(k, limit, b);
                        },
                (c, list) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    ArrayNode arr = n.putArray("entries");
                    for (StaffStore.LogEntry e : list) {
                        ObjectNode o = arr.addObject();
                        o.put("id", e.id());
                        o.put("at", e.at().toString());
                        o.put("actorStaffId", e.actor());
                        o.put("kind", e.kind());
                        o.put("target", e.target());
                        try {
                            o.set("change", Responses.JSON.readTree(e.change()));
                        } catch (java.io.IOException x) {
                            throw new IllegalStateException(x);
                        }
                    }
                    n.put("numberReturned", list.size());
                    if (list.size() == limit)
                        n.put("nextCursor", String.valueOf(list.get(list.size() - 1).id()));
                    Responses.json(c, 200, n);
                });
    }

    /** The fields of a create or merge-patch body; absent = unchanged. */
    private static StaffStore.Changes changes(ObjectNode body) {
        String name = body.has("name") ? text(body.get("name"), "name", 200) : null;
        JsonNode phone = body.get("phone");
        boolean clearPhone = phone != null && phone.isNull();
        String phoneText = phone == null || clearPhone ? null : text(phone, "phone", 40);
        Role role = body.has("roles") ? role(body.get("roles")) : null;
        Scope scope = body.has("scope") ? scope(body.get("scope")) : null;
        String employment = null;
        if (body.has("employment")) {
            employment = text(body.get("employment"), "employment", 20);
            if (!EMPLOYMENT.contains(employment))
                throw invalid(
                        "employment",
                        "'" + employment + "' is not an employment; one of " + EMPLOYMENT);
        }
        Boolean active = null;
        if (body.has("active")) {
            if (!body.get("active").isBoolean())
                throw invalid("active", "'active' must be true or false");
            active = body.get("active").booleanValue();
        }
        return new StaffStore.Changes(name, phoneText, clearPhone, role, scope, employment, active);
    }

    /** A staff row holds one role: "roles" is a list of exactly one, as tokens carry it. */
    private static Role role(JsonNode roles) {
        if (roles == null || !roles.isArray() || roles.size() != 1 || !roles.get(0).isTextual())
            throw invalid("roles", "'roles' must be a list of exactly one role name");
        Role role = Role.parse(roles.get(0).asText());
        if (role == null)
            throw invalid(
                    "roles",
                    "unknown role '"
                            + roles.get(0).asText()
                            + "'; one of "
                            + Arrays.toString(Role.values()));
        return role;
    }

    /**
     * {"type": "GRID", "gridId": 12} / {"type": "COMMUNITY", "communityId": 3} / {"type":
     * "PLATFORM", "platform": "MARKET"} / {"type": "SUBDISTRICT"} / {"type": "DISTRICT"}, as tokens
     * carry it, each but DISTRICT with an optional "subdistrictId"; whether the grid, community or
     * platform exists is the database's foreign key (as for admin create-user), whether the role
     * may hold it and the subdistrict fits is StaffStore's check.
     */
    private static Scope scope(JsonNode s) {
        if (s == null || !s.isObject())
            throw invalid("scope", "'scope' must be an object with a 'type'");
        String type = s.path("type").asText("");
        String need =
                switch (type) {
                    case "GRID" -> "gridId";
                    case "COMMUNITY" -> "communityId";
                    case "PLATFORM" -> "platform";
                    case "SUBDISTRICT", "DISTRICT" -> null;
                    default ->
                            throw invalid(
                                    "scope/type",
                                    "'"
                                            + type
                                            + "' is not a scope type; one of GRID, COMMUNITY,"
                                            + " PLATFORM, SUBDISTRICT, DISTRICT");
                };
        boolean inOne = !type.equals("DISTRICT");
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("type") && !f.equals(need) && !(inOne && f.equals("subdistrictId")))
                throw invalid(
                        "scope/" + f,
                        "a "
                                + type
                                + " scope has "
                                + (need == null ? "" : need + " and ")
                                + (inOne ? "subdistrictId" : "no other field")
                                + ", not '"
                                + f
                                + "'");
        }
        Long sid = null;
        if (s.has("subdistrictId")) {
            JsonNode v = s.get("subdistrictId");
            if (!v.canConvertToExactIntegral() || v.asLong() <= 0)
                throw invalid("scope/subdistrictId", "'subdistrictId' must be a positive id");
            sid = v.asLong();
        }
        if (type.equals("DISTRICT")) return Scope.DISTRICT;
        if (need == null) return new Scope(type, null, null, null, sid);
        JsonNode v = s.get(need);
        if (need.equals("platform")) {
            if (v == null || !v.isTextual() || v.asText().isEmpty())
                throw invalid("scope/platform", "a PLATFORM scope needs 'platform', a code");
            return new Scope(type, null, null, v.asText(), sid);
        }
        if (v == null || !v.canConvertToExactIntegral() || v.asLong() <= 0)
            throw invalid(
                    "scope/" + need, "a " + type + " scope needs '" + need + "', a positive id");
        return type.equals("GRID")
                ? new Scope(type, v.asLong(), null, null, sid)
                : new Scope(type, null, v.asLong(), null, sid);
    }

    private interface ScopedWork<T> {
        T run() throws Exception;
    }

    /** A scope naming a grid, community or platform that does not exist: 422, nothing changed. */
    private <T> T scoped(ScopedWork<T> work) throws Exception {
        try {
            T done = work.run();
            afterChange.run();
            return done;
        } catch (StaffStore.MissingScope e) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "unknown-scope",
                            "The scope does not exist",
                            "the scope names a grid, community or platform that does not exist",
                            "/scope"));
        }
    }

    private static StaffStore.Account found(Optional<StaffStore.Account> a, long id) {
        return a.orElseThrow(
                () -> new ProblemException(Problem.notFound("no staff member has the id " + id)));
    }

    private static ObjectNode json(StaffStore.Account a) {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("id", a.id());
        n.setAll(a.fields());
        n.put("passwordMustChange", a.passwordMustChange());
        return n;
    }

    private static ProblemException invalid(String field, String detail) {
        return new ProblemException(Problem.invalidField("/" + field, detail));
    }

    private static void onlyFields(ObjectNode body, String... allowed) {
        List<String> names = List.of(allowed);
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!names.contains(f))
                throw invalid(f, "unknown field '" + f + "'; allowed: " + String.join(", ", names));
        }
    }

    private static String text(JsonNode n, String name, int max) {
        if (n == null || n.isNull()) throw invalid(name, "'" + name + "' is required");
        if (!n.isTextual() || n.asText().isBlank())
            throw invalid(name, "'" + name + "' must be a non-empty string");
        if (n.asText().length() > max)
            throw invalid(name, "'" + name + "' is longer than " + max + " characters");
        return n.asText();
    }
}
