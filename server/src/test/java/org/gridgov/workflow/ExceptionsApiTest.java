package org.gridgov.workflow;

import static org.gridgov.workflow.Cases.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Extension, return (no-owner queue) and parking, each approved by the command centre; duplicates
 * and merging.
 */
@Tag("db")
class ExceptionsApiTest {

    static final String CAT = "ENF_EXPOSED_GARBAGE";

    @BeforeAll
    static void setUp() throws Exception {
        Cases.init();
    }

    /** A case dispatched and started by a handler; returns {id, handler username}. */
    static Object[] inHand() throws Exception {
        long id = report(CAT).get("id").asLong();
        ok("operator", id, "{\"action\":\"accept\",\"expectedVersion\":1}");
        JsonNode d = ok("operator", id, "{\"action\":\"dispatch\",\"expectedVersion\":2}");
        String h = username(d.at("/routing/assigneeId").asLong());
        ok(h, id, "{\"action\":\"start\",\"expectedVersion\":3}");
        return new Object[] {id, h};
    }

    @Test
    void anApprovedExtensionMovesTheDeadline() throws Exception {
        Object[] c = inHand();
        long id = (long) c[0];
        String h = (String) c[1];
        JsonNode before = TestServer.getAs("director", "/api/v1/incidents/" + id).json();
        OffsetDateTime due = OffsetDateTime.parse(before.at("/case/stepDueAt").asText());
        ok(
                h,
                id,
                "{\"action\":\"request-extension\",\"expectedVersion\":4,\"reason\":\"需协调环卫车辆\",\"extraHours\":8}");
        assertProblem(
                act(
                        h,
                        id,
                        "{\"action\":\"request-parking\",\"expectedVersion\":5,\"reason\":\"x\"}"),
                409,
                "request-pending");
        assertProblem(
                act("operator", id, "{\"action\":\"approve\",\"expectedVersion\":5}"),
                403,
                "action-not-allowed");
        Answer q = TestServer.getAs("director", "/api/v1/workflow/queues/exceptions?limit=1000");
        assertTrue(q.body().contains("\"incidentId\":" + id), q.body());
        JsonNode after =
                ok(
                        "director",
                        id,
                        "{\"action\":\"approve\",\"expectedVersion\":5,\"note\":\"同意延期\"}");
        OffsetDateTime moved = OffsetDateTime.parse(after.at("/case/stepDueAt").asText());
        long minutes =
                WorkingCalendarTest.CAL.workingMinutesBetween(due.toInstant(), moved.toInstant());
        assertEquals(480, minutes, "8 working hours later");
        assertEquals("IN_PROGRESS", after.get("status").asText());
        assertProblem(
                act("director", id, "{\"action\":\"approve\",\"expectedVersion\":6}"),
                409,
                "nothing-to-decide");
    }

    @Test
    void anApprovedReturnPutsTheCaseInTheNoOwnerQueueUntilRedispatched() throws Exception {
        Object[] c = inHand();
        long id = (long) c[0];
        String h = (String) c[1];
        ok(h, id, "{\"action\":\"request-return\",\"expectedVersion\":4,\"reason\":\"不属于综合执法\"}");
        JsonNode r = ok("chief", id, "{\"action\":\"approve\",\"expectedVersion\":5}");
        assertEquals("ACCEPTED", r.get("status").asText());
        assertTrue(r.at("/case/noOwner").asBoolean());
        assertEquals("NO_OWNER", r.at("/case/step").asText());
        assertTrue(r.at("/routing/assigneeId").isNull());
        assertTrue(
                TestServer.getAs("operator", "/api/v1/workflow/queues/no-owner?limit=1000")
                        .body()
                        .contains("\"incidentId\":" + id));
        JsonNode d =
                ok(
                        "operator",
                        id,
                        "{\"action\":\"dispatch\",\"expectedVersion\":6,\"platform\":\"SERVICE\"}");
        assertFalse(d.at("/case/noOwner").asBoolean());
        assertEquals("SERVICE", d.at("/routing/platform").asText());
        assertEquals(
                gridWorker,
                username(d.at("/routing/assigneeId").asLong()),
                "service matters go to the grid's worker by rule");
    }

