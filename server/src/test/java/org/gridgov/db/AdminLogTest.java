package org.gridgov.db;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The admin log keeps the edits of reference data (kind reference) and of rosters and leave (kind
 * roster) as it keeps those of accounts: each change exactly one entry, written in the change's
 * transaction (an entry that cannot be written undoes the change), a refused change none; read
 * through GET /api/v1/audit?kind= by admins and auditors.
 */
@Tag("db")
class AdminLogTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    static Answer as(String user, String method, String path, String body) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(TestServer.base() + path))
                        .header("Authorization", "Bearer " + TestServer.token(user));
        if (body == null) b.method(method, HttpRequest.BodyPublishers.noBody());
        else
            b.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .header("Content-Type", "application/json");
        return TestServer.send(b.build());
    }

    static Answer admin(String method, String path, String body) {
        return as("admin", method, path, body);
    }

    static long entries(String kind) throws Exception {
        return TestDatabase.queryLong("SELECT count(*) FROM admin_log WHERE kind = '" + kind + "'");
    }

    static long adminId() throws Exception {
        return TestDatabase.queryLong("SELECT id FROM staff WHERE username = 'admin'");
    }

    /** The newest entry of a kind, as the API lists it (to an auditor). */
    static JsonNode newest(String kind) {
        Answer a = TestServer.getAs("auditor", "/api/v1/audit?kind=" + kind + "&limit=1");
        assertEquals(200, a.status(), a.body());
        return a.json().at("/entries/0");
    }

    static void owner(String sql) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /**
     * Runs {@code change} while admin_log refuses entries of the kind (a trigger, as the owner):
     * the change must fail and leave nothing behind.
     */
    static Answer withLogRefusing(String kind, java.util.function.Supplier<Answer> change)
            throws Exception {
        owner(
                """
                CREATE OR REPLACE FUNCTION test_refuse_log() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the log is refused for this test'; END $$""");
        owner(
                "CREATE TRIGGER test_refuse_log BEFORE INSERT ON admin_log FOR EACH ROW WHEN"
                        + " (NEW.kind = '"
                        + kind
                        + "') EXECUTE FUNCTION test_refuse_log()");
        try {
            return change.get();
        } finally {
            owner("DROP TRIGGER test_refuse_log ON admin_log");
            owner("DROP FUNCTION test_refuse_log()");
        }
    }

    static long workerOfAGrid() throws Exception {
        return TestDatabase.queryLong(
                """
                SELECT s.id FROM staff s WHERE s.role = 'GRID_WORKER' AND s.active
                ORDER BY s.id OFFSET 7 LIMIT 1""");
    }

    /** The username of a grid leader of another community than the person's. */
    static String strangersLeader(long person) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                Statement st = c.createStatement();
                java.sql.ResultSet rs =
                        st.executeQuery(
                                """
                                SELECT l.username FROM staff l, staff p
                                LEFT JOIN grid g ON g.id = p.grid_id
                                WHERE p.id = %d AND l.role = 'GRID_LEADER' AND l.active
                                  AND l.community_id <> coalesce(p.community_id, g.community_id)
                                ORDER BY l.id LIMIT 1"""
                                        .formatted(person))) {
            assertTrue(rs.next(), "a grid leader of another community");
            return rs.getString(1);
        }
    }

    @Test
    void everyRosterAndLeaveChangeIsOneEntryAndARefusedOneNone() throws Exception {
        long person = workerOfAGrid();
        long admin = adminId();
        String day = LocalDate.now(ZONE).plusDays(40).toString();
        String shifts =
                "{\"staffId\": %d, \"from\": \"%s\", \"to\": \"%s\", \"start\": \"08:00\","
                        + " \"end\": \"12:00\", \"days\": \"ALL\", \"note\": \"log test\"}";

        long n = entries("roster");
        Answer added = admin("POST", "/api/v1/rosters", shifts.formatted(person, day, day));
        assertEquals(201, added.status(), added.body());
        long shiftId = added.json().at("/shifts/0/id").asLong();
        assertEquals(n + 1, entries("roster"));
        JsonNode e = newest("roster");
        assertEquals("roster", e.get("kind").asText());
        assertEquals("staff/" + person, e.get("target").asText());
        assertEquals(admin, e.get("actorStaffId").asLong());
        assertEquals("shiftsAdded", e.at("/change/action").asText());
        assertEquals(shiftId, e.at("/change/shifts/0/id").asLong());
        assertEquals("log test", e.at("/change/note").asText());

        // refused: an overlapping shift, an unknown person, a grid leader's stranger — no entry
        Answer overlap = admin("POST", "/api/v1/rosters", shifts.formatted(person, day, day));
        assertEquals(409, overlap.status(), overlap.body());
        Answer unknown = admin("POST", "/api/v1/rosters", shifts.formatted(99999999, day, day));
        assertEquals(422, unknown.status(), unknown.body());
        String leader = strangersLeader(person);
        Answer forbidden =
                as(leader, "POST", "/api/v1/rosters", shifts.formatted(person, day, day));
        assertEquals(403, forbidden.status(), forbidden.body());
        assertEquals(n + 1, entries("roster"));

        assertEquals(204, admin("DELETE", "/api/v1/rosters/" + shiftId, null).status());
        assertEquals(n + 2, entries("roster"));
        e = newest("roster");
        assertEquals("shiftDeleted", e.at("/change/action").asText());
        assertEquals(shiftId, e.at("/change/shift/id").asLong());
        assertEquals(404, admin("DELETE", "/api/v1/rosters/" + shiftId, null).status());
        assertEquals(n + 2, entries("roster"));

        String leave =
                "{\"staffId\": %d, \"start\": \"%sT09:00\", \"end\": \"%sT18:00\","
                        + " \"kind\": \"SICK\"}";
        Answer recorded = admin("POST", "/api/v1/leave", leave.formatted(person, day, day));
        assertEquals(201, recorded.status(), recorded.body());
        long leaveId = recorded.json().get("id").asLong();
        assertEquals(n + 3, entries("roster"));
        e = newest("roster");
        assertEquals("leaveRecorded", e.at("/change/action").asText());
        assertEquals(leaveId, e.at("/change/leave/id").asLong());
        assertEquals("SICK", e.at("/change/leave/kind").asText());
        Answer twice = admin("POST", "/api/v1/leave", leave.formatted(person, day, day));
        assertEquals(409, twice.status(), twice.body());
        assertEquals(n + 3, entries("roster"));

        assertEquals(200, admin("DELETE", "/api/v1/leave/" + leaveId, null).status());
        assertEquals(n + 4, entries("roster"));
        assertEquals("leaveCancelled", newest("roster").at("/change/action").asText());
        // cancelling again changes nothing, so logs nothing
        assertEquals(200, admin("DELETE", "/api/v1/leave/" + leaveId, null).status());
        assertEquals(n + 4, entries("roster"));

        // the entry is part of the change: when it cannot be written, nothing is
        long rows = TestDatabase.queryLong("SELECT count(*) FROM staff_leave");
        Answer failed =
                withLogRefusing(
                        "roster",
                        () -> admin("POST", "/api/v1/leave", leave.formatted(person, day, day)));
        assertTrue(failed.status() >= 500, failed.status() + " " + failed.body());
        assertEquals(rows, TestDatabase.queryLong("SELECT count(*) FROM staff_leave"));
        assertEquals(n + 4, entries("roster"));
    }

    @Test
    void everyReferenceEditIsOneEntryAndARefusedOneNone() throws Exception {
        String code = "TST_LOG_" + Long.toString(System.nanoTime() % 100000, 36).toUpperCase();
        String category =
                "{\"code\": \"%s\", \"platform\": \"SERVICE\", \"nameZh\": \"日志测试\","
                        + " \"nameEn\": \"Log test\", \"deadlineHours\": %d, \"weight\": 1,"
                        + " \"authority\": \"SUBDISTRICT\", \"urgency\": \"NORMAL\","
                        + " \"public\": false}";
        long admin = adminId();
        long n = entries("reference");
        Answer added = admin("POST", "/api/v1/categories", category.formatted(code, 24));
        assertEquals(201, added.status(), added.body());
        long version = added.json().get("version").asLong();
        assertEquals(n + 1, entries("reference"));
        JsonNode e = newest("reference");
        assertEquals("reference/categories", e.get("target").asText());
        assertEquals(admin, e.get("actorStaffId").asLong());
        assertEquals(version, e.at("/change/version").asLong());
        assertEquals("json", e.at("/change/via").asText());
        assertEquals(1, e.at("/change/added").size(), e.toString());
        assertEquals(code, e.at("/change/added/0/code").asText());
        assertEquals(0, e.at("/change/removed").size());

        try {
            // refused: the code exists, a bad deadline, a past effectiveFrom — no entry
            Answer exists = admin("POST", "/api/v1/categories", category.formatted(code, 24));
            assertEquals(409, exists.status(), exists.body());
            Answer bad = admin("PATCH", "/api/v1/categories/" + code, "{\"deadlineHours\": -1}");
            assertEquals(422, bad.status(), bad.body());
            assertEquals(n + 1, entries("reference"));

            Answer changed =
                    admin("PATCH", "/api/v1/categories/" + code, "{\"deadlineHours\": 48}");
            assertEquals(200, changed.status(), changed.body());
            assertEquals(n + 2, entries("reference"));
            e = newest("reference");
            assertEquals(code, e.at("/change/changed/0/code").asText(), e.toString());
            assertEquals("24", e.at("/change/changed/0/fields/deadlineHours/before").asText());
            assertEquals("48", e.at("/change/changed/0/fields/deadlineHours/after").asText());
            assertEquals(1, e.at("/change/changed/0/fields").size(), e.toString());
            assertEquals(0, e.at("/change/added").size());

            // the entry is part of the version: when it cannot be written, no version is
            long versions =
                    TestDatabase.queryLong(
                            "SELECT count(*) FROM reference_version WHERE kind = 'categories'");
            Answer failed =
                    withLogRefusing(
                            "reference",
                            () ->
                                    admin(
                                            "PATCH",
                                            "/api/v1/categories/" + code,
                                            "{\"deadlineHours\": 72}"));
            assertTrue(failed.status() >= 500, failed.status() + " " + failed.body());
            assertEquals(
                    versions,
                    TestDatabase.queryLong(
                            "SELECT count(*) FROM reference_version WHERE kind = 'categories'"));
            assertEquals(n + 2, entries("reference"));
        } finally {
            // the version in force stays the seed's for the other tests
            Answer gone = admin("DELETE", "/api/v1/categories/" + code, null);
            assertEquals(200, gone.status(), gone.body());
        }
        assertEquals(n + 3, entries("reference"));
        e = newest("reference");
        assertEquals(code, e.at("/change/removed/0/code").asText(), e.toString());
    }

    @Test
    void aCsvImportIsOneEntryAndABadFileNone() throws Exception {
        Answer export = admin("GET", "/api/v1/reference/scoring/csv", null);
        assertEquals(200, export.status(), export.body());
        long n = entries("reference");
        Answer bad =
                csv("indicator,points,target,perPointBelow,perEvent\r\nno_such_kpi,10,0.5,1,0\r\n");
        assertEquals(422, bad.status(), bad.body());
        assertEquals(n, entries("reference"));
        // the same rows again: a new version, logged as an import that changed no row
        Answer same = csv(export.body());
        assertEquals(201, same.status(), same.body());
        assertEquals(n + 1, entries("reference"));
        JsonNode e = newest("reference");
        assertEquals("reference/scoring", e.get("target").asText());
        assertEquals("csv", e.at("/change/via").asText());
        assertEquals("log test import", e.at("/change/note").asText());
        assertEquals(same.json().get("version").asLong(), e.at("/change/version").asLong());
        for (String f : new String[] {"added", "removed", "changed"})
            assertEquals(0, e.at("/change/" + f).size(), e.toString());
    }

    static Answer csv(String body) {
        return TestServer.send(
                HttpRequest.newBuilder(
                                URI.create(
                                        TestServer.base()
                                                + "/api/v1/reference/scoring/csv?note=log+test+import"))
                        .header("Authorization", "Bearer " + TestServer.token("admin"))
                        .header("Content-Type", "text/csv")
                        .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build());
    }

    @Test
    void theLogOfEachKindIsForAdminsAndAuditors() {
        for (String kind : new String[] {"reference", "roster"}) {
            assertEquals(200, TestServer.getAs("admin", "/api/v1/audit?kind=" + kind).status());
            assertEquals(200, TestServer.getAs("auditor", "/api/v1/audit?kind=" + kind).status());
            assertEquals(403, TestServer.getAs("operator", "/api/v1/audit?kind=" + kind).status());
            assertEquals(401, TestServer.get("/api/v1/audit?kind=" + kind).status());
        }
        Answer bad = TestServer.getAs("admin", "/api/v1/audit?kind=plans");
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.body().contains("reference"), bad.body());
    }
}
