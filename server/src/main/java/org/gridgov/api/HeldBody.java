package org.gridgov.api;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * A whole file sent as the body of a request {@link ApiRouter} held (paused) for its route: read
 * only after the route has checked the caller, so nobody without the right can make the server hold
 * a large body in memory (the place and facility imports).
 */
public final class HeldBody {

    private static final String BYTES = "gridgov.heldBody";

    private HeldBody() {}

    /**
     * A route handler: reads the held body, at most {@code max} bytes (else 413), then passes on.
     */
    public static Handler<RoutingContext> reader(long max) {
        return ctx -> {
            HttpServerRequest req = ctx.request();
            Buffer buf = Buffer.buffer();
            boolean[] failed = {false};
            Handler<ProblemException> fail =
                    e -> {
                        if (failed[0]) return;
                        failed[0] = true;
                        if (!ctx.response().ended() && !ctx.response().closed()) ctx.fail(e);
                    };
            req.handler(
                    chunk -> {
                        if (failed[0]) return;
                        if (buf.length() + (long) chunk.length() > max) {
                            fail.handle(
                                    new ProblemException(
                                            Problem.of(
                                                    413,
                                                    "payload-too-large",
                                                    "The request body is too large",
                                                    "the file exceeds the import limit of "
                                                            + max
                                                            + " bytes (GRIDGOV_IMPORT_LIMIT_MB)",
                                                    null)));
                            return;
                        }
                        buf.appendBuffer(chunk);
                    });
            req.exceptionHandler(
                    e ->
                            fail.handle(
                                    new ProblemException(
                                            Problem.of(
                                                    400,
                                                    "bad-request",
                                                    "Bad request",
                                                    "the body could not be read: " + e.getMessage(),
                                                    null))));
            req.endHandler(
                    v -> {
                        if (failed[0]) return;
                        ctx.put(BYTES, buf);
                        ctx.next();
                    });
            req.resume();
        };
    }

    /** The body {@link #reader} read; empty when there was none. */
    public static Buffer of(RoutingContext ctx) {
        Buffer b = ctx.get(BYTES);
        return b == null ? Buffer.buffer() : b;
    }
}
