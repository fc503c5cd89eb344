package org.gridgov.track;

import static org.gridgov.track.Tracking.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.gridgov.api.Lang;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The reporter's side over HTTP with the real server: a public report, tracked by its ticket number
 * and lookup code while staff handle it, then rated; "not solved" sends it back with a callback
 * task for the command centre.
 */
@Tag("db")
class TrackApiTest {

    @BeforeAll
    static void setUp() throws Exception {
        Tracking.init();
    }

    static List<String> steps(JsonNode view) {
        List<String> out = new ArrayList<>();
        view.get("timeline").forEach(s -> out.add(s.get("step").asText()));
        return out;
    }

    @Test
    void aPublicReportIsTrackedInPlainPublicWording() {
        JsonNode r = fileReport();
        long ticket = r.get("id").asLong();
        String code = r.get("lookupCode").asText();

        Answer a = track(ticket, code);
        assertEquals(200, a.status(), a.body());
        assertEquals("no-store", a.header("Cache-Control"));
        JsonNode v = a.json();
        assertEquals(ticket, v.get("ticket").asLong());
        assertEquals("zh-CN", v.get("lang").asText(), "Chinese by default");
        assertEquals("RECEIVED", v.at("/status/step").asText());
        assertEquals("已收到您的反映", v.at("/status/text").asText());
        assertEquals(CAT, v.at("/category/code").asText());
        assertFalse(v.at("/category/name").asText().isBlank());
        assertEquals(List.of("RECEIVED"), steps(v));
        assertTrue(v.get("photos").isArray() && v.get("photos").isEmpty(), "no photos yet");
        assertTrue(v.get("rating").isNull());
        assertFalse(v.get("canRate").asBoolean(), "an open case cannot be rated");

        // the location as public data is: on the 0.0005° grid, within half a step of the point
        for (String[] axis : new String[][] {{"lon", "" + lon}, {"lat", "" + lat}}) {
            BigDecimal shown = v.at("/location/" + axis[0]).decimalValue();
            assertEquals(
                    0,
                    shown.remainder(new BigDecimal("0.0005")).signum(),
                    axis[0] + " on the public grid: " + shown);
            assertTrue(
                    Math.abs(shown.doubleValue() - Double.parseDouble(axis[1])) <= 0.00025 + 1e-9,
                    axis[0] + " near the point: " + shown + " vs " + axis[1]);
            assertNotEquals(Double.parseDouble(axis[1]), shown.doubleValue(), "rounded");
        }
        // nothing personal, nothing of the reporter's text
        assertFalse(a.body().contains("王先生"), a.body());
        assertFalse(a.body().contains("13812345678"), a.body());
        assertFalse(a.body().contains("楼下垃圾"), a.body());

        // the code as people type it: lower case, a hyphen, O for 0
        String typed =
                code.substring(0, 4).toLowerCase() + "-" + code.substring(4).replace('0', 'O');
        assertEquals(200, track(ticket, typed).status());
        // the ticket as digits in a string (a message link)
        assertEquals(
                200,
                TestServer.post(
                                "/api/v1/track",
                                "{\"ticket\": \"" + ticket + "\", \"code\": \"" + code + "\"}")
                        .status());
    }

