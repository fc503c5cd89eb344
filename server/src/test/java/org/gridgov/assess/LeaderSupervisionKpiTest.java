package org.gridgov.assess;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Leaders' 督办 (action supervise) in the KPIs apart from the automatic notices: three cases of March
 * 2024 (before any demo incident) in one grid, being handled. One under the chief's 督办 and resolved
 * in time (met), one under the director's and still open (issued, not met), one with an automatic
 * SUPERVISION_NOTICE only.
 */
@Tag("db")
class LeaderSupervisionKpiTest {

    static String grid;

    @BeforeAll
    static void build() throws Exception {
        TestServer.get();
        long gridId;
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT id, code FROM grid ORDER BY id LIMIT 1 OFFSET 10")) {
            rs.next();
            gridId = rs.getLong(1);
            grid = rs.getString(2);
        }
        String due = Instant.now().plus(3, ChronoUnit.DAYS).toString();
        long met = incident(gridId, "2024-03-05T09:00+08:00");
        act(
                "chief",
                met,
                "{\"action\":\"supervise\",\"expectedVersion\":1,\"reason\":\"限期办结\",\"dueAt\":\""
                        + due
                        + "\"}");
        act("chief", met, "{\"action\":\"resolve\",\"expectedVersion\":2}");
        long open = incident(gridId, "2024-03-06T09:00+08:00");
        act(
                "director",
                open,
                "{\"action\":\"supervise\",\"expectedVersion\":1,\"reason\":\"群众反复反映\",\"dueAt\":\""
                        + due
                        + "\"}");
        long notice = incident(gridId, "2024-03-07T09:00+08:00");
        KpiApiTest.event(notice, "SUPERVISION_NOTICE", "2024-03-12T09:00+08:00", null);
    }

    static void act(String user, long id, String body) {
        Answer a = TestServer.postAs(user, "/api/v1/incidents/" + id + "/actions", body);
        assertEquals(200, a.status(), a.body());
    }

    static long incident(long gridId, String at) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                INSERT INTO incident (status, category, channel, location, reported_at, jurisdiction, plan_id, grid_id,
                                      community_id, platform, due_at, step)
                SELECT 'IN_PROGRESS', 'ENF_EXPOSED_GARBAGE', 'HOTLINE', ST_PointOnSurface(g.geom), ?, 'SUBDISTRICT',
                       g.plan_id, g.id, g.community_id, 'ENFORCEMENT', ?::timestamptz + interval '8 hours', 'HANDLE'
                FROM grid g WHERE g.id = ? RETURNING id""")) {
            ps.setObject(1, OffsetDateTime.parse(at));
            ps.setObject(2, OffsetDateTime.parse(at));
            ps.setLong(3, gridId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void leadersSupervisionsAreCountedApartFromNotices() {
        JsonNode u =
                KpiApiTest.unit(
                        TestServer.getAs(
                                "director", "/api/v1/analytics/kpis?period=2024-03&by=grid"),
                        grid);
        assertEquals(3, u.get("reports").asLong());
        assertEquals(2, u.get("leaderSupervisions").asLong(), "the chief's and the director's");
        assertEquals(1, u.get("leaderSupervisionsMet").asLong(), "resolved before its deadline");
        assertEquals(1, u.get("overdue").asLong(), "the automatic notice, apart");
        assertEquals(1, u.get("supervised").asLong());
        JsonNode w =
                TestServer.getAs("director", "/api/v1/analytics/kpis?period=2024-03&by=worker")
                        .json()
                        .at("/units/0");
        assertEquals(2, w.get("leaderSupervisions").asLong(), w.toString());
        assertEquals(1, w.get("leaderSupervisionsMet").asLong());
    }
}
