package org.gridgov.workflow;

import static org.gridgov.workflow.Cases.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Deadline and dispatch rules as versioned data: a case reported before a change keeps the old
 * rules for every later step, a case reported after takes the new ones.
 */
@Tag("db")
class RuleVersionsApiTest {

    static final String CAT = "ENF_EXPOSED_GARBAGE";

    @BeforeAll
    static void setUp() throws Exception {
        Cases.init();
    }

    static Answer put(String kind, String json) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(TestServer.base() + "/api/v1/reference/" + kind))
                        .header("Authorization", "Bearer " + TestServer.token("admin"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(json))
                        .build());
    }

    static ArrayNode rows(String kind) {
        Answer a = TestServer.getAs("admin", "/api/v1/reference/" + kind);
        assertEquals(200, a.status(), a.body());
        return (ArrayNode) a.json().get("rows");
    }

    static String body(ArrayNode rows) {
        ObjectNode o = TestServer.JSON.createObjectNode().put("note", "test");
        o.set("rows", rows);
        return o.toString();
    }

    @Test
    void aCaseKeepsTheDeadlineAndDispatchRulesOfItsReportTime() throws Exception {
        ArrayNode deadlines = rows("deadlines"), dispatch = rows("dispatch");
        JsonNode before = report(CAT);
        long a = before.get("id").asLong();

        ArrayNode longer = deadlines.deepCopy();
        longer.addObject()
                .put("category", CAT)
                .put("urgency", "*")
                .put("step", "DISPATCH")
                .put("limit", 100)
                .put("unit", "H")
                .put("remindBefore", 0)
                .put("escalateAfter", 0)
                .put("escalateTo", "CHIEF");
        ArrayNode toWorker = dispatch.deepCopy();
        toWorker.addObject().put("category", CAT).put("handler", "GRID_WORKER");
        assertEquals(201, put("deadlines", body(longer)).status());
        Answer d = put("dispatch", body(toWorker));
        assertEquals(201, d.status(), d.body());
        try {
            JsonNode after = report(CAT);
            long b = after.get("id").asLong();
            Instant now = Instant.now();
            JsonNode acceptedA = ok("operator", a, "{\"action\":\"accept\",\"expectedVersion\":1}");
            JsonNode acceptedB = ok("operator", b, "{\"action\":\"accept\",\"expectedVersion\":1}");
            Duration dueA =
                    Duration.between(
                            now,
                            OffsetDateTime.parse(acceptedA.at("/case/stepDueAt").asText())
                                    .toInstant());
            Duration dueB =
                    Duration.between(
                            now,
                            OffsetDateTime.parse(acceptedB.at("/case/stepDueAt").asText())
                                    .toInstant());
            assertTrue(
                    Math.abs(dueB.minusHours(100).toMinutes()) <= 2,
                    "reported after the change: 100 calendar hours, found " + dueB);
            assertTrue(
                    dueA.compareTo(Duration.ofHours(90)) < 0,
                    "reported before: two working hours, found " + dueA);

            JsonNode dispatchedA =
                    ok("operator", a, "{\"action\":\"dispatch\",\"expectedVersion\":2}");
            JsonNode dispatchedB =
                    ok("operator", b, "{\"action\":\"dispatch\",\"expectedVersion\":2}");
            assertTrue(
                    username(dispatchedA.at("/routing/assigneeId").asLong())
                            .startsWith("enforcement.handler"),
                    "reported before: the platform's handler");
            assertEquals(
                    gridWorker,
                    username(dispatchedB.at("/routing/assigneeId").asLong()),
                    "reported after: the grid worker");
        } finally {
            assertEquals(201, put("deadlines", body(deadlines)).status());
            assertEquals(201, put("dispatch", body(dispatch)).status());
        }
    }

    @Test
    void aRuleMustNameACategoryInForceAndKeepsItInUse() throws Exception {
        ArrayNode dispatch = rows("dispatch");
        ArrayNode bad = dispatch.deepCopy();
        bad.addObject().put("category", "NO_SUCH_CATEGORY").put("handler", "GRID_WORKER");
        Answer unknown = put("dispatch", body(bad));
        assertProblem(unknown, 422, "invalid-reference-data");
        assertEquals(
                "/rows/" + dispatch.size() + "/category", unknown.json().get("field").asText());
        ArrayNode platform = dispatch.deepCopy();
        platform.addObject().put("category", "platform:MOON").put("handler", "GRID_WORKER");
        assertProblem(put("dispatch", body(platform)), 422, "invalid-reference-data");
        assertEquals(dispatch, rows("dispatch"), "nothing changed");
    }
}
