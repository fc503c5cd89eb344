package org.gridgov.grid;

import static org.gridgov.grid.PlanningApiTest.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A grid's worker and backup worker (the AB pair): carried into drafts, set by edits, checked by
 * validation. Adopting a valid plan is in {@link AdoptionTest} (the one test that adopts).
 */
@Tag("db")
class GridWorkersTest {

    @Test
    void aDraftCarriesEachGridsWorkerAndBackup() throws Exception {
        long active = activePlan();
        long draft = draft().get("id").asLong();
        long grids = query("SELECT count(*) FROM grid WHERE plan_id = ?", draft)[0];
        assertTrue(grids > 0);
        assertEquals(
                0,
                query(
                        "SELECT count(*) FROM grid WHERE plan_id = ?"
                                + " AND (worker_id IS NULL OR backup_worker_id IS NULL)",
                        draft)[0],
                "every demo grid has a worker and a backup worker");
        assertEquals(
                grids,
                query(
                        """
                        SELECT count(*) FROM grid d JOIN grid a ON a.code = d.code AND a.plan_id = ?
                        WHERE d.plan_id = ? AND d.worker_id = a.worker_id
                          AND d.backup_worker_id = a.backup_worker_id""",
                        active,
                        draft)[0]);
        JsonNode r = validate(draft, "{\"band\": 5}");
        assertTrue(r.get("valid").asBoolean(), r.toString());
        assertFalse(types(r).contains("grid-without-backup-worker"));
    }

