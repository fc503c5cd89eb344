package org.gridgov.workflow;

import static org.junit.jupiter.api.Assertions.*;

import java.util.EnumSet;
import org.gridgov.cases.CaseStatus;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;
import org.gridgov.people.Scope;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The isolation rule on case actions (docs/access.md): the command centre of one subdistrict acts
 * on its own cases, never on another subdistrict's, nor sees them in its work queues.
 */
@Tag("db")
@Tag("second-subdistrict")
@ExtendWith(PostgisExtension.class)
class SubdistrictActionsTest {

    static Principal chiefOf(long subdistrict) {
        return new Principal(
                900,
                "x",
                EnumSet.of(Role.CHIEF_COMMANDER),
                new Scope("SUBDISTRICT", null, null, null, subdistrict));
    }

    static CaseRow row(Long subdistrict, Long assignee) {
        return new CaseRow(
                1,
                1,
                CaseStatus.REPORTED,
                "C",
                "NORMAL",
                "GOVERNANCE",
                2L,
                3L,
                assignee,
                false,
                false,
                null,
                null,
                null,
                null,
                null,
                subdistrict);
    }

    @Test
    void thePolicySeesOnlyTheCallersSubdistrict() {
        assertTrue(ActionPolicy.sees(chiefOf(1), row(1L, null)));
        assertFalse(ActionPolicy.sees(chiefOf(1), row(2L, null)));
        assertFalse(ActionPolicy.sees(chiefOf(1), row(2L, 900L)), "assigned or not");
        assertFalse(ActionPolicy.sees(chiefOf(1), row(null, null)), "the district's own");
        Principal district =
                new Principal(901, "d", EnumSet.of(Role.DISTRICT_COMMANDER), Scope.DISTRICT);
        assertTrue(ActionPolicy.sees(district, row(2L, null)));
        assertTrue(ActionPolicy.sees(district, row(null, null)));
    }

    private static TestServer.Answer accept(String who, long id) throws Exception {
        long version = TestDatabase.queryLong("SELECT version FROM incident WHERE id = " + id);
        return TestServer.postAs(
                who,
                "/api/v1/incidents/" + id + "/actions",
                "{\"action\":\"accept\",\"expectedVersion\":" + version + "}");
    }

    @Test
    void aCentreActsOnItsOwnSubdistrictsCasesOnly() throws Exception {
        var ids = SecondSubdistrict.install();
        long second = ids.incidentIds().get(1); // REPORTED
        long firstReported =
                TestDatabase.queryLong(
                        "SELECT coalesce(min(id), 0) FROM incident WHERE status = 'REPORTED'"
                                + " AND subdistrict_id = "
                                + ids.firstSubdistrictId());
        String before = status(second);
        TestServer.Answer refused = accept("operator", second);
        assertEquals(403, refused.status(), refused.body());
        assertEquals(before, status(second), "nothing changed");
        assertEquals(
                403,
                TestServer.getAs("operator", "/api/v1/incidents/" + second + "/actions").status());
        if (firstReported > 0) {
            String was = status(firstReported);
            assertEquals(403, accept(SecondSubdistrict.OPERATOR, firstReported).status());
            assertEquals(was, status(firstReported));
        }
        TestServer.Answer ok = accept(SecondSubdistrict.OPERATOR, second);
        assertEquals(200, ok.status(), ok.body());
        assertEquals("ACCEPTED", status(second));
    }

    @Test
    void workQueuesHoldTheCallersSubdistrictOnly() throws Exception {
        var ids = SecondSubdistrict.install();
        long second = ids.incidentIds().get(2);
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement()) {
            st.execute("UPDATE incident SET supervised = true WHERE id = " + second);
        }
        var mine = TestServer.getAs(SecondSubdistrict.CHIEF, "/api/v1/workflow/queues/supervised");
        assertEquals(200, mine.status(), mine.body());
        assertTrue(mine.body().contains("\"incidentId\":" + second), mine.body());
        for (var item : mine.json().get("items"))
            assertEquals(
                    ids.subdistrictId(),
                    TestDatabase.queryLong(
                            "SELECT subdistrict_id FROM incident WHERE id = "
                                    + item.get("incidentId").asLong()));
        var theirs = TestServer.getAs("chief", "/api/v1/workflow/queues/supervised");
        assertEquals(200, theirs.status(), theirs.body());
        assertFalse(theirs.body().contains("\"incidentId\":" + second + ","), theirs.body());
    }

    private static String status(long id) throws Exception {
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT status FROM incident WHERE id = " + id)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
