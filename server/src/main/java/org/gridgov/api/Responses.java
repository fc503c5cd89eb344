package org.gridgov.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON and problem+json answers. One ObjectMapper for the whole server. */
public final class Responses {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String PROBLEM_JSON = "application/problem+json";

    private Responses() {}

    public static void json(RoutingContext ctx, int status, Object body) {
        send(ctx, status, "application/json", body);
    }

    public static void geoJson(RoutingContext ctx, Object body) {
        send(ctx, 200, "application/geo+json", body);
    }

    private static void send(RoutingContext ctx, int status, String contentType, Object body) {
        if (ctx.response().ended()) return;
        try {
            byte[] bytes = body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", contentType)
                    .end(Buffer.buffer(bytes));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    public static void problem(RoutingContext ctx, Problem p) {
        problem(ctx.response(), p, ctx.request().path());
    }

    /** The problem with extension members beside the standard ones. */
    public static void problem(RoutingContext ctx, Problem p, java.util.Map<String, Object> more) {
        problem(ctx.response(), p, ctx.request().path(), more);
    }

    /**
     * The problem as the answer; instance = the request's path (null: none, e.g. an unreadable
     * request).
     */
    public static void problem(
            io.vertx.core.http.HttpServerResponse response, Problem p, String instance) {
        problem(response, p, instance, java.util.Map.of());
    }

    private static void problem(
            io.vertx.core.http.HttpServerResponse response,
            Problem p,
            String instance,
            java.util.Map<String, Object> more) {
        if (response.ended()) return;
        ObjectNode node = JSON.createObjectNode();
        node.put("type", p.type());
        node.put("title", p.title());
        node.put("status", p.status());
        if (p.detail() != null) node.put("detail", p.detail());
        if (p.field() != null) node.put("field", p.field());
        if (instance != null) node.put("instance", instance);
        more.forEach((k, v) -> node.set(k, JSON.valueToTree(v)));
        try {
            response.setStatusCode(p.status())
                    .putHeader("Content-Type", PROBLEM_JSON)
                    .end(Buffer.buffer(JSON.writeValueAsBytes(node)));
        } catch (JsonProcessingException e) {
            response.setStatusCode(500).end();
        }
    }
}
