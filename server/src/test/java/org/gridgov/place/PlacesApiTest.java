package org.gridgov.place;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import java.sql.Statement;
import org.gridgov.media.MultipartForm;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Places, facilities and departments over HTTP on the demo area (docs/places.md): staff only, the
 * owner masked but to the roles that may see it; a report naming a place or facility keeps it, a
 * facility's department routes the categories that say so, and bad names store nothing.
 */
@Tag("db")
class PlacesApiTest {

    static long placeId;
    static double placeLon, placeLat;
    static String ownerPhone;
    static String lightCode;
    static double lightLon, lightLat;

    @BeforeAll
    static void setUp() throws Exception {
        TestServer.get();
        try (var c = TestDatabase.get().connection();
                Statement st = c.createStatement()) {
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT id, ST_X(geom), ST_Y(geom), owner_phone FROM place"
                                    + " ORDER BY id LIMIT 1")) {
                rs.next();
                placeId = rs.getLong(1);
                placeLon = rs.getDouble(2);
                placeLat = rs.getDouble(3);
                ownerPhone = rs.getString(4);
            }
            // a street light inside a base unit (so inside the subdistrict)
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT code, ST_X(geom), ST_Y(geom) FROM facility"
                                    + " WHERE kind = 'STREET_LIGHT' AND unit_id IS NOT NULL"
                                    + " ORDER BY id LIMIT 1")) {
                rs.next();
                lightCode = rs.getString(1);
                lightLon = rs.getDouble(2);
                lightLat = rs.getDouble(3);
            }
        }
    }

    static void assertProblem(Answer a, int status, String field) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        assertEquals(field, a.json().path("field").asText(), a.body());
    }

    static String report(String category, double lon, double lat, String extra) {
        return """
                {"category": "%s", "channel": "GRID_PATROL",
                 "location": {"lon": %s, "lat": %s}, "description": "现场"%s}"""
                .formatted(category, lon, lat, extra);
    }

    static long incidents() throws Exception {
        return TestDatabase.queryLong("SELECT count(*) FROM incident");
    }

    @Test
    void theDemoHasPlacesFacilitiesAndDepartments() throws Exception {
        assertTrue(TestDatabase.queryLong("SELECT count(*) FROM place") >= 100);
        assertTrue(TestDatabase.queryLong("SELECT count(*) FROM facility") >= 1000);
        assertEquals(
                0,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM place p JOIN base_unit u ON u.id = p.unit_id"
                                + " WHERE p.code ~ '^P[0-9]{6}$' AND (u.land_use NOT IN"
                                + " ('COMMERCIAL', 'RESIDENTIAL', 'VILLAGE')"
                                + " OR NOT ST_Intersects(u.geom, p.geom))"),
                "every demo place stands in a commercial, residential or village unit");
        assertEquals(
                1,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM category WHERE code = 'SVC_STREETLIGHT_OUT'"
                                + " AND route_by_facility"));
        Answer d = TestServer.getAs("planner", "/api/v1/departments");
        assertEquals(200, d.status(), d.body());
        JsonNode lighting = null;
        for (JsonNode n : d.json().get("departments"))
            if (n.get("code").asText().equals("LIGHTING")) lighting = n;
        assertTrue(lighting != null, d.body());
        assertEquals("ENFORCEMENT", lighting.get("platform").asText());
        assertTrue(lighting.get("facilities").asLong() > 0);
    }

    @Test
    void staffOnly() {
        for (String path :
                new String[] {
                    "/api/v1/departments",
                    "/api/v1/places",
                    "/api/v1/places/" + placeId,
                    "/api/v1/facilities",
                    "/api/v1/facilities/" + lightCode
                }) assertEquals(401, TestServer.get(path).status(), path);
    }

    @Test
    void listsArePagedFilteredAndMasked() {
        Answer a = TestServer.getAs("operator", "/api/v1/places?kind=RESTAURANT&limit=5");
        assertEquals(200, a.status(), a.body());
        JsonNode places = a.json().get("places");
        assertTrue(places.size() > 0 && places.size() <= 5, a.body());
        for (JsonNode p : places) {
            assertEquals("RESTAURANT", p.get("kind").asText());
            assertTrue(p.get("owner").get("masked").asBoolean(), "lists mask the owner");
            assertTrue(p.get("owner").get("phone").asText().contains("*"));
            assertTrue(p.get("grid").has("code"), "the grid under the plan in effect");
        }
        String bbox =
                "%s,%s,%s,%s"
                        .formatted(
                                placeLon - 1e-4, placeLat - 1e-4, placeLon + 1e-4, placeLat + 1e-4);
        Answer near = TestServer.getAs("planner", "/api/v1/places?bbox=" + bbox);
        assertTrue(near.body().contains("\"id\":" + placeId + ","), near.body());
        Answer f = TestServer.getAs("planner", "/api/v1/facilities?department=LIGHTING&limit=3");
        assertEquals(200, f.status(), f.body());
        assertEquals(3, f.json().get("facilities").size());
        assertTrue(f.json().get("truncated").asBoolean());
        for (JsonNode n : f.json().get("facilities"))
            assertEquals("STREET_LIGHT", n.get("kind").asText());
    }

    @Test
    void oneShowsTheOwnerToThoseWhoMaySeeIt() throws Exception {
        String reads = "SELECT count(*) FROM place_owner_read WHERE place_id = " + placeId;
        long before = TestDatabase.queryLong(reads);
        Answer op = TestServer.getAs("operator", "/api/v1/places/" + placeId);
        assertEquals(before + 1, TestDatabase.queryLong(reads), "the unmasked read is logged");
        assertEquals(200, op.status(), op.body());
        assertEquals(ownerPhone, op.json().get("owner").get("phone").asText());
        assertFalse(op.json().get("owner").get("masked").asBoolean());
        assertTrue(op.json().get("unit").has("code"));
        Answer planner = TestServer.getAs("planner", "/api/v1/places/" + placeId);
        assertEquals(200, planner.status(), planner.body());
        assertFalse(planner.body().contains(ownerPhone), "a planner sees the owner masked");
        assertEquals(before + 1, TestDatabase.queryLong(reads), "a masked read is not logged");
        // auditors see the read where the other unmasked reads are listed, not among reporters'
        Answer audit = TestServer.getAs("auditor", "/api/v1/audit?kind=place-owner&limit=1000");
        assertEquals(200, audit.status(), audit.body());
        long operatorId =
                TestDatabase.queryLong("SELECT id FROM staff WHERE username = 'operator'");
        JsonNode read = null;
        for (JsonNode e : audit.json().get("entries"))
            if (e.get("target").asText().equals("place/" + placeId)
                    && e.get("actorStaffId").asLong() == operatorId) read = e;
        assertNotNull(read, audit.body());
        assertEquals("place-owner", read.get("kind").asText());
        assertEquals("GET /api/v1/places/{id}", read.at("/change/endpoint").asText());
        assertEquals("CENTRE_OPERATOR", read.at("/change/role").asText());
        assertFalse(
                TestServer.getAs("auditor", "/api/v1/audit?kind=pii&limit=1000")
                        .body()
                        .contains("place/" + placeId),
                "kind=pii stays the reporters' reads");
        assertEquals(
                403,
                TestServer.getAs("operator", "/api/v1/audit?kind=place-owner").status(),
                "auditors and admins only");
        try (var c = TestDatabase.get().connection();
                Statement st = c.createStatement()) {
            org.junit.jupiter.api.Assertions.assertThrows(
                    java.sql.SQLException.class,
                    () -> st.executeUpdate("DELETE FROM place_owner_read"),
                    "the log is append-only");
        }
        Answer light = TestServer.getAs("planner", "/api/v1/facilities/" + lightCode);
        assertEquals(200, light.status(), light.body());
        assertEquals("LIGHTING", light.json().get("department").asText());
    }

    @Test
    void badQueriesAreProblems() {
        assertProblem(TestServer.getAs("planner", "/api/v1/places?kind=CASTLE"), 400, "kind");
        assertProblem(TestServer.getAs("planner", "/api/v1/places?bbox=1,2,3"), 400, "bbox");
        assertProblem(TestServer.getAs("planner", "/api/v1/places?limit=0"), 400, "limit");
        assertProblem(
                TestServer.getAs("planner", "/api/v1/facilities?department=lower"),
                400,
                "department");
        assertEquals(404, TestServer.getAs("planner", "/api/v1/places/999999999").status());
        assertEquals(404, TestServer.getAs("planner", "/api/v1/facilities/NOPE-1").status());
    }

    @Test
    void aReportNamingAPlaceKeepsIt() throws Exception {
        Answer a =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        report(
                                "SVC_ROAD_POTHOLE",
                                placeLon + 0.0003,
                                placeLat,
                                ", \"placeId\": " + placeId));
        assertEquals(201, a.status(), a.body());
        long id = a.json().get("id").asLong();
        assertEquals(placeId, a.json().get("place").get("id").asLong(), a.body());
        assertEquals(
                placeId, TestDatabase.queryLong("SELECT place_id FROM incident WHERE id = " + id));
        Answer read = TestServer.getAs("operator", "/api/v1/incidents/" + id);
        assertEquals(placeId, read.json().get("place").get("id").asLong(), read.body());
        assertTrue(read.json().get("place").has("kind"));
        assertFalse(read.json().has("facility"));
    }

    @Test
    void aFacilitysDepartmentRoutesTheCategoriesThatSaySo() throws Exception {
        long handler =
                TestDatabase.queryLong(
                        "SELECT id FROM staff WHERE role = 'PLATFORM_HANDLER'"
                                + " AND platform = 'ENFORCEMENT' ORDER BY id LIMIT 1");
        // routed by facility: the lighting office's platform, not the category's (SERVICE)
        Answer out =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        report(
                                "SVC_STREETLIGHT_OUT",
                                lightLon,
                                lightLat,
                                ", \"facilityCode\": \"" + lightCode + "\""));
        assertEquals(201, out.status(), out.body());
        assertEquals("ENFORCEMENT", out.json().get("routing").get("platform").asText());
        assertEquals(lightCode, out.json().get("facility").get("code").asText());
        assertEquals("LIGHTING", out.json().get("facility").get("department").asText());
        long id = out.json().get("id").asLong();
        assertEquals(
                1,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident i JOIN facility f ON f.id = i.facility_id"
                                + " WHERE i.id = "
                                + id
                                + " AND f.code = '"
                                + lightCode
                                + "' AND i.platform = 'ENFORCEMENT'"));
        // a category not routed by facility keeps its own platform
        Answer pothole =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        report(
                                "SVC_ROAD_POTHOLE",
                                lightLon,
                                lightLat,
                                ", \"facilityCode\": \"" + lightCode + "\""));
        assertEquals(201, pothole.status(), pothole.body());
        assertEquals("SERVICE", pothole.json().get("routing").get("platform").asText());
        // the preview routes as intake does
        Answer preview =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents/preview",
                        report(
                                "SVC_STREETLIGHT_OUT",
                                lightLon,
                                lightLat,
                                ", \"facilityCode\": \"" + lightCode + "\""));
        assertEquals(200, preview.status(), preview.body());
        assertTrue(preview.body().contains("ENFORCEMENT"), preview.body());
        // with a handler, the department's handler is assigned (multipart intake alike)
        try (var c = TestDatabase.get().connection();
                Statement st = c.createStatement()) {
            st.executeUpdate(
                    "UPDATE department SET handler_id = " + handler + " WHERE code = 'LIGHTING'");
        }
        try {
            Answer m =
                    new MultipartForm()
                            .text(
                                    "report",
                                    report(
                                            "SVC_STREETLIGHT_OUT",
                                            lightLon,
                                            lightLat,
                                            ", \"facilityCode\": \"" + lightCode + "\""))
                            .postAs("operator", "/api/v1/incidents");
            assertEquals(201, m.status(), m.body());
            assertEquals(handler, m.json().get("routing").get("assigneeId").asLong(), m.body());
            assertEquals("ENFORCEMENT", m.json().get("routing").get("platform").asText());
        } finally {
            try (var c = TestDatabase.get().connection();
                    Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE department SET handler_id = NULL WHERE code = 'LIGHTING'");
            }
        }
    }

    @Test
    void thePublicMayNameAFacilityButIsNotShownIt() throws Exception {
        Answer a =
                TestServer.post(
                        "/api/v1/incidents",
                        """
                        {"category": "SVC_STREETLIGHT_OUT", "channel": "PUBLIC_ONLINE",
                         "location": {"lon": %s, "lat": %s}, "facilityCode": "%s"}"""
                                .formatted(lightLon, lightLat, lightCode));
        assertEquals(201, a.status(), a.body());
        assertFalse(a.json().has("facility"), a.body());
        long id = a.json().get("id").asLong();
        assertTrue(TestDatabase.queryLong("SELECT facility_id FROM incident WHERE id = " + id) > 0);
    }

    @Test
    void badNamesAreRefusedAndStoreNothing() throws Exception {
        long before = incidents();
        assertProblem(
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        report("SVC_ROAD_POTHOLE", placeLon, placeLat, ", \"placeId\": 999999999")),
                422,
                "/placeId");
        assertProblem(
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        report("SVC_ROAD_POTHOLE", placeLon, placeLat, ", \"placeId\": \"x\"")),
                422,
                "/placeId");
        assertProblem(
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        report(
                                "SVC_ROAD_POTHOLE",
                                placeLon,
                                placeLat,
                                ", \"facilityCode\": \"NO-SUCH-1\"")),
                422,
                "/facilityCode");
        assertProblem(
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        report(
                                "SVC_ROAD_POTHOLE",
                                placeLon,
                                placeLat,
                                ", \"facilityCode\": \"bad code!\"")),
                422,
                "/facilityCode");
        // about 1 km away: the wrong place picked, refused with how far
        Answer far =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        report(
                                "SVC_ROAD_POTHOLE",
                                placeLon + 0.01,
                                placeLat,
                                ", \"placeId\": " + placeId));
        assertProblem(far, 422, "/placeId");
        assertTrue(far.json().get("detail").asText().matches(".* lies \\d+ m from .*"), far.body());
        // multipart alike
        assertProblem(
                new MultipartForm()
                        .text(
                                "report",
                                report(
                                        "SVC_ROAD_POTHOLE",
                                        placeLon,
                                        placeLat,
                                        ", \"placeId\": 999999999"))
                        .postAs("operator", "/api/v1/incidents"),
                422,
                "/placeId");
        assertEquals(before, incidents(), "nothing stored");
    }
}
