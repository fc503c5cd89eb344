package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
            if (pages == 0) matched = page.get("numberMatched").asLong();
            else assertFalse(page.has("numberMatched"), "cursor pages are not recounted");
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

    /** The hrefs of a page's links by rel, without scheme and host. */
    static Map<String, String> links(JsonNode page) {
        Map<String, String> m = new HashMap<>();
        for (JsonNode l : page.get("links"))
            m.put(
                    l.get("rel").asText(),
                    l.get("href").asText().replaceFirst("^https?://[^/]+", ""));
        return m;
    }

    static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.get("features").forEach(f -> ids.add(f.get("id").asLong()));
        return ids;
    }

    @Test
    void nextLinksWalkAllRoadsTenAtATime() {
        String items = "/ogc/collections/roads/items";
        JsonNode first = TestServer.get(items + "?limit=10").json();
        long matched = first.get("numberMatched").asLong();
        assertTrue(matched > 100, "roads: " + matched);
        // the same features as the largest pages (offsets) give, in the same order
        List<Long> whole = new ArrayList<>();
        for (long offset = 0; offset < matched; offset += 10_000) {
            JsonNode big = TestServer.get(items + "?limit=10000&offset=" + offset).json();
            assertEquals(matched, big.get("numberMatched").asLong());
            whole.addAll(ids(big));
        }
        assertEquals(matched, whole.size());
        List<Long> walked = new ArrayList<>(ids(first));
        String next = links(first).get("next");
        int pages = 1;
        while (next != null) {
            assertTrue(next.contains("after="), "next is a keyset cursor: " + next);
            var a = TestServer.get(next);
            assertEquals(200, a.status(), a.body());
            JsonNode page = a.json();
            assertFalse(page.has("numberMatched"), "not recounted on every page");
            assertTrue(page.get("numberReturned").asInt() <= 10);
            walked.addAll(ids(page));
            next = links(page).get("next");
            pages++;
        }
        assertEquals(whole, walked, "no duplicates, no gaps, in id order");
        assertEquals((matched + 9) / 10, pages);
    }

    @Test
    void prevLinksAndOffsetsAgreeWithCursors() {
        String items = "/ogc/collections/roads/items";
        JsonNode p1 = TestServer.get(items + "?limit=7").json();
        assertNull(links(p1).get("prev"), "the first page has no prev");
        JsonNode p2 = TestServer.get(links(p1).get("next")).json();
        JsonNode p3 = TestServer.get(links(p2).get("next")).json();
        assertEquals(ids(TestServer.get(items + "?limit=7&offset=14").json()), ids(p3));
        JsonNode back = TestServer.get(links(p3).get("prev")).json();
        assertTrue(links(p3).get("prev").contains("before="), links(p3).get("prev"));
        assertEquals(ids(p2), ids(back), "prev of page 3 is page 2");
        JsonNode backAgain = TestServer.get(links(back).get("prev")).json();
        assertEquals(ids(p1), ids(backAgain));
        assertNull(links(backAgain).get("prev"), "nothing before the first page");
        assertEquals(ids(p2), ids(TestServer.get(links(backAgain).get("next")).json()));
        // an offset page: prev by offset, next by cursor, numberMatched counted
        JsonNode o = TestServer.get(items + "?limit=7&offset=7").json();
        assertEquals(ids(p2), ids(o));
        assertTrue(links(o).get("prev").contains("offset=0"), links(o).get("prev"));
        assertTrue(o.has("numberMatched"));
        // a bbox filter stays on every link
        JsonNode box = TestServer.get(items + "?limit=3&bbox=120.26,30.15,120.33,30.23").json();
        assertTrue(links(box).get("next").contains("bbox=120.26"), links(box).get("next"));
    }

    @Test
    void limitAboveTheMaximumIsServedAsTheMaximum() {
        JsonNode page = TestServer.get("/ogc/collections/roads/items?limit=50000").json();
        long matched = page.get("numberMatched").asLong();
        assertEquals(Math.min(matched, 10_000), page.get("numberReturned").asLong());
        for (String bad :
                List.of(
                        "limit=abc",
                        "after=-1",
                        "after=x",
                        "before=1.5",
                        "after=5&offset=10",
                        "after=5&before=9")) {
            var a = TestServer.get("/ogc/collections/roads/items?" + bad);
            assertEquals(400, a.status(), bad + ": " + a.body());
            assertTrue(a.contentType().startsWith("application/problem+json"), bad);
        }
    }

    @Test
    void everyCollectionsItemsResolveById() {
        JsonNode cols = TestServer.getAs("operator", "/ogc/collections").json().get("collections");
        assertTrue(cols.size() >= 7, "operator sees every vector layer: " + cols.size());
        for (JsonNode c : cols) {
            String id = c.get("id").asText();
            var page = TestServer.getAs("operator", "/ogc/collections/" + id + "/items?limit=3");
            assertEquals(200, page.status(), id + ": " + page.body());
            JsonNode feats = page.json().get("features");
            assertTrue(feats.size() > 0, id + " has features in the test data");
            for (JsonNode f : feats) {
                var one =
                        TestServer.getAs(
                                "operator",
                                "/ogc/collections/" + id + "/items/" + f.get("id").asText());
                assertEquals(200, one.status(), id + "/" + f.get("id") + ": " + one.body());
                assertEquals(f.get("id"), one.json().get("id"), id);
                assertEquals(f.get("properties"), one.json().get("properties"), id);
            }
        }
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
