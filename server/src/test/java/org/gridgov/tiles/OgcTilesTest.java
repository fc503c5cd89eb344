package org.gridgov.tiles;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.MvtReader;
import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.TagKeyValueMapConverter;
import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.model.JtsMvt;
import java.io.ByteArrayInputStream;
import java.util.Map;
import org.gridgov.geo.TileScheme;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * OGC API - Tiles metadata and tiles at /ogc, and incident tiles from the in-memory points: their
 * counts against the incident table, and a new incident in a cold tile.
 */
@Tag("db")
class OgcTilesTest {

    private static final String WMQ = "WebMercatorQuad";

    private static JsonNode json(String path) {
        var a = TestServer.get(path);
        assertEquals(200, a.status(), path + ": " + a.body());
        assertTrue(a.contentType().startsWith("application/json"), path);
        return a.json();
    }

    /** The href of the first link with this rel (and type, when given). */
    private static String href(JsonNode links, String rel, String type) {
        for (JsonNode l : links) {
            if (l.get("rel").asText().equals(rel)
                    && (type == null || l.get("type").asText().equals(type)))
                return l.get("href").asText();
        }
        throw new AssertionError("no link " + rel + " " + type + " in " + links);
    }

    /** A link's href as a path of the test server. */
    private static String path(String href) {
        assertTrue(href.startsWith(TestServer.base()), href);
        return href.substring(TestServer.base().length());
    }

    @Test
    void conformanceLandingAndCollectionsLinkTheTiles() {
        JsonNode conf = json("/ogc/conformance").get("conformsTo");
        for (String c :
                new String[] {
                    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
                    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
                    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
                    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
                    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt"
                }) {
            assertTrue(conf.toString().contains("\"" + c + "\""), c);
        }
        String tms =
                href(
                        json("/ogc").get("links"),
                        "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes",
                        null);
        JsonNode sets = json(path(tms));
        assertEquals(WMQ, sets.get("tileMatrixSets").get(0).get("id").asText());
        String def = href(sets.get("tileMatrixSets").get(0).get("links"), "self", null);
        assertEquals(25, json(path(def)).get("tileMatrices").size());

        JsonNode grids = json("/ogc/collections/grids");
        String tilesets =
                href(
                        grids.get("links"),
                        "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
                        "application/json");
        assertTrue(tilesets.endsWith("/ogc/collections/grids/tiles"), tilesets);
        for (JsonNode l : json("/ogc/collections/subdistrict").get("links")) {
            assertFalse(
                    l.get("rel").asText().contains("tilesets"), "subdistrict has no tiles: " + l);
        }
    }

    @Test
    void tilesetListTilesetTileJsonAndATile() throws Exception {
        JsonNode list = json("/ogc/collections/grids/tiles");
        JsonNode ts = list.get("tilesets").get(0);
        assertEquals("vector", ts.get("dataType").asText());
        assertEquals(WebMercatorQuad.URI, ts.get("tileMatrixSetURI").asText());
        String tilesetHref = href(ts.get("links"), "self", null);
        assertTrue(
                tilesetHref.endsWith("/ogc/collections/grids/tiles/WebMercatorQuad"), tilesetHref);
        assertTrue(
                href(ts.get("links"), OgcTilesRoutes.REL_TILING_SCHEME, null)
                        .endsWith("/ogc/tileMatrixSets/WebMercatorQuad"));

        JsonNode tileset = json(path(tilesetHref));
        assertEquals("vector", tileset.get("dataType").asText());
        assertEquals("grids", tileset.get("layers").get(0).get("id").asText());
        assertEquals(2, tileset.get("layers").get(0).get("geometryDimension").asInt());
        assertEquals(
                TileScheme.MAX_ZOOM + 1,
                tileset.get("tileMatrixSetLimits").size(),
                "limits for every zoom served");
        String template = href(tileset.get("links"), "item", "application/vnd.mapbox-vector-tile");
        assertTrue(template.endsWith("/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}"));
        int z = 14, x = TilesTest.tx(z), y = TilesTest.ty(z);
        String tile =
                path(template)
                        .replace("{tileMatrix}", String.valueOf(z))
                        .replace("{tileRow}", String.valueOf(y))
                        .replace("{tileCol}", String.valueOf(x));
        var viaOgc = TilesTest.get(tile);
        assertEquals(200, viaOgc.statusCode());
        assertEquals(
                "application/vnd.mapbox-vector-tile",
                viaOgc.headers().firstValue("Content-Type").orElse(""));
        var viaTiles = TilesTest.get("/tiles/grids/" + z + "/" + x + "/" + y + ".mvt");
        assertTrue(viaOgc.body().length > 200);
        assertArrayEquals(viaTiles.body(), viaOgc.body(), "the same tile as /tiles/…");

        JsonNode tileJson = json(path(href(tileset.get("links"), "alternate", "application/json")));
        assertEquals("3.0.0", tileJson.get("tilejson").asText());
        assertTrue(tileJson.get("tiles").get(0).asText().endsWith("/tiles/grids/{z}/{x}/{y}.mvt"));
        assertEquals("grids", tileJson.get("vector_layers").get(0).get("id").asText());
    }

