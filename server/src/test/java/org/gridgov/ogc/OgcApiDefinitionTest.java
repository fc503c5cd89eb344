package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The OGC API's own definition at /ogc/api, as a validator reads it: found through the landing
 * page's service-desc link, its server URL the API root, the OGC API paths under it, every schema
 * inside the document, and each path answering there.
 */
@Tag("db")
class OgcApiDefinitionTest {

    static final String MEDIA_TYPE = "application/vnd.oai.openapi+json;version=3.0";

    static JsonNode definition() {
        JsonNode landing = TestServer.get("/ogc").json();
        String href = null;
        for (JsonNode l : landing.get("links")) {
            if (l.get("rel").asText().equals("service-desc")) {
                assertNull(href, "one service-desc link");
                href = l.get("href").asText();
                assertEquals(MEDIA_TYPE, l.get("type").asText());
            }
        }
        assertEquals(TestServer.base() + "/ogc/api", href);
        var a = TestServer.get("/ogc/api");
        assertEquals(200, a.status(), a.body());
        assertEquals(MEDIA_TYPE, a.contentType());
        return a.json();
    }

    @Test
    void pathsUnderTheApiRoot() {
        JsonNode doc = definition();
        assertEquals(TestServer.base() + "/ogc", doc.at("/servers/0/url").asText());
        Set<String> paths = new TreeSet<>();
        doc.get("paths").fieldNames().forEachRemaining(paths::add);
        assertTrue(
                paths.containsAll(
                        List.of(
                                "/",
                                "/api",
                                "/conformance",
                                "/collections",
                                "/collections/{collectionId}",
                                "/collections/{collectionId}/items",
                                "/collections/{collectionId}/items/{featureId}")),
                paths.toString());
        for (String p : paths)
            assertFalse(p.startsWith("/ogc") || p.startsWith("/api/v1"), "only the OGC API: " + p);
        JsonNode limit = null;
        for (JsonNode p : doc.at("/paths/~1collections~1{collectionId}~1items/get/parameters"))
            if (p.path("name").asText().equals("limit")) limit = p;
        assertNotNull(limit, "items take limit");
        assertEquals(10_000, limit.at("/schema/maximum").asInt(), "GDAL 3.8+ pages by it");
        assertFalse(limit.path("required").asBoolean());
        assertEquals("form", limit.path("style").asText());
    }

    @Test
    void everyReferenceResolvesInsideTheDocument() {
        JsonNode doc = definition();
        List<String> refs = new ArrayList<>();
        doc.findValues("$ref").forEach(r -> refs.add(r.asText()));
        assertFalse(refs.isEmpty());
        for (String r : refs) {
            assertTrue(r.startsWith("#/components/"), "no reference outside the document: " + r);
            assertFalse(doc.at(r.substring(1)).isMissingNode(), r + " is in the document");
        }
        assertEquals("basic", doc.at("/components/securitySchemes/basic/scheme").asText());
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        var parsed = new OpenAPIV3Parser().readContents(doc.toString(), null, options);
        assertEquals(List.of(), parsed.getMessages(), "swagger-parser finds nothing wrong");
        assertEquals(paths(doc), parsed.getOpenAPI().getPaths().keySet());
    }

    private static Set<String> paths(JsonNode doc) {
        Set<String> s = new TreeSet<>();
        doc.get("paths").fieldNames().forEachRemaining(s::add);
        return s;
    }

    @Test
    void eachPathAnswersUnderTheServerUrl() {
        JsonNode doc = definition();
        String root = doc.at("/servers/0/url").asText().replaceFirst("^https?://[^/]+", "");
        long id =
                TestServer.get("/ogc/collections/roads/items?limit=1")
                        .json()
                        .at("/features/0/id")
                        .asLong();
        for (String p : paths(doc)) {
            if (p.contains("/tiles")) continue; // the tile paths have tests of their own
            String path =
                    root
                            + p.replace("{collectionId}", "roads")
                                    .replace("{tileMatrixSetId}", "WebMercatorQuad")
                                    .replace("{featureId}", Long.toString(id));
            if (path.endsWith("/")) path = path.substring(0, path.length() - 1);
            var a = TestServer.get(path);
            assertEquals(200, a.status(), path + ": " + a.body());
        }
    }
}
