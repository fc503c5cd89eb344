package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Isolation by subdistrict over OGC (issue #20): chief2 (subdistrict 2) never gets subdistrict 1's
 * incidents, the demo chief never gets subdistrict 2's, doperator (district scope) gets both, and
 * anonymous callers get what is public as before — over WMS GetMap and GetFeatureInfo (JSON from
 * PostGIS, GML from MapServer), WFS GetFeature (GET and XML POST) and OGC API Features; and the
 * per-subdistrict layers with {@code subdistrict=ID} beside the district-wide ones.
 */
@Tag("db")
@Tag("second-subdistrict")
class SubdistrictIsolationOgcTest {

    static SecondSubdistrict.Ids ids;

    /** A few incidents of subdistrict 1 (the demo's). */
    static List<Long> firstIncidents;

    /** A fixture incident of subdistrict 2 with no other subdistrict's incident within 100 m. */
    static long lonely;

    static double lon, lat;

    /** A grid of subdistrict 1 that has incidents. */
    static long firstGrid;

    @BeforeAll
    static void install() throws Exception {
        TestServer.get();
        ids = SecondSubdistrict.install();
        try (Connection c = TestDatabase.get().dataSource().getConnection()) {
            firstIncidents = new ArrayList<>();
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT id FROM incident WHERE subdistrict_id = ? ORDER BY id LIMIT 3")) {
                ps.setLong(1, ids.firstSubdistrictId());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) firstIncidents.add(rs.getLong(1));
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            """
                            SELECT i.id, ST_X(i.location), ST_Y(i.location) FROM incident i
                            WHERE i.id = ANY (?) AND NOT EXISTS (
                                SELECT 1 FROM incident o
                                WHERE o.subdistrict_id IS DISTINCT FROM i.subdistrict_id
                                  AND ST_DWithin(o.location::geography, i.location::geography, 100))
                            ORDER BY i.id LIMIT 1""")) {
                ps.setArray(1, c.createArrayOf("bigint", ids.incidentIds().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "a fixture incident away from subdistrict 1's");
                    lonely = rs.getLong(1);
                    lon = rs.getDouble(2);
                    lat = rs.getDouble(3);
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT grid_id FROM incident WHERE subdistrict_id = ? AND grid_id IS"
                                    + " NOT NULL GROUP BY grid_id ORDER BY count(*) DESC LIMIT 1")) {
                ps.setLong(1, ids.firstSubdistrictId());
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    firstGrid = rs.getLong(1);
                }
            }
        }
        assertFalse(firstIncidents.isEmpty());
    }

    private static Set<Long> ids(JsonNode collection) {
        Set<Long> out = new HashSet<>();
        for (JsonNode f : collection.get("features")) {
            JsonNode n = f.has("id") ? f.get("id") : f.get("properties").get("id");
            String id = n.asText();
            out.add(Long.parseLong(id.substring(id.lastIndexOf('.') + 1)));
        }
        return out;
    }

    private static JsonNode json(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode(), Ogc.text(r));
        try {
            return TestServer.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(Ogc.text(r), e);
        }
    }

    private static HttpResponse<byte[]> as(String user, String path) {
        return user == null ? Ogc.get(path) : Ogc.getAs(user, path);
    }

    private static Set<Long> both() {
        Set<Long> all = new HashSet<>(ids.incidentIds());
        all.addAll(firstIncidents);
        return all;
    }

    private static String resourceIds() {
        return both().stream().map(i -> "incidents." + i).collect(Collectors.joining(","));
    }

    @Test
    void wfsGetFeatureAnswersEachSubdistrictItsOwnIncidents() {
        String q =
                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=incidents"
                        + "&OUTPUTFORMAT=application/json&RESOURCEID="
                        + resourceIds();
        assertEquals(
                Set.copyOf(ids.incidentIds()), ids(json(as(SecondSubdistrict.CHIEF, q))), "chief2");
        assertEquals(Set.copyOf(firstIncidents), ids(json(as("chief", q))), "chief");
        assertEquals(both(), ids(json(as("doperator", q))), "doperator");
        assertEquals(401, as(null, q).statusCode(), "anonymous: incidents are restricted");
        // GML from MapServer alike
        String gml = Ogc.text(as(SecondSubdistrict.CHIEF, q.replace("application/json", "")));
        for (long i : firstIncidents) assertFalse(gml.contains("incidents." + i + "\""), gml);
        // a district caller narrows to one subdistrict; chief2 may not ask for another's
        String sd2 = q + "&subdistrict=" + ids.subdistrictId();
        assertEquals(Set.copyOf(ids.incidentIds()), ids(json(as("doperator", sd2))));
        HttpResponse<byte[]> other =
                as(SecondSubdistrict.CHIEF, q + "&subdistrict=" + ids.firstSubdistrictId());
        assertEquals(403, other.statusCode(), Ogc.text(other));
        assertTrue(Ogc.text(other).contains("ExceptionReport"), Ogc.text(other));
        assertEquals(403, as(SecondSubdistrict.CHIEF, q + "&subdistrict=all").statusCode(), "all");
        assertEquals(400, as("doperator", q + "&subdistrict=abc").statusCode());
    }

    private static HttpResponse<byte[]> postXml(String user, String body) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(TestServer.base() + "/ows"))
                                    .timeout(Duration.ofSeconds(60))
                                    .header("Content-Type", "text/xml; charset=UTF-8")
                                    .header("Authorization", "Bearer " + TestServer.token(user))
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String byGrid(long grid) {
        return "<wfs:GetFeature service=\"WFS\" version=\"2.0.0\" count=\"10000\""
                + " outputFormat=\"application/json\" xmlns:wfs=\"http://www.opengis.net/wfs/2.0\""
                + " xmlns:fes=\"http://www.opengis.net/fes/2.0\"><wfs:Query typeNames=\"incidents\">"
                + "<fes:Filter><fes:PropertyIsEqualTo><fes:ValueReference>grid_id</fes:ValueReference>"
                + "<fes:Literal>"
                + grid
                + "</fes:Literal></fes:PropertyIsEqualTo></fes:Filter></wfs:Query></wfs:GetFeature>";
    }

    @Test
    void wfsXmlPostIsFilteredAlike() {
        Set<Long> sd2 = ids(json(postXml(SecondSubdistrict.CHIEF, byGrid(ids.gridId()))));
        assertEquals(Set.copyOf(ids.incidentIds()), sd2);
        assertEquals(Set.of(), ids(json(postXml("chief", byGrid(ids.gridId())))), "chief");
        assertEquals(
                Set.copyOf(ids.incidentIds()),
                ids(json(postXml("doperator", byGrid(ids.gridId())))));
        Set<Long> first = ids(json(postXml("chief", byGrid(firstGrid))));
        assertFalse(first.isEmpty());
        assertEquals(Set.of(), ids(json(postXml(SecondSubdistrict.CHIEF, byGrid(firstGrid)))));
        assertEquals(first, ids(json(postXml("doperator", byGrid(firstGrid)))));
    }

    private static String around(double d) {
        return String.format(
                Locale.ROOT, "%.6f,%.6f,%.6f,%.6f", lon - d, lat - d, lon + d, lat + d);
    }

    @Test
    void wmsGetMapDrawsOnlyTheCallersSubdistrict() {
        String q =
                "/ows?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=incidents&STYLES="
                        + "&SRS=EPSG:4326&BBOX="
                        + around(0.0008)
                        + "&WIDTH=64&HEIGHT=64&FORMAT=image/png&TRANSPARENT=TRUE";
        assertTrue(Ogc.paintedPixels(Ogc.image(as(SecondSubdistrict.CHIEF, q))) > 0, "chief2");
        assertTrue(Ogc.paintedPixels(Ogc.image(as("doperator", q))) > 0, "doperator");
        assertEquals(0, Ogc.paintedPixels(Ogc.image(as("chief", q))), "chief");
        assertEquals(
                0,
                Ogc.paintedPixels(
                        Ogc.image(as("doperator", q + "&subdistrict=" + ids.firstSubdistrictId()))),
                "doperator narrowed to subdistrict 1");
        assertEquals(401, as(null, q).statusCode());
    }

    @Test
    void wmsGetFeatureInfoInJsonAndGml() {
        String q =
                "/ows?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetFeatureInfo&LAYERS=incidents"
                        + "&QUERY_LAYERS=incidents&STYLES=&SRS=EPSG:4326&BBOX="
                        + around(0.0008)
                        + "&WIDTH=65&HEIGHT=65&X=32&Y=32&FEATURE_COUNT=50&FORMAT=image/png&INFO_FORMAT=";
        String json = q + "application/json";
        assertTrue(ids(json(as(SecondSubdistrict.CHIEF, json))).contains(lonely), "chief2");
        assertTrue(ids(json(as("doperator", json))).contains(lonely), "doperator");
        assertEquals(Set.of(), ids(json(as("chief", json))), "chief");
        String gml = q + "application/vnd.ogc.gml";
        assertTrue(Ogc.text(as(SecondSubdistrict.CHIEF, gml)).contains(">" + lonely + "<"));
        assertFalse(Ogc.text(as("chief", gml)).contains(">" + lonely + "<"));
        assertEquals(401, as(null, json).statusCode());
    }

    @Test
    void ogcApiFeaturesItems() {
        String q = "/ogc/collections/incidents/items?limit=10000&bbox=" + around(0.0008);
        assertTrue(ids(json(as(SecondSubdistrict.CHIEF, q))).contains(lonely));
        assertTrue(ids(json(as("doperator", q))).contains(lonely));
        assertEquals(Set.of(), ids(json(as("chief", q))));
        assertEquals(401, as(null, q).statusCode());
        assertEquals(
                403,
                as(SecondSubdistrict.CHIEF, q + "&subdistrict=" + ids.firstSubdistrictId())
                        .statusCode());
        String one = "/ogc/collections/incidents/items/" + lonely;
        assertEquals(200, as(SecondSubdistrict.CHIEF, one).statusCode());
        assertEquals(200, as("doperator", one).statusCode());
        assertEquals(404, as("chief", one).statusCode(), "another subdistrict's feature");
        for (long i : firstIncidents) {
            assertEquals(
                    404,
                    as(SecondSubdistrict.CHIEF, "/ogc/collections/incidents/items/" + i)
                            .statusCode());
        }
        // the next link keeps the subdistrict asked for
        JsonNode page =
                json(
                        as(
                                "doperator",
                                "/ogc/collections/incidents/items?limit=1&subdistrict="
                                        + ids.subdistrictId()));
        assertEquals(1, page.get("features").size());
        assertTrue(ids.incidentIds().contains(ids(page).iterator().next()));
        boolean kept = false;
        for (JsonNode l : page.get("links"))
            if (l.get("rel").asText().equals("next"))
                kept = l.get("href").asText().contains("subdistrict=" + ids.subdistrictId());
        assertTrue(kept, page.get("links").toString());
    }

    @Test
    void publicLayersPerSubdistrictAndDistrictWide() {
        String q = "/ogc/collections/subdistrict/items";
        Set<String> codes = new HashSet<>();
        for (JsonNode f : json(as(null, q)).get("features"))
            codes.add(f.get("properties").get("code").asText());
        assertTrue(
                codes.containsAll(Set.of(SecondSubdistrict.CODE, SecondSubdistrict.FIRST_CODE)),
                codes.toString());
        JsonNode one = json(as(null, q + "?subdistrict=" + ids.subdistrictId())).get("features");
        assertEquals(1, one.size());
        assertEquals(SecondSubdistrict.CODE, one.get(0).get("properties").get("code").asText());
        // communities over WFS: anonymous asks for one subdistrict's
        String wfs =
                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=communities"
                        + "&OUTPUTFORMAT=application/json&subdistrict="
                        + ids.subdistrictId();
        assertEquals(Set.of(ids.communityId()), ids(json(as(null, wfs))));
        // grids of every plan in effect, one per subdistrict
        Set<Long> grids =
                ids(
                        json(
                                as(
                                        null,
                                        "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature"
                                                + "&TYPENAMES=grids&OUTPUTFORMAT=application/json")));
        assertTrue(grids.contains(ids.gridId()), "subdistrict 2's grid in the district-wide layer");
        assertTrue(grids.size() > 1);
        // capabilities and collections say how to ask for one subdistrict
        String caps =
                Ogc.text(as("chief", "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities"));
        assertTrue(caps.contains("subdistrict=ID"), "WMS capabilities mention the parameter");
        assertTrue(
                json(as("chief", "/ogc/collections/incidents"))
                        .get("description")
                        .asText()
                        .contains("subdistrict=ID"));
    }

    @Test
    void subdistrictStaffSeePlacesAndBaseUnitsOfTheirOwnOnly() {
        String q =
                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=base_units"
                        + "&OUTPUTFORMAT=application/json&COUNT=10000";
        Set<Long> mine = ids(json(as(SecondSubdistrict.CHIEF, q)));
        assertEquals(Set.copyOf(ids.unitIds()), mine, "chief2: subdistrict 2's units only");
        Set<Long> first = ids(json(as("chief", q)));
        assertFalse(first.isEmpty());
        for (long u : ids.unitIds()) assertFalse(first.contains(u), "chief sees unit " + u);
    }
}
