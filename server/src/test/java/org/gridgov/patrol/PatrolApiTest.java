package org.gridgov.patrol;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Position uploads, coverage, gaps and nearest responders against PostGIS and pgRouting. */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class PatrolApiTest {

    static long sql(String query) throws Exception {
        return TestDatabase.queryLong(query);
    }

    static List<double[]> points(String query) throws Exception {
        List<double[]> out = new ArrayList<>();
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) out.add(new double[] {rs.getDouble(1), rs.getDouble(2)});
        }
        return out;
    }

    static String batch(List<double[]> pts, OffsetDateTime start) {
        StringBuilder b = new StringBuilder("{\"positions\":[");
        for (int k = 0; k < pts.size(); k++) {
            if (k > 0) b.append(',');
            b.append("{\"at\":\"")
                    .append(start.plusSeconds(30L * k))
                    .append("\",\"lon\":")
                    .append(pts.get(k)[0])
                    .append(",\"lat\":")
                    .append(pts.get(k)[1])
                    .append(",\"accuracy\":8}");
        }
        return b.append("]}").toString();
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.ofHours(8)).truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void anOfflineUploadIsStoredOnceInTimeOrder() throws Exception {
        long staff =
                sql("SELECT id FROM staff WHERE role = 'PLATFORM_HANDLER' ORDER BY id LIMIT 1");
        var p = DemoFixture.probe();
        OffsetDateTime t = now().minusHours(30);
        String body =
                "{\"positions\":[{\"at\":\""
                        + t.plusMinutes(2)
                        + "\",\"lon\":"
                        + p.lon()
                        + ",\"lat\":"
                        + p.lat()
                        + "},"
                        + "{\"at\":\""
                        + t
                        + "\",\"lon\":"
                        + (p.lon() + 0.001)
                        + ",\"lat\":"
                        + p.lat()
                        + "},"
                        + "{\"at\":\""
                        + t.plusMinutes(1)
                        + "\",\"lon\":"
                        + (p.lon() + 0.002)
                        + ",\"lat\":"
                        + p.lat()
                        + "}]}";
        var first =
                TestServer.postAs(username(staff), "/api/v1/staff/" + staff + "/positions", body);
        assertEquals(200, first.status(), first.body());
        assertEquals(3, first.json().get("stored").asInt());
        var again =
                TestServer.postAs(username(staff), "/api/v1/staff/" + staff + "/positions", body);
        assertEquals(0, again.json().get("stored").asInt());
        assertEquals(3, again.json().get("duplicates").asInt());
        var track =
                TestServer.getAs(
                        "operator",
                        "/api/v1/staff/"
                                + staff
                                + "/track?from="
                                + enc(t.minusMinutes(1))
                                + "&to="
                                + enc(t.plusMinutes(5)));
        assertEquals(200, track.status(), track.body());
        assertEquals(3, track.json().at("/properties/points").asInt());
        assertEquals(
                p.lon() + 0.001,
                track.json().at("/geometry/coordinates/0/0").asDouble(),
                1e-6,
                "the track runs in time order");
        assertEquals(
                p.lon() + 0.002, track.json().at("/geometry/coordinates/1/0").asDouble(), 1e-6);
    }

    static String enc(OffsetDateTime t) {
        return java.net.URLEncoder.encode(t.toString(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "empty list|{\"positions\":[]}|/positions",
                "not a list|{\"positions\":{}}|/positions",
                "unknown field|{\"positions\":[{\"at\":\"2026-11-25T08:00:00+08:00\",\"lon\":120.29,\"lat\":30.19}],\"x\":1}|/x",
                "bad time|{\"positions\":[{\"at\":\"noon\",\"lon\":120.29,\"lat\":30.19}]}|/positions/0/at",
                "future|{\"positions\":[{\"at\":\"2999-01-01T00:00:00+08:00\",\"lon\":120.29,\"lat\":30.19}]}|/positions/0/at",
                "lon as text|{\"positions\":[{\"at\":\"2026-11-25T08:00:00+08:00\",\"lon\":\"x\",\"lat\":30.19}]}|/positions/0/lon",
                "lat out of range|{\"positions\":[{\"at\":\"2026-11-25T08:00:00+08:00\",\"lon\":120.29,\"lat\":91}]}|/positions/0/lat",
                "negative accuracy|{\"positions\":[{\"at\":\"2026-11-25T08:00:00+08:00\",\"lon\":120.29,\"lat\":30.19,\"accuracy\":-1}]}|/positions/0/accuracy",
                "far away|{\"positions\":[{\"at\":\"2026-11-25T08:00:00+08:00\",\"lon\":116.4,\"lat\":39.9}]}|/positions"
            })
    void badUploadsAreRefusedAndStoreNothing(String why, String body, String field)
            throws Exception {
        long before = sql("SELECT count(*) FROM staff_position");
        long staff = sql("SELECT min(id) FROM staff");
        var a =
                TestServer.postAs(
                        username(staff),
                        "/api/v1/staff/" + staff + "/positions",
                        body.replace("2026-11-25T08:00:00+08:00", now().minusHours(1).toString()));
        assertEquals(422, a.status(), why + ": " + a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"));
        assertEquals(field, a.json().get("field").asText());
        assertEquals(before, sql("SELECT count(*) FROM staff_position"));
    }

    static String username(long staffId) throws Exception {
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT username FROM staff WHERE id = " + staffId)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void onlyTheOwnerUploadsAndOnlyStaffSeeTracks() throws Exception {
        long staff =
                sql("SELECT id FROM staff WHERE role = 'PLATFORM_HANDLER' ORDER BY id LIMIT 1");
        String body =
                "{\"positions\":[{\"at\":\""
                        + now().minusHours(2)
                        + "\",\"lon\":120.29,\"lat\":30.19}]}";
        assertEquals(401, TestServer.post("/api/v1/staff/" + staff + "/positions", body).status());
        assertEquals(
                403,
                TestServer.postAs("operator", "/api/v1/staff/" + staff + "/positions", body)
                        .status());
        assertEquals(401, TestServer.get("/api/v1/staff/" + staff + "/track").status());
        assertEquals(
                403,
                TestServer.getAs(
                                username(
                                        sql(
                                                "SELECT id FROM staff WHERE role = 'GRID_WORKER' ORDER BY id LIMIT 1")),
                                "/api/v1/staff/" + staff + "/track")
                        .status());
        assertEquals(403, TestServer.getAs("planner", "/api/v1/incidents/1/responders").status());
    }

    @Test
    void unknownStaffIs404() {
        var a =
                TestServer.postAs(
                        "admin",
                        "/api/v1/staff/987654321/positions",
                        "{\"positions\":[{\"at\":\""
                                + now().minusHours(1)
                                + "\",\"lon\":120.29,\"lat\":30.19}]}");
        assertEquals(404, a.status(), a.body());
    }

    @Test
    void coverageCountsUnitsPassedNotDistanceWalkedAndGapsShowTheRest() throws Exception {
        long grid =
                sql(
                        "SELECT g.id FROM grid g WHERE g.plan_id = plan_in_effect() ORDER BY g.id DESC LIMIT 1");
        long worker =
                sql(
                        "SELECT id FROM staff WHERE role = 'GRID_WORKER' AND grid_id = "
                                + grid
                                + " ORDER BY id LIMIT 1");
        long units = sql("SELECT count(*) FROM grid_unit WHERE grid_id = " + grid);
        // Visit every other unit of the grid, and walk up and down in one of them many times.
        List<double[]> walk =
                points(
                        "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(b.geom) p, row_number() OVER (ORDER BY b.id) n "
                                + "FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id WHERE gu.grid_id = "
                                + grid
                                + ") x WHERE n % 2 = 1");
        for (int k = 0; k < 20; k++) walk.add(walk.get(0));
        OffsetDateTime start = now().minusHours(3);
        var up =
                TestServer.postAs(
                        username(worker),
                        "/api/v1/staff/" + worker + "/positions",
                        batch(walk, start));
        assertEquals(200, up.status(), up.body());

        String window = "from=" + enc(start.minusMinutes(1)) + "&to=" + enc(now().plusMinutes(1));
        var a =
                TestServer.getAs(
                        "director",
                        "/api/v1/analytics/patrol-coverage?grid=" + grid + "&" + window);
        assertEquals(200, a.status(), a.body());
        JsonNode f = a.json().at("/features/0/properties");
        assertEquals(units, f.get("units").asLong());
        long expectedVisited =
                sql(
                        """
                SELECT count(*) FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id
                WHERE gu.grid_id = %d AND EXISTS (SELECT 1 FROM staff_position p WHERE p.staff_id = %d
                  AND p.recorded_at >= '%s' AND ST_DWithin(p.geom::geography, b.geom::geography, 50))"""
                                .formatted(grid, worker, start.minusMinutes(1)));
        assertEquals(expectedVisited, f.get("unitsVisited").asLong());
        assertTrue(
                f.get("unitsVisited").asLong() >= (units + 1) / 2,
                "at least the units walked through");
        assertEquals((double) expectedVisited / units, f.get("coverage").asDouble(), 1e-4);

        var gaps =
                TestServer.getAs("operator", "/api/v1/analytics/patrol-gaps?days=1&grid=" + grid);
        assertEquals(200, gaps.status(), gaps.body());
        long gapCount = gaps.json().get("features").size();
        long notVisitedByAnyone =
                sql(
                        """
                SELECT count(*) FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id
                WHERE gu.grid_id = %d AND NOT EXISTS (SELECT 1 FROM staff_position p
                  WHERE p.recorded_at >= now() - interval '1 day' AND ST_DWithin(p.geom::geography, b.geom::geography, 50))"""
                                .formatted(grid));
        assertEquals(notVisitedByAnyone, gapCount);
        assertTrue(gapCount < units);
    }

    @Test
    void respondersAreRankedByRoadTravelTimeAndOtherPlatformsLeftOut() throws Exception {
        var report =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        DemoFixture.report(DemoFixture.subdistrictCategory()));
        long incident = report.json().get("id").asLong();
        String platform = report.json().at("/routing/platform").asText();
        // Three people at road vertices 300 m, 1.5 km and 3 km away, and one of another platform
        // right next to it.
        List<double[]> near =
                points(
                        """
                SELECT ST_X(v.geom), ST_Y(v.geom) FROM road_vertex v, incident i WHERE i.id = %d
                ORDER BY abs(ST_Distance(v.geom::geography, i.location::geography) - 300) LIMIT 1"""
                                .formatted(incident));
        List<double[]> mid =
                points(
                        """
                SELECT ST_X(v.geom), ST_Y(v.geom) FROM road_vertex v, incident i WHERE i.id = %d
                ORDER BY abs(ST_Distance(v.geom::geography, i.location::geography) - 1500) LIMIT 1"""
                                .formatted(incident));
        List<double[]> far =
                points(
                        """
                SELECT ST_X(v.geom), ST_Y(v.geom) FROM road_vertex v, incident i WHERE i.id = %d
                ORDER BY abs(ST_Distance(v.geom::geography, i.location::geography) - 3000) LIMIT 1"""
                                .formatted(incident));
        long[] same = new long[3];
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT id FROM staff WHERE role = 'PLATFORM_HANDLER' AND platform = '"
                                        + platform
                                        + "' ORDER BY id LIMIT 3")) {
            for (int k = 0; k < 3 && rs.next(); k++) same[k] = rs.getLong(1);
        }
        long other =
                sql(
                        "SELECT id FROM staff WHERE role = 'PLATFORM_HANDLER' AND platform <> '"
                                + platform
                                + "' ORDER BY id LIMIT 1");
        OffsetDateTime t = now().minusMinutes(5);
        TestServer.postAs(
                username(same[2]), "/api/v1/staff/" + same[2] + "/positions", batch(far, t));
        TestServer.postAs(
                username(same[0]), "/api/v1/staff/" + same[0] + "/positions", batch(mid, t));
        TestServer.postAs(
                username(same[1]), "/api/v1/staff/" + same[1] + "/positions", batch(near, t));
        var p = DemoFixture.probe();
        TestServer.postAs(
                username(other),
                "/api/v1/staff/" + other + "/positions",
                batch(List.of(new double[] {p.lon(), p.lat()}), t));

        var a =
                TestServer.getAs(
                        "operator",
                        "/api/v1/incidents/" + incident + "/responders?limit=10&maxAgeMinutes=30");
        assertEquals(200, a.status(), a.body());
        JsonNode list = a.json().get("responders");
        List<Long> ids = new ArrayList<>();
        double previous = -1;
        for (JsonNode r : list) {
            ids.add(r.get("staffId").asLong());
            double seconds = r.get("travelSeconds").asDouble();
            assertTrue(seconds >= previous, "ranked by travel time");
            previous = seconds;
            assertTrue(
                    seconds >= r.get("straightLineMetres").asDouble() / 11.2,
                    "no faster than the fastest road (40 km/h)");
            if (r.get("straightLineMetres").asDouble() > 100)
                assertEquals("LineString", r.at("/route/type").asText(), r.toString());
        }
        assertFalse(ids.contains(other), "a handler of another platform is not sent");
        assertTrue(
                ids.indexOf(same[1]) < ids.indexOf(same[0])
                        && ids.indexOf(same[0]) < ids.indexOf(same[2]),
                "300 m before 1.5 km before 3 km: " + ids);
        // on leave now: not offered (the on-duty rule's test of a person, docs/rosters.md)
        var zone = java.time.ZoneId.of("Asia/Shanghai");
        var leave =
                TestServer.postAs(
                        "director",
                        "/api/v1/leave",
                        "{\"staffId\": %d, \"start\": \"%s\", \"end\": \"%s\", \"kind\": \"SICK\"}"
                                .formatted(
                                        same[1],
                                        java.time.LocalDateTime.now(zone).minusHours(1).withNano(0),
                                        java.time.LocalDateTime.now(zone)
                                                .plusHours(1)
                                                .withNano(0)));
        assertEquals(201, leave.status(), leave.body());
        try {
            JsonNode without =
                    TestServer.getAs(
                                    "operator",
                                    "/api/v1/incidents/"
                                            + incident
                                            + "/responders?limit=10&maxAgeMinutes=30")
                            .json()
                            .get("responders");
            List<Long> left = new ArrayList<>();
            for (JsonNode r : without) left.add(r.get("staffId").asLong());
            assertFalse(left.contains(same[1]), "on leave: " + left);
            assertTrue(left.contains(same[0]), left.toString());
        } finally {
            TestServer.send(
                    java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create(
                                            TestServer.base()
                                                    + "/api/v1/leave/"
                                                    + leave.json().get("id").asLong()))
                            .header("Authorization", "Bearer " + TestServer.token("director"))
                            .DELETE()
                            .build());
        }
        assertEquals(
                404,
                TestServer.getAs("operator", "/api/v1/incidents/999999999/responders").status());
        assertEquals(
                400,
                TestServer.getAs(
                                "operator", "/api/v1/incidents/" + incident + "/responders?limit=0")
                        .status());
    }
}
