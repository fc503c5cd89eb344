package org.gridgov.ogc.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.gridgov.api.Responses;

/**
 * The OGC API's own definition (/ogc/api): the {@code /ogc} paths of the server's openapi.yaml with
 * the prefix taken off, so that {@code {server url}/conformance} is where validators look for it,
 * and every component they refer to copied in (validators may have no network, so nothing points
 * outside the document). Derived rather than kept by hand, so a path added to openapi.yaml under
 * /ogc (tiles, say) appears here too.
 */
public final class OgcApiDefinition {

    static final String MEDIA_TYPE = "application/vnd.oai.openapi+json;version=3.0";
    private static final String PREFIX = "/ogc";

    private final ObjectNode template;

    /** From the whole server's OpenAPI document (OpenApiRoutes.document()). */
    public OgcApiDefinition(JsonNode serverDocument) {
        this.template = derive(serverDocument);
    }

    /** The definition with its server URL: the API root (public address + /ogc). */
    public ObjectNode forRoot(String apiRoot) {
        ObjectNode doc = template.deepCopy();
        doc.putArray("servers").addObject().put("url", apiRoot);
        return doc;
    }

    static ObjectNode derive(JsonNode whole) {
        ObjectNode doc = Responses.JSON.createObjectNode();
        doc.put("openapi", whole.path("openapi").asText("3.0.3"));
        ObjectNode info = doc.putObject("info");
        info.put("title", "gridgov OGC API - Features");
        info.put("version", whole.path("info").path("version").asText("0"));
        info.put(
                "description",
                "OGC API - Features (Part 1: core, GeoJSON, HTML, OpenAPI 3.0) over gridgov's"
                        + " layer catalog. Public layers need no credentials; restricted ones a"
                        + " bearer token or HTTP Basic with a staff account.");
        doc.putArray("servers").addObject().put("url", PREFIX);
        ObjectNode paths = doc.putObject("paths");
        for (Map.Entry<String, JsonNode> e : whole.path("paths").properties()) {
            String p = e.getKey();
            if (p.equals(PREFIX)) paths.set("/", e.getValue().deepCopy());
            else if (p.startsWith(PREFIX + "/"))
                paths.set(p.substring(PREFIX.length()), e.getValue().deepCopy());
        }
        doc.set("components", components(whole, paths));
        return doc;
    }

    /** The components the paths refer to, directly or through other components. */
    private static ObjectNode components(JsonNode whole, JsonNode paths) {
        Set<String> refs = new LinkedHashSet<>();
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.add(paths);
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            if (n.isObject()) {
                JsonNode ref = n.get("$ref");
                if (ref != null && ref.isTextual()) {
                    String r = ref.asText();
                    if (!r.startsWith("#/components/"))
                        throw new IllegalStateException(
                                "openapi.yaml: " + r + " is not inside the document");
                    if (refs.add(r)) {
                        JsonNode target = whole.at(r.substring(1));
                        if (target.isMissingNode())
                            throw new IllegalStateException("openapi.yaml: " + r + " is missing");
                        todo.add(target);
                    }
                }
            }
            n.elements().forEachRemaining(todo::add);
        }
        ObjectNode components = Responses.JSON.createObjectNode();
        for (String r : refs) {
            String[] part = r.substring("#/components/".length()).split("/", 2);
            components
                    .withObjectProperty(part[0])
                    .set(part[1], whole.at(r.substring(1)).deepCopy());
        }
        Set<String> schemes = new LinkedHashSet<>();
        paths.findValues("security")
                .forEach(
                        s ->
                                s.forEach(
                                        alternative ->
                                                alternative
                                                        .fieldNames()
                                                        .forEachRemaining(schemes::add)));
        for (String s : schemes)
            components
                    .withObjectProperty("securitySchemes")
                    .set(s, whole.path("components").path("securitySchemes").path(s).deepCopy());
        return components;
    }
}
