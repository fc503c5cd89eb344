package org.gridgov.tiles;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.gridgov.geo.TileScheme;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Vector tiles from PostGIS, ETags, TileJSON. */
@Tag("db")
class TilesTest {

    // The demo area (120.29E, 30.19N); TileScheme is checked against PostGIS in TileCacheTest.
    static int tx(int z) {
        return TileScheme.x(z, 120.29);
    }

    static int ty(int z) {
        return TileScheme.y(z, 30.19);
    }

    static String tileAt(String layer, int z, double lon, double lat) {
        return "/tiles/"
                + layer
                + "/"
                + z
                + "/"
                + TileScheme.x(z, lon)
                + "/"
                + TileScheme.y(z, lat)
                + ".mvt";
    }

    /**
     * Fetches the tile until it answers from the cache (at most twice after a poll) and returns the
     * answer.
     */
    static HttpResponse<byte[]> cached(String path, String... headers) throws Exception {
        for (int i = 0; i < 40; i++) {
            var r = get(path, headers);
            assertEquals(200, r.statusCode(), path);
            if (r.headers().firstValue("X-Cache").orElse("").equals("HIT")) return r;
            Thread.sleep(250);
        }
        throw new AssertionError(path + " never came from the tile cache");
    }

    /**
     * Fetches the tile until the cache no longer has it (the layer's data changed), at most 20 s.
     */
    static HttpResponse<byte[]> rebuilt(String path, String... headers) throws Exception {
        for (int i = 0; i < 80; i++) {
            var r = get(path, headers);
            if (r.headers().firstValue("X-Cache").orElse("").equals("MISS")) return r;
            Thread.sleep(250);
        }
        throw new AssertionError(path + " stayed cached after its data changed");
    }

