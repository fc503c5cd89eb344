package org.gridgov.workflow;

import static org.gridgov.workflow.Cases.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The closed loop over HTTP with real accounts: intake → accept → dispatch → start → resolve →
 * verify → close.
 */
@Tag("db")
class CaseFlowApiTest {

    static final String CAT = "ENF_EXPOSED_GARBAGE";

    /** Of district authority (gis-data/taxonomy/categories.csv): only such cases are escalated. */
    static final String DISTRICT_CAT = "ENF_MAJOR_POLLUTION";

    @BeforeAll
    static void setUp() throws Exception {
        Cases.init();
    }

    @Test
    void aCaseRunsTheWholeLoopAndEveryStepIsAnEvent() throws Exception {
        JsonNode i = report(CAT);
        long id = i.get("id").asLong();
        assertEquals("ACCEPT", i.at("/case/step").asText(), "intake starts the acceptance clock");
        assertFalse(i.at("/case/stepDueAt").isNull());

        JsonNode a =
                ok("operator", id, "{\"action\":\"accept\",\"expectedVersion\":1,\"note\":\"受理\"}");
        assertEquals("ACCEPTED", a.get("status").asText());
        assertEquals(2, a.get("version").asInt());
        assertEquals("DISPATCH", a.at("/case/step").asText());
        assertEquals(
                "13900000000",
                a.at("/reporter/phone").asText(),
                "the operator sees the reporter to call back");

        JsonNode d = ok("operator", id, "{\"action\":\"dispatch\",\"expectedVersion\":2}");
        assertEquals("DISPATCHED", d.get("status").asText());
        assertEquals("ENFORCEMENT", d.at("/routing/platform").asText());
        long handler = d.at("/routing/assigneeId").asLong();
        String handlerName = username(handler);
        assertTrue(
                handlerName.startsWith("enforcement.handler"),
                "auto-dispatch picks an enforcement handler: " + handlerName);
        assertEquals("HANDLE", d.at("/case/step").asText());

        ok(handlerName, id, "{\"action\":\"start\",\"expectedVersion\":3}");
        JsonNode r =
                ok(
                        handlerName,
                        id,
                        """
                {"action":"resolve","expectedVersion":4,"note":"已清运",
                 "attachments":[{"name":"after.jpg","mediaType":"image/jpeg","size":123456}]}""");
        assertEquals("RESOLVED", r.get("status").asText());
        // the grid worker verifies on the spot; a failed check sends it back
        JsonNode rw =
                ok(
                        gridWorker,
                        id,
                        "{\"action\":\"rework\",\"expectedVersion\":5,\"note\":\"仍有垃圾\"}");
        assertEquals("IN_PROGRESS", rw.get("status").asText());
        ok(handlerName, id, "{\"action\":\"resolve\",\"expectedVersion\":6}");
        ok(gridWorker, id, "{\"action\":\"verify\",\"expectedVersion\":7}");
        JsonNode closed = ok("operator", id, "{\"action\":\"close\",\"expectedVersion\":8}");
        assertEquals("CLOSED", closed.get("status").asText());
        assertFalse(closed.at("/case/closedAt").isNull());
        assertTrue(closed.at("/case/step").isNull(), "no clock runs on a closed case");
        JsonNode rated =
                ok(
                        "operator",
                        id,
                        "{\"action\":\"rate\",\"expectedVersion\":9,\"satisfaction\":4}");
        assertEquals(4, rated.at("/case/satisfaction").asInt());

        Answer ev = TestServer.getAs("operator", "/api/v1/incidents/" + id + "/events");
        JsonNode events = ev.json().get("events");
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        assertEquals(
                List.of(
                        "REPORTED",
                        "ACCEPT",
                        "DISPATCH",
                        "START",
                        "RESOLVE",
                        "REWORK",
                        "RESOLVE",
                        "VERIFY",
                        "CLOSE",
                        "RATE"),
                types);
        assertEquals(10, rated.get("version").asInt(), "version = number of events");
        JsonNode acceptEvent = events.get(1);
        assertEquals("REPORTED", acceptEvent.get("fromStatus").asText());
        assertEquals("ACCEPTED", acceptEvent.get("toStatus").asText());
        assertEquals("CENTRE_OPERATOR", acceptEvent.get("actorRole").asText());
        assertEquals("受理", acceptEvent.get("note").asText());
        assertEquals("ACCEPT", acceptEvent.at("/data/completed/step").asText());
        assertTrue(acceptEvent.at("/data/completed/onTime").asBoolean());
        assertEquals("after.jpg", events.get(4).at("/data/attachments/0/name").asText());
        assertFalse(events.get(1).get("actorId").isNull());
    }

