package org.gridgov.api;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * Runs blocking work (JDBC) on a worker thread, never on the event loop, and answers with its
 * result; any exception goes to the failure handler, which turns it into problem+json.
 */
public final class Handlers {

    private Handlers() {}

    public static <T> void blocking(
            RoutingContext ctx, Callable<T> work, BiConsumer<RoutingContext, T> answer) {
        ctx.vertx()
                .executeBlocking(work, false)
                .onComplete(
                        ar -> {
                            if (ar.succeeded()) {
                                try {
                                    answer.accept(ctx, ar.result());
                                } catch (RuntimeException e) {
                                    ctx.fail(e);
                                }
                            } else {
                                ctx.fail(ar.cause());
                            }
                        });
    }

    /** A single query parameter, or null; a parameter given twice is refused, not guessed. */
    public static String param(RoutingContext ctx, String name) {
        var all = ctx.queryParam(name);
        if (all.isEmpty()) return null;
        if (all.size() > 1)
            throw new ProblemException(
                    Problem.invalidParameter(
                            name,
                            "'" + name + "' is given " + all.size() + " times; give it once"));
        String v = all.get(0);
        return v == null || v.isEmpty() ? null : v;
    }

    /**
     * A free-text query parameter (a filter compared as it is): null when absent; refused (400)
     * when it is longer than max or was not valid UTF-8 (the decoder left U+FFFD in it), so a
     * garbled filter is not answered as if it had matched nothing.
     */
    public static String textParam(RoutingContext ctx, String name, int max) {
        String v = param(ctx, name);
        if (v == null) return null;
        if (v.indexOf('\uFFFD') >= 0)
            throw new ProblemException(
                    Problem.invalidParameter(name, "'" + name + "' is not valid UTF-8 text"));
        if (v.length() > max)
            throw new ProblemException(
                    Problem.invalidParameter(
                            name,
                            "'" + name + "' is " + v.length() + " characters; at most " + max));
        return v;
    }

    public static long pathId(RoutingContext ctx, String name) {
        String v = ctx.pathParam(name);
        try {
            long id = Long.parseLong(v);
            if (id <= 0) throw new NumberFormatException();
            return id;
        } catch (NumberFormatException e) {
            throw new ProblemException(
                    Problem.of(
                            404,
                            "not-found",
                            "Not found",
                            "'" + v + "' is not a valid " + name + " (a positive whole number)",
                            name));
        }
    }
}
