package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** OGC API - Features at /ogc, served by gridgov over PostGIS. */
@Tag("db")
class FeaturesApiTest {

    @Test
    void landingConformanceCollections() {
        JsonNode landing = TestServer.get("/ogc").json();
        assertTrue(landing.get("links").toString().contains("\"rel\":\"conformance\""));
        JsonNode conf = TestServer.get("/ogc/conformance").json();
        assertTrue(conf.get("conformsTo").toString().contains("ogcapi-features-1/1.0/conf/core"));
        JsonNode cols = TestServer.get("/ogc/collections").json().get("collections");
        Set<String> ids = new HashSet<>();
        cols.forEach(c -> ids.add(c.get("id").asText()));
        assertEquals(
                Set.of("subdistrict", "communities", "roads", "grids", "workload"),
                ids,
                "anonymous: public vector layers only");
        var html =
                TestServer.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(
                                                TestServer.base() + "/ogc/collections?f=html"))
                                .build());
        assertTrue(html.contentType().startsWith("text/html") && html.body().contains("网格"));
    }

    @Test
    void itemsPageWithNextLinksAndBbox() {
        Set<Long> seen = new HashSet<>();
        String next = "/ogc/collections/grids/items?limit=5";
        long matched = -1;
        int pages = 0;
        while (next != null) {
            var a = TestServer.get(next);
            assertEquals(200, a.status(), a.body());
            assertEquals("application/geo+json", a.contentType());
            JsonNode page = a.json();
            matched = page.get("numberMatched").asLong();
            for (JsonNode f : page.get("features"))
                assertTrue(seen.add(f.get("id").asLong()), "a feature appears on one page only");
            next = null;
            for (JsonNode l : page.get("links")) {
                if (l.get("rel").asText().equals("next"))
                    next = l.get("href").asText().replaceFirst("^https?://[^/]+", "");
            }
            pages++;
        }
        assertTrue(pages > 2);
        assertEquals(matched, seen.size());
        JsonNode some =
                TestServer.get("/ogc/collections/grids/items?bbox=120.285,30.185,120.286,30.186")
                        .json();
        assertTrue(
                some.get("numberReturned").asInt() > 0
                        && some.get("numberMatched").asLong() < matched);
    }

    @Test
    void singleItemAndErrors() {
        JsonNode page = TestServer.get("/ogc/collections/communities/items?limit=1").json();
        long id = page.get("features").get(0).get("id").asLong();
        var one = TestServer.get("/ogc/collections/communities/items/" + id);
        assertEquals(200, one.status());
        assertEquals(id, one.json().get("id").asLong());
        assertEquals(404, TestServer.get("/ogc/collections/communities/items/99999999").status());
        assertEquals(404, TestServer.get("/ogc/collections/nosuch/items").status());
        assertEquals(400, TestServer.get("/ogc/collections/grids/items?limit=0").status());
        assertEquals(400, TestServer.get("/ogc/collections/grids/items?bbox=1,2,3").status());
        assertEquals(400, TestServer.get("/ogc/collections/grids/items?offset=-1").status());
        assertEquals(400, TestServer.get("/ogc/collections/grids/items?name=x").status());
        var restricted = TestServer.get("/ogc/collections/incidents/items");
        assertEquals(401, restricted.status());
        assertNotNull(restricted.header("WWW-Authenticate"));
    }

    @Test
    void incidentsNeverCarryReporterIdentity() {
        Layer incidents = TestServer.get().ogc().catalog().find("incidents").orElseThrow();
        assertFalse(
                incidents.sql().contains("reporter"),
                "the layer SQL does not select reporter fields");
        assertFalse(incidents.attributes().containsKey("description"));
    }
}
