package org.gridgov.people;

import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/** Endpoint guards: who is asking, and may they. */
public final class Access {

    private Access() {}

    /** The caller, or null when anonymous. */
    public static Principal caller(RoutingContext ctx) {
        return Principal.of(ctx.user());
    }

    /** The caller; 401 when anonymous. */
    public static Principal require(RoutingContext ctx) {
        Principal p = caller(ctx);
        if (p == null) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"gridgov\"");
            throw Authentication.unauthorized(
                    "this resource needs a token: POST /api/v1/auth/token, then send 'Authorization: Bearer <token>'");
        }
        return p;
    }

    /** The caller, holding one of the roles; 401 when anonymous, 403 otherwise. */
    public static Principal requireAny(RoutingContext ctx, Set<Role> roles) {
        Principal p = require(ctx);
        if (!p.hasAny(roles))
            throw forbidden(
                    "your roles " + p.roles() + " may not do this; it needs one of " + roles);
        return p;
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "forbidden", "Not allowed", detail, null));
    }
}
