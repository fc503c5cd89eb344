package org.gridgov.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root router: body limits, and one failure handler that turns every error into problem+json,
 * so no handler writes its own error responses.
 */
public final class ApiRouter {

    private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);

    /** The path that takes file uploads: its body is read by ImportRoutes, with its own limit. */
    public static final String UPLOADS = "/api/v1/imports";

    /**
     * The OGC gateway reads its own bodies: its limit and its errors are OGC exception reports, not
     * problem+json.
     */
    public static final String OWS = "/ows";

    /**
     * POSTs that may carry photos as multipart/form-data (docs/media.md): such a body is held like
     * an import's and read by the route ({@link Multipart}), with the photo limits.
     */
    private static final java.util.regex.Pattern MULTIPART_PATHS =
            java.util.regex.Pattern.compile(
                    "/api/v1/incidents/?|/api/v1/incidents/[^/]+/media/?"
                            + "|/api/v1/tasks/[^/]+/photos/?"
                            + "|/open311/v2/requests\\.(json|xml)");

    private ApiRouter() {}

    /** Whether this request's body was held for {@link Multipart} to read. */
    static boolean holdsMultipart(HttpServerRequest req) {
        String type = req.getHeader("Content-Type");
        return req.method() == HttpMethod.POST
                && type != null
                && type.toLowerCase().startsWith("multipart/form-data")
                && MULTIPART_PATHS.matcher(req.path()).matches();
    }

    /**
     * The place and facility imports take a whole file (GeoPackage, zipped Shapefile) in the body:
     * held here, and read under the import limit by the route once it has checked the caller
     * ({@link HeldBody}).
     */
    static final java.util.regex.Pattern FILE_BODY_PATHS =
            java.util.regex.Pattern.compile("/api/v1/(places|facilities)/import/?");

    public static Router create(Vertx vertx, int bodyLimit) {
        Router router = Router.router(vertx);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(bodyLimit);
        // file uploads (imports) stream their own body to disk, after checking the caller
        // (ImportRoutes)
        router.route()
                .handler(
                        ctx -> {
                            String path = ctx.request().path();
                            // "/api/v1/imports/" reaches the same route: its body must not be read
                            // here either
                            if (path.equals(UPLOADS) || path.equals(UPLOADS + "/")) holdBody(ctx);
                            // photos: read by the route under its own limits (Multipart)
                            else if (holdsMultipart(ctx.request())) holdBody(ctx);
                            // the gateway reads its own body (OGC limits and errors); held
                            // meanwhile, since checking
                            // a token may wait on the database and an unheld body would be dropped
                            // before it
                            else if (path.equals(OWS)) {
                                if (ctx.request().method() == HttpMethod.POST) holdBody(ctx);
                                else ctx.next();
                            } else if (FILE_BODY_PATHS.matcher(path).matches()
                                    && ctx.request().method() == HttpMethod.POST) holdBody(ctx);
                            else body.handle(ctx);
                        });
        router.route().failureHandler(ctx -> fail(ctx, bodyLimit));
        router.errorHandler(
                404,
                ctx ->
                        Responses.problem(
                                ctx, Problem.notFound("no resource at " + ctx.request().path())));
        router.errorHandler(
                405,
                ctx ->
                        Responses.problem(
                                ctx,
                                Problem.of(
                                        405,
                                        "method-not-allowed",
                                        "Method not allowed",
                                        ctx.request().method()
                                                + " is not supported on "
                                                + ctx.request().path(),
                                        null)));
        return router;
    }

    /**
     * SQLState 57014 query_canceled, from JDBC or the reactive client, anywhere in the cause chain.
     */
    static boolean queryCanceled(Throwable failure) {
        return anyCause(
                failure,
                t ->
                        t instanceof java.sql.SQLException e && "57014".equals(e.getSQLState())
                                || t instanceof io.vertx.pgclient.PgException p
                                        && "57014".equals(p.getSqlState()));
    }

    /**
     * A connection that failed or could not be had, anywhere in the cause chain: SQLState class 08
     * (connection exception), 57P01–57P03 (the server shutting down or starting up), 25006 (a write
     * on a node that stopped being the primary, until HAProxy cuts its sessions: scripts/cluster),
     * or the pool's timeout waiting for a connection (SQLTransientConnectionException).
     */
    static boolean databaseUnavailable(Throwable failure) {
        return anyCause(
                failure,
                t ->
                        t instanceof java.sql.SQLTransientConnectionException
                                || t instanceof java.sql.SQLException e
                                        && e.getSQLState() != null
                                        && (e.getSQLState().startsWith("08")
                                                || e.getSQLState().matches("57P0[123]")
                                                || e.getSQLState().equals("25006")));
    }

    private static boolean anyCause(
            Throwable failure, java.util.function.Predicate<Throwable> test) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (test.test(t)) return true;
        }
        return false;
    }

    /**
     * The longest request line (method, path and query) taken: long OGC GET requests (filters) fit.
     */
    public static final int MAX_REQUEST_LINE = 16 * 1024;

    /**
     * Requests HTTP itself could not read (a request line over MAX_REQUEST_LINE, headers over
     * Vert.x's limit, garbage): answered as problem+json like every other error, not with Netty's
     * bare status line, then the connection is closed (what follows on it cannot be trusted).
     */
    public static void invalidRequest(HttpServerRequest req) {
        Throwable cause = req.decoderResult() == null ? null : req.decoderResult().cause();
        Problem p;
        if (cause instanceof io.netty.handler.codec.TooLongFrameException
                && String.valueOf(cause.getMessage()).contains("line")) {
            p =
                    Problem.of(
                            414,
                            "uri-too-long",
                            "The request line is too long",
                            "the path and query exceed "
                                    + MAX_REQUEST_LINE
                                    + " bytes; send long OGC requests as POST",
                            null);
        } else if (cause instanceof io.netty.handler.codec.TooLongFrameException) {
            p =
                    Problem.of(
                            431,
                            "headers-too-large",
                            "The request headers are too large",
                            "the request's headers exceed the server's limit",
                            null);
        } else {
            p =
                    Problem.of(
                            400,
                            "bad-request",
                            "Bad request",
                            "the request is not valid HTTP/1.1"
                                    + (cause == null || cause.getMessage() == null
                                            ? ""
                                            : ": " + cause.getMessage()),
                            null);
        }
        Responses.problem(req.response(), p, null);
        req.connection().close();
    }

    /** What a refused request may still send before its connection is closed (see holdBody). */
    static final int DRAIN_MAX_BYTES = 256 * 1024;

    static final long DRAIN_MAX_MS = 2_000;

    /**
     * Holds the body unread until the route has judged the caller (ImportRoutes, OwsGateway resume
     * it). Answered before its body was read (any refusal, a bad token too), the connection is
     * closed rather than drained in full, and the answer says so, so the client does not send its
     * next request on it. What is already on its way (up to DRAIN_MAX_BYTES, for DRAIN_MAX_MS) is
     * read and dropped first: a socket closed with unread bytes is reset, and the reset can destroy
     * the answer before the client reads it (seen as "no answer" for small refused bodies).
     */
    private static void holdBody(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        req.pause();
        // the routing context's lists, not the response's single slots: another handler (Cors)
        // adding its own would silently replace these, and the client would reuse a connection
        // the server is about to close
        ctx.addHeadersEndHandler(
                v -> {
                    if (!req.isEnded() && req.version() != HttpVersion.HTTP_2)
                        ctx.response().putHeader("Connection", "close");
                });
        ctx.addEndHandler(
                ended -> {
                    if (ended.failed() || req.isEnded() || req.version() == HttpVersion.HTTP_2)
                        return;
                    Vertx vertx = ctx.vertx();
                    long[] drained = {0};
                    long timer = vertx.setTimer(DRAIN_MAX_MS, t -> req.connection().close());
                    Runnable close =
                            () -> {
                                vertx.cancelTimer(timer);
                                req.connection().close();
                            };
                    req.exceptionHandler(e -> close.run());
                    req.handler(
                            chunk -> {
                                drained[0] += chunk.length();
                                if (drained[0] > DRAIN_MAX_BYTES) close.run();
                            });
                    req.endHandler(e -> close.run());
                    req.resume();
                });
        ctx.next();
    }

    private static void fail(RoutingContext ctx, int bodyLimit) {
        Throwable failure = ctx.failure();
        if (failure instanceof ProblemException pe) {
            Responses.problem(ctx, pe.problem(), pe.members());
            return;
        }
        if (queryCanceled(failure)) {
            // statement_timeout on the server's pool (GRIDGOV_DB_STATEMENT_TIMEOUT_MS): overload,
            // not a bug
            log.warn(
                    "{} {}: the database cancelled a statement (timeout)",
                    ctx.request().method(),
                    ctx.request().path());
            Responses.problem(
                    ctx,
                    Problem.of(
                            503,
                            "query-timeout",
                            "The database took too long",
                            "the query ran longer than the server allows and was stopped; narrow the request (a smaller area, a shorter period) or try again later",
                            null));
            return;
        }
        int status = ctx.statusCode();
        if (status == 413) {
            Responses.problem(
                    ctx,
                    Problem.of(
                            413,
                            "payload-too-large",
                            "The request body is too large",
                            "the body exceeds the limit of " + bodyLimit + " bytes",
                            null));
            return;
        }
        if (status >= 400 && status < 500) {
            Responses.problem(
                    ctx,
                    Problem.of(
                            status,
                            "bad-request",
                            "Bad request",
                            failure == null
                                    ? "the request could not be processed"
                                    : failure.getMessage(),
                            null));
            return;
        }
        if (databaseUnavailable(failure)) {
            // PostgreSQL restarting or unreachable: the client may retry (with its
            // Idempotency-Key), it is not a bug
            log.warn(
                    "{} {}: database unavailable: {}",
                    ctx.request().method(),
                    ctx.request().path(),
                    failure.getMessage());
            ctx.response().putHeader("Retry-After", "5");
            Responses.problem(
                    ctx,
                    Problem.of(
                            503,
                            "database-unavailable",
                            "The database is unavailable",
                            "the database is restarting or unreachable; retry in a few seconds",
                            null));
            return;
        }
        HttpMethod m = ctx.request().method();
        log.error("{} {} failed", m, ctx.request().path(), failure);
        Responses.problem(
                ctx,
                Problem.of(
                        500,
                        "internal-error",
                        "Internal error",
                        "the server failed to process the request; it has been logged",
                        null));
    }
}
