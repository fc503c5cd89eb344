package org.gridgov.assess;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every KPI checked on a small hand-built history in June 2025 (before any demo incident), in one
 * grid: figures worked out by hand in the comments.
 */
@Tag("db")
class KpiApiTest {

    static String gridCode;
    static long gridId, communityId;

    @BeforeAll
    static void build() throws Exception {
        TestServer.get();
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT id, code, community_id FROM grid ORDER BY id LIMIT 1 OFFSET 7")) {
            rs.next();
            gridId = rs.getLong(1);
            gridCode = rs.getString(2);
            communityId = rs.getLong(3);
        }
        // A: on time everywhere; handled 10:00 → 14:30 on Monday 9 June = 3 working hours (2 June
        // is the Dragon Boat holiday); satisfaction 5
        long a = incident("HOTLINE", "CLOSED", false, 5, "2025-06-09T09:00+08:00");
        event(a, "REPORTED", "2025-06-09T09:00+08:00", null);
        event(a, "ACCEPT", "2025-06-09T09:30+08:00", done("ACCEPT", true));
        event(a, "DISPATCH", "2025-06-09T10:00+08:00", done("DISPATCH", true));
        event(a, "START", "2025-06-09T10:10+08:00", null);
        event(a, "RESOLVE", "2025-06-09T14:30+08:00", done("HANDLE", true));
        event(a, "VERIFY", "2025-06-09T15:00+08:00", null);
        event(a, "CLOSE", "2025-06-09T15:30+08:00", null);
        // B: late acceptance, reworked once, resolved late; handled Tue 09:00 → Thu 09:00 = 15
        // working hours; satisfaction 3
        long b = incident("GRID_PATROL", "CLOSED", false, 3, "2025-06-03T08:00+08:00");
        event(b, "REPORTED", "2025-06-03T08:00+08:00", null);
        event(b, "ACCEPT", "2025-06-03T08:55+08:00", done("ACCEPT", false));
        event(b, "DISPATCH", "2025-06-03T09:00+08:00", done("DISPATCH", true));
        event(b, "RESOLVE", "2025-06-04T09:00+08:00", done("HANDLE", true));
        event(b, "REWORK", "2025-06-04T10:00+08:00", null);
        event(b, "SUPERVISION_NOTICE", "2025-06-04T17:00+08:00", null);
        event(b, "RESOLVE", "2025-06-05T09:00+08:00", done("HANDLE", false));
        event(b, "CLOSE", "2025-06-05T10:00+08:00", null);
        // C: parked while in hand: out of the on-time base
        long cc = incident("HOTLINE", "IN_PROGRESS", true, null, "2025-06-04T09:00+08:00");
        event(cc, "REPORTED", "2025-06-04T09:00+08:00", null);
        event(cc, "ACCEPT", "2025-06-04T09:10+08:00", done("ACCEPT", true));
        event(cc, "DISPATCH", "2025-06-04T09:20+08:00", done("DISPATCH", true));
        // D: rejected as invalid
        long d = incident("HOTLINE", "REJECTED", false, null, "2025-06-05T09:00+08:00");
        event(d, "REPORTED", "2025-06-05T09:00+08:00", null);
        event(d, "REJECT", "2025-06-05T09:05+08:00", done("ACCEPT", true));
    }

    static String done(String step, boolean onTime) {
        return "{\"completed\":{\"step\":\"" + step + "\",\"onTime\":" + onTime + "}}";
    }

    static long incident(
            String channel, String status, boolean parked, Integer satisfaction, String at)
            throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                INSERT INTO incident (status, category, channel, location, reported_at, jurisdiction, plan_id, grid_id, community_id,
                                      platform, due_at, parked, satisfaction)
                SELECT ?, 'ENF_EXPOSED_GARBAGE', ?, ST_PointOnSurface(g.geom), ?, 'SUBDISTRICT', g.plan_id, g.id, g.community_id,
                       'ENFORCEMENT', ?::timestamptz + interval '8 hours', ?, ?
                FROM grid g WHERE g.id = ? RETURNING id""")) {
            ps.setString(1, status);
            ps.setString(2, channel);
            ps.setObject(3, OffsetDateTime.parse(at));
            ps.setObject(4, OffsetDateTime.parse(at));
            ps.setBoolean(5, parked);
            if (satisfaction == null) ps.setNull(6, java.sql.Types.SMALLINT);
            else ps.setInt(6, satisfaction);
            ps.setLong(7, gridId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void event(long id, String type, String at, String data) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO incident_event (incident_id, at, type, to_status, data) VALUES (?, ?, ?, 'X', ?::jsonb)")) {
            ps.setLong(1, id);
            ps.setObject(2, OffsetDateTime.parse(at));
            ps.setString(3, type);
            ps.setString(4, data);
            ps.executeUpdate();
        }
    }

    static JsonNode unit(Answer a, String name) {
        for (JsonNode u : a.json().get("units")) if (u.get("unit").asText().equals(name)) return u;
        throw new AssertionError("no unit " + name + " in " + a.body());
    }

    @Test
    void everyFigureOfAHandBuiltHistory() {
        Answer a = TestServer.getAs("director", "/api/v1/analytics/kpis?period=2025-06&by=grid");
        assertEquals(200, a.status(), a.body());
        JsonNode u = unit(a, gridCode);
        assertEquals(4, u.get("reports").asLong());
        assertEquals(3, u.at("/byChannel/HOTLINE").asLong());
        assertEquals(1, u.at("/byChannel/GRID_PATROL").asLong());
        assertEquals(1, u.get("rejected").asLong());
        assertEquals(2, u.get("closed").asLong());
        assertEquals(0.6667, u.get("closureRate").asDouble(), 1e-4, "2 closed of 3 valid");
        assertEquals(2, u.get("dueBase").asLong(), "A and B; C is parked");
        assertEquals(1, u.get("parked").asLong());
        assertEquals(1, u.get("onTimeClosed").asLong(), "A");
        assertEquals(0.5, u.get("onTimeClosureRate").asDouble(), 1e-9);
        assertEquals(0.6667, u.get("onTimeAcceptanceRate").asDouble(), 1e-4, "A and C of A, B, C");
        assertEquals(1.0, u.get("onTimeDispatchRate").asDouble(), 1e-9);
        assertEquals(
                9.0, u.get("meanHandlingHours").asDouble(), 1e-9, "(3 + 15) / 2 working hours");
        assertEquals(15.0, u.get("p90HandlingHours").asDouble(), 1e-9);
        assertEquals(1, u.get("reworks").asLong());
        assertEquals(0.5, u.get("reworkRate").asDouble(), 1e-9, "1 of 2 resolved cases reworked");
        assertEquals(1, u.get("overdue").asLong());
        assertEquals(0, u.get("escalations").asLong());
        assertEquals(4.0, u.get("satisfaction").asDouble(), 1e-9);
        assertEquals(2, u.get("ratings").asLong());
        // scoring: 35-20 (50% vs 70%) + 15-11.67 + 15 + 10-0.2 + 10-0.5 + 10-5 + 5 (no task due:
        // no base) = 62.63 (on-time closure was 40 before task scoring took 5 of it: same total)
        assertEquals(15.0, u.at("/score/items/onTimeClosureRate").asDouble(), 1e-9);
        assertEquals(3.33, u.at("/score/items/onTimeAcceptanceRate").asDouble(), 1e-9);
        assertEquals(9.8, u.at("/score/items/reworks").asDouble(), 1e-9);
        assertEquals(5.0, u.at("/score/items/taskOnTime").asDouble(), 1e-9);
        assertEquals(62.63, u.at("/score/total").asDouble(), 1e-9);
        assertEquals(100.0, u.at("/score/max").asDouble(), 1e-9);
    }

    @Test
    void otherDimensionsAndRefusals() {
        Answer p = TestServer.getAs("auditor", "/api/v1/analytics/kpis?period=2025-Q2&by=platform");
        assertEquals(200, p.status(), p.body());
        assertEquals(4, unit(p, "ENFORCEMENT").get("reports").asLong());
        Answer w = TestServer.getAs("chief", "/api/v1/analytics/kpis?period=2025-Q2&by=worker");
        assertEquals(200, w.status());
        assertEquals(1, w.json().get("units").size(), "one grid, one worker answering for it");
        assertTrue(w.json().at("/units/0/unit").asText().startsWith("gw" + gridCode));
        assertEquals(
                400,
                TestServer.getAs("director", "/api/v1/analytics/kpis?period=2025-13").status());
        assertEquals(400, TestServer.getAs("director", "/api/v1/analytics/kpis").status());
        assertEquals(
                400,
                TestServer.getAs("director", "/api/v1/analytics/kpis?period=2025&by=moon")
                        .status());
        assertEquals(
                403,
                TestServer.getAs("market.handler1", "/api/v1/analytics/kpis?period=2025").status());
        assertEquals(401, TestServer.get("/api/v1/analytics/kpis?period=2025").status());
    }
}
