package org.gridgov.accountability;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
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
 * Isolation by subdistrict in the exports of cases and staff (issue #20): the accountability
 * findings (JSON, CSV, HTML) of an auditor or admin of one subdistrict hold that subdistrict's
 * cases only, a district-scoped auditor's both; a patrol track of another subdistrict's worker is
 * not found; anonymous callers get 401, as before.
 */
@Tag("db")
@Tag("second-subdistrict")
class SubdistrictIsolationExportsTest {

    static SecondSubdistrict.Ids ids;
    static long first, second;
    static String period;

    /** A district-scoped auditor (scope DISTRICT is for auditors too, docs/access.md). */
    static final String DISTRICT_AUDITOR = "dauditor.iso";

    @BeforeAll
    static void install() throws Exception {
        TestServer.get();
        ids = SecondSubdistrict.install();
        second = ids.incidentIds().get(0);
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        period = "from=" + today.minusDays(1) + "&to=" + today.plusDays(1);
        try (Connection c = TestDatabase.get().dataSource().getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT id FROM incident WHERE subdistrict_id = ? AND grid_id IS NOT"
                                    + " NULL ORDER BY id LIMIT 1")) {
                ps.setLong(1, ids.firstSubdistrictId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    first = rs.getLong(1);
                }
            }
            try (Statement st = c.createStatement()) {
                // three extension requests on a case of each subdistrict: a finding each
                for (long id : new long[] {first, second}) {
                    st.execute(
                            "INSERT INTO incident_event (incident_id, at, actor_role, type,"
                                    + " from_status, to_status) SELECT i.id, now(), 'GRID_WORKER',"
                                    + " 'EXTENSION_REQUESTED', i.status, i.status"
                                    + " FROM incident i, generate_series(1, 3) WHERE i.id = "
                                    + id);
                }
                st.execute(
                        """
                        INSERT INTO staff (name, role, scope_type, phone, username, password_hash)
                        SELECT '区审计员', 'AUDITOR', 'DISTRICT', '13900000299', '%s',
                               (SELECT password_hash FROM staff WHERE username = 'chief')
                        WHERE NOT EXISTS (SELECT 1 FROM staff WHERE username = '%s')"""
                                .formatted(DISTRICT_AUDITOR, DISTRICT_AUDITOR));
            }
        }
    }

    private static String ask(String format) {
        return "/api/v1/accountability"
                + format
                + "?"
                + period
                + "&kind=repeated-extension&minExtensions=3&limit=10000";
    }

    private static Set<Long> incidents(String user) {
        Answer a = TestServer.getAs(user, ask(""));
        assertEquals(200, a.status(), a.body());
        Set<Long> out = new HashSet<>();
        for (JsonNode f : a.json().get("findings")) out.add(f.get("incidentId").asLong());
        return out;
    }

    @Test
    void accountabilityFindingsOfTheCallersSubdistrictOnly() {
        Set<Long> mine = incidents(SecondSubdistrict.ADMIN);
        assertTrue(mine.contains(second), "admin2: " + mine);
        assertFalse(mine.contains(first), "admin2 sees subdistrict 1's case");
        Set<Long> theirs = incidents("auditor");
        assertTrue(theirs.contains(first), "auditor: " + theirs);
        assertFalse(theirs.contains(second), "auditor sees subdistrict 2's case");
        Set<Long> all = incidents(DISTRICT_AUDITOR);
        assertTrue(all.contains(first) && all.contains(second), "district auditor: " + all);
        assertEquals(401, TestServer.get(ask("")).status());
    }

    @Test
    void csvAndHtmlExportsAlike() {
        for (String format : new String[] {".csv", ".html"}) {
            Answer mine = TestServer.getAs(SecondSubdistrict.ADMIN, ask(format));
            assertEquals(200, mine.status(), mine.body());
            assertTrue(mine.body().contains(SecondSubdistrict.GRID_CODE), format);
            assertFalse(mine.body().contains(SecondSubdistrict.FIRST_CODE), format);
            Answer theirs = TestServer.getAs("admin", ask(format));
            assertEquals(200, theirs.status(), theirs.body());
            assertTrue(theirs.body().contains(SecondSubdistrict.FIRST_CODE), format);
            assertFalse(theirs.body().contains(SecondSubdistrict.CODE), format);
            Answer all = TestServer.getAs(DISTRICT_AUDITOR, ask(format));
            assertTrue(all.body().contains(SecondSubdistrict.FIRST_CODE), format);
            assertTrue(all.body().contains(SecondSubdistrict.GRID_CODE), format);
            assertEquals(401, TestServer.get(ask(format)).status());
        }
    }

    @Test
    void patrolTrackOfAnotherSubdistrictsWorkerIsNotFound() throws Exception {
        long worker2 = ids.workerId();
        long worker1;
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT id FROM staff WHERE role = 'GRID_WORKER' AND subdistrict_id = "
                                        + ids.firstSubdistrictId()
                                        + " ORDER BY id LIMIT 1")) {
            rs.next();
            worker1 = rs.getLong(1);
        }
        String t2 = "/api/v1/staff/" + worker2 + "/track";
        String t1 = "/api/v1/staff/" + worker1 + "/track";
        assertEquals(200, TestServer.getAs(SecondSubdistrict.CHIEF, t2).status());
        assertEquals(404, TestServer.getAs(SecondSubdistrict.CHIEF, t1).status());
        assertEquals(200, TestServer.getAs("chief", t1).status());
        assertEquals(404, TestServer.getAs("chief", t2).status());
        assertEquals(200, TestServer.getAs(DISTRICT_AUDITOR, t1).status(), "district scope");
        assertEquals(200, TestServer.getAs(DISTRICT_AUDITOR, t2).status(), "district scope");
        assertEquals(401, TestServer.get(t1).status());
    }
}
