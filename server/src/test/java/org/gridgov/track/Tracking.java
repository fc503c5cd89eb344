package org.gridgov.track;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.gridgov.incident.LookupCode;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;

/**
 * Helpers for tracking tests: a public report in a known grid, staff moving it on, and the tracking
 * API called as the reporter would.
 */
final class Tracking {

    static final String CAT = "ENF_EXPOSED_GARBAGE";
    static double lon, lat;

    /** The codes of this test run's server (its secret is the test server's). */
    static LookupCode codes;

    private Tracking() {}

    static synchronized void init() throws Exception {
        if (codes != null) return;
        TestServer.get();
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                     SELECT ST_X(p), ST_Y(p) FROM grid g
                     JOIN grid_plan gp ON gp.id = g.plan_id AND gp.status = 'ACTIVE',
                          LATERAL ST_PointOnSurface(g.geom) p
                     ORDER BY g.id LIMIT 1 OFFSET 9""")) {
            rs.next();
            // a little off the grid of public coordinates, so rounding shows
            lon = rs.getDouble(1) + 0.00012345;
            lat = rs.getDouble(2) + 0.00007;
        }
        codes = new LookupCode(TestServer.jwtSecret());
    }

    /** A report from the public, as the intake form files it; answers intake's 201 body. */
    static JsonNode fileReport() {
        Answer a =
                TestServer.post(
                        "/api/v1/incidents",
                        """
                {"category": "%s", "channel": "PUBLIC_ONLINE", "location": {"lon": %s, "lat": %s},
                 "description": "楼下垃圾三天没人清", "reporter": {"name": "王先生", "phone": "13812345678"}}"""
                                .formatted(CAT, lon, lat));
        assertEquals(201, a.status(), a.body());
        return a.json();
    }

    static Answer track(long ticket, String code) {
        return TestServer.post(
                "/api/v1/track", "{\"ticket\": " + ticket + ", \"code\": \"" + code + "\"}");
    }

    static Answer rate(long ticket, String code, String fields) {
        return TestServer.post(
                "/api/v1/track/rating",
                "{\"ticket\": " + ticket + ", \"code\": \"" + code + "\", " + fields + "}");
    }

    /** Staff move the case on, step by step, up to the given state; answers the last version. */
    static int advance(long id, String until) throws Exception {
        int v = version(id);
        String handler = null;
        String[][] steps = {
            {"accept", "operator", "ACCEPTED"},
            {"dispatch", "operator", "DISPATCHED"},
            {"start", null, "IN_PROGRESS"},
            {"resolve", null, "RESOLVED"},
            {"verify", "operator", "VERIFIED"},
            {"close", "operator", "CLOSED"}
        };
        for (String[] s : steps) {
            String who = s[1] != null ? s[1] : handler;
            String note = s[0].equals("accept") ? ",\"note\":\"受理-内部备注\"" : "";
            Answer a =
                    TestServer.postAs(
                            who,
                            "/api/v1/incidents/" + id + "/actions",
                            "{\"action\":\"%s\",\"expectedVersion\":%d%s}"
                                    .formatted(s[0], v, note));
            assertEquals(200, a.status(), s[0] + " -> " + a.body());
            v = a.json().get("version").asInt();
            if (s[0].equals("dispatch"))
                handler = username(a.json().at("/routing/assigneeId").asLong());
            if (s[2].equals(until)) return v;
        }
        throw new AssertionError("no step leads to " + until);
    }

    static int version(long id) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT version FROM incident WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getInt(1);
            }
        }
    }

    static String username(long staffId) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT username FROM staff WHERE id = ?")) {
            ps.setLong(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    /**
     * What a refusal must leave alone: the case's version, state, satisfaction, events and callback
     * tasks.
     */
    static String fingerprint(long id) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                SELECT version || '/' || status || '/' || coalesce(satisfaction::text, '-')
                       || '/' || (SELECT count(*) FROM incident_event e WHERE e.incident_id = i.id)
                       || '/' || (SELECT count(*) FROM callback_task t WHERE t.incident_id = i.id)
                FROM incident i WHERE id = ?""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    static void assertProblem(Answer a, int status, String slug) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        assertEquals(
                "https://gridgov.org/problems/" + slug, a.json().get("type").asText(), a.body());
    }
}
