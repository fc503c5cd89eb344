package org.gridgov.people;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.category.Platforms;

/**
 * POST /api/v1/auth/token, POST /api/v1/auth/password, POST /api/v1/auth/logout and GET
 * /api/v1/staff.
 */
public final class PeopleRoutes {

    private final StaffDirectory directory;
    private final Tokens tokens;
    private final Sessions sessions;
    private final LoginThrottle throttle;

    public PeopleRoutes(
            StaffDirectory directory, Tokens tokens, Sessions sessions, LoginThrottle throttle) {
        this.directory = directory;
        this.tokens = tokens;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    public void mount(Router r) {
        r.post("/api/v1/auth/token").handler(this::token);
        r.post("/api/v1/auth/password").handler(this::changePassword);
        r.post("/api/v1/auth/logout").handler(this::logout);
        r.get("/api/v1/staff").handler(this::staff);
    }

    /**
     * Revokes the token the request came with (its jti), on every instance within the recheck
     * period.
     */
    private void logout(RoutingContext ctx) {
        Principal p = Access.require(ctx);
        JsonObject claims = ctx.user().principal();
        String jti = claims.getString("jti");
        Long exp = claims.getLong("exp");
        if (jti == null || exp == null)
            throw Authentication.unauthorized("logging out needs the Bearer token to end");
        sessions.revoke(ctx.vertx(), jti, p.staffId(), Instant.ofEpochSecond(exp))
                .onSuccess(x -> ctx.response().setStatusCode(204).end())
                .onFailure(ctx::fail);
    }

    private void token(RoutingContext ctx) {
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        onlyFields(body, "username", "password");
        String username = text(body, "username", 64);
        String password = text(body, "password", 200);
        throttle.begin(ctx, username); // before BCrypt: a throttled guess costs nothing
        // BCrypt is slow on purpose: never on the event loop.
        Handlers.blocking(
                ctx,
                () -> {
                    var account = directory.account(username);
                    boolean ok =
                            Passwords.matches(
                                    password,
                                    account.map(StaffDirectory.Account::passwordHash).orElse(null));
                    // a disabled account gets the same answer as a wrong password
                    if (!ok || !account.get().active()) throw invalidCredentials();
                    return account.get();
                },
                (c, account) -> {
                    throttle.succeeded(c, username);
                    if (account.mustChangePassword())
                        throw new ProblemException(
                                Problem.of(
                                        403,
                                        "password-change-required",
                                        "The password must be changed",
                                        "this is a one-time password: set a password of your own"
                                                + " with POST /api/v1/auth/password {username,"
                                                + " password, newPassword}, then log in with it",
                                        null));
                    Staff s = account.staff();
                    Principal p =
                            new Principal(
                                    s.id(),
                                    s.username(),
                                    java.util.EnumSet.of(s.role()),
                                    s.scope());
                    ObjectNode n = Responses.JSON.createObjectNode();
                    n.put("token", tokens.issue(p, account.authVersion()));
                    n.put("tokenType", "Bearer");
                    n.put("expiresIn", tokens.ttlSeconds());
                    n.set("claims", tree(p.claims()));
                    Responses.json(c, 200, n);
                });
    }

    /**
     * Sets a new password: the first one after a one-time password (no token yet), or a logged-in
     * member of staff changing theirs (with a Bearer token, the username must be the token's).
     * Either way the current password is required, and the new one must pass {@link PasswordRules}.
     * Tokens issued before stop working (the auth_version trigger).
     */
    private void changePassword(RoutingContext ctx) {
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        onlyFields(body, "username", "password", "newPassword");
        String username = text(body, "username", 64);
        Principal caller = Access.caller(ctx);
        if (caller != null && !username.equals(caller.username()))
            throw Access.forbidden(
                    "a token may change only its own account's password, '"
                            + caller.username()
                            + "'");
        String password = text(body, "password", 200);
        String newPassword = text(body, "newPassword", 200);
        weak(PasswordRules.check(username, newPassword));
        throttle.begin(ctx, username); // the current password is guessed like a login
        Handlers.blocking(
                ctx,
                () -> {
                    var account = directory.account(username);
                    String hash = account.map(StaffDirectory.Account::passwordHash).orElse(null);
                    if (!Passwords.matches(password, hash) || !account.get().active())
                        throw invalidCredentials();
                    throttle.succeeded(ctx, username); // the right password: no failed guess
                    if (Passwords.matches(newPassword, hash))
                        weak(
                                List.of(
                                        new PasswordRules.Violation(
                                                "same-as-current",
                                                "the new password must differ from the current"
                                                        + " one")));
                    long id = account.get().staff().id();
                    if (!directory.changePassword(id, hash, Passwords.hash(newPassword)))
                        throw new ProblemException(
                                Problem.of(
                                        409,
                                        "password-changed-meanwhile",
                                        "The password was changed meanwhile",
                                        "another request changed this password first; log in"
                                                + " with the password now in force",
                                        null));
                    return id;
                },
                (c, id) -> {
                    sessions.forget(id); // this instance refuses older tokens at once
                    c.response().setStatusCode(204).end();
                });
    }

    private static void weak(List<PasswordRules.Violation> broken) {
        if (broken.isEmpty()) return;
        StringBuilder d = new StringBuilder("the new password breaks ");
        for (int i = 0; i < broken.size(); i++) {
            if (i > 0) d.append("; ");
            d.append(broken.get(i).rule()).append(" (").append(broken.get(i).message()).append(')');
        }
        throw new ProblemException(
                Problem.of(
                        422,
                        "weak-password",
                        "The new password is not allowed",
                        d.toString(),
                        "/newPassword"));
    }

    private static ProblemException invalidCredentials() {
        return new ProblemException(
                Problem.of(
                        401,
                        "invalid-credentials",
                        "Wrong username or password",
                        "no account matches this username and password",
                        null));
    }

    private static void onlyFields(ObjectNode body, String... allowed) {
        List<String> names = List.of(allowed);
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!names.contains(f))
                throw new ProblemException(
                        Problem.invalidField(
                                "/" + f,
                                "unknown field '" + f + "'; allowed: " + String.join(", ", names)));
        }
    }

    private static String text(ObjectNode body, String name, int max) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull())
            throw new ProblemException(
                    Problem.invalidField("/" + name, "'" + name + "' is required"));
        if (!n.isTextual() || n.asText().isEmpty())
            throw new ProblemException(
                    Problem.invalidField("/" + name, "'" + name + "' must be a non-empty string"));
        if (n.asText().length() > max)
            throw new ProblemException(
                    Problem.invalidField(
                            "/" + name, "'" + name + "' is longer than " + max + " characters"));
        return n.asText();
    }

    private void staff(RoutingContext ctx) {
        Principal caller = Access.requireAny(ctx, Role.SEES_STAFF);
        String roleText = Handlers.param(ctx, "role");
        Role role = roleText == null ? null : Role.parse(roleText);
        if (roleText != null && role == null)
            throw new ProblemException(
                    Problem.invalidParameter(
                            "role",
                            "'"
                                    + roleText
                                    + "' is not a role; one of "
                                    + java.util.Arrays.toString(Role.values())));
        String platform = Handlers.param(ctx, "platform");
        if (platform != null && !Platforms.CODES.contains(platform))
            throw new ProblemException(
                    Problem.invalidParameter(
                            "platform",
                            "'" + platform + "' is not a platform; one of " + Platforms.CODES));
        Long grid = positive(ctx, "grid");
        int limit = org.gridgov.api.QueryParams.whole(ctx, "limit", 1, 5000, 500);
        Long after = positive(ctx, "after");
        Handlers.blocking(
                ctx,
                () ->
                        directory.list(
                                caller.subdistrictId(), // the isolation rule
                                role,
                                platform,
                                grid,
                                limit,
                                after == null ? 0 : after),
                (c, list) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    ArrayNode arr = n.putArray("staff");
                    for (StaffDirectory.Listed row : list) {
                        Staff s = row.staff();
                        ObjectNode o = arr.addObject();
                        o.put("id", s.id());
                        o.put("name", s.name());
                        o.put("username", s.username());
                        o.putArray("roles").add(s.role().name());
                        o.set("scope", tree(s.scope().toJson()));
                        o.put("employment", s.employment());
                        o.put("onDuty", s.onDuty());
                        o.put("active", row.active()); // a disabled account stays listed
                    }
                    n.put("numberReturned", list.size());
                    if (list.size() == limit)
                        n.put("next", "after=" + list.get(list.size() - 1).staff().id());
                    Responses.json(c, 200, n);
                });
    }

    static JsonNode tree(io.vertx.core.json.JsonObject o) {
        try {
            return Responses.JSON.readTree(o.encode());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Long positive(RoutingContext ctx, String name) {
        String v = Handlers.param(ctx, name);
        if (v == null) return null;
        try {
            long x = Long.parseLong(v);
            if (x > 0) return x;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProblemException(
                Problem.invalidParameter(
                        name, "'" + name + "' must be a positive whole number, got '" + v + "'"));
    }
}
