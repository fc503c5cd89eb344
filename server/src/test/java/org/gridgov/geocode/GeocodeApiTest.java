package org.gridgov.geocode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** GET /api/v1/geocode and /reverse over the demo's gazetteer, end to end. */
@Tag("db")
class GeocodeApiTest {

    /** A demo door plate with a building and unit. */
    record Plate(
            long id,
            String label,
            String road,
            String number,
            String compound,
            String building,
            String unit,
            double lon,
            double lat) {}

    static Plate plate;

    @BeforeAll
    static void setUp() throws Exception {
        TestServer.get();
        try (var c = TestDatabase.get().connection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                                SELECT id, label, road, number, compound, building, unit,
                                       ST_X(geom), ST_Y(geom)
                                FROM door_plate WHERE unit IS NOT NULL ORDER BY id LIMIT 1 OFFSET 37""")) {
            rs.next();
            plate =
                    new Plate(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getDouble(8),
                            rs.getDouble(9));
        }
    }

    static Answer geocode(String q) {
        return TestServer.get("/api/v1/geocode?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
    }

    @Test
    void everyDemoUnitHasDoorPlates() throws Exception {
        assertEquals(
                0,
                TestDatabase.queryLong(
                        """
                        SELECT count(*) FROM base_unit u
                        WHERE NOT EXISTS (SELECT 1 FROM door_plate d WHERE d.base_unit_id = u.id)"""));
        // each plate lies in its unit
        assertEquals(
                0,
                TestDatabase.queryLong(
                        """
                        SELECT count(*) FROM door_plate d JOIN base_unit u ON u.id = d.base_unit_id
                        WHERE NOT ST_Covers(u.geom, d.geom)"""));
    }

    @Test
    void theWrittenFormFindsItsPlateFirst() {
        Answer a = geocode(plate.label());
        assertEquals(200, a.status(), a.body());
        JsonNode first = a.json().get("candidates").get(0);
        assertEquals(plate.id(), first.get("id").asLong(), a.body());
        assertTrue(first.get("score").asDouble() > 0.95, a.body());
        assertEquals(plate.lon(), first.get("location").get("lon").asDouble(), 1e-9);
        assertNotNull(first.get("community").get("name").asText());
    }

    @Test
    void aNoisyFormFindsItToo() {
        // the city in front, full-width digits, 栋 and a swapped unit, a room number
        String noisy =
                "杭州市滨江区"
                        + plate.road()
                        + toFullWidth(plate.number())
                        + "号"
                        + (plate.compound() == null ? "" : plate.compound())
                        + plate.unit()
                        + "单元"
                        + plate.building()
                        + "栋501室";
        Answer a = geocode(noisy);
        assertEquals(200, a.status(), a.body());
        assertEquals(plate.id(), a.json().get("candidates").get(0).get("id").asLong(), a.body());
    }

    @Test
    void reverseFindsTheNearestPlate() {
        Answer a =
                TestServer.get(
                        "/api/v1/geocode/reverse?lon=" + plate.lon() + "&lat=" + plate.lat());
        assertEquals(200, a.status(), a.body());
        assertTrue(a.json().get("distanceM").asDouble() < 0.5, a.body());
        assertNotNull(a.json().get("address").asText());
    }

    @Test
    void badInputIsRefused() {
        assertProblem(TestServer.get("/api/v1/geocode"), 400, "q");
        assertProblem(geocode(" "), 400, "q");
        assertProblem(geocode("路".repeat(201)), 400, "q");
        assertProblem(geocode("，。！"), 400, "q");
        Answer other = geocode("上海市黄浦区南京东路100号");
        assertProblem(other, 422, "q");
        assertTrue(other.body().contains("上海市"), other.body());
        assertProblem(TestServer.get("/api/v1/geocode/reverse?lon=116.4&lat=39.9"), 422, "lon");
        assertProblem(TestServer.get("/api/v1/geocode/reverse?lon=120.2"), 400, "lat");
        assertProblem(TestServer.get("/api/v1/geocode?q=x&limit=0"), 400, "limit");
    }

    static void assertProblem(Answer a, int status, String field) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        assertEquals(field, a.json().path("field").asText(), a.body());
    }

    static String toFullWidth(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray())
            b.append(Character.isDigit(ch) ? (char) (ch - '0' + '０') : ch);
        return b.toString();
    }
}
