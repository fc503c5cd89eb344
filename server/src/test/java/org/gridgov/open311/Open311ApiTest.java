package org.gridgov.open311;

import com.fasterxml.jackson.databind.JsonNode;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/** Open311 GeoReport v2 as a client uses it: services, filing (form-encoded), reading, JSON and XML, errors, limits. */
class Open311ApiTest {

    static double lon, lat;

    @BeforeAll
    static void setUp() throws Exception {
        TestServer.get();
        try (Connection c = TestDatabase.get().connection(); var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT ST_X(p), ST_Y(p) FROM grid g, LATERAL ST_PointOnSurface(g.geom) p ORDER BY g.id LIMIT 1 OFFSET 11")) {
            rs.next();
            lon = rs.getDouble(1);
            lat = rs.getDouble(2);
        }
    }

    static Answer post(String form, String format) {
        return TestServer.post("/open311/v2/requests." + format, form, "Content-Type", "application/x-www-form-urlencoded");
    }

    static String form(String... kv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (sb.length() > 0) sb.append('&');
            sb.append(kv[i]).append('=').append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    @Test
    void servicesInJsonAndXml() {
        Answer j = TestServer.get("/open311/v2/services.json");
        assertEquals(200, j.status());
        JsonNode first = j.json().get(0);
        assertTrue(first.has("service_code") && first.has("service_name") && first.has("group"));
        assertEquals("realtime", first.get("type").asText());
        assertFalse(j.body().contains("GOV_MAJOR_CRIMINAL_CASE"), "district matters are not offered to the public");
        Answer x = TestServer.get("/open311/v2/services.xml");
        assertEquals(200, x.status());
        assertTrue(x.contentType().startsWith("text/xml"));
        assertTrue(x.body().startsWith("<?xml") && x.body().contains("<services><service><service_code>"), x.body().substring(0, 200));
        assertEquals(200, TestServer.get("/open311/v2/services/ENF_EXPOSED_GARBAGE.json").status());
        Answer none = TestServer.get("/open311/v2/services/NOPE.json");
        assertEquals(404, none.status());
        assertEquals(404, none.json().get(0).get("code").asInt());
    }

    @Test
    void fileReadAndFollowARequestDeIdentified() {
        String key = UUID.randomUUID().toString();
        Answer a = post(form("api_key", key, "service_code", "ENF_STREET_VENDING", "lat", "" + lat, "long", "" + lon,
                "description", "人行道占道经营", "first_name", "王", "last_name", "五", "phone", "13700000000"), "json");
        assertEquals(201, a.status(), a.body());
        String id = a.json().get(0).get("service_request_id").asText();
        Answer one = TestServer.get("/open311/v2/requests/" + id + ".json");
        assertEquals(200, one.status(), one.body());
        JsonNode r = one.json().get(0);
        assertEquals("open", r.get("status").asText());
        assertEquals("ENF_STREET_VENDING", r.get("service_code").asText());
        assertEquals("综合执法平台", r.get("agency_responsible").asText());
        assertFalse(r.get("expected_datetime").isNull());
        assertFalse(r.get("status_notes").asText().isEmpty());
        assertFalse(one.body().contains("13700000000") || one.body().contains("王 五"), "the public never sees reporters");
        assertEquals(lat, r.get("lat").asDouble(), 1e-9);

        // the next reporter sees it nearby and follows it instead of filing a duplicate
        Answer near = TestServer.get("/open311/v2/requests.json?service_code=ENF_STREET_VENDING&status=open&lat=" + lat + "&long=" + (lon + 0.0002));
        assertEquals(200, near.status(), near.body());
        assertTrue(near.body().contains("\"service_request_id\":\"" + id + "\""), "about 20 m away is within 50 m");
        Answer far = TestServer.get("/open311/v2/requests.json?service_code=ENF_STREET_VENDING&lat=" + lat + "&long=" + (lon + 0.002));
        assertFalse(far.body().contains("\"service_request_id\":\"" + id + "\""), "about 200 m away is not");
        Answer f = post(form("api_key", key, "follow_request_id", id), "json");
        assertEquals(201, f.status(), f.body());
        assertEquals(id, f.json().get(0).get("service_request_id").asText());
        JsonNode events = TestServer.getAs("operator", "/api/v1/incidents/" + id + "/events").json().get("events");
        assertEquals("FOLLOWED", events.get(events.size() - 1).get("type").asText());
        assertEquals("PUBLIC_ONLINE", TestServer.getAs("operator", "/api/v1/incidents/" + id).json().get("channel").asText());

        Answer xml = TestServer.get("/open311/v2/requests.xml?service_request_id=" + id);
        assertTrue(xml.body().contains("<service_requests><request><service_request_id>" + id + "</service_request_id>"), xml.body());
    }

    @Test
    void badRequestsGetGeoReportErrorsAndStoreNothing() throws Exception {
        long before = count();
        String k = UUID.randomUUID().toString();
        String[][] bad = {
                {form("api_key", k, "lat", "" + lat, "long", "" + lon), "service_code is required"},
                {form("api_key", k, "service_code", "NOPE", "lat", "" + lat, "long", "" + lon), "unknown service_code"},
                {form("api_key", k, "service_code", "ENF_STREET_VENDING"), "lat and long are required"},
                {form("api_key", k, "service_code", "ENF_STREET_VENDING", "lat", "abc", "long", "" + lon), "must be a number"},
                {form("api_key", k, "service_code", "ENF_STREET_VENDING", "lat", "39.9", "long", "116.39"), "outside"},
                {form("api_key", k, "service_code", "ENF_STREET_VENDING", "lat", "" + lat, "long", "" + lon, "phone", "<x>"), "phone"},
        };
        for (String[] b : bad) {
            Answer a = post(b[0], "json");
            assertTrue(a.status() == 400 || a.status() == 422, a.status() + " " + a.body());
            assertTrue(a.json().get(0).get("description").asText().contains(b[1]), a.body());
        }
        Answer x = post(form("api_key", k, "service_code", "NOPE", "lat", "1", "long", "1"), "xml");
        assertTrue(x.body().contains("<errors><error><code>400</code>"), x.body());
        assertEquals(404, post(form("api_key", k, "follow_request_id", "999999999"), "json").status());
        assertEquals(before, count());
        assertEquals(400, TestServer.get("/open311/v2/requests.json?status=maybe").status());
        assertEquals(400, TestServer.get("/open311/v2/requests.json?start_date=yesterday").status());
    }

    @Test
    void aClientIsRateLimited() {
        String key = UUID.randomUUID().toString();
        int created = 0, limited = 0;
        for (int i = 0; i < 12; i++) {
            Answer a = post(form("api_key", key, "service_code", "ENF_STREET_VENDING", "lat", "" + lat, "long", "" + lon), "json");
            if (a.status() == 201) created++;
            else if (a.status() == 429) limited++;
        }
        assertEquals(10, created, "10 a minute by default");
        assertEquals(2, limited);
        assertEquals(201, post(form("api_key", UUID.randomUUID().toString(), "service_code", "ENF_STREET_VENDING",
                "lat", "" + lat, "long", "" + lon), "json").status(), "another client is not affected");
    }

    static long count() throws Exception {
        try (Connection c = TestDatabase.get().connection(); var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM incident")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
