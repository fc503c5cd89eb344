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
 * Field tasks in the score (taskOnTime): a grid with tasks due in May 2024 and no reported case is
 * listed by worker, grid and leader, scored by hand in the comments.
 */
@Tag("db")
class TaskKpiTest {

    static String gridCode, worker, leader;
    static long gridId, communityId, workerId;

    @BeforeAll
    static void build() throws Exception {
        TestServer.get();
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                                SELECT g.id, g.code, g.community_id, w.id, w.username, l.username
                                FROM grid g
                                JOIN staff w ON w.grid_id = g.id AND w.role = 'GRID_WORKER'
                                JOIN staff l ON l.community_id = g.community_id AND l.role = 'GRID_LEADER'
                                ORDER BY g.id, w.id, l.id LIMIT 1 OFFSET 0""")) {
            assertTrue(rs.next(), "a grid with a worker and a leader");
            gridId = rs.getLong(1);
            gridCode = rs.getString(2);
            communityId = rs.getLong(3);
            workerId = rs.getLong(4);
            worker = rs.getString(5);
            leader = rs.getString(6);
        }
        // 8 done on time, 1 done late, 1 not done; 1 cancelled (left out): due 10, onTime 8
        for (int i = 0; i < 8; i++)
            task("DONE", "2024-05-10T17:00+08:00", "2024-05-10T12:00+08:00");
        task("DONE", "2024-05-14T17:00+08:00", "2024-05-15T09:00+08:00");
        task("OPEN", "2024-05-20T17:00+08:00", null);
        task("CANCELLED", "2024-05-21T17:00+08:00", null);
    }

    static void task(String state, String due, String completed) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                INSERT INTO task (kind, title, target_type, area, location, grid_id, community_id,
                                  assignee_id, due_at, state, completed_at, cancelled_at)
                SELECT 'INSPECTION', 'Gas safety', 'AREA', ST_Multi(g.geom), ST_PointOnSurface(g.geom),
                       g.id, g.community_id, ?, ?, ?, ?, CASE WHEN ? = 'CANCELLED' THEN now() END
                FROM grid g WHERE g.id = ?""")) {
            ps.setLong(1, workerId);
            ps.setObject(2, OffsetDateTime.parse(due));
            ps.setString(3, state);
            ps.setObject(4, completed == null ? null : OffsetDateTime.parse(completed));
            ps.setString(5, state);
            ps.setLong(6, gridId);
            assertEquals(1, ps.executeUpdate());
        }
    }

    static JsonNode unit(Answer a, String name) {
        for (JsonNode u : a.json().get("units")) if (u.get("unit").asText().equals(name)) return u;
        throw new AssertionError("no unit " + name + " in " + a.body());
    }

    @Test
    void aUnitWithOnlyTasksIsListedAndScored() {
        for (String[] by :
                new String[][] {{"grid", gridCode}, {"worker", worker}, {"leader", leader}}) {
            Answer a =
                    TestServer.getAs(
                            "director", "/api/v1/analytics/kpis?period=2024-05&by=" + by[0]);
            assertEquals(200, a.status(), a.body());
            JsonNode u = unit(a, by[1]);
            assertEquals(0, u.get("reports").asLong(), by[0]);
            assertTrue(u.get("onTimeClosureRate").isNull(), by[0]);
            assertEquals(10, u.at("/tasks/due").asLong(), by[0] + ": the cancelled one left out");
            assertEquals(9, u.at("/tasks/done").asLong());
            assertEquals(8, u.at("/tasks/onTime").asLong());
            assertEquals(0.8, u.at("/tasks/onTimeRate").asDouble(), 1e-9);
            assertEquals(0.9, u.at("/tasks/coverage").asDouble(), 1e-9);
            // 80 % vs 90 %: 10 points below × 0.25 = 2.5 off 5; no case: the rest full
            assertEquals(2.5, u.at("/score/items/taskOnTime").asDouble(), 1e-9, by[0]);
            assertEquals(35.0, u.at("/score/items/onTimeClosureRate").asDouble(), 1e-9);
            assertEquals(97.5, u.at("/score/total").asDouble(), 1e-9, by[0]);
            assertEquals(100.0, u.at("/score/max").asDouble(), 1e-9);
        }
    }

    @Test
    void unitsWithoutTasksAreUnaffected() {
        Answer p =
                TestServer.getAs("director", "/api/v1/analytics/kpis?period=2024-05&by=platform");
        assertEquals(200, p.status(), p.body());
        for (JsonNode u : p.json().get("units")) {
            assertTrue(u.path("tasks").isMissingNode(), u.toString());
            assertEquals(5.0, u.at("/score/items/taskOnTime").asDouble(), 1e-9, "no base: full");
        }
    }
}