    @Test
    void englishOnRequestFromOneSourceOfWording() throws Exception {
        JsonNode r = fileReport();
        long ticket = r.get("id").asLong();
        String code = r.get("lookupCode").asText();
        Answer en =
                TestServer.post(
                        "/api/v1/track",
                        "{\"ticket\": %d, \"code\": \"%s\", \"lang\": \"en\"}"
                                .formatted(ticket, code));
        assertEquals(200, en.status(), en.body());
        assertEquals("en", en.json().get("lang").asText());
        assertEquals("Your report was received", en.json().at("/status/text").asText());
        assertEquals(PublicStep.RECEIVED.text(Lang.EN), en.json().at("/timeline/0/text").asText());
        Answer header =
                TestServer.send(
                        HttpRequest.newBuilder(URI.create(TestServer.base() + "/api/v1/track"))
                                .header("Content-Type", "application/json")
                                .header("Accept-Language", "en-GB,en;q=0.9,zh-CN;q=0.5")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"ticket\": %d, \"code\": \"%s\"}"
                                                        .formatted(ticket, code)))
                                .build());
        assertEquals(200, header.status(), header.body());
        assertEquals("en", header.json().get("lang").asText(), "Accept-Language");
        Answer bad =
                TestServer.post(
                        "/api/v1/track",
                        "{\"ticket\": %d, \"code\": \"%s\", \"lang\": \"fr\"}"
                                .formatted(ticket, code));
        assertProblem(bad, 422, "invalid-field");
        assertEquals("/lang", bad.json().get("field").asText());
    }

    @Test
    void theTimelineFollowsStaffWithoutTheirNamesOrNotes() throws Exception {
        JsonNode r = fileReport();
        long ticket = r.get("id").asLong();
        String code = r.get("lookupCode").asText();
        advance(ticket, "RESOLVED");
        Answer a = track(ticket, code);
        assertEquals(200, a.status(), a.body());
        JsonNode v = a.json();
        assertEquals(
                List.of("RECEIVED", "ACCEPTED", "DISPATCHED", "IN_HAND", "RESOLVED"), steps(v));
        assertEquals("RESOLVED", v.at("/status/step").asText());
        assertTrue(v.get("canRate").asBoolean(), "a handled case may be rated");
        assertFalse(a.body().contains("受理-内部备注"), "no staff note: " + a.body());
        assertFalse(a.body().contains("handler"), "no staff name: " + a.body());
        assertFalse(a.body().contains("operator"), "no staff name: " + a.body());
        for (JsonNode s : v.get("timeline")) {
            assertEquals(List.of("at", "step", "text"), fields(s), "steps carry only these");
        }
    }

    static List<String> fields(JsonNode o) {
        List<String> f = new ArrayList<>();
        o.fieldNames().forEachRemaining(f::add);
        f.sort(null);
        return f;
    }

    @Test
    void aRatingIsTakenOnceOnAHandledCase() throws Exception {
        JsonNode r = fileReport();
        long ticket = r.get("id").asLong();
        String code = r.get("lookupCode").asText();
        advance(ticket, "RESOLVED");
        Answer a = rate(ticket, code, "\"satisfaction\": 4, \"comment\": \"处理得很快\"");
        assertEquals(200, a.status(), a.body());
        JsonNode v = a.json();
        assertEquals(4, v.at("/rating/satisfaction").asInt());
        assertFalse(v.at("/rating/notSolved").asBoolean());
        assertFalse(v.get("canRate").asBoolean());
        assertEquals("RESOLVED", v.at("/status/step").asText(), "a rating changes no state");
        assertEquals("RATED", steps(v).get(steps(v).size() - 1));
        assertFalse(a.body().contains("处理得很快"), "the comment is for staff");

        // staff see it: the case's satisfaction and a RATE event by the reporter, with the comment
        Answer staff = TestServer.getAs("operator", "/api/v1/incidents/" + ticket);
        assertEquals(4, staff.json().at("/case/satisfaction").asInt(), staff.body());
        JsonNode events =
                TestServer.getAs("operator", "/api/v1/incidents/" + ticket + "/events")
                        .json()
                        .get("events");
        JsonNode last = events.get(events.size() - 1);
        assertEquals("RATE", last.get("type").asText());
        assertEquals("REPORTER", last.get("actorRole").asText());
        assertEquals("处理得很快", last.get("note").asText());
        assertEquals(events.size(), version(ticket), "version = number of events");

        // twice: refused, nothing changes
        String before = fingerprint(ticket);
        assertProblem(rate(ticket, code, "\"satisfaction\": 5"), 409, "already-rated");
        assertEquals(before, fingerprint(ticket));
        // and the operator can no longer take a rating on the phone either
        Answer op =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents/" + ticket + "/actions",
                        "{\"action\":\"rate\",\"expectedVersion\":%d,\"satisfaction\":3}"
                                .formatted(version(ticket)));
        assertProblem(op, 409, "already-rated");
        assertEquals(before, fingerprint(ticket));
    }

    @Test
    void notSolvedReopensAClosedCaseWithACallbackForTheOperator() throws Exception {
        JsonNode r = fileReport();
        long ticket = r.get("id").asLong();
        String code = r.get("lookupCode").asText();
        advance(ticket, "CLOSED");
        Answer a =
                rate(
                        ticket,
                        code,
                        "\"satisfaction\": 2, \"notSolved\": true, \"comment\": \"垃圾又堆起来了\"");
        assertEquals(200, a.status(), a.body());
        JsonNode v = a.json();
        assertEquals("IN_HAND", v.at("/status/step").asText(), "back to be handled");
        List<String> s = steps(v);
        assertEquals(List.of("CLOSED", "RATED", "REWORK"), s.subList(s.size() - 3, s.size()));
        assertTrue(v.at("/rating/notSolved").asBoolean());
        // open again, and rated: a second rating is "already rated", not "not handled yet"
        assertProblem(rate(ticket, code, "\"satisfaction\": 5"), 409, "already-rated");

        JsonNode staff = TestServer.getAs("operator", "/api/v1/incidents/" + ticket).json();
        assertEquals("IN_PROGRESS", staff.get("status").asText());
        assertEquals("HANDLE", staff.at("/case/step").asText(), "the handling clock runs again");
        assertFalse(staff.at("/case/stepDueAt").isNull());
        JsonNode events =
                TestServer.getAs("operator", "/api/v1/incidents/" + ticket + "/events")
                        .json()
                        .get("events");
        JsonNode rework = events.get(events.size() - 1);
        assertEquals("REWORK", rework.get("type").asText());
        assertEquals("CLOSED", rework.get("fromStatus").asText());
        assertEquals("IN_PROGRESS", rework.get("toStatus").asText());
        assertEquals("REPORTER", rework.get("actorRole").asText());
        assertEquals(events.size(), version(ticket), "version = number of events");

        // the command centre's callback (二次回访)
        Answer list = TestServer.getAs("operator", "/api/v1/callbacks");
        assertEquals(200, list.status(), list.body());
        JsonNode task = null;
        for (JsonNode t : list.json().get("callbacks"))
            if (t.get("incidentId").asLong() == ticket) task = t;
        assertNotNull(task, list.body());
        assertEquals("OPEN", task.get("status").asText());
        assertEquals(2, task.get("satisfaction").asInt());
        assertEquals("垃圾又堆起来了", task.get("comment").asText());
        assertEquals("IN_PROGRESS", task.get("caseStatus").asText());
        assertFalse(list.body().contains("13812345678"), "lists are masked");
        long taskId = task.get("id").asLong();

        assertProblem(
                TestServer.postAs("operator", "/api/v1/callbacks/" + taskId + "/done", "{}"),
                422,
                "invalid-field");
        Answer done =
                TestServer.postAs(
                        "operator",
                        "/api/v1/callbacks/" + taskId + "/done",
                        "{\"outcome\": \"已回访，居民确认重新清运\"}");
        assertEquals(200, done.status(), done.body());
        assertEquals("DONE", done.json().get("status").asText());
        assertEquals("operator", done.json().get("doneBy").asText());
        String before = fingerprint(ticket);
        assertProblem(
                TestServer.postAs(
                        "operator",
                        "/api/v1/callbacks/" + taskId + "/done",
                        "{\"outcome\": \"again\"}"),
                409,
                "callback-done");
        assertEquals(before, fingerprint(ticket));
        JsonNode after =
                TestServer.getAs("operator", "/api/v1/incidents/" + ticket + "/events")
                        .json()
                        .get("events");
        JsonNode cb = after.get(after.size() - 1);
        assertEquals("CALLBACK", cb.get("type").asText());
        assertEquals("已回访，居民确认重新清运", cb.get("note").asText());
        assertEquals(after.size(), version(ticket), "version = number of events");
        // the public timeline does not show the callback
        assertEquals(s, steps(track(ticket, code).json()));
        Answer doneList = TestServer.getAs("director", "/api/v1/callbacks?status=done");
        assertTrue(doneList.body().contains("\"id\":" + taskId), doneList.body());
    }

    @Test
    void badInputIsRefusedAndChangesNothing() throws Exception {
        JsonNode r = fileReport();
        long ticket = r.get("id").asLong();
        String code = r.get("lookupCode").asText();
        String before = fingerprint(ticket);

        // a rating on an open case
        Answer open = rate(ticket, code, "\"satisfaction\": 5");
        assertProblem(open, 409, "not-yet-handled");
        assertEquals(before, fingerprint(ticket));

        advance(ticket, "RESOLVED");
        String resolved = fingerprint(ticket);
        // out of 1–5, not a number, missing
        for (String bad : List.of("0", "6", "\"5\"", "4.5", "null")) {
            Answer a = rate(ticket, code, "\"satisfaction\": " + bad);
            assertProblem(a, 422, "invalid-field");
            assertEquals("/satisfaction", a.json().get("field").asText(), bad);
        }
        // a comment too long (501 characters), a notSolved that is no boolean, an unknown field
        Answer longComment =
                rate(ticket, code, "\"satisfaction\": 3, \"comment\": \"" + "很".repeat(501) + "\"");
        assertProblem(longComment, 422, "invalid-field");
        assertEquals("/comment", longComment.json().get("field").asText());
        assertEquals(
                "/notSolved",
                rate(ticket, code, "\"satisfaction\": 3, \"notSolved\": \"yes\"")
                        .json()
                        .get("field")
                        .asText());
        assertEquals(
                "/phone",
                rate(ticket, code, "\"satisfaction\": 3, \"phone\": \"1\"")
                        .json()
                        .get("field")
                        .asText());
        // no ticket, a bad ticket, no code
        assertProblem(
                TestServer.post("/api/v1/track", "{\"code\": \"" + code + "\"}"),
                422,
                "invalid-field");
        assertProblem(
                TestServer.post("/api/v1/track", "{\"ticket\": -3, \"code\": \"X\"}"),
                422,
                "invalid-field");
        assertProblem(
                TestServer.post("/api/v1/track", "{\"ticket\": " + ticket + "}"),
                422,
                "invalid-field");
        assertProblem(TestServer.post("/api/v1/track", "not json"), 400, "malformed-json");
        assertEquals(resolved, fingerprint(ticket));

        // a wrong code and an unknown ticket look the same
        String wrong = code.charAt(0) == 'A' ? "B" + code.substring(1) : "A" + code.substring(1);
        Answer wrongCode = track(ticket, wrong);
        assertProblem(wrongCode, 404, "no-such-ticket");
        long unknown = 9_000_000_000L + ticket;
        Answer unknownTicket = track(unknown, codes.of(unknown));
        assertProblem(unknownTicket, 404, "no-such-ticket");
        Answer unknownWrong = track(unknown, wrong);
        assertEquals(wrongCode.body(), unknownTicket.body());
        assertEquals(wrongCode.body(), unknownWrong.body());
        assertProblem(rate(ticket, wrong, "\"satisfaction\": 5"), 404, "no-such-ticket");
        assertEquals(resolved, fingerprint(ticket), "nothing stored by any refusal");
    }

    /** Two ratings at the same moment: one is taken, the other is told it is rated already. */
    @Test
    void twoRatingsAtOnceAreOneRating() throws Exception {
        JsonNode r = fileReport();
        long ticket = r.get("id").asLong();
        String code = r.get("lookupCode").asText();
        advance(ticket, "RESOLVED");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Answer>> both = new ArrayList<>();
            for (String fields :
                    List.of("\"satisfaction\": 5", "\"satisfaction\": 1, \"notSolved\": true"))
                both.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    return rate(ticket, code, fields);
                                }));
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            Answer refused = null;
            for (var f : both) {
                statuses.add(f.get().status());
                if (f.get().status() != 200) refused = f.get();
            }
            statuses.sort(null);
            assertEquals(List.of(200, 409), statuses);
            // the second waits for the first and sees its rating (not a stale version)
            assertProblem(refused, 409, "already-rated");
        } finally {
            pool.shutdown();
        }
        JsonNode events =
                TestServer.getAs("operator", "/api/v1/incidents/" + ticket + "/events")
                        .json()
                        .get("events");
        long rates = 0;
        for (JsonNode e : events) if (e.get("type").asText().equals("RATE")) rates++;
        assertEquals(1, rates);
        assertEquals(events.size(), version(ticket), "version = number of events");
    }

    @Test
    void callbacksAreTheCommandCentres() {
        assertEquals(401, TestServer.get("/api/v1/callbacks").status());
        assertEquals(403, TestServer.getAs("auditor", "/api/v1/callbacks").status());
        assertProblem(
                TestServer.getAs("operator", "/api/v1/callbacks?status=maybe"),
                400,
                "invalid-parameter");
        assertProblem(
                TestServer.postAs(
                        "operator", "/api/v1/callbacks/999999999/done", "{\"outcome\": \"x\"}"),
                404,
                "not-found");
        assertProblem(
                TestServer.postAs(
                        "operator",
                        "/api/v1/callbacks/1/done",
                        "{\"outcome\": \"x\", \"extra\": 1}"),
                422,
                "invalid-field");
    }
}
