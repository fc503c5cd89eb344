package org.gridgov.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root router: body limits, and one failure handler that turns every error into
 * problem+json, so no handler writes its own error responses.
 */
public final class ApiRouter {

    private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);

    /** The path that takes file uploads, with its own body limit (see ImportRoutes). */
    public static final String UPLOADS = "/api/v1/imports";
    /** The OGC gateway reads its own bodies: its limit and its errors are OGC exception reports, not problem+json. */
    public static final String OWS = "/ows";

    private ApiRouter() {
    }

    public static Router create(Vertx vertx, int bodyLimit) {
        Router router = Router.router(vertx);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(bodyLimit);
        // file uploads (imports) install their own, larger body handler on their route
        router.route().handler(ctx -> {
            if (ctx.request().path().equals(UPLOADS) || ctx.request().path().equals(OWS)) ctx.next();
            else body.handle(ctx);
        });
        router.route().failureHandler(ctx -> fail(ctx, bodyLimit));
        router.errorHandler(404, ctx -> Responses.problem(ctx, Problem.notFound("no resource at " + ctx.request().path())));
        router.errorHandler(405, ctx -> Responses.problem(ctx, Problem.of(405, "method-not-allowed", "Method not allowed",
                ctx.request().method() + " is not supported on " + ctx.request().path(), null)));
        return router;
    }

    /**
     * A connection that failed or could not be had, anywhere in the cause chain: SQLState class 08
     * (connection exception), 57P01–57P03 (the server shutting down or starting up), or the pool's
     * timeout waiting for a connection (SQLTransientConnectionException).
     */
    static boolean databaseUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException) return true;
            if (t instanceof java.sql.SQLException e && e.getSQLState() != null
                    && (e.getSQLState().startsWith("08") || e.getSQLState().matches("57P0[123]"))) return true;
        }
        return false;
    }

    private static void fail(RoutingContext ctx, int bodyLimit) {
        Throwable failure = ctx.failure();
        if (failure instanceof ProblemException pe) {
            Responses.problem(ctx, pe.problem());
            return;
        }
        int status = ctx.statusCode();
        if (status == 413) {
            Responses.problem(ctx, Problem.of(413, "payload-too-large", "The request body is too large",
                    "the body exceeds the limit of " + bodyLimit + " bytes", null));
            return;
        }
        if (status >= 400 && status < 500) {
            Responses.problem(ctx, Problem.of(status, "bad-request", "Bad request",
                    failure == null ? "the request could not be processed" : failure.getMessage(), null));
            return;
        }
        if (databaseUnavailable(failure)) {
            // PostgreSQL restarting or unreachable: the client may retry (with its Idempotency-Key), it is not a bug
            log.warn("{} {}: database unavailable: {}", ctx.request().method(), ctx.request().path(), failure.getMessage());
            ctx.response().putHeader("Retry-After", "5");
            Responses.problem(ctx, Problem.of(503, "database-unavailable", "The database is unavailable",
                    "the database is restarting or unreachable; retry in a few seconds", null));
            return;
        }
        HttpMethod m = ctx.request().method();
        log.error("{} {} failed", m, ctx.request().path(), failure);
        Responses.problem(ctx, Problem.of(500, "internal-error", "Internal error",
                "the server failed to process the request; it has been logged", null));
    }
}