    @Test
    void badInputIsAProblem() {
        String grids = "/ogc/collections/grids/tiles/WebMercatorQuad/";
        int x = TilesTest.tx(14), y = TilesTest.ty(14);
        expect(404, grids + "23/0/0", "tileMatrix");
        expect(404, grids + "99/0/0", "tileMatrix");
        expect(404, grids + "14/0/0", "tileRow");
        expect(404, grids + "14/" + y + "/999999", "tileCol");
        expect(400, grids + "14/" + y + "/x", "tileCol");
        expect(404, "/ogc/collections/grids/tiles/WorldCRS84Quad", "WorldCRS84Quad");
        expect(404, "/ogc/collections/grids/tiles/Nope/14/" + y + "/" + x, "Nope");
        expect(404, "/ogc/tileMatrixSets/WorldCRS84Quad", "WebMercatorQuad is offered");
        expect(404, "/ogc/collections/subdistrict/tiles", "has no tiles");
        expect(404, "/ogc/collections/workload/tiles/WebMercatorQuad", "has no tiles");
        expect(404, "/ogc/collections/heatmap/tiles", "no collection");
        expect(404, "/ogc/collections/nosuch/tiles", "no collection");
        expect(400, "/tiles/grids/23/0/0.mvt", "z");
    }

    private static void expect(int status, String path, String mentions) {
        var a = TestServer.get(path);
        assertEquals(status, a.status(), path + ": " + a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), path);
        assertTrue(a.body().contains(mentions), path + " names " + mentions + ": " + a.body());
    }

    @Test
    void restrictedCollectionsStayHidden() {
        int z = 13, x = TilesTest.tx(z), y = TilesTest.ty(z);
        String ts = "/ogc/collections/incidents/tiles";
        for (String p :
                new String[] {
                    ts,
                    ts + "/WebMercatorQuad",
                    ts + "/WebMercatorQuad/tilejson",
                    ts + "/WebMercatorQuad/" + z + "/" + y + "/" + x
                }) {
            var anonymous = TestServer.get(p);
            assertEquals(401, anonymous.status(), p);
            assertTrue(anonymous.contentType().startsWith("application/problem+json"), p);
            assertFalse(anonymous.body().contains("count"), p);
            assertEquals(200, TestServer.getAs("operator", p).status(), p);
            // a signed-in role without the layer
            assertEquals(403, TestServer.getAs("liaison", p).status(), p);
        }
        assertEquals(
                "private, no-store",
                TestServer.getAs("operator", ts).headers().get("Cache-Control").get(0));
    }

    /** The cells of an incident tile: geometry with its tags (count, category, …). */
    static JtsMvt decode(byte[] tile) throws Exception {
        return MvtReader.loadMvt(
                new ByteArrayInputStream(tile),
                new GeometryFactory(),
                new TagKeyValueMapConverter(false, "id"));
    }

    static long countSum(byte[] tile) throws Exception {
        if (tile.length == 0) return 0;
        long n = 0;
        for (Geometry g : decode(tile).getLayer("incidents").getGeometries()) {
            n += ((Number) ((Map<?, ?>) g.getUserData()).get("count")).longValue();
        }
        return n;
    }

    /** Incidents in the tile's lon/lat box, edges included. */
    static long inTable(int z, int x, int y) throws Exception {
        return TestDatabase.queryLong(
                "SELECT count(*) FROM incident WHERE ST_Intersects(location, ST_Transform(ST_TileEnvelope(%d, %d, %d), 4326))"
                        .formatted(z, x, y));
    }

    /**
     * Incidents whose index box meets the tile's (PostGIS's &&, which the SQL path filters with:
     * its boxes are single precision, so it may take a point up to about a metre outside).
     */
    static long inIndexBox(int z, int x, int y) throws Exception {
        return TestDatabase.queryLong(
                "SELECT count(*) FROM incident WHERE location && ST_Transform(ST_TileEnvelope(%d, %d, %d), 4326)"
                        .formatted(z, x, y));
    }

    private static final String[] OPERATOR = {
        "Authorization", "Bearer " + TestServer.token("operator")
    };

    /**
     * Every incident of the table is in a district-scoped caller's tiles (subdistrict staff get
     * their own subdistrict's: SubdistrictIsolationTilesTest).
     */
    private static final String[] DISTRICT = {
        "Authorization", "Bearer " + TestServer.token("doperator")
    };

    @Test
    void cellCountsAddUpToTheIncidentsInEachTile() throws Exception {
        var probe = DemoFixture.probe();
        int checked = 0;
        for (int z : new int[] {12, 13, 14, 15}) {
            for (double[] d : new double[][] {{0, 0}, {0.01, 0.005}, {-0.012, -0.004}}) {
                int x = TileScheme.x(z, probe.lon() + d[0]),
                        y = TileScheme.y(z, probe.lat() + d[1]);
                String path = "/tiles/incidents/" + z + "/" + x + "/" + y + ".mvt";
                long want = -1, got = -2;
                // other tests' incidents reach the in-memory copy within a relay poll
                for (int attempt = 0; attempt < 30 && want != got; attempt++) {
                    if (attempt > 0) Thread.sleep(200);
                    want = inTable(z, x, y);
                    var r = TilesTest.get(path, DISTRICT);
                    assertEquals(200, r.statusCode(), path);
                    if (r.body().length > 0) {
                        JtsMvt mvt = decode(r.body());
                        for (Geometry g : mvt.getLayer("incidents").getGeometries()) {
                            Map<?, ?> tags = (Map<?, ?>) g.getUserData();
                            assertTrue(tags.get("category") instanceof String, path);
                            assertTrue(tags.get("status") instanceof String, path);
                            assertTrue(tags.get("platform") instanceof String, path);
                            assertTrue(g.getCoordinate().x > 0 && g.getCoordinate().x < 4096);
                        }
                        assertTrue(
                                r.headers()
                                        .firstValue("Server-Timing")
                                        .orElse("mem")
                                        .contains("mem"),
                                "built from memory: " + path);
                    }
                    got = countSum(r.body());
                }
                assertEquals(want, got, "incidents in " + path);
                if (want > 0) checked++;
            }
        }
        assertTrue(checked >= 8, "most tiles hold incidents: " + checked);
    }

    @Test
    void theSqlPathCountsTheSame() throws Exception {
        var layer = TestServer.get().ogc().catalog().find("incidents").orElseThrow();
        var sql = new TileSource(TestDatabase.get().dataSource(), TestServer.get().ogc().extent());
        var probe = DemoFixture.probe();
        for (int z : new int[] {12, 13, 14}) {
            int x = TileScheme.x(z, probe.lon()), y = TileScheme.y(z, probe.lat());
            long want = inIndexBox(z, x, y);
            assertTrue(want > 0);
            assertEquals(want, countSum(sql.tile(layer, z, x, y)), "binned SQL at z" + z);
        }
    }

    @Test
    void aNewIncidentAppearsInAColdTile() throws Exception {
        var probe = DemoFixture.probe();
        // a spot of its own, so that other tests' reports at the probe do not count here
        double lon = probe.lon() + 0.0031, lat = probe.lat() - 0.0027;
        int z = 15, x = TileScheme.x(z, lon), y = TileScheme.y(z, lat);
        String path = "/tiles/incidents/" + z + "/" + x + "/" + y + ".mvt";
        String ogc = "/ogc/collections/incidents/tiles/WebMercatorQuad/" + z + "/" + y + "/" + x;
        long before = countSum(TilesTest.get(path, OPERATOR).body());
        assertEquals(before, inTable(z, x, y));
        var a =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        DemoFixture.report(DemoFixture.subdistrictCategory(), lon, lat));
        assertEquals(201, a.status(), a.body());
        long after = before;
        for (int i = 0; i < 40 && after == before; i++) {
            Thread.sleep(100);
            after = countSum(TilesTest.get(path, OPERATOR).body());
        }
        assertEquals(before + 1, after, "the new incident is counted in its tile");
        assertEquals(after, countSum(TilesTest.get(ogc, OPERATOR).body()), "and under /ogc");
    }
}