    @Test
    void aDeniedParkingChangesNothingAndAnApprovedOneStopsTheClock() throws Exception {
        Object[] c = inHand();
        long id = (long) c[0];
        String h = (String) c[1];
        ok(h, id, "{\"action\":\"request-parking\",\"expectedVersion\":4,\"reason\":\"需区级资金\"}");
        JsonNode denied =
                ok("director", id, "{\"action\":\"deny\",\"expectedVersion\":5,\"note\":\"继续处置\"}");
        assertFalse(denied.at("/case/parked").asBoolean());
        assertFalse(denied.at("/case/stepDueAt").isNull());
        ok(h, id, "{\"action\":\"request-parking\",\"expectedVersion\":6,\"reason\":\"需区级资金\"}");
        JsonNode parked = ok("director", id, "{\"action\":\"approve\",\"expectedVersion\":7}");
        assertTrue(parked.at("/case/parked").asBoolean());
        assertTrue(parked.at("/case/stepDueAt").isNull(), "no handling clock on a parked case");
        assertTrue(fingerprint(id).contains("/0/"), "no pending timers: " + fingerprint(id));
    }

    @Test
    void duplicatesAreSuggestedByPlaceCategoryAndTimeAndCanBeMerged() throws Exception {
        // a spot of its own, so other tests' cases do not interfere
        double x = lon + 0.00005, y = lat + 0.00005;
        long original = reportAt("ENF_STREET_VENDING", x, y).get("id").asLong();
        long near =
                reportAt("ENF_STREET_VENDING", x + 0.0002, y).get("id").asLong(); // about 20 m east
        long other = reportAt("ENF_EXPOSED_GARBAGE", x, y).get("id").asLong();
        long dup = reportAt("ENF_STREET_VENDING", x, y + 0.00001).get("id").asLong();
        Answer s = TestServer.getAs("operator", "/api/v1/incidents/" + dup + "/duplicates");
        assertEquals(200, s.status(), s.body());
        JsonNode cand = s.json().get("candidates");
        assertEquals(original, cand.get(0).get("id").asLong(), "nearest first");
        assertTrue(cand.get(0).get("distanceM").asDouble() < 2);
        assertTrue(s.body().contains("\"id\":" + near));
        assertFalse(s.body().contains("\"id\":" + other), "another category is no duplicate");
        JsonNode tight =
                TestServer.getAs("operator", "/api/v1/incidents/" + dup + "/duplicates?radius=5")
                        .json()
                        .get("candidates");
        assertFalse(tight.toString().contains("\"id\":" + near), "20 m away is outside 5 m");
        assertEquals(
                400,
                TestServer.getAs("operator", "/api/v1/incidents/" + dup + "/duplicates?radius=0")
                        .status());
        assertEquals(
                403,
                TestServer.getAs("auditor", "/api/v1/incidents/" + dup + "/duplicates").status());

        JsonNode merged =
                ok(
                        "operator",
                        dup,
                        "{\"action\":\"merge\",\"expectedVersion\":1,\"originalId\":"
                                + original
                                + "}");
        assertEquals("REJECTED", merged.get("status").asText());
        assertEquals(original, merged.at("/case/duplicateOf").asLong());
        // merging into a merged duplicate follows it to its original
        JsonNode chained =
                ok(
                        "operator",
                        near,
                        "{\"action\":\"merge\",\"expectedVersion\":1,\"originalId\":" + dup + "}");
        assertEquals(original, chained.at("/case/duplicateOf").asLong());
        assertProblem(
                act(
                        "operator",
                        other,
                        "{\"action\":\"merge\",\"expectedVersion\":1,\"originalId\":"
                                + other
                                + "}"),
                422,
                "invalid-field");
    }
}
