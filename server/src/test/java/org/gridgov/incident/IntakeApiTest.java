package org.gridgov.incident;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Intake end to end: HTTP → routing → PostgreSQL, checked against PostGIS itself. */
@Tag("db")
class IntakeApiTest {

    static DemoFixture.Probe probe;
    static String subdistrictCategory;
    static String districtCategory;

    @BeforeAll
    static void setUp() {
        TestServer.get();
        probe = DemoFixture.probe();
        subdistrictCategory = DemoFixture.subdistrictCategory();
        districtCategory = DemoFixture.districtCategory();
    }

    static String report(String category, double lon, double lat) {
        return DemoFixture.report(category, lon, lat);
    }

    @Test
    void routesToTheGridCommunityPlatformAndWorkerPostgisAgreesOn() throws Exception {
        Answer a =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        report(subdistrictCategory, probe.lon(), probe.lat()));
        assertEquals(201, a.status(), a.body());
        JsonNode b = a.json();
        long id = b.get("id").asLong();
        assertEquals("/api/v1/incidents/" + id, a.header("Location"));
        assertEquals("REPORTED", b.get("status").asText());
        assertEquals(1, b.get("version").asInt());
        // the ticket's lookup code, derived from the server's secret
        assertEquals(new LookupCode(TestServer.jwtSecret()).of(id), b.get("lookupCode").asText());
        JsonNode r = b.get("routing");
        assertEquals(probe.gridId(), r.get("gridId").asLong());
        assertEquals(probe.gridCode(), r.get("gridCode").asText());
        assertEquals(15, r.get("gridCode").asText().length());
        assertEquals(probe.communityId(), r.get("communityId").asLong());
        assertEquals("ENFORCEMENT", r.get("platform").asText());
        assertEquals("SUBDISTRICT", r.get("jurisdiction").asText());
        assertNotNull(probe.workerId(), "every grid of the demo has an on-duty worker");
        assertEquals(probe.workerId().longValue(), r.get("assigneeId").asLong());

