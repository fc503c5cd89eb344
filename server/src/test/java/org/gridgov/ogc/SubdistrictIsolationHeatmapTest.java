package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.Vertx;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.gridgov.ogc.mapserver.MapServerTransport;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Isolation by subdistrict of the heatmap MapServer draws (issue #20): whenever MapServer draws the
 * heatmap — restyled alone, in a composite with other layers, through the root layer — it counts
 * the caller's subdistrict's incidents only, as the in-process heatmap does. Over a box of
 * subdistrict 1 (no part of subdistrict 2 in it), chief2 gets no heat and the demo chief does;
 * doperator (district scope) gets subdistrict 1's heat unless narrowed to subdistrict 2; anonymous
 * callers the public, district-wide heat. A caller's own {@code subdistrict_id} (the parameter
 * MapServer substitutes) never reaches MapServer, and MapServer without the gateway's value draws
 * no heat at all.
 */
@Tag("db")
@Tag("second-subdistrict")
class SubdistrictIsolationHeatmapTest {

    static SecondSubdistrict.Ids ids;

    /** A square of subdistrict 1, lon/lat, dense with its incidents, clear of subdistrict 2. */
    static String box;

    /** A year of incidents: enough in each 100 m cell for MapServer's public-resolution heat. */
    static final String TIME = "&TIME=P1Y/current";

