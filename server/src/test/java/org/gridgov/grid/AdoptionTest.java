package org.gridgov.grid;

import static org.gridgov.grid.PlanningApiTest.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Adoption at an effective time. The only test that adopts: it schedules plans far in the future
 * (2090, 2095, 2097) so that every other test still sees today's plan in effect.
 */
@Tag("db")
class AdoptionTest {

    @Test
    void adoptionSwitchesAtTheEffectiveTimeAndKeepsHistory() throws Exception {
        long old = activePlan();
        long incidentsBefore = query("SELECT count(*) FROM incident WHERE plan_id = ?", old)[0];
        long gridsOfIncidents =
                query("SELECT sum(grid_id) FROM incident WHERE plan_id = ?", old)[0];
        // a point inside a unit whose grid the draft changes
        long draft = draft().get("id").asLong();
        long[] n = neighbours(draft);
        long unit = n[2];
        edit(
                draft,
                "{\"expectedVersion\": "
                        + version(draft)
                        + ", \"op\": \"move-units\", \"unitIds\": ["
                        + unit
                        + "], \"toGridId\": "
                        + n[1]
                        + "}");
        String[] point =
                geojson(
                                "SELECT ST_X(p) || ',' || ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM base_unit WHERE id = "
                                        + unit
                                        + ") s")
                        .split(",");
        String lonLat = "lon=" + point[0] + "&lat=" + point[1];
        long oldGrid =
                query(
                        "SELECT g.id FROM grid g, grid_unit gu WHERE gu.plan_id = ? AND gu.unit_id = ? AND g.id = gu.grid_id",
                        old,
                        unit)[0];

        var bad =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + draft + "/adopt",
                        "{\"effectiveFrom\": \"soon\"}");
        assertEquals(422, bad.status());
        var stale =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + draft + "/adopt",
                        "{\"effectiveFrom\": \"2090-01-01T00:00:00+08:00\", \"expectedVersion\": 1, \"band\": 5}");
        assertEquals(409, stale.status());
        assertTrue(stale.json().get("type").asText().endsWith("/stale-version"));

        var a =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + draft + "/adopt",
                        "{\"effectiveFrom\": \"2090-01-01T00:00:00+08:00\", \"band\": 5}");
        assertEquals(200, a.status(), a.body());
        assertEquals("ACTIVE", a.json().get("status").asText());
        assertFalse(a.json().get("inEffect").asBoolean(), "not before 2090");
        assertEquals(old, activePlan(), "today's plan is still in effect");
        JsonNode oldPlan = TestServer.getAs("planner", "/api/v1/plans/" + old).json();
        assertEquals("2089-12-31T16:00:00Z", oldPlan.get("effectiveTo").asText());

        // which grid was this point in, on either side of the switch
        JsonNode before =
                TestServer.get("/api/v1/grids/at?" + lonLat + "&at=2089-12-31T23:59:59%2B08:00")
                        .json();
        JsonNode after =
                TestServer.get("/api/v1/grids/at?" + lonLat + "&at=2090-01-01T00:00:00%2B08:00")
                        .json();
        assertEquals(old, before.get("planId").asLong());
        assertEquals(oldGrid, before.get("grid").get("id").asLong());
        assertEquals(draft, after.get("planId").asLong());
        assertEquals(
                n[1],
                after.get("grid").get("id").asLong(),
                "the moved unit is in its new grid after the switch");
        assertEquals(
                404,
                TestServer.get("/api/v1/grids/at?" + lonLat + "&at=1990-01-01T00:00:00Z").status());
        assertEquals(400, TestServer.get("/api/v1/grids/at?lon=500&lat=1").status());

        // earlier incidents keep their plan and grids
        assertEquals(
                incidentsBefore, query("SELECT count(*) FROM incident WHERE plan_id = ?", old)[0]);
        assertEquals(
                gridsOfIncidents,
                query("SELECT sum(grid_id) FROM incident WHERE plan_id = ?", old)[0]);

        // an adopted plan is not a draft; an earlier time than the last switch is refused
        var again =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + draft + "/adopt",
                        "{\"effectiveFrom\": \"2091-01-01T00:00:00+08:00\", \"band\": 5}");
        assertEquals(409, again.status());
        assertTrue(again.json().get("type").asText().endsWith("/plan-not-draft"));
        long next = draft().get("id").asLong();
        var early =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + next + "/adopt",
                        "{\"effectiveFrom\": \"2089-06-01T00:00:00+08:00\", \"band\": 5}");
        assertEquals(409, early.status());
        assertTrue(early.json().get("type").asText().endsWith("/effective-time-conflict"));
        assertEquals(
                "DRAFT",
                TestServer.getAs("planner", "/api/v1/plans/" + next).json().get("status").asText());
        // a later one chains on: the 2090 plan then ends in 2095
        assertEquals(
                200,
                TestServer.postAs(
                                "planner",
                                "/api/v1/plans/" + next + "/adopt",
                                "{\"effectiveFrom\": \"2095-01-01T00:00:00+08:00\", \"band\": 5}")
                        .status());
        assertEquals(
                "2094-12-31T16:00:00Z",
                TestServer.getAs("planner", "/api/v1/plans/" + draft)
                        .json()
                        .get("effectiveTo")
                        .asText());
        assertEquals(
                next,
                TestServer.get("/api/v1/grids/at?" + lonLat + "&at=2096-01-01T00:00:00Z")
                        .json()
                        .get("planId")
                        .asLong());

        // a grid without worker blocks adoption; naming one lets the plan through (2097)
        long source = activePlan();
        long third = draft().get("id").asLong();
        long grid = query("SELECT min(id) FROM grid WHERE plan_id = ?", third)[0];
        long worker = query("SELECT worker_id FROM grid WHERE id = ?", grid)[0];
        String setWorker =
                "{\"expectedVersion\": %d, \"op\": \"set-worker\", \"gridId\": %d, \"workerId\": %s}";
        edit(third, setWorker.formatted(version(third), grid, "null"));
        String at2097 = "{\"effectiveFrom\": \"2097-01-01T00:00:00+08:00\", \"band\": 5}";
        var noWorker = TestServer.postAs("planner", "/api/v1/plans/" + third + "/adopt", at2097);
        assertEquals(409, noWorker.status(), noWorker.body());
        assertTrue(noWorker.json().get("type").asText().endsWith("/plan-invalid"));
        edit(third, setWorker.formatted(version(third), grid, Long.toString(worker)));
        // a new backup worker named in the draft is the adopted plan's
        long backup =
                query(
                        """
                        SELECT s.id FROM staff s, grid g WHERE g.id = ? AND s.role = 'GRID_WORKER'
                          AND s.active AND s.id <> g.worker_id AND s.id <> g.backup_worker_id
                        ORDER BY s.id LIMIT 1""",
                        grid)[0];
        edit(
                third,
                ("{\"expectedVersion\": %d, \"op\": \"set-backup-worker\", \"gridId\": %d,"
                                + " \"backupWorkerId\": %d}")
                        .formatted(version(third), grid, backup));
        var adopted = TestServer.postAs("planner", "/api/v1/plans/" + third + "/adopt", at2097);
        assertEquals(200, adopted.status(), adopted.body());
        JsonNode shown = null;
        for (JsonNode f :
                TestServer.getAs("planner", "/api/v1/grids?plan=" + third).json().get("features")) {
            if (f.get("properties").get("id").asLong() == grid) shown = f.get("properties");
        }
        assertNotNull(shown, "grid " + grid + " is in the adopted plan");
        assertEquals(worker, shown.get("workerId").asLong());
        assertEquals(backup, shown.get("backupWorkerId").asLong());
        // every other grid kept the worker and backup worker of the plan the draft came from
        assertEquals(
                0,
                query(
                        """
                        SELECT count(*) FROM grid t JOIN grid p ON p.code = t.code AND p.plan_id = ?
                        WHERE t.plan_id = ? AND t.id <> ?
                          AND (t.worker_id IS DISTINCT FROM p.worker_id
                               OR t.backup_worker_id IS DISTINCT FROM p.backup_worker_id)""",
                        source,
                        third,
                        grid)[0]);
        assertEquals(
                third,
                TestServer.get("/api/v1/grids/at?" + lonLat + "&at=2098-01-01T00:00:00Z")
                        .json()
                        .get("planId")
                        .asLong());
    }
}
