package org.gridgov.analytics;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import javax.imageio.ImageIO;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Finding 6: without a token analytics must not single out a case (cells >= 100 m, whole days,
 * counts under 3 suppressed); staff keep full resolution. Finding 9: cell caps per answer. The
 * probe is a category with exactly one incident on one day: the full-resolution answer shows it as
 * a count of 1, the public one must not show it at all.
 */
@Tag("db")
class PublicResolutionTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static String category;
    static LocalDate day;
    static OffsetDateTime at;
    static double lon, lat;

    @BeforeAll
    static void lonelyIncident() throws Exception {
        TestServer.get();
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                SELECT i.category, (i.reported_at AT TIME ZONE 'Asia/Shanghai')::date, i.reported_at, ST_X(i.location), ST_Y(i.location)
                FROM incident i JOIN (
                    SELECT category, (reported_at AT TIME ZONE 'Asia/Shanghai')::date AS d FROM incident
                    GROUP BY 1, 2 HAVING count(*) = 1) one
                  ON one.category = i.category AND one.d = (i.reported_at AT TIME ZONE 'Asia/Shanghai')::date
                ORDER BY i.id LIMIT 1""")) {
            assertTrue(rs.next(), "the demo has a category with one incident on some day");
            category = rs.getString(1);
            day = rs.getObject(2, LocalDate.class);
            at = rs.getObject(3, OffsetDateTime.class).atZoneSameInstant(ZONE).toOffsetDateTime();
            lon = rs.getDouble(4);
            lat = rs.getDouble(5);
        }
    }

    static String enc(Object s) {
        return URLEncoder.encode(s.toString(), StandardCharsets.UTF_8);
    }

    /** The minute around the incident, as the finding's request had it. */
    static String minute() {
        return "category="
                + category
                + "&from="
                + enc(at.minusSeconds(30))
                + "&to="
                + enc(at.plusSeconds(30));
    }

    static void assertProblemNaming(Answer a, String field) {
        assertEquals(400, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        assertEquals(field, a.json().get("field").asText(), a.body());
    }

    @Test
    void publicBinsRefuseSmallCellsAndNeverShowOneCase() {
        String near =
                "&bbox="
                        + (lon - 0.01)
                        + ","
                        + (lat - 0.01)
                        + ","
                        + (lon + 0.01)
                        + ","
                        + (lat + 0.01);
        Answer staff =
                TestServer.getAs("auditor", "/api/v1/analytics/bins?size=10&" + minute() + near);
        assertEquals(200, staff.status(), staff.body());
        assertEquals(
                1, staff.json().get("features").size(), "staff see the one case: " + staff.body());
        assertEquals(1, staff.json().at("/features/0/properties/count").asInt());

        assertProblemNaming(
                TestServer.get("/api/v1/analytics/bins?size=10&" + minute() + near), "size");
        Answer pub = TestServer.get("/api/v1/analytics/bins?size=100&" + minute());
        assertEquals(200, pub.status(), pub.body());
        assertEquals(
                0, pub.json().get("features").size(), "the lone case is suppressed: " + pub.body());
        assertNotNull(pub.header("X-Gridgov-Resolution"));

        // over everything, public cells hold 3 or more
        Answer wide = TestServer.get("/api/v1/analytics/bins?size=100");
        assertEquals(200, wide.status(), wide.body());
        assertTrue(wide.json().get("features").size() > 0);
        for (JsonNode f : wide.json().get("features"))
            assertTrue(f.at("/properties/count").asInt() >= 3, f.toString());
    }

    @Test
    void publicTimeWindowsAreWholeDays() {
        // the minute is widened to its day: the same day's other categories appear, never a finer
        // cut
        Answer pub =
                TestServer.get(
                        "/api/v1/analytics/timeseries?interval=day&from="
                                + enc(at.minusSeconds(30))
                                + "&to="
                                + enc(at.plusSeconds(30)));
        assertEquals(200, pub.status(), pub.body());
        assertEquals(
                day.atStartOfDay(ZONE).toOffsetDateTime().toInstant(),
                OffsetDateTime.parse(pub.json().get("from").asText()).toInstant());
        assertEquals(
                day.plusDays(1).atStartOfDay(ZONE).toOffsetDateTime().toInstant(),
                OffsetDateTime.parse(pub.json().get("to").asText()).toInstant());
        assertProblemNaming(
                TestServer.get("/api/v1/analytics/timeseries?interval=hour"), "interval");

        Answer one = TestServer.get("/api/v1/analytics/timeseries?interval=day&" + minute());
        assertEquals(200, one.status(), one.body());
        assertTrue(
                one.json().at("/series/0/count").isNull(),
                "a count of 1 is suppressed: " + one.body());
        assertEquals(0, one.json().get("total").asLong());
        assertEquals(1, one.json().get("suppressed").asInt());
        Answer staff =
                TestServer.getAs(
                        "auditor", "/api/v1/analytics/timeseries?interval=hour&" + minute());
        assertEquals(1, staff.json().get("total").asLong(), staff.body());
    }

    @Test
    void publicHotspotsAndTrendsAreCoarse() {
        assertProblemNaming(TestServer.get("/api/v1/analytics/hotspots?size=50"), "size");
        assertProblemNaming(TestServer.get("/api/v1/analytics/trends?size=50"), "size");
        Answer hot = TestServer.get("/api/v1/analytics/hotspots?size=100&" + minute());
        assertEquals(200, hot.status(), hot.body());
        for (JsonNode f : hot.json().get("features")) {
            JsonNode n = f.at("/properties/count");
            assertTrue(n.isNull() || n.asInt() == 0 || n.asInt() >= 3, f.toString());
        }
        // the day of the incident as the current period, then as an earlier one (told by the mean)
        assertTrendsHideSmallCounts(at.plusSeconds(30));
        assertTrendsHideSmallCounts(at.plusDays(1));
    }

    static void assertTrendsHideSmallCounts(OffsetDateTime to) {
        Answer trends =
                TestServer.get(
                        "/api/v1/analytics/trends?period=day&periods=2&size=100&category="
                                + category
                                + "&to="
                                + enc(to));
        assertEquals(200, trends.status(), trends.body());
        // zero or at least three, as for the cells (PublicResolution.shown); the earlier days'
        // counts too: previousMean 0.5 over two days would be one case
        for (JsonNode g : trends.json().get("byGrid")) {
            assertTrue(
                    g.get("current").asInt() == 0 || g.get("current").asInt() >= 3, g.toString());
            double earlier = g.get("previousMean").asDouble() * 2;
            assertTrue(earlier == 0 || earlier >= 3, g.toString());
        }
        for (JsonNode f : trends.json().at("/emergingHotspots/features")) {
            assertTrue(f.at("/properties/current").asInt() >= 3, f.toString());
            double earlier = f.at("/properties/previousMean").asDouble() * 2;
            assertTrue(earlier == 0 || earlier >= 3, f.toString());
        }
    }

    @Test
    void cellCapsRefuseHeavyAnswers() {
        // hot spots over the whole subdistrict at 25 m: tens of thousands of cells, megabytes of
        // GeoJSON
        Answer hot = TestServer.getAs("auditor", "/api/v1/analytics/hotspots?size=25");
        assertProblemNaming(hot, "size");
        assertTrue(
                hot.json().get("detail").asText().contains("at most " + AnalyticsRoutes.MAX_CELLS),
                hot.body());
        // a zoom-10 tile cut into 25 m cells
        Answer tile =
                TestServer.getAs(
                        "auditor",
                        "/tiles/bins/10/" + tileX(10) + "/" + tileY(10) + ".mvt?size=25");
        assertProblemNaming(tile, "size");
        assertTrue(
                tile.json().get("detail").asText().contains("at most " + BinTiles.MAX_TILE_CELLS),
                tile.body());
        assertProblemNaming(
                TestServer.get("/tiles/bins/16/" + tileX(16) + "/" + tileY(16) + ".mvt?size=25"),
                "size");
    }

    @Test
    void publicBinTilesLeaveOutSmallCounts() throws Exception {
        int z = 16;
        String path = "/tiles/bins/" + z + "/" + tileX(z) + "/" + tileY(z) + ".mvt?" + minute();
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<byte[]> staff =
                client.send(
                        HttpRequest.newBuilder(URI.create(TestServer.base() + path + "&size=25"))
                                .header("Authorization", "Bearer " + TestServer.token("auditor"))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, staff.statusCode());
        assertTrue(staff.body().length > 0, "staff see the lone case's cell");
        HttpResponse<byte[]> pub =
                client.send(
                        HttpRequest.newBuilder(URI.create(TestServer.base() + path)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, pub.statusCode());
        assertEquals(0, pub.body().length, "no public cell for a count of 1");
    }

    @Test
    void publicHeatmapDoesNotMarkOneCase() throws Exception {
        String q =
                "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=heatmap&STYLES=&CRS=EPSG:4326&BBOX="
                        + (lat - 0.01)
                        + ","
                        + (lon - 0.01)
                        + ","
                        + (lat + 0.01)
                        + ","
                        + (lon + 0.01)
                        + "&WIDTH=128&HEIGHT=128&FORMAT=image/png&TRANSPARENT=TRUE&from="
                        + day
                        + "&to="
                        + day
                        + "&category="
                        + category;
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<byte[]> staff =
                client.send(
                        HttpRequest.newBuilder(URI.create(TestServer.base() + q))
                                .header("Authorization", "Bearer " + TestServer.token("auditor"))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, staff.statusCode(), new String(staff.body()));
        assertTrue(painted(staff.body()) > 0, "staff see the case's warm spot");
        HttpResponse<byte[]> pub =
                client.send(
                        HttpRequest.newBuilder(URI.create(TestServer.base() + q)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, pub.statusCode(), new String(pub.body()));
        assertEquals(0, painted(pub.body()), "the public picture does not mark one case");
    }

    static int painted(byte[] png) throws Exception {
        return org.gridgov.ogc.Ogc.paintedPixels(ImageIO.read(new ByteArrayInputStream(png)));
    }

    static int tileX(int z) {
        return (int) Math.floor((lon + 180) / 360 * (1 << z));
    }

    static int tileY(int z) {
        double r = Math.toRadians(lat);
        return (int)
                Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * (1 << z));
    }
}