    @BeforeAll
    static void install() throws Exception {
        TestServer.get();
        ids = SecondSubdistrict.install();
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                                WITH cell AS (
                                    SELECT floor(ST_X(location) / 0.01) AS gx,
                                           floor(ST_Y(location) / 0.01) AS gy, count(*) AS n
                                    FROM incident
                                    WHERE subdistrict_id = ? AND reported_at > now() - interval '1 year'
                                    GROUP BY 1, 2),
                                sq AS (
                                    SELECT n, ST_MakeEnvelope(gx * 0.01 - 0.005, gy * 0.01 - 0.005,
                                                              gx * 0.01 + 0.015, gy * 0.01 + 0.015,
                                                              4326) AS e
                                    FROM cell)
                                SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM sq
                                WHERE NOT EXISTS (SELECT 1 FROM jurisdiction j
                                                  WHERE j.id = ? AND ST_Intersects(j.geom, sq.e))
                                  AND NOT EXISTS (SELECT 1 FROM incident o
                                                  WHERE o.subdistrict_id IS DISTINCT FROM ?
                                                    AND o.location && sq.e)
                                ORDER BY n DESC LIMIT 1""")) {
            ps.setLong(1, ids.firstSubdistrictId());
            ps.setLong(2, ids.subdistrictId());
            ps.setLong(3, ids.firstSubdistrictId());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a box of subdistrict 1 with its incidents only");
                box =
                        String.format(
                                Locale.ROOT,
                                "%.6f,%.6f,%.6f,%.6f",
                                rs.getDouble(1),
                                rs.getDouble(2),
                                rs.getDouble(3),
                                rs.getDouble(4));
            }
        }
    }

    /** A WMS 1.1.1 GetMap (lon/lat axes) of LAYERS over the box, 128 px square, transparent. */
    static String map(String layers, String styles) {
        return "/ows?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS="
                + layers
                + "&STYLES="
                + styles
                + "&SRS=EPSG:4326&BBOX="
                + box
                + "&WIDTH=128&HEIGHT=128&FORMAT=image/png&TRANSPARENT=TRUE"
                + TIME;
    }

    static HttpResponse<byte[]> as(String user, String path) {
        return user == null ? Ogc.get(path) : Ogc.getAs(user, path);
    }

    static BufferedImage png(String user, String path) {
        HttpResponse<byte[]> r = as(user, path);
        assertEquals(200, r.statusCode(), Ogc.text(r));
        assertTrue(Ogc.type(r).startsWith("image/png"), Ogc.type(r) + " " + Ogc.text(r));
        return Ogc.image(r);
    }

    /** Pixels in which two pictures of one size differ. */
    static int differing(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        int n = 0;
        for (int y = 0; y < a.getHeight(); y++)
            for (int x = 0; x < a.getWidth(); x++) if (a.getRGB(x, y) != b.getRGB(x, y)) n++;
        return n;
    }

    /** The heatmap alone, but restyled by name: MapServer draws it, not gridgov. */
    static String restyled() {
        return map("heatmap", "heatmap_blue_red");
    }

    @Test
    void heatmapDrawnByMapServerAloneCountsTheCallersSubdistrict() {
        assertTrue(
                Ogc.paintedPixels(png("chief", restyled())) > 100, "chief: subdistrict 1's heat");
        assertEquals(0, Ogc.paintedPixels(png(SecondSubdistrict.CHIEF, restyled())), "chief2");
        assertEquals(0, Ogc.paintedPixels(png(SecondSubdistrict.OPERATOR, restyled())), "op sd2");
        assertTrue(Ogc.paintedPixels(png("doperator", restyled())) > 100, "district scope: all");
        assertTrue(Ogc.paintedPixels(png("dcommander", restyled())) > 100, "district commander");
        assertEquals(
                0,
                Ogc.paintedPixels(
                        png("doperator", restyled() + "&subdistrict=" + ids.subdistrictId())),
                "doperator narrowed to subdistrict 2");
        assertTrue(
                Ogc.paintedPixels(
                                png(
                                        "doperator",
                                        restyled() + "&subdistrict=" + ids.firstSubdistrictId()))
                        > 100,
                "doperator narrowed to subdistrict 1");
        // the same answer as gridgov's own renderer gives chief2 for the heatmap alone
        assertEquals(
                0,
                Ogc.paintedPixels(png(SecondSubdistrict.CHIEF, map("heatmap", ""))),
                "in process");
    }

    @Test
    void compositeMapsNarrowTheHeatmapToo() {
        // roads belong to no subdistrict: what the heatmap adds to them is the heat
        BufferedImage roads = png("chief", map("roads", ""));
        assertTrue(Ogc.paintedPixels(roads) > 0, "roads in the box");
        for (String layers : new String[] {"roads,heatmap", "heatmap,roads"}) {
            String q = map(layers, "");
            assertEquals(
                    0, differing(roads, png(SecondSubdistrict.CHIEF, q)), "chief2: no heat, " + q);
            assertTrue(differing(roads, png("chief", q)) > 100, "chief: heat, " + q);
            assertTrue(differing(roads, png("doperator", q)) > 100, "doperator: heat, " + q);
        }
        // with subdistrict 1's incidents, which chief2 does not see either
        String withIncidents = map("incidents,heatmap", "");
        assertEquals(0, Ogc.paintedPixels(png(SecondSubdistrict.CHIEF, withIncidents)));
        assertTrue(
                Ogc.paintedPixels(png("chief", withIncidents))
                        > Ogc.paintedPixels(png("chief", map("incidents", ""))) + 100,
                "chief: heat beside the incidents");
    }

    @Test
    void theRootLayerDrawsNoOtherSubdistrictsHeat() {
        // every layer but roads and the heatmap is per subdistrict, and the box holds nothing of
        // subdistrict 2: chief2's whole map is the roads
        String root = map("gridgov", "");
        BufferedImage roads = png(SecondSubdistrict.CHIEF, map("roads", ""));
        assertEquals(0, differing(roads, png(SecondSubdistrict.CHIEF, root)), "chief2");
        assertTrue(differing(roads, png("chief", root)) > 100, "chief sees subdistrict 1");
    }

    @Test
    void anonymousCallersGetThePublicDistrictWideHeat() {
        BufferedImage roads = png(null, map("roads", ""));
        String q = map("roads,heatmap", "");
        assertTrue(
                differing(roads, png(null, q)) > 100, "anonymous: public heat over the district");
        assertEquals(
                0,
                differing(roads, png(null, q + "&subdistrict=" + ids.subdistrictId())),
                "anonymous narrowed to subdistrict 2");
        assertTrue(Ogc.paintedPixels(png(null, restyled())) > 100);
        // the capabilities say so
        String caps = Ogc.text(as(null, "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities"));
        int heatmap = caps.indexOf("<Name>heatmap</Name>");
        assertTrue(heatmap > 0, caps);
        String abstractText =
                caps.substring(
                        caps.indexOf("<Abstract>", heatmap), caps.indexOf("</Abstract>", heatmap));
        assertTrue(abstractText.contains("subdistrict=ID"), abstractText);
        assertTrue(abstractText.contains("incidents; without it"), abstractText);
    }

    @Test
    void aCallersOwnSubstitutionParameterWidensNothing() throws Exception {
        BufferedImage roads = png(SecondSubdistrict.CHIEF, map("roads", ""));
        String q = map("roads,heatmap", "");
        // never forwarded: the gateway sends only validated parameters, then its own value
        for (String own :
                new String[] {
                    "&subdistrict_id=0",
                    "&SUBDISTRICT_ID=0",
                    "&Subdistrict_Id=" + ids.firstSubdistrictId(),
                    "&subdistrict_id=0%26subdistrict_id%3D0",
                    "&subdistrict_id=-1%20OR%201=1",
                    "&map=full%26subdistrict_id%3D0"
                }) {
            HttpResponse<byte[]> r = as(SecondSubdistrict.CHIEF, q + own);
            assertEquals(200, r.statusCode(), own + ": " + Ogc.text(r));
            assertEquals(0, differing(roads, Ogc.image(r)), "chief2 with " + own);
            HttpResponse<byte[]> alone = as(SecondSubdistrict.CHIEF, restyled() + own);
            assertEquals(200, alone.statusCode(), own + ": " + Ogc.text(alone));
            assertEquals(0, Ogc.paintedPixels(Ogc.image(alone)), "alone with " + own);
        }
        // given twice, as any parameter: refused
        HttpResponse<byte[]> twice =
                as(SecondSubdistrict.CHIEF, q + "&subdistrict_id=0&subdistrict_id=0");
        assertEquals(400, twice.statusCode(), Ogc.text(twice));
        // in a form body too
        HttpResponse<byte[]> form =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(TestServer.base() + "/ows"))
                                        .timeout(Duration.ofSeconds(60))
                                        .header("Content-Type", "application/x-www-form-urlencoded")
                                        .header(
                                                "Authorization",
                                                "Bearer "
                                                        + TestServer.token(SecondSubdistrict.CHIEF))
                                        .POST(
                                                HttpRequest.BodyPublishers.ofString(
                                                        q.substring("/ows?".length())
                                                                + "&subdistrict_id=0"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, form.statusCode(), Ogc.text(form));
        assertEquals(0, differing(roads, Ogc.image(form)), "form body");
        // the gateway's parameter for it: another subdistrict or all is 403, 0 is malformed
        assertEquals(
                403,
                as(SecondSubdistrict.CHIEF, q + "&subdistrict=" + ids.firstSubdistrictId())
                        .statusCode());
        assertEquals(403, as(SecondSubdistrict.CHIEF, q + "&subdistrict=all").statusCode());
        assertEquals(400, as(SecondSubdistrict.CHIEF, q + "&subdistrict=0").statusCode());
        assertEquals(
                400,
                as(
                                SecondSubdistrict.CHIEF,
                                q + "&subdistrict=" + ids.subdistrictId() + "&subdistrict=0")
                        .statusCode());
    }

    @Test
    void mapServerWithoutTheGatewaysValueDrawsNoHeat() throws Exception {
        // straight to MapServer, past the gateway: the full map, the heatmap restyled by name
        String direct =
                "map=full&SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=heatmap"
                        + "&STYLES=heatmap_blue_red&SRS=EPSG:4326&BBOX="
                        + box
                        + "&WIDTH=128&HEIGHT=128&FORMAT=image/png&TRANSPARENT=TRUE&width=128";
        Vertx vertx = Vertx.vertx();
        try {
            MapServerTransport t = TestServer.get().ogc().mapServer().transport(vertx, 20_000);
            assertEquals(0, Ogc.paintedPixels(picture(t, direct)), "no subdistrict_id: no heat");
            assertEquals(
                    0,
                    Ogc.paintedPixels(
                            picture(t, direct + "&subdistrict_id=" + ids.subdistrictId())),
                    "subdistrict 2's");
            assertTrue(
                    Ogc.paintedPixels(picture(t, direct + "&subdistrict_id=0")) > 100,
                    "every subdistrict's: the request does draw heat when allowed");
            // anything but a number fails VALIDATION: no picture, or one without heat
            Answer injected =
                    send(
                            t,
                            direct
                                    + "&subdistrict_id="
                                    + URLEncoder.encode("0 OR true", StandardCharsets.UTF_8));
            if (injected.type().startsWith("image/"))
                assertEquals(0, Ogc.paintedPixels(injected.image()), "VALIDATION");
            else assertFalse(injected.body().contains("PNG"), injected.body());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    record Answer(String type, byte[] bytes) {
        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        BufferedImage image() throws java.io.IOException {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            assertNotNull(img, body());
            return img;
        }
    }

    static Answer send(MapServerTransport t, String query) throws Exception {
        return t.send(query)
                .compose(
                        a ->
                                a.collect()
                                        .map(
                                                b ->
                                                        new Answer(
                                                                a.header("Content-Type") == null
                                                                        ? ""
                                                                        : a.header("Content-Type"),
                                                                b.getBytes())))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    /** MapServer's picture for a query (failing when it answers something else). */
    static BufferedImage picture(MapServerTransport t, String query) throws Exception {
        Answer a = send(t, query);
        assertTrue(a.type().startsWith("image/png"), a.type() + " " + a.body());
        return a.image();
    }
}
