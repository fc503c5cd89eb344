package org.gridgov.people;

import org.gridgov.category.Platforms;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;

import java.util.Iterator;
import java.util.Set;

/** POST /api/v1/auth/token and GET /api/v1/staff. */
public final class PeopleRoutes {

    private final StaffDirectory directory;
    private final Tokens tokens;

    public PeopleRoutes(StaffDirectory directory, Tokens tokens) {
        this.directory = directory;
        this.tokens = tokens;
    }

    public void mount(Router r) {
        r.post("/api/v1/auth/token").handler(this::token);
        r.get("/api/v1/staff").handler(this::staff);
    }

    private void token(RoutingContext ctx) {
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("username") && !f.equals("password")) throw new ProblemException(Problem.invalidField("/" + f, "unknown field '" + f + "'; allowed: username, password"));
        }
        String username = text(body, "username", 64);
        String password = text(body, "password", 200);
        // BCrypt is slow on purpose: never on the event loop.
        Handlers.blocking(ctx, () -> {
            var account = directory.account(username);
            boolean ok = Passwords.matches(password, account.map(StaffDirectory.Account::passwordHash).orElse(null));
            if (!ok || account.isEmpty()) {
                throw new ProblemException(Problem.of(401, "invalid-credentials", "Wrong username or password",
                        "no account matches this username and password", null));
            }
            Staff s = account.get().staff();
            return new Principal(s.id(), s.username(), java.util.EnumSet.of(s.role()), s.scope());
        }, (c, p) -> {
            ObjectNode n = Responses.JSON.createObjectNode();
            n.put("token", tokens.issue(p));
            n.put("tokenType", "Bearer");
            n.put("expiresIn", tokens.ttlSeconds());
            n.set("claims", tree(p.claims()));
            Responses.json(c, 200, n);
        });
    }

    private static String text(ObjectNode body, String name, int max) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) throw new ProblemException(Problem.invalidField("/" + name, "'" + name + "' is required"));
        if (!n.isTextual() || n.asText().isEmpty()) throw new ProblemException(Problem.invalidField("/" + name, "'" + name + "' must be a non-empty string"));
        if (n.asText().length() > max) throw new ProblemException(Problem.invalidField("/" + name, "'" + name + "' is longer than " + max + " characters"));
        return n.asText();
    }

    private void staff(RoutingContext ctx) {
        Access.requireAny(ctx, Role.SEES_STAFF);
        String roleText = Handlers.param(ctx, "role");
        Role role = roleText == null ? null : Role.parse(roleText);
        if (roleText != null && role == null) throw new ProblemException(Problem.invalidParameter("role", "'" + roleText + "' is not a role; one of " + java.util.Arrays.toString(Role.values())));
        String platform = Handlers.param(ctx, "platform");
        if (platform != null && !Platforms.CODES.contains(platform)) throw new ProblemException(Problem.invalidParameter("platform", "'" + platform + "' is not a platform; one of " + Platforms.CODES));
        Long grid = positive(ctx, "grid");
        int limit = org.gridgov.api.QueryParams.whole(ctx, "limit", 1, 5000, 500);
        Long after = positive(ctx, "after");
        Handlers.blocking(ctx, () -> directory.list(role, platform, grid, limit, after == null ? 0 : after), (c, list) -> {
            ObjectNode n = Responses.JSON.createObjectNode();
            ArrayNode arr = n.putArray("staff");
            for (Staff s : list) {
                ObjectNode o = arr.addObject();
                o.put("id", s.id());
                o.put("name", s.name());
                o.put("username", s.username());
                o.putArray("roles").add(s.role().name());
                o.set("scope", tree(s.scope().toJson()));
                o.put("employment", s.employment());
                o.put("onDuty", s.onDuty());
            }
            n.put("numberReturned", list.size());
            if (list.size() == limit) n.put("next", "after=" + list.get(list.size() - 1).id());
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
        throw new ProblemException(Problem.invalidParameter(name, "'" + name + "' must be a positive whole number, got '" + v + "'"));
    }
}
