package org.gridgov.open311;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.Map;
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
}
