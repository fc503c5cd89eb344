package org.gridgov.open311;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.Map;
import org.gridgov.api.Responses;
import org.gridgov.api.XmlText;

/**
 * Writes GeoReport v2 answers as JSON or XML: an array of flat objects, XML elements named as the
 * JSON keys.
 */
final class Format {

    private Format() {}

    static void send(
            RoutingContext ctx,
            boolean xml,
            int status,
            String root,
            String item,
            ArrayNode items) {
        if (ctx.response().ended()) return;
        if (!xml) {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json; charset=utf-8")
                    .end(items.toString());
            return;
        }
        StringBuilder sb =
                new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<")
                        .append(root)
                        .append('>');
        for (JsonNode o : items) {
            sb.append('<').append(item).append('>');
            for (Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator();
                    it.hasNext(); ) {
                var e = it.next();
                sb.append('<').append(e.getKey()).append('>');
                if (e.getValue().isArray()) {
                    for (JsonNode v : e.getValue())
                        sb.append("<value>").append(XmlText.escape(v.asText())).append("</value>");
                } else if (!e.getValue().isNull()) {
                    sb.append(XmlText.escape(e.getValue().asText()));
                }
                sb.append("</").append(e.getKey()).append('>');
            }
            sb.append("</").append(item).append('>');
        }
        sb.append("</").append(root).append(">\n");
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "text/xml; charset=utf-8")
                .end(Buffer.buffer(sb.toString()));
    }

    /** A GeoReport error list of one: [{"code", "description"}], XML {@code <errors><error>}. */
    static void error(RoutingContext ctx, boolean xml, int status, String description) {
        ArrayNode arr = Responses.JSON.createArrayNode();
        arr.addObject().put("code", status).put("description", description);
        send(ctx, xml, status, "errors", "error", arr);
    }

    /**
     * One nested document (a service definition, the discovery document) as JSON, or as XML by
     * GeoReport's Spark convention: an object's keys are elements, and an array named by a plural
     * holds one element per item named by the singular (attributes/attribute, values/value,
     * endpoints/endpoint, formats/format).
     */
    static void sendTree(RoutingContext ctx, boolean xml, int status, String root, JsonNode doc) {
        if (ctx.response().ended()) return;
        if (!xml) {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json; charset=utf-8")
                    .end(doc.toString());
            return;
        }
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        element(sb, root, doc);
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "text/xml; charset=utf-8")
                .end(Buffer.buffer(sb.append('\n').toString()));
    }

    private static void element(StringBuilder sb, String name, JsonNode v) {
        sb.append('<').append(name).append('>');
        if (v.isObject()) {
            for (var e : v.properties()) element(sb, e.getKey(), e.getValue());
        } else if (v.isArray()) {
            String item = name.endsWith("s") ? name.substring(0, name.length() - 1) : "item";
            for (JsonNode i : v) element(sb, item, i);
        } else if (!v.isNull()) {
            sb.append(XmlText.escape(v.asText()));
        }
        sb.append("</").append(name).append('>');
    }
}
