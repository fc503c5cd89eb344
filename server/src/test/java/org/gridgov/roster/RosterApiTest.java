package org.gridgov.roster;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneId;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Rosters and leave through the real server and database: the on-duty rule at intake (reports
 * entered with their report time), the on-duty endpoint, and bad input that changes nothing. Every
 * test works on its own grid of the plan in effect and cancels or deletes what it wrote.
 */
@Tag("db")
class RosterApiTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** A grid of the plan in effect with a worker and a backup, and a point inside it. */
    record Grid(long id, long worker, long backup, double lon, double lat) {}

    static Grid grid(int nth) throws Exception {
        double[] r =
                row(
                        """
                        SELECT g.id, g.worker_id, g.backup_worker_id, ST_X(p), ST_Y(p)
                        FROM grid g JOIN grid_plan gp ON gp.id = g.plan_id,
                             ST_PointOnSurface(g.geom) p
                        WHERE gp.status <> 'DRAFT' AND gp.effective_from <= now()
                          AND (gp.effective_to IS NULL OR gp.effective_to > now())
                          AND g.worker_id IS NOT NULL AND g.backup_worker_id IS NOT NULL
                        ORDER BY g.id OFFSET %d LIMIT 1"""
                                .formatted(nth));
        return new Grid((long) r[0], (long) r[1], (long) r[2], r[3], r[4]);
    }

    @Test
    void leaveFromNineToSixSendsTenOClockToTheBackupAndSevenToTheWorker() throws Exception {
        Grid g = grid(0);
        // tomorrow, as the issue puts it: who is on duty then (a report cannot be dated ahead)
        String tomorrow = LocalDate.now(ZONE).plusDays(1).toString();
        long ahead = leave(g.worker(), tomorrow + "T09:00", tomorrow + "T18:00");
        JsonNode at10 = onDuty(g.id(), tomorrow + "T10:00:00+08:00");
        assertEquals(g.backup(), at10.get("staffId").asLong(), at10.toString());
        assertEquals("BACKUP_WORKER", at10.get("reason").asText());
        JsonNode at19 = onDuty(g.id(), tomorrow + "T19:00:00+08:00");
        assertEquals(g.worker(), at19.get("staffId").asLong(), at19.toString());
        assertEquals("WORKER", at19.get("reason").asText());

        // yesterday: reports through the real intake, entered with their report time
        String yesterday = LocalDate.now(ZONE).minusDays(1).toString();
        long past = leave(g.worker(), yesterday + "T09:00", yesterday + "T18:00");
        assertEquals(g.backup(), reportedTo(g, yesterday + "T10:00:00+08:00"));
        assertEquals(g.worker(), reportedTo(g, yesterday + "T19:00:00+08:00"));
        assertEquals(g.worker(), reportedTo(g, yesterday + "T08:59:00+08:00"));

        // cancelled leave no longer counts, and the record stays
        for (long id : new long[] {ahead, past}) {
            Answer c = delete("/api/v1/leave/" + id);
            assertEquals(200, c.status(), c.body());
            assertFalse(c.json().get("cancelledAt").isNull());
        }
        assertEquals(g.worker(), reportedTo(g, yesterday + "T10:00:00+08:00"));
        assertEquals(
                2,
                (long)
                        row(
                                "SELECT count(*) FROM staff_leave WHERE cancelled_at IS NOT NULL"
                                        + " AND id IN ("
                                        + ahead
                                        + ", "
                                        + past
                                        + ")")[0]);
        JsonNode listed =
                TestServer.getAs(
                                "director",
                                "/api/v1/leave?staffId="
                                        + g.worker()
                                        + "&from="
                                        + yesterday
                                        + "T00:00:00%2B08:00&cancelled=true")
                        .json();
        assertEquals(2, listed.get("numberReturned").asInt(), listed.toString());
        assertEquals("Asia/Shanghai", listed.get("timeZone").asText());
        assertEquals(yesterday + "T09:00+08:00", listed.at("/leave/0/start").asText());
    }

    @Test
    void aSubstituteNamedWithTheLeaveTakesTheGrid() throws Exception {
        Grid g = grid(1);
        long sub =
                (long)
                        row(
                                "SELECT id FROM staff WHERE role = 'GRID_WORKER' AND active AND"
                                        + " on_duty AND id NOT IN (%d, %d) ORDER BY id LIMIT 1"
                                                .formatted(g.worker(), g.backup()))[0];
        String yesterday = LocalDate.now(ZONE).minusDays(1).toString();
        Answer a =
                TestServer.postAs(
                        "director",
                        "/api/v1/leave",
                        """
                        {"staffId": %d, "start": "%sT09:00", "end": "%sT18:00", "kind": "SICK",
                         "substituteId": %d, "note": "代班"}"""
                                .formatted(g.worker(), yesterday, yesterday, sub));
        assertEquals(201, a.status(), a.body());
        try {
            assertEquals(sub, reportedTo(g, yesterday + "T11:00:00+08:00"));
        } finally {
            delete("/api/v1/leave/" + a.json().get("id").asLong());
        }
    }

    @Test
    void aDisabledWorkerGetsNoReportFromTheMomentThePatchAnswers() throws Exception {
        Grid g = grid(4);
        String now = java.time.OffsetDateTime.now(ZONE).minusMinutes(1).toString();
        assertEquals(g.worker(), reportedTo(g, now));
        try {
            assertEquals(200, patchStaff(g.worker(), "{\"active\": false}").status());
            // no waiting: the PATCH refreshed this instance's routing index before it answered
            assertEquals(g.backup(), reportedTo(g, now));
        } finally {
            assertEquals(200, patchStaff(g.worker(), "{\"active\": true}").status());
        }
        assertEquals(g.worker(), reportedTo(g, now));
    }

    @Test
    void aRosteredDayPutsTheWorkerOnDutyOnlyInTheirShifts() throws Exception {
        Grid g = grid(2);
        String yesterday = LocalDate.now(ZONE).minusDays(1).toString();
        Answer a =
                TestServer.postAs(
                        "director",
                        "/api/v1/rosters",
                        """
                        {"staffId": %d, "from": "%s", "to": "%s", "start": "08:30", "end": "12:00",
                         "days": "ALL"}"""
                                .formatted(g.worker(), yesterday, yesterday));
        assertEquals(201, a.status(), a.body());
        JsonNode shift = a.json().at("/shifts/0");
        assertEquals(yesterday + "T08:30+08:00", shift.get("start").asText());
        try {
            assertEquals(g.worker(), reportedTo(g, yesterday + "T10:00:00+08:00"));
            assertEquals(g.backup(), reportedTo(g, yesterday + "T15:00:00+08:00"));
            JsonNode listed =
                    TestServer.getAs(
                                    "operator",
                                    "/api/v1/rosters?staffId="
                                            + g.worker()
                                            + "&from="
                                            + yesterday
                                            + "T00:00:00%2B08:00")
                            .json();
            assertEquals(1, listed.get("numberReturned").asInt(), listed.toString());
        } finally {
            assertEquals(204, delete("/api/v1/rosters/" + shift.get("id").asLong()).status());
        }
        assertEquals(g.worker(), reportedTo(g, yesterday + "T15:00:00+08:00"));
    }

    @Test
    void dispatchGivesAServiceMatterToTheBackupWhileTheWorkerIsAway() throws Exception {
        Grid g = grid(5);
        String category;
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT code FROM category WHERE platform = 'SERVICE' AND"
                                                + " authority = 'SUBDISTRICT' ORDER BY code LIMIT 1")) {
            assertTrue(rs.next());
            category = rs.getString(1);
        }
        Answer r =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        """
                        {"category": "%s", "channel": "HOTLINE",
                         "location": {"type": "Point", "coordinates": [%s, %s]}}"""
                                .formatted(category, g.lon(), g.lat()));
        assertEquals(201, r.status(), r.body());
        long id = r.json().get("id").asLong();
        assertEquals(g.worker(), r.json().at("/routing/assigneeId").asLong(), r.body());
        assertEquals(200, act(id, "{\"action\":\"accept\",\"expectedVersion\":1}").status());
        String now = java.time.LocalDateTime.now(ZONE).withNano(0).toString();
        String later = java.time.LocalDateTime.now(ZONE).plusHours(2).withNano(0).toString();
        long away = leave(g.worker(), now, later);
        try {
            // named by hand while on leave: refused, nothing changed
            refused(
                    422,
                    "/assigneeId",
                    "invalid-assignee",
                    act(
                            id,
                            "{\"action\":\"dispatch\",\"expectedVersion\":2,\"platform\":"
                                    + "\"SERVICE\",\"assigneeId\":"
                                    + g.worker()
                                    + "}"));
            Answer d =
                    act(
                            id,
                            "{\"action\":\"dispatch\",\"expectedVersion\":2,\"platform\":"
                                    + "\"SERVICE\"}");
            assertEquals(200, d.status(), d.body());
            assertEquals(g.backup(), d.json().at("/routing/assigneeId").asLong(), d.body());
        } finally {
            delete("/api/v1/leave/" + away);
        }
    }

    static Answer act(long id, String body) {
        return TestServer.postAs("operator", "/api/v1/incidents/" + id + "/actions", body);
    }

    @Test
    void aGridLeaderManagesTheLeaveOfTheirCommunityOnly() throws Exception {
        String leader;
        long mine, other;
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        """
                                        SELECT l.username,
                                          (SELECT s.id FROM staff s JOIN grid g ON g.id = s.grid_id
                                           WHERE s.role = 'GRID_WORKER' AND s.active
                                             AND g.community_id = l.community_id
                                           ORDER BY s.id LIMIT 1),
                                          (SELECT s.id FROM staff s JOIN grid g ON g.id = s.grid_id
                                           WHERE s.role = 'GRID_WORKER' AND s.active
                                             AND g.community_id <> l.community_id
                                           ORDER BY s.id LIMIT 1)
                                        FROM staff l WHERE l.role = 'GRID_LEADER' AND l.active
                                        ORDER BY l.id LIMIT 1""")) {
            assertTrue(rs.next());
            leader = rs.getString(1);
            mine = rs.getLong(2);
            other = rs.getLong(3);
        }
        String day = LocalDate.now(ZONE).plusDays(5).toString();
        String body =
                "{\"staffId\": %d, \"start\": \"%sT09:00\", \"end\": \"%sT12:00\","
                        + " \"kind\": \"PERSONAL\"}";
        long before = count("staff_leave");
        Answer refused =
                TestServer.postAs(leader, "/api/v1/leave", body.formatted(other, day, day));
        assertEquals(403, refused.status(), refused.body());
        assertTrue(refused.contentType().startsWith("application/problem+json"));
        assertEquals("/staffId", refused.json().get("field").asText());
        assertEquals(before, count("staff_leave"));
        Answer ok = TestServer.postAs(leader, "/api/v1/leave", body.formatted(mine, day, day));
        assertEquals(201, ok.status(), ok.body());
        assertEquals(
                200,
                TestServer.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        TestServer.base()
                                                                + "/api/v1/leave/"
                                                                + ok.json().get("id").asLong()))
                                        .header(
                                                "Authorization",
                                                "Bearer " + TestServer.token(leader))
                                        .DELETE()
                                        .build())
                        .status());
    }

    @Test
    void badLeaveIsRefusedAndChangesNothing() throws Exception {
        Grid g = grid(3);
        String day = LocalDate.now(ZONE).plusDays(3).toString();
        long before = count("staff_leave");
        String body = "{\"staffId\": %s, \"start\": \"%s\", \"end\": \"%s\", \"kind\": \"%s\"}";
        refused(
                422,
                "/staffId",
                "unknown-staff",
                post(
                        "/api/v1/leave",
                        body.formatted(99999999, day + "T09:00", day + "T18:00", "ANNUAL")));
        refused(
                422,
                "/end",
                "invalid-field",
                post(
                        "/api/v1/leave",
                        body.formatted(g.worker(), day + "T18:00", day + "T09:00", "ANNUAL")));
        refused(
                422,
                "/kind",
                "invalid-field",
                post(
                        "/api/v1/leave",
                        body.formatted(g.worker(), day + "T09:00", day + "T18:00", "HOLIDAY")));
        refused(
                422,
                "/start",
                "invalid-field",
                post(
                        "/api/v1/leave",
                        body.formatted(g.worker(), "tomorrow", day + "T18:00", "ANNUAL")));
        refused(
                422,
                "/substituteId",
                "invalid-field",
                post(
                        "/api/v1/leave",
                        "{\"staffId\": %d, \"start\": \"%sT09:00\", \"end\": \"%sT18:00\","
                                        .formatted(g.worker(), day, day)
                                + " \"kind\": \"ANNUAL\", \"substituteId\": "
                                + g.worker()
                                + "}"));
        assertEquals(before, count("staff_leave"));

        long first = leave(g.worker(), day + "T09:00", day + "T18:00");
        try {
            Answer overlapping =
                    post(
                            "/api/v1/leave",
                            body.formatted(g.worker(), day + "T17:00", day + "T20:00", "SICK"));
            refused(409, "/start", "leave-overlap", overlapping);
            // the times as the area's clock reads them, not UTC
            assertTrue(
                    overlapping.json().get("detail").asText().contains(day + "T09:00+08:00"),
                    overlapping.body());
            assertEquals(before + 1, count("staff_leave"));
            // someone not allowed to manage rosters
            Answer planner =
                    TestServer.postAs(
                            "planner",
                            "/api/v1/leave",
                            body.formatted(g.worker(), day + "T19:00", day + "T20:00", "SICK"));
            assertEquals(403, planner.status(), planner.body());
            assertEquals(before + 1, count("staff_leave"));
        } finally {
            delete("/api/v1/leave/" + first);
        }
        // after the cancellation the same hours may be taken again
        long again = leave(g.worker(), day + "T17:00", day + "T20:00");
        delete("/api/v1/leave/" + again);
        Answer missing = delete("/api/v1/leave/99999999");
        assertEquals(404, missing.status(), missing.body());
        assertTrue(missing.contentType().startsWith("application/problem+json"));
    }

    @Test
    void badRostersAreRefusedAndChangeNothing() throws Exception {
        Grid g = grid(4);
        LocalDate monday = LocalDate.now(ZONE).plusWeeks(2).with(java.time.DayOfWeek.MONDAY);
        long before = count("duty_shift");
        String body =
                "{\"staffId\": %s, \"from\": \"%s\", \"to\": \"%s\", \"start\": \"%s\", \"end\":"
                        + " \"%s\", \"days\": \"ALL\"}";
        refused(
                422,
                "/staffId",
                "unknown-staff",
                post(
                        "/api/v1/rosters",
                        body.formatted(99999999, monday, monday, "08:30", "17:30")));
        refused(
                422,
                "/to",
                "invalid-field",
                post(
                        "/api/v1/rosters",
                        body.formatted(g.worker(), monday, monday.minusDays(1), "08:30", "17:30")));
        refused(
                422,
                "/end",
                "invalid-field",
                post(
                        "/api/v1/rosters",
                        body.formatted(g.worker(), monday, monday, "08:30", "08:30")));
        refused(
                422,
                "/start",
                "invalid-field",
                post("/api/v1/rosters", body.formatted(g.worker(), monday, monday, "8h", "17:30")));
        assertEquals(before, count("duty_shift"));

        Answer week =
                post(
                        "/api/v1/rosters",
                        body.formatted(g.worker(), monday, monday.plusDays(4), "08:30", "17:30"));
        assertEquals(201, week.status(), week.body());
        assertEquals(5, week.json().get("shifts").size());
        try {
            // two evenings, the second overlapping nothing: the whole request is refused
            Answer evenings =
                    post(
                            "/api/v1/rosters",
                            body.formatted(
                                    g.worker(),
                                    monday.plusDays(4),
                                    monday.plusDays(5),
                                    "17:00",
                                    "21:00"));
            refused(409, "/from", "shift-overlap", evenings);
            assertTrue(
                    evenings.json().get("detail").asText().contains("T17:00+08:00"),
                    evenings.body());
            assertEquals(before + 5, count("duty_shift"));
        } finally {
            for (JsonNode s : week.json().get("shifts"))
                assertEquals(204, delete("/api/v1/rosters/" + s.get("id").asLong()).status());
        }
        assertEquals(before, count("duty_shift"));
        assertEquals(404, delete("/api/v1/rosters/99999999").status());
    }

    // ---- helpers

    static long leave(long staff, String start, String end) {
        Answer a =
                post(
                        "/api/v1/leave",
                        "{\"staffId\": %d, \"start\": \"%s\", \"end\": \"%s\", \"kind\": \"ANNUAL\"}"
                                .formatted(staff, start, end));
        assertEquals(201, a.status(), a.body());
        return a.json().get("id").asLong();
    }

    static JsonNode onDuty(long grid, String at) {
        Answer a =
                TestServer.getAs(
                        "operator",
                        "/api/v1/rosters/on-duty?gridId=" + grid + "&at=" + at.replace("+", "%2B"));
        assertEquals(200, a.status(), a.body());
        return a.json();
    }

    /** Reports at the grid's point with the report time; the assignee routing chose. */
    static long reportedTo(Grid g, String reportedAt) {
        String body =
                """
                {"category": "%s", "channel": "HOTLINE", "reportedAt": "%s",
                 "location": {"type": "Point", "coordinates": [%s, %s]}}"""
                        .formatted(DemoFixture.subdistrictCategory(), reportedAt, g.lon(), g.lat());
        Answer a = TestServer.postAs("operator", "/api/v1/incidents", body);
        assertEquals(201, a.status(), a.body());
        assertEquals(g.id(), a.json().at("/routing/gridId").asLong(), a.body());
        return a.json().at("/routing/assigneeId").asLong();
    }

    static Answer patchStaff(long id, String body) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(TestServer.base() + "/api/v1/staff/" + id))
                        .header("Authorization", "Bearer " + TestServer.token("admin"))
                        .header("Content-Type", "application/merge-patch+json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                        .build());
    }

    static Answer post(String path, String body) {
        return TestServer.postAs("director", path, body);
    }

    static Answer delete(String path) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(TestServer.base() + path))
                        .header("Authorization", "Bearer " + TestServer.token("director"))
                        .DELETE()
                        .build());
    }

    static void refused(int status, String field, String type, Answer a) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        assertTrue(a.json().get("type").asText().endsWith("/" + type), a.body());
        assertEquals(field, a.json().path("field").asText(null), a.body());
    }

    static long count(String table) throws Exception {
        return (long) row("SELECT count(*) FROM " + table)[0];
    }

    static double[] row(String sql) throws Exception {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertTrue(rs.next(), "no row: " + sql);
            double[] out = new double[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < out.length; i++) out[i] = rs.getDouble(i + 1);
            return out;
        }
    }
}
