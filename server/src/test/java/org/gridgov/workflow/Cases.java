package org.gridgov.workflow;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;

/**
 * Helpers for workflow tests: new cases in a known grid, actions, and look-ups of demo accounts.
 */
final class Cases {

    static double lon, lat;
    static long gridId;
    static String gridWorker;
    static long gridWorkerId;

    private Cases() {}

    static synchronized void init() throws Exception {
        if (gridWorker != null) return;
        TestServer.get();
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                     SELECT ST_X(pt), ST_Y(pt), g.id, w.username, w.id
                     FROM grid g JOIN grid_plan gp ON gp.id = g.plan_id AND gp.status = 'ACTIVE',
                          LATERAL ST_PointOnSurface(g.geom) pt,
                          LATERAL (SELECT username, id FROM staff s WHERE s.grid_id = g.id
                                   AND s.role = 'GRID_WORKER' AND s.employment = 'FULL_TIME'
                                   ORDER BY s.id LIMIT 1) w
                     ORDER BY g.id LIMIT 1 OFFSET 5""")) {
            rs.next();
            lon = rs.getDouble(1);
            lat = rs.getDouble(2);
            gridId = rs.getLong(3);
            gridWorker = rs.getString(4);
            gridWorkerId = rs.getLong(5);
        }
    }

    /** A new REPORTED case of the category in the test grid; returns its JSON. */
    static JsonNode report(String category) {
        return reportAt(category, lon, lat);
    }

    static JsonNode reportAt(String category, double x, double y) {
        Answer a =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        """
                {"category": "%s", "channel": "HOTLINE", "location": {"lon": %s, "lat": %s}, "description": "测试",
                 "reporter": {"name": "李女士", "phone": "13900000000"}}"""
                                .formatted(category, x, y));
        assertEquals(201, a.status(), a.body());
        return a.json();
    }

    static Answer act(String user, long id, String body) {
        return TestServer.postAs(user, "/api/v1/incidents/" + id + "/actions", body);
    }

    /** Acts and expects success; returns the incident. */
    static JsonNode ok(String user, long id, String body) {
        Answer a = act(user, id, body);
        assertEquals(200, a.status(), user + " " + body + " -> " + a.body());
        return a.json();
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

    /** incident version, status and event count, to show that a refusal changed nothing. */
    static String fingerprint(long id) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                SELECT version || '/' || status || '/' || (SELECT count(*) FROM incident_event e WHERE e.incident_id = i.id)
                       || '/' || (SELECT count(*) FROM case_timer t WHERE t.incident_id = i.id AND t.state = 'PENDING')
                       || '/' || (SELECT count(*) FROM case_exception x WHERE x.incident_id = i.id)
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
