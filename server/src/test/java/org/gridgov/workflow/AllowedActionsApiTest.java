package org.gridgov.workflow;

import static org.gridgov.workflow.Cases.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/incidents/{id}/actions: what a person may do now, and that each offered action works.
 */
@Tag("db")
class AllowedActionsApiTest {

    static final String CAT = "ENF_EXPOSED_GARBAGE";

    @BeforeAll
    static void setUp() throws Exception {
        Cases.init();
    }

    static List<String> actions(String user, long id) {
        Answer a = TestServer.getAs(user, "/api/v1/incidents/" + id + "/actions");
        assertEquals(200, a.status(), a.body());
        List<String> out = new ArrayList<>();
        a.json().get("actions").forEach(x -> out.add(x.asText()));
        return out;
    }

    @Test
    void theOperatorIsOfferedWhatTheStateAllowsAndTheEngineAccepts() {
        long id = report(CAT).get("id").asLong();
        Answer a = TestServer.getAs("operator", "/api/v1/incidents/" + id + "/actions");
        JsonNode n = a.json();
        assertEquals(1, n.get("version").asInt());
        assertEquals("REPORTED", n.get("status").asText());
        assertTrue(n.get("inScope").asBoolean());
        assertTrue(n.get("pendingRequest").isNull());
        assertEquals(
                List.of("accept", "reject", "merge", "comment", "reclassify"),
                actions("operator", id),
                "a subdistrict-authority category is not escalated (422 not-district-authority)");
        ok("operator", id, "{\"action\":\"accept\",\"expectedVersion\":1}");
        List<String> accepted = actions("operator", id);
        assertTrue(accepted.contains("dispatch"), accepted.toString());
        assertFalse(accepted.contains("accept"), "accepted once: " + accepted);
        assertFalse(accepted.contains("coordinate"), "coordination is the chief's: " + accepted);
        assertTrue(actions("chief", id).contains("coordinate"));
        ok("operator", id, "{\"action\":\"dispatch\",\"expectedVersion\":2}");
        List<String> dispatched = actions("operator", id);
        assertFalse(dispatched.contains("start"), "the centre does not handle: " + dispatched);
        assertTrue(
                dispatched.contains("dispatch"),
                "re-dispatch is the centre's override: " + dispatched);
    }

    @Test
    void approvalIsOfferedOnlyWhileARequestIsPending() throws Exception {
        long id = report(CAT).get("id").asLong();
        ok("operator", id, "{\"action\":\"accept\",\"expectedVersion\":1}");
        JsonNode d = ok("operator", id, "{\"action\":\"dispatch\",\"expectedVersion\":2}");
        String handler = username(d.at("/routing/assigneeId").asLong());
        assertFalse(actions("director", id).contains("approve"));
        List<String> mine = actions(handler, id);
        assertTrue(
                mine.containsAll(
                        List.of("start", "request-extension", "request-return", "request-parking")),
                mine.toString());
        ok(
                handler,
                id,
                "{\"action\":\"request-extension\",\"expectedVersion\":3,\"reason\":\"待材料\",\"extraHours\":8}");
        assertTrue(actions("director", id).containsAll(List.of("approve", "deny")));
        assertFalse(actions(handler, id).contains("request-parking"), "one request at a time");
        Answer pending = TestServer.getAs("director", "/api/v1/incidents/" + id + "/actions");
        assertEquals("EXTENSION", pending.json().get("pendingRequest").asText());
    }

    @Test
    void outsideTheScopeTheCaseIsRefusedAndBadCallsAreProblems() {
        long id = report(CAT).get("id").asLong();
        // outside the scope the case is not the caller's to look at: 403, as GET
        // /api/v1/incidents/{id} answers
        assertProblem(
                TestServer.getAs("market.handler1", "/api/v1/incidents/" + id + "/actions"),
                403,
                "not-your-case");
        assertProblem(TestServer.get("/api/v1/incidents/" + id + "/actions"), 401, "unauthorized");
        assertProblem(
                TestServer.getAs("operator", "/api/v1/incidents/999999999/actions"),
                404,
                "not-found");
        assertProblem(
                TestServer.getAs("operator", "/api/v1/incidents/abc/actions"), 404, "not-found");
    }

    @Test
    void theIncidentListTakesSeveralStatuses() {
        long id = report(CAT).get("id").asLong();
        Answer a =
                TestServer.getAs("operator", "/api/v1/incidents?status=ACCEPTED,REPORTED&limit=20");
        assertEquals(200, a.status(), a.body());
        boolean found = false;
        for (JsonNode f : a.json().get("features")) {
            String s = f.at("/properties/status").asText();
            assertTrue(s.equals("ACCEPTED") || s.equals("REPORTED"), s);
            found |= f.get("id").asLong() == id;
        }
        assertTrue(found, "the new report is among the newest open ones");
        Answer bad = TestServer.getAs("operator", "/api/v1/incidents?status=REPORTED,LOST");
        assertEquals(400, bad.status());
        assertTrue(bad.body().contains("LOST"), bad.body());
    }
}
