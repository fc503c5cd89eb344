package org.gridgov.people;

import io.vertx.ext.auth.User;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.UserContextInternal;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * Reads {@code Authorization: Bearer <token>} on every request. A valid token sets ctx.user(),
 * whose principal is the token's claims (not Vert.x's default {"access_token": …}, so that
 * {@code principal().getJsonArray("roles")} works everywhere); a forged, expired or malformed one
 * is refused with 401 at once; no header leaves the request anonymous, and each endpoint decides
 * whether that is enough ({@link Access}).
 */
public final class Authentication {

    private final Tokens tokens;

    public Authentication(Tokens tokens) {
        this.tokens = tokens;
    }

    public void mount(Router router) {
        router.route().handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        if (h == null) {
            ctx.next();
            return;
        }
        if (!h.regionMatches(true, 0, "Bearer ", 0, 7) || h.length() < 8) {
            ctx.fail(unauthorized("the Authorization header must be 'Bearer <token>' with a token from POST /api/v1/auth/token"));
            return;
        }
        tokens.verify(h.substring(7).trim()).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(unauthorized("the token is invalid or expired (" + ar.cause().getMessage() + "); get a new one from POST /api/v1/auth/token"));
                return;
            }
            Principal p = Principal.fromClaims(ar.result());
            if (p == null) {
                ctx.fail(unauthorized("the token does not carry gridgov's claims (sub, username, roles, scope)"));
                return;
            }
            // Vert.x 5 sets the user through its internal user context; there is no public setter.
            ((UserContextInternal) ctx.userContext()).setUser(User.create(ar.result().copy()));
            ctx.next();
        });
    }

    static ProblemException unauthorized(String detail) {
        return new ProblemException(Problem.of(401, "unauthorized", "Authentication required", detail, "Authorization"));
    }
}
