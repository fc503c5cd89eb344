package org.gridgov.grid;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Import of a plan: a round trip through GeoPackage in EPSG:4549, and broken files reported before
 * any commit.
 */
@Tag("db")
class PlanImportTest {

    static TestServer.Answer upload(String query, byte[] body) throws Exception {
        HttpResponse<String> r =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(java.time.Duration.ofSeconds(10))
                        .build()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        TestServer.base()
                                                                + "/api/v1/imports"
                                                                + query))
                                        .header(
                                                "Authorization",
                                                "Bearer " + TestServer.token("planner"))
                                        .header("Content-Type", "application/octet-stream")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        return new TestServer.Answer(
                r.statusCode(),
                r.headers().firstValue("Content-Type").orElse(""),
                r.body(),
                r.headers().map());
    }

    static JsonNode report(TestServer.Answer a) {
        assertEquals(202, a.status(), a.body());
        JsonNode job = PlanningApiTest.waitFor(a.json().get("jobId").asText());
        assertEquals("DONE", job.get("status").asText(), job.toString());
        return job.get("result");
    }

    @Test
    void aGeoPackageInPlanarCrsRoundTripsToTheSamePlan() throws Exception {
        long active = PlanningApiTest.activePlan();
        byte[] gpkg =
                PlanExportTest.download("/api/v1/plans/" + active + "/export?format=gpkg&crs=4549");
        JsonNode report = report(upload("?kind=plan", gpkg));
        assertTrue(report.get("valid").asBoolean(), report.toString());
        assertEquals(
                TestServer.getAs("planner", "/api/v1/grids?plan=" + active)
                        .json()
                        .get("features")
                        .size(),
                report.get("features").asInt());
        for (JsonNode p : report.get("problems"))
            assertNotEquals("gap", p.get("type").asText(), "no gaps: " + p);
        String id = report.get("importId").asText();
        var commit =
                TestServer.postAs(
                        "planner", "/api/v1/imports/" + id + "/commit", "{\"name\": \"导入测试\"}");
        assertEquals(201, commit.status(), commit.body());
        long plan = commit.json().get("id").asLong();
        JsonNode cmp =
                TestServer.getAs("planner", "/api/v1/plans/" + active + "/compare/" + plan).json();
        assertEquals(
                0,
                cmp.get("unitsMoved").asInt(),
                "every unit in the grid of the same code: " + cmp);
        // sound, but an imported plan names no grid workers yet (they block adoption)
        JsonNode check = PlanningApiTest.validate(plan, "{\"band\": 5}");
        for (JsonNode p : check.get("problems"))
            if (p.get("severity").asText().equals("error"))
                assertEquals("grid-without-worker", p.get("type").asText(), p.toString());
        assertEquals(
                409,
                TestServer.postAs("planner", "/api/v1/imports/" + id + "/commit", "{}").status(),
                "committed once");
    }

    @Test
    void brokenFilesAreReportedAndCannotBeCommitted() throws Exception {
        // a bow-tie, a polygon in planar metres without a CRS member, a point, and an overlap pair
        String bad =
                """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"code":"330108001001001"},"geometry":{"type":"Polygon","coordinates":[[[120.28,30.18],[120.30,30.20],[120.30,30.18],[120.28,30.20],[120.28,30.18]]]}},
                 {"type":"Feature","properties":{"code":"330108001001002"},"geometry":{"type":"Polygon","coordinates":[[[527000,3341000],[528000,3341000],[528000,3342000],[527000,3341000]]]}},
                 {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[120.29,30.19]}}
                ]}""";
        JsonNode report = report(upload("", bad.getBytes()));
        assertFalse(report.get("valid").asBoolean());
        Set<String> types = new HashSet<>();
        for (JsonNode p : report.get("problems")) types.add(p.get("type").asText());
        assertTrue(
                types.containsAll(
                        Set.of("invalid-geometry", "outside-area", "not-a-polygon", "gap")),
                types.toString());
        for (JsonNode p : report.get("problems")) {
            if (p.get("type").asText().equals("outside-area"))
                assertTrue(p.get("message").asText().contains("metres"), p.toString());
        }
        var commit =
                TestServer.postAs(
                        "planner",
                        "/api/v1/imports/" + report.get("importId").asText() + "/commit",
                        "{}");
        assertEquals(409, commit.status());
        assertTrue(commit.json().get("type").asText().endsWith("/import-invalid"));

        // the same planar polygon with srs given is reprojected into the area
        String planar =
                """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Polygon","coordinates":[[[527000,3340000],[529000,3340000],[529000,3342000],[527000,3342000],[527000,3340000]]]}},
                 {"type":"Feature","properties":{"name":"b"},"geometry":{"type":"Polygon","coordinates":[[[528000,3341000],[530000,3341000],[530000,3343000],[528000,3343000],[528000,3341000]]]}}
                ]}""";
        JsonNode r2 = report(upload("?srs=EPSG:4549", planar.getBytes()));
        Set<String> t2 = new HashSet<>();
        for (JsonNode p : r2.get("problems")) t2.add(p.get("type").asText());
        assertFalse(t2.contains("outside-area"), r2.toString());
        assertTrue(t2.contains("overlap"), t2.toString());

        assertEquals(415, upload("", "hello".getBytes()).status());
        assertEquals(400, upload("?srs=EPSG:2000", bad.getBytes()).status());
        assertEquals(400, upload("?kind=parcels", bad.getBytes()).status());
        assertEquals(400, upload("", new byte[0]).status());
    }
}
