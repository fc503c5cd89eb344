package org.gridgov.grid;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Isolation by subdistrict in the plan exports and the workload per grid (issue #20): a planner of
 * subdistrict 2 exports and weighs its own plan only, the demo planner never subdistrict 2's (404,
 * as a plan that does not exist), a district-scoped auditor both.
 */
@Tag("db")
@Tag("second-subdistrict")
class SubdistrictIsolationPlanExportsTest {

    static SecondSubdistrict.Ids ids;
    static long firstPlan;

    /** A district-scoped auditor (as in SubdistrictIsolationExportsTest). */
    static final String DISTRICT_AUDITOR = "dauditor.iso";

    @BeforeAll
    static void install() throws Exception {
        TestServer.get();
        ids = SecondSubdistrict.install();
        try (Connection c = TestDatabase.get().dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT plan_in_effect(now(), ?)")) {
                ps.setLong(1, ids.firstSubdistrictId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    firstPlan = rs.getLong(1);
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute(
                        """
                        INSERT INTO staff (name, role, scope_type, phone, username, password_hash)
                        SELECT '区审计员', 'AUDITOR', 'DISTRICT', '13900000299', '%s',
                               (SELECT password_hash FROM staff WHERE username = 'chief')
                        WHERE NOT EXISTS (SELECT 1 FROM staff WHERE username = '%s')"""
                                .formatted(DISTRICT_AUDITOR, DISTRICT_AUDITOR));
            }
        }
        assertTrue(firstPlan > 0 && firstPlan != ids.planId(), "two plans in effect");
    }

    /** The workload answer's plan and its grids' ids. */
    static Set<Long> workloadGrids(String user, String query, long plan) {
        Answer a = TestServer.getAs(user, "/api/v1/analytics/workload" + query);
        assertEquals(200, a.status(), user + " " + query + ": " + a.body());
        assertEquals(plan, a.json().get("planId").asLong(), user + " " + query);
        Set<Long> out = new HashSet<>();
        for (JsonNode f : a.json().get("features")) out.add(f.get("id").asLong());
        return out;
    }

    @Test
    void workloadOfTheCallersPlansOnly() {
        assertEquals(
                Set.of(ids.gridId()), workloadGrids(SecondSubdistrict.PLANNER, "", ids.planId()));
        Set<Long> theirs = workloadGrids("planner", "", firstPlan);
        assertFalse(theirs.isEmpty() || theirs.contains(ids.gridId()), "planner: " + theirs);
        String first = "/api/v1/analytics/workload?plan=" + firstPlan;
        String second = "/api/v1/analytics/workload?plan=" + ids.planId();
        assertEquals(404, TestServer.getAs(SecondSubdistrict.PLANNER, first).status());
        assertEquals(404, TestServer.getAs("planner", second).status());
        assertEquals(
                Set.of(ids.gridId()),
                workloadGrids(DISTRICT_AUDITOR, "?plan=" + ids.planId(), ids.planId()));
        assertEquals(theirs, workloadGrids(DISTRICT_AUDITOR, "?plan=" + firstPlan, firstPlan));
    }

    @Test
    void planExportsOfTheCallersPlansOnly() {
        String first = "/api/v1/plans/" + firstPlan + "/export";
        String second = "/api/v1/plans/" + ids.planId() + "/export";
        Answer mine = TestServer.getAs(SecondSubdistrict.PLANNER, second);
        assertEquals(200, mine.status(), mine.body());
        assertTrue(mine.body().contains(SecondSubdistrict.GRID_CODE));
        assertFalse(mine.body().contains("\"" + SecondSubdistrict.FIRST_CODE), "no sd1 grid");
        assertEquals(404, TestServer.getAs(SecondSubdistrict.PLANNER, first).status());
        Answer theirs = TestServer.getAs("planner", first);
        assertEquals(200, theirs.status(), theirs.body());
        assertFalse(theirs.body().contains(SecondSubdistrict.GRID_CODE));
        assertEquals(404, TestServer.getAs("planner", second).status());
        assertEquals(401, TestServer.get(second).status());
    }
}
