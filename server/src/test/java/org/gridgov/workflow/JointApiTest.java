package org.gridgov.workflow;

import static org.gridgov.workflow.Cases.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Joint enforcement and supervision over HTTP: Idempotency-Key on case actions, leaders' 督办,
 * reclassification, and the per-platform subtasks of a coordinated case.
 */
@Tag("db")
class JointApiTest {

    static final String CAT = "ENF_EXPOSED_GARBAGE";

    @BeforeAll
    static void setUp() throws Exception {
        Cases.init();
    }

    static Answer actKeyed(String user, long id, String key, String body) {
        return TestServer.post(
                "/api/v1/incidents/" + id + "/actions",
                body,
                "Authorization",
                "Bearer " + TestServer.token(user),
                "Idempotency-Key",
                key);
    }

    static Answer subtask(String user, long id, long sid, String body) {
        return TestServer.postAs(
                user, "/api/v1/incidents/" + id + "/subtasks/" + sid + "/actions", body);
    }

    static List<String> actions(String user, long id) {
        return AllowedActionsApiTest.actions(user, id);
    }

    static long eventsWithKey(long id, String key) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*) FROM incident_event WHERE incident_id = ? AND idempotency_key = ?")) {
            ps.setLong(1, id);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A case dispatched to an enforcement handler; returns the incident. */
    static JsonNode dispatched() {
        long id = report(CAT).get("id").asLong();
        ok("operator", id, "{\"action\":\"accept\",\"expectedVersion\":1}");
        return ok("operator", id, "{\"action\":\"dispatch\",\"expectedVersion\":2}");
    }

    // ------------------------------------------------------------------ Idempotency-Key

    @Test
    void aReplayedActionIsAlreadyAppliedTwiceAndChangesNothing() throws Exception {
        long id = report(CAT).get("id").asLong();
        String key = UUID.randomUUID().toString();
        String accept = "{\"action\":\"accept\",\"expectedVersion\":1}";
        Answer first = actKeyed("operator", id, key, accept);
        assertEquals(200, first.status(), first.body());
        String after = fingerprint(id);
        for (int replay = 0; replay < 2; replay++) {
            Answer again = actKeyed("operator", id, key, accept);
            assertProblem(again, 409, "action-already-applied");
            JsonNode p = again.json();
            assertEquals(id, p.get("incidentId").asLong());
            assertEquals("ACCEPTED", p.get("caseStatus").asText());
            assertEquals(2, p.get("version").asInt());
            assertTrue(p.get("eventId").asLong() > 0);
            assertEquals(after, fingerprint(id), "a replay changes nothing");
        }
        assertEquals(1, eventsWithKey(id, key));
        // another action with another key on the changed case: the usual stale version
        assertProblem(
                actKeyed("operator", id, UUID.randomUUID().toString(), accept),
                409,
                "stale-version");
        // the same key on another case is that case's own
        long other = report(CAT).get("id").asLong();
        assertEquals(200, actKeyed("operator", other, key, accept).status());
    }

    @Test
    void twoConcurrentRequestsWithOneKeyMakeExactlyOneEvent() throws Exception {
        long id = report(CAT).get("id").asLong();
        String key = "phone-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> fs = new ArrayList<>();
        for (int i = 0; i < 2; i++)
            fs.add(
                    pool.submit(
                            () -> {
                                go.await();
                                return actKeyed(
                                        "operator",
                                        id,
                                        key,
                                        "{\"action\":\"comment\",\"expectedVersion\":1,\"note\":\"已到场\"}");
                            }));
        go.countDown();
        List<Integer> codes = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (Future<Answer> f : fs) {
            Answer a = f.get();
            codes.add(a.status());
            if (a.status() == 409) types.add(a.json().get("type").asText());
        }
        pool.shutdown();
        codes.sort(null);
        assertEquals(List.of(200, 409), codes);
        assertEquals(List.of("https://gridgov.org/problems/action-already-applied"), types);
        assertEquals(1, eventsWithKey(id, key));
        assertEquals(
                2,
                TestServer.getAs("operator", "/api/v1/incidents/" + id)
                        .json()
                        .get("version")
                        .asInt());
    }

    @Test
    void aMalformedKeyIs400AndChangesNothing() throws Exception {
        long id = report(CAT).get("id").asLong();
        String before = fingerprint(id);
        assertProblem(
                actKeyed(
                        "operator",
                        id,
                        "x".repeat(101),
                        "{\"action\":\"accept\",\"expectedVersion\":1}"),
                400,
                "invalid-idempotency-key");
        assertEquals(before, fingerprint(id));
    }

    // ------------------------------------------------------------------ 督办

    @Test
    void aLeaderSupervisesTheCaseShowsItAndResolvingInTimeMeetsIt() throws Exception {
        JsonNode d = dispatched();
        long id = d.get("id").asLong();
        String handler = username(d.at("/routing/assigneeId").asLong());
        String due = Instant.now().plus(2, ChronoUnit.DAYS).toString();
        String body =
                "{\"action\":\"supervise\",\"expectedVersion\":3,\"reason\":\"群众反映强烈\",\"dueAt\":\"%s\"}"
                        .formatted(due);
        String before = fingerprint(id);
        for (String notLeader : List.of("operator", handler, gridWorker)) {
            assertFalse(actions(notLeader, id).contains("supervise"), notLeader);
            assertProblem(act(notLeader, id, body), 403, "action-not-allowed");
        }
        assertEquals(before, fingerprint(id));
        assertTrue(actions("chief", id).contains("supervise"));
        assertTrue(actions("director", id).contains("supervise"));
        assertProblem(
                act(
                        "chief",
                        id,
                        "{\"action\":\"supervise\",\"expectedVersion\":3,\"reason\":\"快\",\"dueAt\":\"2020-01-01T00:00:00Z\"}"),
                422,
                "invalid-field");
        assertProblem(
                act(
                        "chief",
                        id,
                        "{\"action\":\"supervise\",\"expectedVersion\":3,\"dueAt\":\""
                                + due
                                + "\"}"),
                422,
                "invalid-field");
        assertEquals(before, fingerprint(id));

        JsonNode s = ok("chief", id, body);
        assertEquals("DISPATCHED", s.get("status").asText(), "督办 leaves the state alone");
        assertFalse(s.at("/case/supervised").asBoolean(), "apart from the automatic flag");
        JsonNode sup = s.at("/case/supervisions/0");
        assertEquals("群众反映强烈", sup.get("reason").asText());
        assertEquals("CHIEF_COMMANDER", sup.get("byRole").asText());
        assertTrue(sup.get("metAt").isNull());
        assertEquals(
                Instant.parse(due).truncatedTo(ChronoUnit.SECONDS),
                java.time.OffsetDateTime.parse(sup.get("dueAt").asText())
                        .toInstant()
                        .truncatedTo(ChronoUnit.SECONDS));

        JsonNode queue =
                TestServer.getAs("director", "/api/v1/workflow/queues/supervised?limit=1000")
                        .json();
        JsonNode item = null;
        for (JsonNode x : queue.get("items")) if (x.get("incidentId").asLong() == id) item = x;
        assertNotNull(item, "the supervised queue shows leaders' 督办");
        assertEquals(1, item.get("leaderSupervisions").asInt());
        assertFalse(item.get("overdueNotice").asBoolean());
        // the board's list rows carry the 督办 in brief: how many open, the nearest deadline
        JsonNode row = listRow("chief", id);
        assertNotNull(row, "the case in the board's list");
        assertEquals(1, row.at("/case/leaderSupervision/open").asInt(), row.toString());
        assertEquals(0, row.at("/case/leaderSupervision/missed").asInt(), row.toString());
        assertEquals(
                Instant.parse(due).truncatedTo(ChronoUnit.SECONDS),
                java.time.OffsetDateTime.parse(row.at("/case/leaderSupervision/nextDueAt").asText())
                        .toInstant()
                        .truncatedTo(ChronoUnit.SECONDS));
        JsonNode plain = listRow("chief", dispatched().get("id").asLong());
        assertTrue(plain.at("/case/leaderSupervision").isMissingNode(), plain.toString());

        ok(handler, id, "{\"action\":\"start\",\"expectedVersion\":4}");
        JsonNode r = ok(handler, id, "{\"action\":\"resolve\",\"expectedVersion\":5}");
        assertFalse(r.at("/case/supervisions/0/metAt").isNull(), "resolved in time: met");
        assertFalse(actions("chief", id).contains("supervise"), "no 督办 on a resolved case");
    }

    // ------------------------------------------------------------------ reclassify

    @Test
    void reclassifyReRoutesPlatformDeadlineAndAssigneeWithAReason() throws Exception {
        JsonNode d = dispatched();
        long id = d.get("id").asLong();
        assertTrue(actions("operator", id).contains("reclassify"));
        assertFalse(
                actions(username(d.at("/routing/assigneeId").asLong()), id).contains("reclassify"));
        String before = fingerprint(id);
        assertProblem(
                act(
                        "operator",
                        id,
                        "{\"action\":\"reclassify\",\"expectedVersion\":3,\"category\":\"MKT_FOOD_SAFETY\"}"),
                422,
                "invalid-field");
        assertProblem(
                act(
                        "operator",
                        id,
                        "{\"action\":\"reclassify\",\"expectedVersion\":3,\"category\":\"NO_SUCH\",\"reason\":\"x\"}"),
                422,
                "invalid-field");
        Answer district =
                act(
                        "operator",
                        id,
                        "{\"action\":\"reclassify\",\"expectedVersion\":3,\"category\":\"MKT_COUNTERFEIT_DRUG_MFG\",\"reason\":\"制假\"}");
        assertProblem(district, 422, "district-category");
        assertTrue(district.json().get("detail").asText().contains("escalate"), district.body());
        assertEquals(before, fingerprint(id));

        JsonNode r =
                ok(
                        "operator",
                        id,
                        "{\"action\":\"reclassify\",\"expectedVersion\":3,\"category\":\"MKT_FOOD_SAFETY\",\"reason\":\"实为食品安全问题\"}");
        assertEquals("MKT_FOOD_SAFETY", r.get("category").asText());
        assertEquals("MARKET", r.at("/routing/platform").asText());
        assertEquals("DISPATCHED", r.get("status").asText());
        assertTrue(username(r.at("/routing/assigneeId").asLong()).startsWith("market.handler"));
        JsonNode events =
                TestServer.getAs("operator", "/api/v1/incidents/" + id + "/events")
                        .json()
                        .get("events");
        JsonNode last = events.get(events.size() - 1);
        assertEquals("RECLASSIFY", last.get("type").asText());
        assertEquals("ENF_EXPOSED_GARBAGE", last.at("/data/fromCategory").asText());
        assertEquals("MKT_FOOD_SAFETY", last.at("/data/category").asText());
        assertEquals("实为食品安全问题", last.at("/data/reason").asText());
        // the handling clock runs again, one live timer, under the new category's rules
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*), max(step) FROM case_timer WHERE incident_id = ? AND state = 'PENDING'")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getInt(1));
                assertEquals("HANDLE", rs.getString(2));
            }
        }
        // the routing's promise follows the category: food safety, 72 hours from the report
        assertNotEquals(d.at("/routing/dueAt").asText(), r.at("/routing/dueAt").asText());
    }

    @Test
    void aReportIsReclassifiedBeforeItIsAccepted() throws Exception {
        long id = report(CAT).get("id").asLong();
        JsonNode r =
                ok(
                        "operator",
                        id,
                        "{\"action\":\"reclassify\",\"expectedVersion\":1,\"category\":\"GOV_FIRE_EXIT_BLOCKED\",\"reason\":\"堵塞的是消防通道\"}");
        assertEquals("REPORTED", r.get("status").asText());
        assertEquals("GOV_FIRE_EXIT_BLOCKED", r.get("category").asText());
        assertEquals("GOVERNANCE", r.at("/routing/platform").asText());
        assertEquals("ACCEPT", r.at("/case/step").asText(), "the acceptance clock runs again");
        assertEquals("URGENT", r.at("/case/urgency").asText(), "the new category's urgency");
        // a second reclassification to the same category is refused
        assertProblem(
                act(
                        "operator",
                        id,
                        "{\"action\":\"reclassify\",\"expectedVersion\":2,\"category\":\"GOV_FIRE_EXIT_BLOCKED\",\"reason\":\"再次\"}"),
                422,
                "invalid-field");
        JsonNode d = ok("operator", id, "{\"action\":\"accept\",\"expectedVersion\":2}");
        assertEquals("DISPATCH", d.at("/case/step").asText());
    }

    // ------------------------------------------------------------------ subtasks

    @Test
    void aCoordinatedCaseResolvesOnlyWhenEveryPlatformsSubtaskIsDone() throws Exception {
        JsonNode d = dispatched();
        long id = d.get("id").asLong();
        long handlerId = d.at("/routing/assigneeId").asLong();
        String before = fingerprint(id);
        Answer notInvolved =
                act(
                        "chief",
                        id,
                        "{\"action\":\"coordinate\",\"expectedVersion\":3,\"platforms\":[\"MARKET\"],\"assignees\":{\"SERVICE\":"
                                + handlerId
                                + "}}");
        assertProblem(notInvolved, 422, "platform-not-involved");
        assertEquals("/assignees/SERVICE", notInvolved.json().get("field").asText());
        assertEquals(before, fingerprint(id));

        JsonNode co =
                ok(
                        "chief",
                        id,
                        "{\"action\":\"coordinate\",\"expectedVersion\":3,\"platforms\":[\"MARKET\"]}");
        JsonNode subs = co.at("/case/subtasks");
        assertEquals(2, subs.size(), co.toString());
        JsonNode enf = subs.get(0), mkt = subs.get(1);
        assertEquals("ENFORCEMENT", enf.get("platform").asText());
        assertEquals(
                handlerId, enf.get("assigneeId").asLong(), "its own platform keeps its handler");
        assertEquals("MARKET", mkt.get("platform").asText());
        String marketHandler = username(mkt.get("assigneeId").asLong());
        assertTrue(marketHandler.startsWith("market.handler"), marketHandler);
        assertEquals("OPEN", mkt.get("state").asText());
        assertFalse(mkt.get("dueAt").isNull());

        // each is offered the subtask actions they may take, and nobody else any
        assertEquals(
                List.of("start", "finish"),
                subtaskActions(marketHandler, id, mkt.get("id").asLong()));
        assertEquals(
                List.of("start", "finish", "reassign"),
                subtaskActions("market.commander", id, mkt.get("id").asLong()));
        assertEquals(List.of(), subtaskActions("market.commander", id, enf.get("id").asLong()));
        assertEquals(List.of(), subtaskActions(gridWorker, id, mkt.get("id").asLong()));
        // resolve waits for the subtasks: not offered, and refused naming the open ones
        assertFalse(actions("chief", id).contains("resolve"));
        String coordinated = fingerprint(id);
        Answer early = act("chief", id, "{\"action\":\"resolve\",\"expectedVersion\":4}");
        assertProblem(early, 409, "subtasks-open");
        assertTrue(early.json().get("detail").asText().contains("MARKET"), early.body());
        assertEquals(coordinated, fingerprint(id));

        // the market handler finds it in their list and works it
        JsonNode mine = TestServer.getAs(marketHandler, "/api/v1/subtasks?assignee=me").json();
        boolean listed = false;
        for (JsonNode x : mine.get("subtasks"))
            listed |=
                    x.get("incidentId").asLong() == id
                            && x.get("platform").asText().equals("MARKET");
        assertTrue(listed, mine.toString());
        assertProblem(
                TestServer.getAs(marketHandler, "/api/v1/subtasks"), 400, "invalid-parameter");
        // who holds a subtask sees the case (and its events), though it is another platform's
        assertEquals(200, TestServer.getAs(marketHandler, "/api/v1/incidents/" + id).status());
        assertEquals(
                200,
                TestServer.getAs(marketHandler, "/api/v1/incidents/" + id + "/events").status());
        assertProblem(
                TestServer.getAs("service.handler1", "/api/v1/incidents/" + id),
                403,
                "not-your-case");

        long mid = mkt.get("id").asLong(), eid = enf.get("id").asLong();
        // someone else's subtask, or no right to reassign: 403; a stranger's case: refused
        assertProblem(
                subtask(gridWorker, id, mid, "{\"action\":\"start\",\"expectedVersion\":4}"),
                403,
                "action-not-allowed");
        assertProblem(
                subtask(
                        "service.handler1",
                        id,
                        mid,
                        "{\"action\":\"start\",\"expectedVersion\":4}"),
                403,
                "not-your-case");
        assertProblem(
                subtask(
                        marketHandler,
                        id,
                        mid,
                        "{\"action\":\"reassign\",\"expectedVersion\":4,\"assigneeId\":1}"),
                403,
                "action-not-allowed");
        assertProblem(
                subtask("chief", id, 999999999, "{\"action\":\"start\",\"expectedVersion\":4}"),
                404,
                "not-found");
        assertProblem(
                subtask(marketHandler, id, mid, "{\"action\":\"fly\",\"expectedVersion\":4}"),
                422,
                "unknown-action");
        assertEquals(coordinated, fingerprint(id));

        String startKey = UUID.randomUUID().toString();
        JsonNode st =
                ok2(
                        TestServer.post(
                                "/api/v1/incidents/" + id + "/subtasks/" + mid + "/actions",
                                "{\"action\":\"start\",\"expectedVersion\":4}",
                                "Authorization",
                                "Bearer " + TestServer.token(marketHandler),
                                "Idempotency-Key",
                                startKey));
        assertEquals("STARTED", st.at("/case/subtasks/1/state").asText());
        assertEquals(5, st.get("version").asInt(), "a subtask's step is an event of the case");
        // the phone's queued start replayed: already applied, nothing changed
        String started = fingerprint(id);
        Answer replay =
                TestServer.post(
                        "/api/v1/incidents/" + id + "/subtasks/" + mid + "/actions",
                        "{\"action\":\"start\",\"expectedVersion\":4}",
                        "Authorization",
                        "Bearer " + TestServer.token(marketHandler),
                        "Idempotency-Key",
                        startKey);
        assertProblem(replay, 409, "action-already-applied");
        assertEquals(5, replay.json().get("version").asInt());
        assertEquals(List.of("finish"), subtaskActions(marketHandler, id, mid));
        assertEquals(started, fingerprint(id));
        assertProblem(
                subtask(marketHandler, id, mid, "{\"action\":\"start\",\"expectedVersion\":5}"),
                409,
                "invalid-transition");
        // the market commander hands it to another of their handlers
        String other =
                marketHandler.equals("market.handler1") ? "market.handler2" : "market.handler1";
        long otherId = staffId(other);
        JsonNode re =
                ok2(
                        subtask(
                                "market.commander",
                                id,
                                mid,
                                "{\"action\":\"reassign\",\"expectedVersion\":5,\"assigneeId\":"
                                        + otherId
                                        + "}"));
        assertEquals(otherId, re.at("/case/subtasks/1/assigneeId").asLong());
        ok2(
                subtask(
                        other,
                        id,
                        mid,
                        "{\"action\":\"finish\",\"expectedVersion\":6,\"note\":\"已查处\"}"));
        assertProblem(
                act("chief", id, "{\"action\":\"resolve\",\"expectedVersion\":7}"),
                409,
                "subtasks-open");
        JsonNode done =
                ok2(
                        subtask(
                                username(handlerId),
                                id,
                                eid,
                                "{\"action\":\"finish\",\"expectedVersion\":7}"));
        assertEquals("DONE", done.at("/case/subtasks/0/state").asText());
        assertFalse(done.at("/case/subtasks/0/doneAt").isNull());
        assertTrue(actions("chief", id).contains("resolve"));
        JsonNode events =
                TestServer.getAs("chief", "/api/v1/incidents/" + id + "/events")
                        .json()
                        .get("events");
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        assertTrue(
                types.containsAll(List.of("SUBTASK_STARTED", "SUBTASK_REASSIGNED", "SUBTASK_DONE")),
                types.toString());
        assertEquals(
                "RESOLVED",
                ok("chief", id, "{\"action\":\"resolve\",\"expectedVersion\":8}")
                        .get("status")
                        .asText());
        assertProblem(
                subtask(other, id, mid, "{\"action\":\"finish\",\"expectedVersion\":9}"),
                409,
                "invalid-transition");
    }

    /** The actions GET …/actions offers the user on one subtask. */
    /** The case's properties in the incident list (the board's rows), or null. */
    static JsonNode listRow(String user, long id) {
        Answer a = TestServer.getAs(user, "/api/v1/incidents?status=DISPATCHED&limit=1000");
        assertEquals(200, a.status(), a.body());
        for (JsonNode f : a.json().get("features"))
            if (f.get("id").asLong() == id) return f.get("properties");
        return null;
    }

    static List<String> subtaskActions(String user, long id, long sid) {
        Answer a = TestServer.getAs(user, "/api/v1/incidents/" + id + "/actions");
        assertEquals(200, a.status(), a.body());
        List<String> out = new ArrayList<>();
        for (JsonNode o : a.json().get("subtasks"))
            if (o.get("id").asLong() == sid) o.get("actions").forEach(x -> out.add(x.asText()));
        return out;
    }

    static JsonNode ok2(Answer a) {
        assertEquals(200, a.status(), a.body());
        return a.json();
    }

    static long staffId(String username) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT id FROM staff WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), username);
                return rs.getLong(1);
            }
        }
    }
}
