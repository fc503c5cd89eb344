package org.gridgov.geocode;

import static org.gridgov.geocode.GeocodeApiTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reports given by address: placed by the best match (the case keeps the match and its score), or
 * acknowledged and queued for an operator, who places them on the map; bad addresses store nothing.
 */
@Tag("db")
class AddressIntakeTest {

    static String category;
    static long plateId;
    static String label;

    @BeforeAll
    static void setUp() throws Exception {
        TestServer.get();
        category = DemoFixture.subdistrictCategory();
        try (var c = TestDatabase.get().connection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT id, label FROM door_plate WHERE building IS NOT NULL"
                                        + " ORDER BY id LIMIT 1 OFFSET 11")) {
            rs.next();
            plateId = rs.getLong(1);
            label = rs.getString(2);
        }
    }

    static String byAddress(String address) {
        return """
                {"category": "%s", "channel": "PUBLIC_ONLINE", "address": "%s",
                 "description": "井盖缺失", "reporter": {"name": "李女士", "phone": "13900000000"}}"""
                .formatted(category, address);
    }

    static long count(String table) throws Exception {
        return TestDatabase.queryLong("SELECT count(*) FROM " + table);
    }

    @Test
    void aGoodAddressPlacesTheCaseAndKeepsTheMatch() throws Exception {
        Answer a = TestServer.post("/api/v1/incidents", byAddress("浙江省杭州市" + label));
        assertEquals(201, a.status(), a.body());
        long id = a.json().get("id").asLong();
        assertEquals(label, a.json().get("address").get("matched").asText());
        assertEquals(
                plateId,
                TestDatabase.queryLong(
                        "SELECT door_plate_id FROM incident_address WHERE incident_id = " + id));
        assertTrue(
                TestDatabase.queryLong(
                                "SELECT (score * 1000)::bigint FROM incident_address"
                                        + " WHERE incident_id = "
                                        + id)
                        >= 800);
        // the case lies at the door plate, and is routed from there
        assertEquals(
                1,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident i JOIN door_plate d ON d.id = "
                                + plateId
                                + " WHERE i.id = "
                                + id
                                + " AND ST_Equals(i.location, d.geom) AND i.grid_id IS NOT NULL"));
    }

    @Test
    void aWeakAddressIsQueuedThenPlacedByAnOperator() throws Exception {
        long incidents = count("incident");
        Answer a = TestServer.post("/api/v1/incidents", byAddress("幸福里花鸟市场门口东边"));
        assertEquals(202, a.status(), a.body());
        long pid = a.json().get("placementId").asLong();
        assertEquals("AWAITING_PLACEMENT", a.json().get("status").asText());
        assertEquals(incidents, count("incident"), "no case until it is placed");

        assertEquals(401, TestServer.get("/api/v1/placements").status());
        assertEquals(403, TestServer.getAs("planner", "/api/v1/placements").status());
        Answer list = TestServer.getAs("operator", "/api/v1/placements");
        assertEquals(200, list.status(), list.body());
        JsonNode item = null;
        for (JsonNode p : list.json().get("placements")) if (p.get("id").asLong() == pid) item = p;
        assertTrue(item != null, list.body());
        assertEquals("幸福里花鸟市场门口东边", item.get("address").asText());
        assertTrue(!list.body().contains("13900000000"), "no reporter in the queue");

        DemoFixture.Probe probe = DemoFixture.probe();
        String at = "{\"location\": {\"lon\": " + probe.lon() + ", \"lat\": " + probe.lat() + "}}";
        assertProblem(
                TestServer.postAs("operator", "/api/v1/placements/" + pid + "/place", "{}"),
                422,
                "/location");
        Answer placed = TestServer.postAs("operator", "/api/v1/placements/" + pid + "/place", at);
        assertEquals(201, placed.status(), placed.body());
        long id = placed.json().get("id").asLong();
        assertEquals(probe.gridId(), placed.json().get("routing").get("gridId").asLong());
        assertEquals(
                id, TestDatabase.queryLong("SELECT incident_id FROM placement WHERE id = " + pid));
        // the contact moved to the case
        assertEquals(
                1,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident WHERE id = "
                                + id
                                + " AND reporter_phone = '13900000000'"));
        assertEquals(
                0,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM placement WHERE id = "
                                + pid
                                + " AND reporter_phone IS NOT NULL"));
        Answer again = TestServer.postAs("operator", "/api/v1/placements/" + pid + "/place", at);
        assertEquals(409, again.status(), again.body());
        assertEquals(
                404, TestServer.postAs("operator", "/api/v1/placements/999999/place", at).status());
    }

    @Test
    void aQueuedReportKeepsTheReportersMessageChoiceUntilPlaced() throws Exception {
        String body =
                byAddress("幸福里花鸟市场西门对面")
                        .replace(
                                "\"phone\": \"13900000000\"}",
                                "\"phone\": \"13900000001\", \"email\": \"li@example.org\","
                                        + " \"notify\": true}");
        assertTrue(body.contains("\"notify\": true"), body);
        Answer a = TestServer.post("/api/v1/incidents", body);
        assertEquals(202, a.status(), a.body());
        long pid = a.json().get("placementId").asLong();

        DemoFixture.Probe probe = DemoFixture.probe();
        String at = "{\"location\": {\"lon\": " + probe.lon() + ", \"lat\": " + probe.lat() + "}}";
        Answer placed = TestServer.postAs("operator", "/api/v1/placements/" + pid + "/place", at);
        assertEquals(201, placed.status(), placed.body());
        long id = placed.json().get("id").asLong();
        assertEquals(
                1,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM reporter_contact WHERE incident_id = "
                                + id
                                + " AND sms AND email = 'li@example.org'"),
                "the case has the reporter's contact");
        assertEquals(
                2,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM outbox WHERE incident_id = "
                                + id
                                + " AND kind = 'RECEIVED' AND channel IN ('SMS', 'EMAIL')"),
                "the reporter is told the case was received, by SMS and e-mail");
        assertEquals(
                0,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM placement WHERE id = "
                                + pid
                                + " AND reporter_email IS NOT NULL"),
                "the queue keeps no contact once placed");
    }

    @Test
    void aReportWaitingLongerThanTheRetentionLosesItsReporter() throws Exception {
        Answer a = TestServer.post("/api/v1/incidents", byAddress("幸福里花鸟市场北门旁边"));
        assertEquals(202, a.status(), a.body());
        long pid = a.json().get("placementId").asLong();
        // received long ago: older than a retention period that touches no case of the demo
        try (var c = TestDatabase.get().connection();
                Statement st = c.createStatement()) {
            st.executeUpdate(
                    "UPDATE placement SET received_at = now() - interval '10 years' WHERE id = "
                            + pid);
        }
        new org.gridgov.incident.IncidentStore(TestDatabase.get().dataSource())
                .eraseReporters(java.time.OffsetDateTime.now().minusYears(9), 100);
        assertEquals(
                1,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM placement WHERE id = "
                                + pid
                                + " AND reporter_name IS NULL AND reporter_phone IS NULL"));
    }

    static Answer open311(String address) {
        String form =
                "service_code=ENF_SIDEWALK_PARKING&description=test"
                        + "&attribute%5BVEHICLES%5D=4&attribute%5BVEHICLE_KIND%5D=CAR"
                        + "&address_string="
                        + URLEncoder.encode(address, StandardCharsets.UTF_8);
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(TestServer.base() + "/open311/v2/requests.json"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build());
    }

    static JsonNode attributes(long incident) {
        return TestServer.getAs("operator", "/api/v1/incidents/" + incident + "/events")
                .json()
                .at("/events/0/data/attributes");
    }

    @Test
    void open311RequestsByAddressKeepTheirAnswersPlacedOrQueued() throws Exception {
        Answer a = open311(label);
        assertEquals(201, a.status(), a.body());
        long id = a.json().get(0).get("service_request_id").asLong();
        assertEquals(2, attributes(id).size(), attributes(id).toString());

        String weak = "幸福里花鸟市场南门停车场边上";
        Answer q = open311(weak);
        assertEquals(202, q.status(), q.body());
        long pid =
                TestDatabase.queryLong(
                        "SELECT max(id) FROM placement WHERE address_given = '" + weak + "'");
        DemoFixture.Probe probe = DemoFixture.probe();
        String at = "{\"location\": {\"lon\": " + probe.lon() + ", \"lat\": " + probe.lat() + "}}";
        Answer placed = TestServer.postAs("operator", "/api/v1/placements/" + pid + "/place", at);
        assertEquals(201, placed.status(), placed.body());
        JsonNode kept = attributes(placed.json().get("id").asLong());
        assertEquals(2, kept.size(), kept.toString());
    }

    @Test
    void badAddressesStoreNothing() throws Exception {
        long incidents = count("incident"), queued = count("placement");
        assertProblem(TestServer.post("/api/v1/incidents", byAddress("")), 422, "/address");
        assertProblem(TestServer.post("/api/v1/incidents", byAddress("  ")), 422, "/address");
        assertProblem(
                TestServer.post("/api/v1/incidents", byAddress("北京市朝阳区建国路1号")), 422, "/address");
        assertProblem(
                TestServer.post("/api/v1/incidents", byAddress("路".repeat(201))), 422, "/address");
        DemoFixture.Probe probe = DemoFixture.probe();
        String both =
                """
                {"category": "%s", "channel": "PUBLIC_ONLINE", "address": "%s",
                 "location": {"lon": %s, "lat": %s}}"""
                        .formatted(category, label, probe.lon(), probe.lat());
        assertProblem(TestServer.post("/api/v1/incidents", both), 422, "/address");
        assertEquals(incidents, count("incident"));
        assertEquals(queued, count("placement"));
    }

    @Test
    void open311TakesAnAddressStringAndAnswersAddresses() throws Exception {
        String form =
                "service_code="
                        + category
                        + "&description=test&address_string="
                        + URLEncoder.encode(label, StandardCharsets.UTF_8);
        Answer a =
                TestServer.send(
                        HttpRequest.newBuilder(
                                        URI.create(TestServer.base() + "/open311/v2/requests.json"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build());
        assertEquals(201, a.status(), a.body());
        String id = a.json().get(0).get("service_request_id").asText();
        Answer one = TestServer.get("/open311/v2/requests/" + id + ".json");
        assertEquals(200, one.status(), one.body());
        String address = one.json().get(0).get("address").asText();
        // the public form: road, number and compound, no building or unit
        assertTrue(label.startsWith(address), address + " / " + label);
        assertTrue(!address.contains("幢"), address);

        Answer other =
                TestServer.send(
                        HttpRequest.newBuilder(
                                        URI.create(TestServer.base() + "/open311/v2/requests.json"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "service_code="
                                                        + category
                                                        + "&address_string="
                                                        + URLEncoder.encode(
                                                                "广州市天河区体育西路1号",
                                                                StandardCharsets.UTF_8)))
                                .build());
        assertEquals(422, other.status(), other.body());
    }
}