    @Test
    void aStaleVersionIs409AndChangesNothing() throws Exception {
        long id = report(CAT).get("id").asLong();
        ok("operator", id, "{\"action\":\"accept\",\"expectedVersion\":1}");
        String before = fingerprint(id);
        Answer a = act("operator", id, "{\"action\":\"dispatch\",\"expectedVersion\":1}");
        assertProblem(a, 409, "stale-version");
        assertEquals("/expectedVersion", a.json().get("field").asText());
        assertEquals(before, fingerprint(id));
    }

    @Test
    void ofConcurrentActionsOnOneCaseExactlyOneWins() throws Exception {
        long id = report(CAT).get("id").asLong();
        TestServer.token("operator");
        TestServer.token("director");
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            String user = k % 2 == 0 ? "operator" : "director";
            String body =
                    k % 3 == 0
                            ? "{\"action\":\"reject\",\"expectedVersion\":1,\"reason\":\"INVALID\"}"
                            : "{\"action\":\"accept\",\"expectedVersion\":1}";
            answers.add(
                    pool.submit(
                            () -> {
                                go.await();
                                return act(user, id, body);
                            }));
        }
        go.countDown();
        int won = 0, stale = 0;
        for (Future<Answer> f : answers) {
            Answer a = f.get();
            if (a.status() == 200) won++;
            else {
                assertEquals(409, a.status(), a.body());
                stale++;
            }
        }
        pool.shutdown();
        assertEquals(1, won);
        assertEquals(n - 1, stale);
        assertTrue(
                fingerprint(id).startsWith("2/"), "exactly one action applied: " + fingerprint(id));
        assertEquals(
                2,
                TestServer.getAs("operator", "/api/v1/incidents/" + id + "/events")
                        .json()
                        .get("events")
                        .size());
    }

    @Test
    void wrongStateWrongRoleAndSomeoneElsesCaseAreRefused() throws Exception {
        long id = report(CAT).get("id").asLong();
        String before = fingerprint(id);
        assertProblem(
                act("operator", id, "{\"action\":\"close\",\"expectedVersion\":1}"),
                409,
                "invalid-transition");
        assertProblem(
                act(gridWorker, id, "{\"action\":\"accept\",\"expectedVersion\":1}"),
                403,
                "action-not-allowed");
        assertProblem(
                act("auditor", id, "{\"action\":\"comment\",\"expectedVersion\":1,\"note\":\"x\"}"),
                403,
                "action-not-allowed");
        assertProblem(
                act(
                        "market.handler1",
                        id,
                        "{\"action\":\"comment\",\"expectedVersion\":1,\"note\":\"x\"}"),
                403,
                "not-your-case");
        assertProblem(
                act(
                        "director",
                        id,
                        "{\"action\":\"coordinate\",\"expectedVersion\":1,\"platforms\":[\"MARKET\"]}"),
                403,
                "action-not-allowed");
        assertEquals(before, fingerprint(id));
        Answer anon =
                TestServer.post(
                        "/api/v1/incidents/" + id + "/actions",
                        "{\"action\":\"accept\",\"expectedVersion\":1}");
        assertProblem(anon, 401, "unauthorized");
        assertEquals(before, fingerprint(id));
    }

    @Test
    void badBodiesAreProblemsAndChangeNothing() throws Exception {
        long id = report(CAT).get("id").asLong();
        String before = fingerprint(id);
        String[][] cases = {
            {"{\"action\":\"fly\",\"expectedVersion\":1}", "422", "unknown-action"},
            {"{\"expectedVersion\":1}", "422", "invalid-field"},
            {"{\"action\":\"accept\"}", "422", "invalid-field"},
            {"{\"action\":\"accept\",\"expectedVersion\":\"1\"}", "422", "invalid-field"},
            {
                "{\"action\":\"accept\",\"expectedVersion\":1,\"platform\":\"MARKET\"}",
                "422",
                "invalid-field"
            },
            {"{\"action\":\"reject\",\"expectedVersion\":1}", "422", "invalid-field"},
            {
                "{\"action\":\"reject\",\"expectedVersion\":1,\"reason\":\"DUPLICATE\"}",
                "422",
                "invalid-field"
            },
            {
                "{\"action\":\"accept\",\"expectedVersion\":1,\"note\":\""
                        + "长".repeat(2001)
                        + "\"}",
                "422",
                "invalid-field"
            },
            {
                "{\"action\":\"accept\",\"expectedVersion\":1,\"attachments\":[{\"name\":\"a\",\"href\":\"javascript:x\"}]}",
                "422",
                "invalid-field"
            },
            {"{\"action\":\"accept\",", "400", "malformed-json"},
        };
        for (String[] c : cases) {
            Answer a = act("operator", id, c[0]);
            assertProblem(a, Integer.parseInt(c[1]), c[2]);
        }
        assertProblem(
                act("operator", 999999999L, "{\"action\":\"accept\",\"expectedVersion\":1}"),
                404,
                "not-found");
        assertEquals(before, fingerprint(id));
    }

    @Test
    void escalationDistrictReplyCoordinationWithPoliceAndTransfer() throws Exception {
        // a district-authority matter: intake escalates it (version 2); the district answers that
        // the
        // subdistrict handles it after all, and the centre escalates it again
        long id = report(DISTRICT_CAT).get("id").asLong();
        ok(
                "liaison",
                id,
                "{\"action\":\"district-reply\",\"expectedVersion\":2,\"outcome\":\"RETURNED\"}");
        JsonNode e =
                ok(
                        "director",
                        id,
                        "{\"action\":\"escalate\",\"expectedVersion\":3,\"note\":\"超出街道权限\"}");
        assertEquals("ESCALATED", e.get("status").asText());
        JsonNode back =
                ok(
                        "liaison",
                        id,
                        "{\"action\":\"district-reply\",\"expectedVersion\":4,\"outcome\":\"RETURNED\",\"note\":\"由街道处置\"}");
        assertEquals("ACCEPTED", back.get("status").asText());
        JsonNode d =
                ok(
                        "operator",
                        id,
                        "{\"action\":\"dispatch\",\"expectedVersion\":5,\"platform\":\"MARKET\"}");
        assertEquals("MARKET", d.at("/routing/platform").asText());
        // sent to the wrong platform: its commander transfers it
        JsonNode t =
                ok(
                        "market.commander",
                        id,
                        "{\"action\":\"transfer\",\"expectedVersion\":6,\"platform\":\"ENFORCEMENT\",\"note\":\"非本平台事项\"}");
        assertEquals("ENFORCEMENT", t.at("/routing/platform").asText());
        assertEquals("DISPATCHED", t.get("status").asText());
        JsonNode co =
                ok(
                        "chief",
                        id,
                        "{\"action\":\"coordinate\",\"expectedVersion\":7,\"platforms\":[\"MARKET\"],\"policeSupport\":true}");
        assertEquals("COORDINATION", co.get("status").asText());
        JsonNode events =
                TestServer.getAs("chief", "/api/v1/incidents/" + id + "/events")
                        .json()
                        .get("events");
        JsonNode last = events.get(events.size() - 1);
        assertEquals("GOVERNANCE", last.at("/data/policeSupport/arrangedBy").asText());
        List<String> pf = new ArrayList<>();
        last.at("/data/platforms").forEach(x -> pf.add(x.asText()));
        assertEquals(List.of("ENFORCEMENT", "MARKET", "GOVERNANCE"), pf);
        // each involved platform has its subtask; the case resolves when all are done
        assertEquals(3, co.at("/case/subtasks").size(), co.toString());
        assertProblem(
                act("chief", id, "{\"action\":\"resolve\",\"expectedVersion\":8}"),
                409,
                "subtasks-open");
        int v = 8;
        for (JsonNode st : co.at("/case/subtasks")) {
            Answer f =
                    TestServer.postAs(
                            "chief",
                            "/api/v1/incidents/" + id + "/subtasks/" + st.get("id") + "/actions",
                            "{\"action\":\"finish\",\"expectedVersion\":" + v++ + "}");
            assertEquals(200, f.status(), f.body());
        }
        JsonNode res = ok("chief", id, "{\"action\":\"resolve\",\"expectedVersion\":" + v + "}");
        assertEquals("RESOLVED", res.get("status").asText());
    }
}
