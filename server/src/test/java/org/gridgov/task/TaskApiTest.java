package org.gridgov.task;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.gridgov.media.MultipartForm;
import org.gridgov.media.TestImages;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Tasks end to end over HTTP and PostgreSQL: creation and assignment by the on-duty rule, the
 * refusals that change nothing, photos, completion with a failed check becoming a routed incident,
 * the replayed Idempotency-Key, the recheck after the incident closes, campaigns and progress.
 */
@Tag("db")
class TaskApiTest {

    static DemoFixture.Probe probe;
    static String category;

    @BeforeAll
    static void setUp() {
        TestServer.get();
        probe = DemoFixture.probe();
        category = DemoFixture.subdistrictCategory();
    }

    /** A restaurant in a unit of the probe's grid (the places slice fills the real ones). */
    static long place(String kind) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                INSERT INTO place (code, kind, name, unit_id, geom)
                SELECT ?, ?, '测试饭店', u.id, ST_PointOnSurface(u.geom)
                FROM grid_unit gu JOIN base_unit u ON u.id = gu.unit_id
                WHERE gu.grid_id = ? ORDER BY u.id LIMIT 1
                RETURNING id""")) {
            ps.setString(1, "T" + UUID.randomUUID().toString().substring(0, 12));
            ps.setString(2, kind);
            ps.setLong(3, probe.gridId());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the probe's grid has a unit");
                return rs.getLong(1);
            }
        }
    }

    static String username(long staffId) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT username FROM staff WHERE id = ?")) {
            ps.setLong(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    static String checks() {
        return """
                [{"key": "gas_alarm", "label": "燃气报警器是否正常", "type": "YES_NO",
                  "expected": true, "photoRequired": true, "category": "%s"},
                 {"key": "hose_age", "label": "软管使用年限", "type": "NUMBER", "min": 0,
                  "max": 2, "required": false, "category": "%s"},
                 {"key": "remark", "label": "备注", "type": "TEXT", "required": false}]"""
                .formatted(category, category);
    }

    static String newTask(long placeId, String extra) {
        return """
                {"kind": "INSPECTION", "title": "燃气安全检查", "target": {"type": "PLACE", "id": %d},
                 "dueAt": "%s", "checks": %s%s}"""
                .formatted(
                        placeId, OffsetDateTime.now(ZoneOffset.UTC).plusDays(3), checks(), extra);
    }

    static long count(String table) throws Exception {
        return TestDatabase.queryLong("SELECT count(*) FROM " + table);
    }

    @Test
    void aTaskGoesToTheWorkerOnDutyAndAFailedCheckBecomesARoutedIncident() throws Exception {
        long place = place("RESTAURANT");
        Answer made = TestServer.postAs("operator", "/api/v1/tasks", newTask(place, ""));
        assertEquals(201, made.status(), made.body());
        JsonNode t = made.json();
        long id = t.get("id").asLong();
        assertEquals("OPEN", t.get("state").asText());
        assertEquals(probe.gridId(), t.get("gridId").asLong());
        assertEquals("PLACE", t.at("/target/type").asText());
        assertEquals(place, t.at("/target/id").asLong());
        assertEquals(3, t.get("checks").size());
        assertFalse(t.get("assigneeId").isNull(), "the person on duty for the grid: " + t);
        String worker = username(t.get("assigneeId").asLong());

        // the worker's list
        Answer mine = TestServer.getAs(worker, "/api/v1/tasks?assignee=me&state=OPEN");
        assertEquals(200, mine.status(), mine.body());
        assertTrue(mine.body().contains("\"id\":" + id), mine.body());
        // someone else is not the assignee: not theirs to complete
        Answer other =
                TestServer.postAs(
                        "operator",
                        "/api/v1/tasks/" + id + "/complete",
                        "{\"expectedVersion\": 1, \"answers\": []}");
        assertEquals(403, other.status(), other.body());

        // a wrong type, a missing photo: 422 with the pointer, nothing changed
        long answers = count("task_answer"), incidents = count("incident");
        Answer wrong =
                TestServer.postAs(
                        worker,
                        "/api/v1/tasks/" + id + "/complete",
                        "{\"expectedVersion\": 1, \"answers\": [{\"check\": \"gas_alarm\","
                                + " \"value\": \"yes\"}]}");
        assertEquals(422, wrong.status(), wrong.body());
        assertTrue(wrong.json().get("type").asText().endsWith("/wrong-answer-type"));
        assertEquals("/answers/0/value", wrong.json().get("field").asText());
        Answer noPhoto =
                TestServer.postAs(
                        worker,
                        "/api/v1/tasks/" + id + "/complete",
                        "{\"expectedVersion\": 1, \"answers\": [{\"check\": \"gas_alarm\","
                                + " \"value\": false}]}");
        assertEquals(422, noPhoto.status(), noPhoto.body());
        assertTrue(noPhoto.json().get("type").asText().endsWith("/missing-photo"));
        assertEquals("/answers/0/mediaIds", noPhoto.json().get("field").asText());
        assertEquals(answers, count("task_answer"));
        assertEquals(incidents, count("incident"));
        assertEquals(
                1, TestServer.getAs(worker, "/api/v1/tasks/" + id).json().get("version").asInt());

        // the photo, then the completion: the alarm fails, the hose passes
        Answer photo =
                new MultipartForm()
                        .text("check", "gas_alarm")
                        .file("photo", "alarm.jpg", "image/jpeg", TestImages.jpeg(64, 48))
                        .postAs(worker, "/api/v1/tasks/" + id + "/photos");
        assertEquals(201, photo.status(), photo.body());
        long media = photo.json().get("mediaId").asLong();
        String body =
                "{\"expectedVersion\": 1, \"answers\": [{\"check\": \"gas_alarm\", \"value\":"
                        + " false, \"mediaIds\": ["
                        + media
                        + "]}, {\"check\": \"hose_age\", \"value\": 1.5}], \"note\": \"已告知店主\"}";
        String key = "k-" + UUID.randomUUID();
        Answer done =
                TestServer.post(
                        "/api/v1/tasks/" + id + "/complete",
                        body,
                        "Authorization",
                        "Bearer " + TestServer.token(worker),
                        "Idempotency-Key",
                        key);
        assertEquals(200, done.status(), done.body());
        assertEquals("DONE", done.json().get("state").asText());
        assertEquals(2, done.json().get("version").asInt());
        assertEquals(1, done.json().get("incidentIds").size(), done.body());
        long incident = done.json().at("/incidentIds/0").asLong();
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                SELECT i.channel, i.category, i.place_id, i.grid_id, i.status,
                       (SELECT count(*) FROM media m WHERE m.incident_id = i.id AND m.stage = 'REPORT'
                          AND m.event_id IS NOT NULL)
                FROM incident i WHERE i.id = ?""")) {
            ps.setLong(1, incident);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("INSPECTION", rs.getString(1));
                assertEquals(category, rs.getString(2));
                assertEquals(place, rs.getLong(3));
                assertEquals(probe.gridId(), rs.getLong(4), "routed as any report");
                assertEquals(1, rs.getInt(6), "the check's photo as a REPORT photo");
            }
        }
        // the place is named as intake names a report's: staff see it on the incident
        JsonNode named = TestServer.getAs("operator", "/api/v1/incidents/" + incident).json();
        assertEquals(place, named.at("/place/id").asLong(), named.toString());
        assertEquals("RESTAURANT", named.at("/place/kind").asText(), named.toString());

        // the same key again: 409, nothing changed
        long answersAfter = count("task_answer"), incidentsAfter = count("incident");
        Answer again =
                TestServer.post(
                        "/api/v1/tasks/" + id + "/complete",
                        body,
                        "Authorization",
                        "Bearer " + TestServer.token(worker),
                        "Idempotency-Key",
                        key);
        assertEquals(409, again.status(), again.body());
        assertTrue(again.json().get("type").asText().endsWith("/action-already-applied"));
        assertEquals("DONE", again.json().get("state").asText());
        assertEquals(2, again.json().get("version").asInt());
        assertEquals(id, again.json().get("taskId").asLong());
        assertEquals(answersAfter, count("task_answer"));
        assertEquals(incidentsAfter, count("incident"));

        // the incident is handled and closed through the workflow: a RECHECK follows
        String inc = "/api/v1/incidents/" + incident + "/actions";
        assertEquals(
                200,
                TestServer.postAs("operator", inc, "{\"action\":\"accept\",\"expectedVersion\":1}")
                        .status());
        Answer dispatched =
                TestServer.postAs(
                        "operator", inc, "{\"action\":\"dispatch\",\"expectedVersion\":2}");
        assertEquals(200, dispatched.status(), dispatched.body());
        String handler = username(dispatched.json().at("/routing/assigneeId").asLong());
        for (String step : new String[] {"start:3", "resolve:4"}) {
            String[] sv = step.split(":");
            Answer a =
                    TestServer.postAs(
                            handler,
                            inc,
                            "{\"action\":\"" + sv[0] + "\",\"expectedVersion\":" + sv[1] + "}");
            assertEquals(200, a.status(), step + " " + a.body());
        }
        assertEquals(
                0,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM task WHERE recheck_incident_id = " + incident),
                "no recheck before the close");
        Answer verified =
                TestServer.postAs(worker, inc, "{\"action\":\"verify\",\"expectedVersion\":5}");
        assertEquals(200, verified.status(), verified.body());
        Answer closed =
                TestServer.postAs("operator", inc, "{\"action\":\"close\",\"expectedVersion\":6}");
        assertEquals(200, closed.status(), closed.body());
        assertEquals("CLOSED", closed.json().get("status").asText());
        long recheck = 0;
        for (int i = 0; i < 100 && recheck == 0; i++) {
            recheck =
                    TestDatabase.queryLong(
                            "SELECT coalesce(max(id), 0) FROM task WHERE recheck_incident_id = "
                                    + incident);
            if (recheck == 0) Thread.sleep(100);
        }
        assertTrue(recheck > 0, "a recheck follows the closing");
        Answer r = TestServer.getAs("operator", "/api/v1/tasks/" + recheck);
        assertEquals(200, r.status(), r.body());
        assertEquals("RECHECK", r.json().get("kind").asText());
        assertEquals(id, r.json().get("recheckOf").asLong());
        assertEquals(place, r.json().at("/target/id").asLong());
        assertEquals(1, r.json().get("checks").size());
        assertEquals("gas_alarm", r.json().at("/checks/0/key").asText());
        assertFalse(r.json().get("assigneeId").isNull());
    }

    @Test
    void anAssigneeOutsideTheTargetsGridIsRefusedAndNothingWritten() throws Exception {
        long place = place("RESTAURANT");
        long outsider =
                TestDatabase.queryLong(
                        "SELECT id FROM staff WHERE role = 'GRID_WORKER' AND scope_type = 'GRID'"
                                + " AND grid_id <> "
                                + probe.gridId()
                                + " ORDER BY id LIMIT 1");
        long tasks = count("task");
        Answer a =
                TestServer.postAs(
                        "operator",
                        "/api/v1/tasks",
                        newTask(place, ", \"assigneeId\": " + outsider));
        assertEquals(422, a.status(), a.body());
        assertTrue(a.json().get("type").asText().endsWith("/assignee-out-of-scope"), a.body());
        assertEquals("/assigneeId", a.json().get("field").asText());
        assertEquals(tasks, count("task"));
        assertEquals(tasks, count("task"));
        // a check item that can fail without a category, an unknown field: 422 with the pointer
        Answer noCategory =
                TestServer.postAs(
                        "operator",
                        "/api/v1/tasks",
                        newTask(place, "")
                                .replace(", \"category\": \"" + category + "\"}]", "}]")
                                .replaceFirst(
                                        "\"photoRequired\": true, \"category\": \"[A-Z_]+\"",
                                        "\"photoRequired\": true"));
        assertEquals(422, noCategory.status(), noCategory.body());
        assertEquals("/checks/0/category", noCategory.json().get("field").asText());
        assertEquals(tasks, count("task"));
        // a grid worker may not create tasks
        Answer worker =
                TestServer.postAs(username(probe.workerId()), "/api/v1/tasks", newTask(place, ""));
        assertEquals(403, worker.status(), worker.body());
    }

    @Test
    void aCampaignMakesOneTaskPerTargetAssignedByGridWithProgress() throws Exception {
        long a = place("RESTAURANT"), b = place("RESTAURANT"), shop = place("SHOP");
        String body =
                """
                {"name": "餐饮场所燃气安全专项检查", "kind": "INSPECTION",
                 "target": {"type": "PLACE", "placeKinds": ["RESTAURANT"]},
                 "communityId": %d, "days": 30, "checks": %s}"""
                        .formatted(probe.communityId(), checks());
        Answer made = TestServer.postAs("director", "/api/v1/campaigns", body);
        assertEquals(201, made.status(), made.body());
        long campaign = made.json().get("id").asLong();
        int tasks = made.json().get("tasks").asInt();
        assertTrue(tasks >= 2, made.body());
        assertEquals(tasks, made.json().get("targets").asInt());
        assertEquals(
                tasks,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM task WHERE campaign_id = " + campaign));
        for (long p : new long[] {a, b})
            assertEquals(
                    1,
                    TestDatabase.queryLong(
                            "SELECT count(*) FROM task WHERE campaign_id = "
                                    + campaign
                                    + " AND place_id = "
                                    + p
                                    + " AND assignee_id IS NOT NULL AND grid_id = "
                                    + probe.gridId()));
        assertEquals(
                0,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM task WHERE campaign_id = "
                                + campaign
                                + " AND place_id = "
                                + shop));
        // the campaign's checks come with each task
        long one =
                TestDatabase.queryLong(
                        "SELECT id FROM task WHERE campaign_id = "
                                + campaign
                                + " AND place_id = "
                                + a);
        Answer t = TestServer.getAs("operator", "/api/v1/tasks/" + one);
        assertEquals(3, t.json().get("checks").size(), t.body());
        assertEquals(campaign, t.json().get("campaignId").asLong());

        Answer byGrid =
                TestServer.getAs("director", "/api/v1/campaigns/" + campaign + "/progress?by=grid");
        assertEquals(200, byGrid.status(), byGrid.body());
        assertEquals(tasks, byGrid.json().at("/total/targets").asInt());
        assertEquals(0, byGrid.json().at("/total/done").asInt());
        assertEquals(0.0, byGrid.json().at("/total/coverage").asDouble());
        Answer byCommunity =
                TestServer.getAs(
                        "director", "/api/v1/campaigns/" + campaign + "/progress?by=community");
        assertEquals(1, byCommunity.json().get("rows").size(), byCommunity.body());
        assertEquals(
                400,
                TestServer.getAs("director", "/api/v1/campaigns/" + campaign + "/progress?by=x")
                        .status());
        Answer list = TestServer.getAs("director", "/api/v1/campaigns");
        assertTrue(list.body().contains("\"id\":" + campaign), list.body());

        // no targets: 422, nothing written
        long campaigns = count("campaign");
        String far =
                ", \"area\": {\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [0.001, 0],"
                        + " [0.001, 0.001], [0, 0]]]}";
        Answer none =
                TestServer.postAs(
                        "director",
                        "/api/v1/campaigns",
                        body.replace(", \"days\"", far + ", \"days\""));
        assertEquals(422, none.status(), none.body());
        assertTrue(none.json().get("type").asText().endsWith("/no-targets"), none.body());
        assertEquals(campaigns, count("campaign"));
    }

    /** A grid leader creates tasks for their community only; a commander cancels with a reason. */
    @Test
    void aGridLeaderActsInTheirCommunityAndACancelSaysWhy() throws Exception {
        long place = place("SHOP");
        String leader;
        String outsider;
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                SELECT (SELECT username FROM staff WHERE role = 'GRID_LEADER' AND active
                          AND community_id = ? ORDER BY id LIMIT 1),
                       (SELECT username FROM staff WHERE role = 'GRID_LEADER' AND active
                          AND community_id <> ? ORDER BY id LIMIT 1)""")) {
            ps.setLong(1, probe.communityId());
            ps.setLong(2, probe.communityId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                leader = rs.getString(1);
                outsider = rs.getString(2);
            }
        }
        long tasks = count("task");
        Answer refused = TestServer.postAs(outsider, "/api/v1/tasks", newTask(place, ""));
        assertEquals(403, refused.status(), refused.body());
        assertEquals(tasks, count("task"));
        Answer made = TestServer.postAs(leader, "/api/v1/tasks", newTask(place, ""));
        assertEquals(201, made.status(), made.body());
        long id = made.json().get("id").asLong();

        String path = "/api/v1/tasks/" + id + "/cancel";
        Answer stale =
                TestServer.postAs("operator", path, "{\"expectedVersion\": 5, \"reason\": \"重复\"}");
        assertEquals(409, stale.status(), stale.body());
        Answer noReason = TestServer.postAs("operator", path, "{\"expectedVersion\": 1}");
        assertEquals(422, noReason.status(), noReason.body());
        Answer cancelled =
                TestServer.postAs("operator", path, "{\"expectedVersion\": 1, \"reason\": \"重复\"}");
        assertEquals(200, cancelled.status(), cancelled.body());
        assertEquals("CANCELLED", cancelled.json().get("state").asText());
        assertEquals(2, cancelled.json().get("version").asInt());
        Answer again =
                TestServer.postAs("operator", path, "{\"expectedVersion\": 2, \"reason\": \"重复\"}");
        assertEquals(409, again.status(), again.body());
        assertTrue(again.json().get("type").asText().endsWith("/task-not-open"));
    }

    /** Task KPIs join the assessment: on time and coverage of the tasks due in the period. */
    @Test
    void theAssessmentShowsTasksDueOnTimeAndCoverage() throws Exception {
        long place = place("RESTAURANT");
        Answer made = TestServer.postAs("operator", "/api/v1/tasks", newTask(place, ""));
        assertEquals(201, made.status(), made.body());
        String year = made.json().get("dueAt").asText().substring(0, 4);
        Answer k =
                TestServer.getAs("director", "/api/v1/analytics/kpis?period=" + year + "&by=grid");
        assertEquals(200, k.status(), k.body());
        boolean seen = false;
        for (JsonNode u : k.json().get("units"))
            if (u.has("tasks")) {
                seen = true;
                assertTrue(u.at("/tasks/due").asLong() >= 1, u.toString());
                assertTrue(u.at("/tasks/coverage").isNumber(), u.toString());
            }
        assertTrue(seen, "some grid has tasks due in " + year);
    }

    /** The closing note's figure: one task per RESIDENTIAL unit of the demo, and its time. */
    @Test
    void aDemoSizedCampaignOverEveryResidentialUnit() {
        String body =
                """
                {"name": "入户走访 (household visits)", "kind": "VISIT",
                 "target": {"type": "UNIT", "landUses": ["RESIDENTIAL"]},
                 "days": 30, "checks": [{"key": "visited", "label": "已入户", "type": "YES_NO"}]}""";
        Answer made = TestServer.postAs("director", "/api/v1/campaigns", body);
        assertEquals(201, made.status(), made.body());
        System.out.println(
                "[figure] demo campaign over RESIDENTIAL units: "
                        + made.json().get("tasks").asInt()
                        + " tasks in "
                        + made.json().get("generatedMillis").asLong()
                        + " ms");
        assertTrue(made.json().get("tasks").asInt() > 0);
    }
}