    @Test
    void backupWorkerIsSetByAnEditAndMustNotBeTheWorker() throws Exception {
        long draft = draft().get("id").asLong();
        long grid = query("SELECT min(id) FROM grid WHERE plan_id = ?", draft)[0];
        long worker = query("SELECT worker_id FROM grid WHERE id = ?", grid)[0];
        long other =
                query(
                        """
                        SELECT s.id FROM staff s, grid g WHERE g.id = ? AND s.role = 'GRID_WORKER'
                          AND s.active AND s.id <> g.worker_id AND s.id <> g.backup_worker_id
                        ORDER BY s.id LIMIT 1""",
                        grid)[0];
        edit(draft, setBackup(draft, grid, Long.toString(other)));
        assertEquals(other, query("SELECT backup_worker_id FROM grid WHERE id = ?", grid)[0]);
        JsonNode workload =
                TestServer.getAs("planner", "/api/v1/analytics/workload?plan=" + draft).json();
        boolean shown = false;
        for (JsonNode f : workload.get("features"))
            if (f.get("properties").get("id").asLong() == grid)
                shown = f.get("properties").get("backupWorkerId").asLong() == other;
        assertTrue(shown, "the workload of the plan shows the backup worker");

        int v = version(draft);
        var same = post(draft, setBackup(draft, grid, Long.toString(worker)));
        assertEquals(422, same.status(), same.body());
        assertTrue(same.body().contains("/backupWorkerId"), same.body());
        var swap =
                post(
                        draft,
                        "{\"expectedVersion\": %d, \"op\": \"set-worker\", \"gridId\": %d, \"workerId\": %d}"
                                .formatted(v, grid, other));
        assertEquals(422, swap.status(), swap.body());
        assertTrue(swap.body().contains("/workerId"), swap.body());
        var missing =
                post(
                        draft,
                        "{\"expectedVersion\": %d, \"op\": \"set-backup-worker\", \"gridId\": %d}"
                                .formatted(v, grid));
        assertEquals(422, missing.status(), missing.body());
        assertEquals(v, version(draft), "refused edits change nothing");
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                Statement st = c.createStatement()) {
            assertThrows(
                    SQLException.class,
                    () ->
                            st.executeUpdate(
                                    "UPDATE grid SET backup_worker_id = worker_id WHERE id = "
                                            + grid),
                    "the database refuses a backup that is the worker");
        }
        // null removes the backup: a warning, the plan stays valid
        edit(draft, setBackup(draft, grid, "null"));
        JsonNode r = validate(draft, "{\"band\": 5}");
        assertTrue(r.get("valid").asBoolean(), r.toString());
        JsonNode warning = problem(r, "grid-without-backup-worker");
        assertEquals("warning", warning.get("severity").asText());
        assertEquals(grid, warning.get("gridId").asLong());
    }

    @Test
    void anInactiveWorkerIsRefused() throws Exception {
        long draft = draft().get("id").asLong();
        long grid = query("SELECT min(id) FROM grid WHERE plan_id = ?", draft)[0];
        long backup = query("SELECT backup_worker_id FROM grid WHERE id = ?", grid)[0];
        long inactive;
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                Statement st = c.createStatement()) {
            var rs =
                    st.executeQuery(
                            "INSERT INTO staff (name, role, scope_type, active)"
                                    + " VALUES ('离职网格员', 'GRID_WORKER', 'SUBDISTRICT', false) RETURNING id");
            rs.next();
            inactive = rs.getLong(1);
        }
        try {
            var refused =
                    post(
                            draft,
                            "{\"expectedVersion\": %d, \"op\": \"set-worker\", \"gridId\": %d, \"workerId\": %d}"
                                    .formatted(version(draft), grid, inactive));
            assertEquals(422, refused.status(), refused.body());
            assertTrue(refused.body().contains("not an active grid worker"), refused.body());
            var refusedBackup = post(draft, setBackup(draft, grid, Long.toString(inactive)));
            assertEquals(422, refusedBackup.status(), refusedBackup.body());
            // one made inactive after it was named: validation finds it
            query("UPDATE grid SET backup_worker_id = ? WHERE id = ? RETURNING id", inactive, grid);
            JsonNode r = validate(draft, "{\"band\": 5}");
            assertFalse(r.get("valid").asBoolean(), r.toString());
            JsonNode p = problem(r, "worker-not-eligible");
            assertEquals("error", p.get("severity").asText());
            assertEquals(inactive, p.get("staffId").asLong());
            var adopt =
                    TestServer.postAs(
                            "planner",
                            "/api/v1/plans/" + draft + "/adopt",
                            "{\"effectiveFrom\": \"2099-01-01T00:00:00+08:00\", \"band\": 5}");
            assertEquals(409, adopt.status(), adopt.body());
            assertTrue(adopt.json().get("type").asText().endsWith("/plan-invalid"));
        } finally {
            query("UPDATE grid SET backup_worker_id = ? WHERE id = ? RETURNING id", backup, grid);
            query("DELETE FROM staff WHERE id = ? RETURNING id", inactive);
        }
    }

    @Test
    void aGridWithoutWorkerBlocksAdoption() throws Exception {
        long draft = draft().get("id").asLong();
        long grid = query("SELECT min(id) FROM grid WHERE plan_id = ?", draft)[0];
        long worker = query("SELECT worker_id FROM grid WHERE id = ?", grid)[0];
        edit(
                draft,
                "{\"expectedVersion\": %d, \"op\": \"set-worker\", \"gridId\": %d, \"workerId\": null}"
                        .formatted(version(draft), grid));
        JsonNode r = validate(draft, "{\"band\": 5}");
        assertFalse(r.get("valid").asBoolean(), r.toString());
        JsonNode p = problem(r, "grid-without-worker");
        assertEquals("error", p.get("severity").asText());
        assertEquals(grid, p.get("gridId").asLong());
        var adopt =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + draft + "/adopt",
                        "{\"effectiveFrom\": \"2099-01-01T00:00:00+08:00\", \"band\": 5}");
        assertEquals(409, adopt.status(), adopt.body());
        assertTrue(adopt.json().get("type").asText().endsWith("/plan-invalid"));
        assertTrue(adopt.body().contains("has no grid worker"), adopt.body());
        assertEquals(
                "DRAFT",
                TestServer.getAs("planner", "/api/v1/plans/" + draft)
                        .json()
                        .get("status")
                        .asText());
        edit(
                draft,
                "{\"expectedVersion\": %d, \"op\": \"set-worker\", \"gridId\": %d, \"workerId\": %d}"
                        .formatted(version(draft), grid, worker));
        assertTrue(validate(draft, "{\"band\": 5}").get("valid").asBoolean());
    }

    private static String setBackup(long draft, long grid, String backup) {
        return "{\"expectedVersion\": %d, \"op\": \"set-backup-worker\", \"gridId\": %d, \"backupWorkerId\": %s}"
                .formatted(version(draft), grid, backup);
    }

    private static TestServer.Answer post(long draft, String body) {
        return TestServer.postAs("planner", "/api/v1/plans/" + draft + "/edits", body);
    }

    private static JsonNode problem(JsonNode report, String type) {
        for (JsonNode p : report.get("problems")) if (p.get("type").asText().equals(type)) return p;
        throw new AssertionError("no " + type + " in " + report);
    }
}