        OffsetDateTime reported = OffsetDateTime.parse(b.get("reportedAt").asText());
        OffsetDateTime due = OffsetDateTime.parse(r.get("dueAt").asText());
        assertEquals(
                Duration.ofHours(deadlineHours(subdistrictCategory)),
                Duration.between(reported, due));

        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                     SELECT i.grid_id, i.platform, ST_Covers(g.geom, i.location), i.status,
                            (SELECT count(*) FROM incident_event e WHERE e.incident_id = i.id AND e.to_status = 'REPORTED')
                     FROM incident i JOIN grid g ON g.id = i.grid_id WHERE i.id = ?""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the incident is stored");
                assertEquals(probe.gridId(), rs.getLong(1));
                assertTrue(rs.getBoolean(3), "the stored point lies in the stored grid");
                assertEquals("REPORTED", rs.getString(4));
                assertEquals(1, rs.getInt(5), "exactly one REPORTED event");
            }
        }

        Answer one = TestServer.getAs("auditor", "/api/v1/incidents/" + id);
        assertEquals(200, one.status());
        assertEquals(probe.gridId(), one.json().at("/routing/gridId").asLong());
        assertEquals(probe.lon(), one.json().at("/location/coordinates/0").asDouble(), 1e-9);
        assertFalse(one.body().contains("13800000000"), "the reporter's phone is not published");

        Answer events = TestServer.getAs("auditor", "/api/v1/incidents/" + id + "/events");
        assertEquals(200, events.status());
        assertEquals(1, events.json().get("events").size());
        assertEquals("REPORTED", events.json().at("/events/0/toStatus").asText());
        assertEquals("HOTLINE", events.json().at("/events/0/data/channel").asText());
    }

    @Test
    void acceptsAGeoJsonPointAndAnExplicitReportTime() {
        String body =
                """
                {"category": "%s", "channel": "GRID_PATROL", "reportedAt": "2025-03-01T10:00:00+08:00",
                 "location": {"type": "Point", "coordinates": [%s, %s]}}"""
                        .formatted(subdistrictCategory, probe.lon(), probe.lat());
        Answer a = TestServer.postAs("operator", "/api/v1/incidents", body);
        assertEquals(201, a.status(), a.body());
        assertEquals(probe.gridId(), a.json().at("/routing/gridId").asLong());
        assertEquals(
                OffsetDateTime.parse("2025-03-01T10:00:00+08:00").toInstant(),
                OffsetDateTime.parse(a.json().get("reportedAt").asText()).toInstant());
    }

    /**
     * #14 finding 4: without a token, the public channel and the server's clock; refused by name,
     * nothing stored.
     */
    @Test
    void anonymousCallersReportOnThePublicChannelAtTheServersTime() throws Exception {
        long before = count();
        for (String channel :
                new String[] {"GRID_PATROL", "HOTLINE", "INSPECTION", "VILLAGE_CADRE"}) {
            Answer a =
                    TestServer.post(
                            "/api/v1/incidents",
                            """
                    {"category": "%s", "channel": "%s", "location": {"lon": %s, "lat": %s}}"""
                                    .formatted(
                                            subdistrictCategory,
                                            channel,
                                            probe.lon(),
                                            probe.lat()));
            IntakeBadInputTest.assertProblem(a, 403, "staff-channel", "/channel");
        }
        Answer backdated =
                TestServer.post(
                        "/api/v1/incidents",
                        """
                {"category": "%s", "channel": "PUBLIC_ONLINE", "reportedAt": "2025-03-01T10:00:00+08:00",
                 "location": {"lon": %s, "lat": %s}}"""
                                .formatted(subdistrictCategory, probe.lon(), probe.lat()));
        IntakeBadInputTest.assertProblem(backdated, 403, "backdating-not-allowed", "/reportedAt");
        assertEquals(before, count(), "nothing stored");

        OffsetDateTime sent = OffsetDateTime.now().minusSeconds(1);
        Answer ok =
                TestServer.post(
                        "/api/v1/incidents",
                        """
                {"category": "%s", "channel": "PUBLIC_ONLINE", "location": {"lon": %s, "lat": %s}}"""
                                .formatted(subdistrictCategory, probe.lon(), probe.lat()));
        assertEquals(201, ok.status(), ok.body());
        assertFalse(
                OffsetDateTime.parse(ok.json().get("reportedAt").asText()).isBefore(sent),
                "timed by the server");
        JsonNode reported =
                TestServer.getAs(
                                "operator",
                                "/api/v1/incidents/" + ok.json().get("id").asLong() + "/events")
                        .json()
                        .at("/events/0");
        assertTrue(reported.get("actorId").isNull(), "the public has no actor");
    }

    /**
     * #14 finding 4: back-dating is for command-centre operators typing in paper records, and the
     * history says so.
     */
    @Test
    void backDatingNeedsAnOperatorAndIsRecordedWithWho() throws Exception {
        String body =
                """
                {"category": "%s", "channel": "GRID_PATROL", "reportedAt": "2025-03-01T10:00:00+08:00",
                 "location": {"lon": %s, "lat": %s}}"""
                        .formatted(subdistrictCategory, probe.lon(), probe.lat());
        String worker = gridWorkerUsername();
        long before = count();
        IntakeBadInputTest.assertProblem(
                TestServer.postAs(worker, "/api/v1/incidents", body),
                403,
                "backdating-not-allowed",
                "/reportedAt");
        assertEquals(before, count());
        String now =
                """
                {"category": "%s", "channel": "GRID_PATROL", "location": {"lon": %s, "lat": %s}}"""
                        .formatted(subdistrictCategory, probe.lon(), probe.lat());
        assertEquals(
                201,
                TestServer.postAs(worker, "/api/v1/incidents", now).status(),
                "a grid worker's own patrol report, timed now");

        Answer a = TestServer.postAs("operator", "/api/v1/incidents", body);
        assertEquals(201, a.status(), a.body());
        long id = a.json().get("id").asLong();
        JsonNode events =
                TestServer.getAs("operator", "/api/v1/incidents/" + id + "/events")
                        .json()
                        .get("events");
        long operatorId =
                TestDatabase.queryLong("SELECT id FROM staff WHERE username = 'operator'");
        assertEquals("REPORTED", events.get(0).get("type").asText());
        assertEquals(operatorId, events.get(0).get("actorId").asLong(), "who typed it in");
        JsonNode dated = events.get(1);
        assertEquals("BACKDATED", dated.get("type").asText());
        assertEquals(operatorId, dated.get("actorId").asLong());
        assertEquals("CENTRE_OPERATOR", dated.get("actorRole").asText());
        assertTrue(dated.get("note").asText().contains("operator"), dated.toString());
        assertEquals(
                OffsetDateTime.parse("2025-03-01T10:00:00+08:00").toInstant(),
                OffsetDateTime.parse(dated.at("/data/reportedAt").asText()).toInstant());
    }

    static String gridWorkerUsername() throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT username FROM staff WHERE role = 'GRID_WORKER' AND grid_id = ? ORDER BY id LIMIT 1")) {
            ps.setLong(1, probe.gridId());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    @Test
    void aDistrictMatterIsAcceptedAndTransferred() {
        Answer a =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        report(districtCategory, probe.lon(), probe.lat()));
        assertEquals(201, a.status(), a.body());
        JsonNode b = a.json();
        assertEquals("ESCALATED", b.get("status").asText());
        assertEquals("DISTRICT", b.at("/routing/jurisdiction").asText());
        assertEquals("DISTRICT_AUTHORITY", b.at("/routing/transferReason").asText());
        assertEquals(probe.gridId(), b.at("/routing/gridId").asLong(), "still located in its grid");
        Answer events =
                TestServer.getAs(
                        "auditor", "/api/v1/incidents/" + b.get("id").asLong() + "/events");
        assertEquals(2, events.json().get("events").size());
        assertEquals("REPORTED", events.json().at("/events/0/toStatus").asText());
        assertEquals("ESCALATED", events.json().at("/events/1/toStatus").asText());
    }

    @Test
    void aPointOutsideTheSubdistrictButInTheDistrictIsTransferred() throws Exception {
        double[] p = pointInDistrictOutsideSubdistrict();
        Answer a =
                TestServer.postAs(
                        "operator", "/api/v1/incidents", report(subdistrictCategory, p[0], p[1]));
        assertEquals(201, a.status(), a.body());
        assertEquals("ESCALATED", a.json().get("status").asText());
        assertEquals("OUTSIDE_SUBDISTRICT", a.json().at("/routing/transferReason").asText());
        assertTrue(a.json().at("/routing/gridId").isNull());
    }

    static double[] pointInDistrictOutsideSubdistrict() throws Exception {
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                     SELECT ST_X(p), ST_Y(p) FROM jurisdiction d, jurisdiction s,
                            LATERAL ST_PointOnSurface(ST_Difference(d.geom, ST_Buffer(s.geom, 0.001))) p
                     WHERE d.kind = 'DISTRICT' AND s.kind = 'SUBDISTRICT'""")) {
            assertTrue(rs.next());
            return new double[] {rs.getDouble(1), rs.getDouble(2)};
        }
    }

    @Test
    void theSameKeyAndBodyGiveTheSameIncident() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = report(subdistrictCategory, probe.lon(), probe.lat());
        Answer first =
                TestServer.post(
                        "/api/v1/incidents",
                        body,
                        "Idempotency-Key",
                        key,
                        "Authorization",
                        "Bearer " + TestServer.token("operator"));
        assertEquals(201, first.status(), first.body());
        long before = count();
        // Same content, other key order and spacing: still the same request.
        String reordered =
                """
                {"location":{"lat":%s,"lon":%s},"channel":"HOTLINE","category":"%s",
                 "reporter":{"phone":"13800000000","name":"王先生"},"description":"路边占道经营"}"""
                        .formatted(probe.lat(), probe.lon(), subdistrictCategory);
        Answer again =
                TestServer.post(
                        "/api/v1/incidents",
                        reordered,
                        "Idempotency-Key",
                        key,
                        "Authorization",
                        "Bearer " + TestServer.token("operator"));
        assertEquals(201, again.status(), again.body());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(first.json().get("id"), again.json().get("id"));
        assertEquals(before, count(), "no second incident");
        assertEquals(
                1,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident_idempotency WHERE key = '"
                                + key
                                + "' AND incident_id = "
                                + first.json().get("id").asLong()),
                "the key names its incident once (V36)");
    }

    @Test
    void listsWithFiltersAndCursorPaging() {
        String q = "/api/v1/incidents?grid=" + probe.gridId() + "&limit=2";
        for (int i = 0; i < 3; i++)
            TestServer.postAs(
                    "operator",
                    "/api/v1/incidents",
                    report(subdistrictCategory, probe.lon(), probe.lat()));
        Answer page1 = TestServer.getAs("auditor", q);
        assertEquals(200, page1.status(), page1.body());
        assertTrue(page1.contentType().startsWith("application/geo+json"));
        JsonNode f1 = page1.json().get("features");
        assertEquals(2, f1.size());
        assertTrue(f1.get(0).get("id").asLong() > f1.get(1).get("id").asLong(), "newest first");
        for (JsonNode f : f1)
            assertEquals(probe.gridId(), f.at("/properties/routing/gridId").asLong());
        String next = page1.json().at("/links/0/href").asText();
        assertTrue(next.contains("cursor="), next);
        Answer page2 = TestServer.getAs("auditor", next);
        assertEquals(200, page2.status(), page2.body());
        long lastOfFirst = f1.get(1).get("id").asLong();
        for (JsonNode f : page2.json().get("features")) {
            assertTrue(f.get("id").asLong() < lastOfFirst, "page 2 continues after page 1");
            assertEquals(probe.gridId(), f.at("/properties/routing/gridId").asLong());
        }

        String bbox =
                (probe.lon() - 0.0001)
                        + ","
                        + (probe.lat() - 0.0001)
                        + ","
                        + (probe.lon() + 0.0001)
                        + ","
                        + (probe.lat() + 0.0001);
        Answer inBox =
                TestServer.getAs(
                        "auditor",
                        "/api/v1/incidents?limit=1000&bbox="
                                + bbox
                                + "&category="
                                + subdistrictCategory);
        assertEquals(200, inBox.status(), inBox.body());
        assertTrue(inBox.json().get("features").size() >= 3);
        for (JsonNode f : inBox.json().get("features")) {
            assertEquals(subdistrictCategory, f.at("/properties/category").asText());
            assertEquals(probe.lon(), f.at("/geometry/coordinates/0").asDouble(), 0.0001);
        }
        Answer status =
                TestServer.getAs(
                        "auditor",
                        "/api/v1/incidents?status=ESCALATED&platform=GOVERNANCE&limit=50");
        assertEquals(200, status.status());
        for (JsonNode f : status.json().get("features")) {
            assertEquals("ESCALATED", f.at("/properties/status").asText());
            assertEquals("GOVERNANCE", f.at("/properties/routing/platform").asText());
        }
        // a month of the demo's history: 60 to 30 days before the anchor it was loaded with
        var zone = java.time.ZoneId.of("Asia/Shanghai");
        var anchorDay = java.time.LocalDate.ofInstant(TestDatabase.demoAnchor(), zone);
        OffsetDateTime from = anchorDay.minusDays(60).atStartOfDay(zone).toOffsetDateTime();
        OffsetDateTime to = anchorDay.minusDays(30).atStartOfDay(zone).toOffsetDateTime();
        Answer window =
                TestServer.getAs(
                        "auditor",
                        "/api/v1/incidents?from="
                                + from.toString().replace("+", "%2B")
                                + "&to="
                                + to.toString().replace("+", "%2B")
                                + "&limit=20");
        assertEquals(200, window.status(), window.body());
        assertTrue(window.json().get("features").size() > 0, "the window has demo reports");
        for (JsonNode f : window.json().get("features")) {
            var t = OffsetDateTime.parse(f.at("/properties/reportedAt").asText());
            assertFalse(t.isBefore(from));
            assertTrue(t.isBefore(to));
        }
    }

    @Test
    void unknownIncidentIs404Problem() {
        Answer a = TestServer.getAs("auditor", "/api/v1/incidents/999999999");
        assertEquals(404, a.status());
        assertTrue(a.contentType().startsWith("application/problem+json"));
        assertEquals(404, TestServer.getAs("auditor", "/api/v1/incidents/abc/events").status());
    }

    static long count() throws Exception {
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT (SELECT count(*) FROM incident) * 1000000 + (SELECT count(*) FROM incident_event)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static int deadlineHours(String code) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT deadline_hours FROM category WHERE code = ?")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
