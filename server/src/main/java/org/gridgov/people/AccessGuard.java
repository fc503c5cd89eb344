package org.gridgov.people;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * Enforces {@link AccessRules} on every request, before the route's own handler: 401 when the rule
 * wants a token and there is none, 403 when the caller's roles are not the rule's, and a request
 * that no rule covers is refused (404, or 405 when the path has rules for other methods) even if a
 * handler is mounted there. Mounted right after {@link Authentication}, which sets ctx.user().
 */
public final class AccessGuard {

    public void mount(Router router) {
        router.route().handler(AccessGuard::handle);
    }

    private static void handle(RoutingContext ctx) {
        String method = ctx.request().method().name();
        String path = ctx.normalizedPath();
        AccessRules.Match m = AccessRules.match(method, path);
        if (m instanceof AccessRules.Found f) {
            AccessRules.Audience who = f.rule().audience();
            if (!who.anonymous()) Access.requireAny(ctx, who.roles());
            ctx.next();
            return;
        }
        if (m instanceof AccessRules.WrongMethod w) {
            ctx.response().putHeader("Allow", String.join(", ", w.allowed()));
            throw new ProblemException(
                    Problem.of(
                            405,
                            "method-not-allowed",
                            "Method not allowed",
                            method
                                    + " is not supported on "
                                    + path
                                    + "; "
                                    + String.join(", ", w.allowed())
                                    + " is",
                            null));
        }
        throw new ProblemException(Problem.notFound("no resource at " + path));
    }
}