    static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(TestServer.base() + path));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(java.time.Duration.ofSeconds(10))
                .build()
                .send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void gridTileWithEtagAndRevalidation() throws Exception {
        String path = "/tiles/grids/14/" + tx(14) + "/" + ty(14) + ".mvt";
        var r = get(path);
        assertEquals(200, r.statusCode());
        assertEquals(
                "application/vnd.mapbox-vector-tile",
                r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.body().length > 200, "tile has features: " + r.body().length);
        assertTrue(
                new String(r.body(), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains("grids"),
                "layer named grids");
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
        assertTrue(
                body.contains("roads") && body.contains("road_class"),
                "layer roads with its class attribute");
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
        assertEquals(
                404,
                get("/tiles/heatmap/1/1/1.mvt").statusCode(),
                "the raster heatmap has no vector tiles");
        var r = get("/tiles/incidents/12/" + tx(12) + "/" + ty(12) + ".mvt");
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().allValues("WWW-Authenticate").contains("Bearer"));
    }

    @Test
    void incidentsAreBinnedAtLowZoom() throws Exception {
        var layer = TestServer.get().ogc().catalog().find("incidents").orElseThrow();
        assertTrue(
                TileSource.sql(layer, 12).contains("ST_SnapToGrid"),
                "binned below zoom " + layer.aggregateBelowZoom());
        assertFalse(TileSource.sql(layer, 16).contains("ST_SnapToGrid"));
        var src =
                new TileSource(
                        org.gridgov.testing.TestDatabase.get().dataSource(),
                        new double[] {0, 0, 1, 1});
        byte[] binned = src.tile(layer, 13, tx(13), ty(13));
        assertTrue(
                binned.length > 0
                        && new String(binned, java.nio.charset.StandardCharsets.ISO_8859_1)
                                .contains("count"));
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
        assertEquals(
                "String",
                roads.get("vector_layers").get(0).get("fields").get("road_class").asText());
    }

    interface Scenario {
        void run() throws Exception;
    }

    /**
     * The signals the tile cache polls for these tables: their write counters, and the plan in
     * effect.
     */
    static long signals(List<String> tables) throws Exception {
        return org.gridgov.testing.TestDatabase.queryLong(
                """
                SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) + coalesce(plan_in_effect(), 0)
                FROM pg_stat_user_tables WHERE relname IN ('%s')"""
                        .formatted(String.join("', '", tables)));
    }

    /**
     * Runs a scenario that needs the tables left alone by everyone else. Another test's writes
     * reach PostgreSQL's counters up to about 10 s late (a backend flushes them when idle), and
     * would drop those tiles mid-scenario: a run during which the tables' counters moved is run
     * again, at most five times. A run with the tables quiet must pass as it is.
     */
    static void withQuietTables(List<String> tables, Scenario scenario) throws Exception {
        for (int attempt = 1; ; attempt++) {
            long before = signals(tables);
            Thread.sleep(1_100); // the cache has polled the tables as they are now
            AssertionError failed = null;
            try {
                scenario.run();
            } catch (AssertionError e) {
                failed = e;
            }
            if (signals(tables) == before) {
                if (failed != null) throw failed;
                return;
            }
            if (attempt == 5)
                throw new AssertionError(tables + " kept changing under the test", failed);
        }
    }

    @Test
    void anIncidentDropsOnlyTheIncidentTilesHoldingIt() throws Exception {
        withQuietTables(
                List.of("grid", "grid_plan"),
                () -> {
                    var probe = org.gridgov.testing.DemoFixture.probe();
                    String[] auth = {"Authorization", "Bearer " + TestServer.token("operator")};
                    String grids = tileAt("grids", 16, probe.lon(), probe.lat());
                    String incidents = tileAt("incidents", 17, probe.lon(), probe.lat());
                    byte[] gridsBefore = cached(grids).body();
                    byte[] incidentsBefore = cached(incidents, auth).body();
                    String elsewhere = tileAt("incidents", 17, probe.lon() + 0.02, probe.lat());
                    cached(elsewhere, auth);

                    var a =
                            TestServer.postAs(
                                    "operator",
                                    "/api/v1/incidents",
                                    org.gridgov.testing.DemoFixture.report(
                                            org.gridgov.testing.DemoFixture.subdistrictCategory()));
                    assertEquals(201, a.status(), a.body());
                    var after = rebuilt(incidents, auth);
                    // z17 comes from memory as cells: the incident adds a cell or raises a
                    // cell's count, so the tile changes (not always in length)
                    assertFalse(
                            java.util.Arrays.equals(incidentsBefore, after.body()),
                            "the new incident is in the rebuilt tile: "
                                    + incidentsBefore.length
                                    + " → "
                                    + after.body().length
                                    + " bytes, unchanged");

                    Thread.sleep(2_500); // two polls of the tables' signals
                    var g = get(grids);
                    assertEquals(
                            "HIT",
                            g.headers().firstValue("X-Cache").orElse(""),
                            "an incident does not drop grid tiles");
                    assertArrayEquals(gridsBefore, g.body());
                    assertEquals(
                            "HIT",
                            get(elsewhere, auth).headers().firstValue("X-Cache").orElse(""),
                            "an incident tile two kilometres away stays cached");
                });
    }

    @Test
    void aNewPlanDropsGridTilesOnly() throws Exception {
        withQuietTables(
                List.of("community"),
                () -> {
                    var probe = org.gridgov.testing.DemoFixture.probe();
                    String grids = tileAt("grids", 15, probe.lon(), probe.lat());
                    String communities = tileAt("communities", 15, probe.lon(), probe.lat());
                    String etag = cached(grids).headers().firstValue("ETag").orElseThrow();
                    cached(communities);

                    var draft =
                            TestServer.postAs(
                                    "planner",
                                    "/api/v1/plans",
                                    "{\"from\":\"active\",\"name\":\"tile cache test\"}");
                    assertTrue(draft.status() / 100 == 2, draft.body());
                    var rebuilt = rebuilt(grids);
                    assertEquals(200, rebuilt.statusCode());
                    assertEquals(
                            etag,
                            rebuilt.headers().firstValue("ETag").orElse(""),
                            "a draft does not change the plan in effect: same tile, same ETag");
                    assertEquals(
                            "HIT",
                            get(communities).headers().firstValue("X-Cache").orElse(""),
                            "communities do not read grid tables");
                });
    }
}
