package org.gridgov.ogc;

import static org.gridgov.ogc.Ogc.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.gridgov.app.Config;
import org.gridgov.app.Gridgov;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * WMS and WFS offer the deployment's planar CRS (GRIDGOV_PLANAR_SRID) instead of the default
 * EPSG:4549: a gridgov of its own, with its own MapServer workers, runs with EPSG:32651 (UTM 51N,
 * valid for the test area at 120.3°E 30.2°N).
 */
@Tag("db")
class PlanarCrsOgcTest {

    private static final String UTM = "EPSG:32651";

    /** The test area in UTM 51N, easting first: 6 km square. */
    private static final String BBOX_UTM = "236000,3339400,242000,3345400";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Gridgov utm;

    @BeforeAll
    static void startWithUtm() throws Exception {
        Map<String, String> settings = new HashMap<>(TestDatabase.serverConfig());
        settings.putAll(
                Map.of(
                        "GRIDGOV_PORT", "0",
                        "GRIDGOV_HOST", "127.0.0.1",
                        "GRIDGOV_SCHEDULER_SECONDS", "0",
                        "GRIDGOV_JWT_SECRET", TestServer.jwtSecret(),
                        "GRIDGOV_MAPSERVER_WORKERS", "2",
                        "GRIDGOV_PLANAR_SRID", "32651"));
        utm = Gridgov.start(Config.of(settings), TestDatabase.server());
    }

    @AfterAll
    static void stop() throws Exception {
        if (utm != null) utm.close();
    }

    private static HttpResponse<byte[]> ows(String query) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + utm.port() + "/ows?" + query))
                        .timeout(Duration.ofSeconds(60))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String getMap(String layer, String crs) {
        return "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS="
                + layer
                + "&STYLES=&CRS="
                + crs
                + "&BBOX="
                + BBOX_UTM
                + "&WIDTH=256&HEIGHT=256&FORMAT=image/png&TRANSPARENT=TRUE";
    }

    @Test
    void capabilitiesOfferThePlanarCrsInsteadOf4549() throws Exception {
        var r = ows("SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0");
        assertEquals(200, r.statusCode());
        String xml = text(r);
        assertTrue(xml.contains("<CRS>" + UTM + "</CRS>"), "the planar CRS is offered");
        assertTrue(xml.contains("<CRS>EPSG:4490</CRS>") && xml.contains("<CRS>EPSG:3857</CRS>"));
        assertFalse(xml.contains("EPSG:4549"), "the default planar CRS is not offered");
    }

    @Test
    void getMapDrawsInThePlanarCrsAndRefuses4549() throws Exception {
        var r = ows(getMap("grids", UTM));
        assertEquals(200, r.statusCode(), type(r).startsWith("image") ? "" : text(r));
        assertEquals("image/png", type(r));
        int painted = paintedPixels(image(r));
        assertTrue(painted > 256 * 256 / 10, "the grids are drawn: " + painted);

        var heat = ows(getMap("heatmap", UTM));
        assertEquals(200, heat.statusCode(), type(heat).startsWith("image") ? "" : text(heat));
        int hot = paintedPixels(image(heat));
        assertTrue(hot > 1000, "gridgov draws the heatmap in the planar CRS: " + hot);

        var gk = ows(getMap("grids", "EPSG:4549"));
        assertEquals(400, gk.statusCode());
        String error = text(gk);
        assertTrue(error.contains("InvalidCRS"), error);
        assertTrue(
                error.contains(UTM)
                        && !error.contains("use one of EPSG:4326 EPSG:4490 EPSG:3857 EPSG:4549"),
                error);
    }

    @Test
    void wfsReprojectsToThePlanarCrs() throws Exception {
        var r =
                ows(
                        "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=subdistrict&SRSNAME="
                                + UTM);
        assertEquals(200, r.statusCode(), text(r));
        String xml = text(r);
        String pos =
                xml.replaceAll("(?s).*?<gml:posList[^>]*>\\s*([0-9.]+)\\s+([0-9.]+).*", "$1 $2");
        String[] en = pos.split(" ");
        assertEquals(2, en.length, xml.substring(0, Math.min(xml.length(), 600)));
        double e = Double.parseDouble(en[0]), n = Double.parseDouble(en[1]);
        assertTrue(
                e > 230_000 && e < 250_000 && n > 3_330_000 && n < 3_350_000,
                "UTM 51N easting, northing: " + pos);

        var refused =
                ows(
                        "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=subdistrict&SRSNAME=EPSG:4549");
        assertEquals(400, refused.statusCode(), text(refused));
    }
}
