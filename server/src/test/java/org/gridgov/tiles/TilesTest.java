package org.gridgov.tiles;

import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.*;

/** Vector tiles from PostGIS, ETags, TileJSON. */
class TilesTest {

    // The demo area (120.29E, 30.19N) at z14.
    static int tx(int z) {
        return (int) Math.floor((120.29 + 180) / 360 * (1 << z));
    }

    static int ty(int z) {
        double lat = Math.toRadians(30.19);
        return (int) Math.floor((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * (1 << z));
    }

    static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(TestServer.base() + path));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(java.time.Duration.ofSeconds(10)).build().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void gridTileWithEtagAndRevalidation() throws Exception {
        String path = "/tiles/grids/14/" + tx(14) + "/" + ty(14) + ".mvt";
        var r = get(path);
        assertEquals(200, r.statusCode());
        assertEquals("application/vnd.mapbox-vector-tile", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.body().length > 200, "tile has features: " + r.body().length);
        assertTrue(new String(r.body(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("grids"), "layer named grids");
        String etag = r.headers().firstValue("ETag").orElseThrow();
        var again = get(path, "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
    }

    @Test
    void roadTileOverTheDemoArea() throws Exception {
        var r = get("/tiles/roads/15/" + tx(15) + "/" + ty(15) + ".mvt");
        assertEquals(200, r.statusCode());
        String body = new String(r.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(r.body().length > 200, "tile has road lines: " + r.body().length);
        assertTrue(body.contains("roads") && body.contains("road_class"), "layer roads with its class attribute");
    }

    @Test
    void emptyTileOutsideTheArea() throws Exception {
        var r = get("/tiles/grids/14/0/0.mvt");
        assertEquals(200, r.statusCode());
        assertEquals(0, r.body().length);
    }

    @Test
    void badTilesAndRestrictedLayers() throws Exception {
        assertEquals(400, get("/tiles/grids/14/99999/1.mvt").statusCode());
        assertEquals(400, get("/tiles/grids/30/1/1.mvt").statusCode());
        assertEquals(404, get("/tiles/nosuch/1/1/1.mvt").statusCode());
        assertEquals(404, get("/tiles/heatmap/1/1/1.mvt").statusCode(), "the raster heatmap has no vector tiles");
        var r = get("/tiles/incidents/12/" + tx(12) + "/" + ty(12) + ".mvt");
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().allValues("WWW-Authenticate").contains("Bearer"));
    }

    @Test
    void incidentsAreBinnedAtLowZoom() throws Exception {
        var layer = TestServer.get().ogc().catalog().find("incidents").orElseThrow();
        assertTrue(TileSource.sql(layer, 12).contains("ST_SnapToGrid"), "binned below zoom " + layer.aggregateBelowZoom());
        assertFalse(TileSource.sql(layer, 16).contains("ST_SnapToGrid"));
        var src = new TileSource(org.gridgov.testing.TestDatabase.get().dataSource(), new double[]{0, 0, 1, 1});
        byte[] binned = src.tile(layer, 13, tx(13), ty(13));
        assertTrue(binned.length > 0 && new String(binned, java.nio.charset.StandardCharsets.ISO_8859_1).contains("count"));
    }

    @Test
    void tileJson() {
        var doc = TestServer.get("/tiles/communities.json").json();
        assertEquals("3.0.0", doc.get("tilejson").asText());
        assertTrue(doc.get("tiles").get(0).asText().endsWith("/tiles/communities/{z}/{x}/{y}.mvt"));
        assertEquals("communities", doc.get("vector_layers").get(0).get("id").asText());
        var roads = TestServer.get("/tiles/roads.json").json();
        assertTrue(roads.get("tiles").get(0).asText().endsWith("/tiles/roads/{z}/{x}/{y}.mvt"));
        assertEquals("roads", roads.get("vector_layers").get(0).get("id").asText());
        assertEquals("String", roads.get("vector_layers").get(0).get("fields").get("road_class").asText());
    }
}
