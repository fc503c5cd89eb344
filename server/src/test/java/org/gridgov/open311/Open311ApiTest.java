package org.gridgov.open311;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.UUID;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Open311 GeoReport v2 as a client uses it: services, filing (form-encoded), reading, JSON and XML,
 * errors, limits.
 */
@Tag("db")
class Open311ApiTest {

    static double lon, lat;

    @BeforeAll
    static void setUp() throws Exception {
        TestServer.get();
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT ST_X(p), ST_Y(p) FROM grid g, LATERAL ST_PointOnSurface(g.geom) p ORDER BY g.id LIMIT 1 OFFSET 11")) {
            rs.next();
            lon = rs.getDouble(1);
            lat = rs.getDouble(2);
        }
    }

    static Answer post(String form, String format) {
        return TestServer.post(
                "/open311/v2/requests." + format,
                form,
                "Content-Type",
                "application/x-www-form-urlencoded");
    }

    static String form(String... kv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (sb.length() > 0) sb.append('&');
            sb.append(kv[i])
                    .append('=')
                    .append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
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
        assertFalse(
                j.body().contains("GOV_MAJOR_CRIMINAL_CASE"),
                "district matters are not offered to the public");
        Answer x = TestServer.get("/open311/v2/services.xml");
        assertEquals(200, x.status());
        assertTrue(x.contentType().startsWith("text/xml"));
        assertTrue(
                x.body().startsWith("<?xml")
                        && x.body().contains("<services><service><service_code>"),
                x.body().substring(0, 200));
        assertEquals(200, TestServer.get("/open311/v2/services/ENF_EXPOSED_GARBAGE.json").status());
        Answer none = TestServer.get("/open311/v2/services/NOPE.json");
        assertEquals(404, none.status());
        assertEquals(404, none.json().get(0).get("code").asInt());
    }

    @Test
    void fileReadAndFollowARequestDeIdentified() throws Exception {
        String key = UUID.randomUUID().toString();
        Answer a =
                post(
                        form(
                                "api_key",
                                key,
                                "service_code",
                                "ENF_STREET_VENDING",
                                "lat",
                                "" + lat,
                                "long",
                                "" + lon,
                                "description",
                                "人行道占道经营",
                                "first_name",
                                "王",
                                "last_name",
                                "五",
                                "phone",
                                "13700000000"),
                        "json");
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
        assertEquals("人行道占道经营", r.get("description").asText(), "the public reporter's own words");
        assertFalse(
                one.body().contains("13700000000") || one.body().contains("王 五"),
                "the public never sees reporters");
        // the location is published on a 0.0005° grid, never the exact point
        assertEquals(snap(lat), r.get("lat").asDouble(), 1e-9);
        assertEquals(snap(lon), r.get("long").asDouble(), 1e-9);

        // the next reporter sees it nearby and follows it instead of filing a duplicate
        double slat = snap(lat), slon = snap(lon);
        Answer near =
                TestServer.get(
                        "/open311/v2/requests.json?service_code=ENF_STREET_VENDING&status=open&lat="
                                + slat
                                + "&long="
                                + (slon + 0.0002));
        assertEquals(200, near.status(), near.body());
        assertTrue(
                near.body().contains("\"service_request_id\":\"" + id + "\""),
                "about 20 m away is within 50 m");
        Answer far =
                TestServer.get(
                        "/open311/v2/requests.json?service_code=ENF_STREET_VENDING&lat="
                                + slat
                                + "&long="
                                + (slon + 0.002));
        assertFalse(
                far.body().contains("\"service_request_id\":\"" + id + "\""),
                "about 200 m away is not");
        Answer f = post(form("api_key", key, "follow_request_id", id), "json");
        assertEquals(201, f.status(), f.body());
        assertEquals(id, f.json().get(0).get("service_request_id").asText());
        assertEquals(
                1,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident_follow WHERE incident_id = " + id));
        assertEquals(
                "PUBLIC_ONLINE",
                TestServer.getAs("operator", "/api/v1/incidents/" + id)
                        .json()
                        .get("channel")
                        .asText());

        Answer xml = TestServer.get("/open311/v2/requests.xml?service_request_id=" + id);
        assertTrue(
                xml.body()
                        .contains(
                                "<service_requests><request><service_request_id>"
                                        + id
                                        + "</service_request_id>"),
                xml.body());
    }

    static double snap(double degrees) {
        return Math.round(degrees / 0.0005) * 0.0005;
    }

    /**
     * #14 finding 2: the public lists show only what the public reported, in public categories, and
     * only their own words.
     */
    @Test
    void onlyWhatThePublicReportedInPublicCategoriesIsListed() throws Exception {
        // staff channel, public category: a patrol's or the hotline's case is not published
        long hotline =
                TestServer.postAs(
                                "operator",
                                "/api/v1/incidents",
                                intake("ENF_STREET_VENDING", "HOTLINE", "热线：王先生说摊贩每天在此"))
                        .json()
                        .get("id")
                        .asLong();
        // public channel, private category: accepted from the public, never listed
        Answer dispute =
                post(
                        form(
                                "service_code",
                                "GOV_NEIGHBOUR_DISPUTE",
                                "lat",
                                "" + lat,
                                "long",
                                "" + lon,
                                "description",
                                "楼上漏水邻里纠纷"),
                        "json");
        assertEquals(201, dispute.status(), dispute.body());
        long private_ = dispute.json().get(0).get("service_request_id").asLong();
        // public channel and category, but typed in by staff: listed without the staff's text
        long staffTyped =
                TestServer.postAs(
                                "operator",
                                "/api/v1/incidents",
                                intake("ENF_STREET_VENDING", "PUBLIC_ONLINE", "操作员备注：复核"))
                        .json()
                        .get("id")
                        .asLong();
        // the public through the REST intake: listed with its words
        Answer own =
                TestServer.post(
                        "/api/v1/incidents",
                        intake("ENF_STREET_VENDING", "PUBLIC_ONLINE", "市民：占道经营"));
        assertEquals(201, own.status(), own.body());
        long publicOwn = own.json().get("id").asLong();

        for (long hidden : new long[] {hotline, private_}) {
            Answer json = TestServer.get("/open311/v2/requests/" + hidden + ".json");
            assertEquals(404, json.status(), json.body());
            assertEquals(404, json.json().get(0).get("code").asInt());
            assertEquals(404, TestServer.get("/open311/v2/requests/" + hidden + ".xml").status());
            assertEquals(
                    404,
                    post(form("follow_request_id", "" + hidden), "json").status(),
                    "nor can it be followed");
        }
        Answer byIds =
                TestServer.get(
                        "/open311/v2/requests.json?service_request_id="
                                + hotline
                                + ","
                                + private_
                                + ","
                                + staffTyped
                                + ","
                                + publicOwn);
        assertEquals(200, byIds.status(), byIds.body());
        assertEquals(2, byIds.json().size(), byIds.body());
        assertEquals(
                String.valueOf(staffTyped), byIds.json().get(0).get("service_request_id").asText());
        assertTrue(
                byIds.json().get(0).get("description").isNull(), "staff's text is never published");
        assertEquals("市民：占道经营", byIds.json().get(1).get("description").asText());
        Answer near =
                TestServer.get(
                        "/open311/v2/requests.json?lat="
                                + snap(lat)
                                + "&long="
                                + snap(lon)
                                + "&radius=100");
        assertFalse(
                near.body().contains("热线")
                        || near.body().contains("纠纷")
                        || near.body().contains("操作员"),
                near.body());
        for (long hidden : new long[] {hotline, private_}) {
            assertFalse(
                    near.body().contains("\"service_request_id\":\"" + hidden + "\""),
                    "not in the nearby list: " + hidden);
        }
        Answer all = TestServer.get("/open311/v2/requests.json");
        assertFalse(all.body().contains("\"service_request_id\":\"" + hotline + "\""));
        assertFalse(
                all.body().contains("GOV_MAJOR_CRIMINAL_CASE")
                        || all.body().contains("GOV_FAMILY_DISPUTE"),
                "no private category is ever listed");
        assertTrue(
                TestServer.get("/open311/v2/services.json")
                        .body()
                        .contains("GOV_NEIGHBOUR_DISPUTE"),
                "the public may still report a private matter");
    }

    static String intake(String category, String channel, String description) {
        return """
                {"category": "%s", "channel": "%s", "location": {"lon": %s, "lat": %s}, "description": "%s"}"""
                .formatted(category, channel, lon, lat, description);
    }

    /**
     * #14 finding 3: following is not a change of the case; the operator's next action with the
     * version read before still succeeds.
     */
    @Test
    void aFollowDoesNotStandInTheOperatorsWay() throws Exception {
        Answer a =
                post(
                        form(
                                "service_code",
                                "ENF_STREET_VENDING",
                                "lat",
                                "" + lat,
                                "long",
                                "" + lon),
                        "json");
        assertEquals(201, a.status(), a.body());
        String id = a.json().get(0).get("service_request_id").asText();
        int version =
                TestServer.getAs("operator", "/api/v1/incidents/" + id)
                        .json()
                        .get("version")
                        .asInt(); // the operator opens the case

        for (int k = 0; k < 2; k++) { // the same member of the public, twice: one follow
            Answer f = post(form("follow_request_id", id, "phone", "13600000000"), "json");
            assertEquals(201, f.status(), f.body());
        }
        assertEquals(
                201,
                post(form("follow_request_id", id), "xml").status(),
                "and another, by address");

        Answer accept =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents/" + id + "/actions",
                        "{\"action\":\"accept\",\"expectedVersion\":" + version + "}");
        assertEquals(
                200, accept.status(), "the follows did not move the version: " + accept.body());
        assertEquals(
                2,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident_follow WHERE incident_id = " + id),
                "kept apart, one per follower");
    }

    @Test
    void badRequestsGetGeoReportErrorsAndStoreNothing() throws Exception {
        long before = count();
        String k = UUID.randomUUID().toString();
        String[][] bad = {
            {form("api_key", k, "lat", "" + lat, "long", "" + lon), "service_code is required"},
            {
                form("api_key", k, "service_code", "NOPE", "lat", "" + lat, "long", "" + lon),
                "unknown service_code"
            },
            {form("api_key", k, "service_code", "ENF_STREET_VENDING"), "lat and long are required"},
            {
                form(
                        "api_key",
                        k,
                        "service_code",
                        "ENF_STREET_VENDING",
                        "lat",
                        "abc",
                        "long",
                        "" + lon),
                "must be a number"
            },
            {
                form(
                        "api_key",
                        k,
                        "service_code",
                        "ENF_STREET_VENDING",
                        "lat",
                        "39.9",
                        "long",
                        "116.39"),
                "outside"
            },
            {
                form(
                        "api_key",
                        k,
                        "service_code",
                        "ENF_STREET_VENDING",
                        "lat",
                        "" + lat,
                        "long",
                        "" + lon,
                        "phone",
                        "<x>"),
                "phone"
            },
        };
        for (String[] b : bad) {
            Answer a = post(b[0], "json");
            assertTrue(a.status() == 400 || a.status() == 422, a.status() + " " + a.body());
            assertTrue(a.json().get(0).get("description").asText().contains(b[1]), a.body());
        }
        Answer x = post(form("api_key", k, "service_code", "NOPE", "lat", "1", "long", "1"), "xml");
        assertTrue(x.body().contains("<errors><error><code>400</code>"), x.body());
        assertEquals(
                404, post(form("api_key", k, "follow_request_id", "999999999"), "json").status());
        assertEquals(before, count());
        assertEquals(400, TestServer.get("/open311/v2/requests.json?status=maybe").status());
        assertEquals(
                400, TestServer.get("/open311/v2/requests.json?start_date=yesterday").status());
    }

    static long count() throws Exception {
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM incident")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
