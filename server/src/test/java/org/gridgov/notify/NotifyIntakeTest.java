package org.gridgov.notify;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A reporter's contact and choice at intake, the messages queued with the case's events, and the
 * opt-out through the link's ticket and lookup code.
 */
@Tag("db")
class NotifyIntakeTest {

    private static List<String> kinds(long id) throws Exception {
        return NotifyFixture.rows(id).stream().map(r -> r.kind() + "/" + r.channel()).toList();
    }

    @Test
    void aReporterWithAContactIsToldOfTheCaseUnlessTheySayNo() throws Exception {
        long both =
                NotifyFixture.report(
                        "{\"name\": \"王先生\", \"phone\": \"13800000001\","
                                + " \"email\": \"wang@example.org\"}");
        assertEquals(List.of("RECEIVED/SMS", "RECEIVED/EMAIL"), kinds(both));
        long mailOnly = NotifyFixture.report("{\"email\": \"li@example.org\", \"notify\": true}");
        assertEquals(List.of("RECEIVED/EMAIL"), kinds(mailOnly));
        long no = NotifyFixture.report("{\"phone\": \"13800000002\", \"notify\": false}");
        assertEquals(List.of(), kinds(no));
        long anonymous = NotifyFixture.report("{\"name\": \"匿名\"}");
        assertEquals(List.of(), kinds(anonymous));
        assertEquals(
                0,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM reporter_contact WHERE incident_id IN ("
                                + no
                                + ", "
                                + anonymous
                                + ")"));

        // the case moves on: dispatched is news, accepted is not
        act(both, "{\"action\":\"accept\",\"expectedVersion\":1}");
        act(both, "{\"action\":\"dispatch\",\"expectedVersion\":2}");
        assertEquals(
                List.of("RECEIVED/SMS", "RECEIVED/EMAIL", "DISPATCHED/SMS", "DISPATCHED/EMAIL"),
                kinds(both));
    }

    private static void act(long id, String body) {
        Answer a = TestServer.postAs("operator", "/api/v1/incidents/" + id + "/actions", body);
        assertEquals(200, a.status(), a.body());
    }

    @Test
    void badContactsAreRefusedAndNothingIsStored() throws Exception {
        long before = TestDatabase.queryLong("SELECT count(*) FROM incident");
        String[][] cases = {
            {"{\"email\": \"wang@\"}", "/reporter/email"},
            {"{\"email\": \"a@b.org\\r\\nBcc: c@d.org\"}", "/reporter/email"},
            {"{\"email\": 12}", "/reporter/email"},
            {"{\"phone\": \"call me\"}", "/reporter/phone"},
            {"{\"notify\": true}", "/reporter/notify"},
            {"{\"phone\": \"13800000003\", \"notify\": \"yes\"}", "/reporter/notify"},
            {"{\"wechat\": \"x\"}", "/reporter/wechat"},
        };
        for (String[] c : cases) {
            String body =
                    """
                    {"category": "%s", "channel": "HOTLINE", "location": {"lon": %s, "lat": %s},
                     "reporter": %s}"""
                            .formatted(
                                    DemoFixture.subdistrictCategory(),
                                    DemoFixture.probe().lon(),
                                    DemoFixture.probe().lat(),
                                    c[0]);
            Answer a = TestServer.postAs("operator", "/api/v1/incidents", body);
            assertEquals(422, a.status(), c[0] + " -> " + a.body());
            assertTrue(a.contentType().startsWith("application/problem+json"));
            assertEquals(c[1], a.json().get("field").asText(), a.body());
        }
        assertEquals(before, TestDatabase.queryLong("SELECT count(*) FROM incident"));
    }

    @Test
    void theLinkOptsOutWithTicketAndLookupCode() throws Exception {
        long id =
                NotifyFixture.report("{\"phone\": \"13800000004\", \"email\": \"z@example.org\"}");
        String code = NotifyFixture.CODES.of(id);
        Answer wrong =
                TestServer.post(
                        "/api/v1/opt-out", "{\"ticket\": " + id + ", \"code\": \"AAAAAAAA\"}");
        assertEquals(404, wrong.status(), wrong.body());
        assertEquals(
                "https://gridgov.org/problems/wrong-lookup-code",
                wrong.json().get("type").asText());
        assertEquals(
                422,
                TestServer.post("/api/v1/opt-out", "{\"ticket\": " + id + ", \"c\": 1}").status());
        assertEquals(
                422,
                TestServer.post("/api/v1/opt-out", "{\"ticket\": \"x\", \"code\": \"A\"}")
                        .status());
        Answer page = TestServer.get("/api/v1/opt-out?ticket=" + id + "&code=" + code);
        assertEquals(200, page.status(), page.body());
        assertTrue(page.contentType().startsWith("text/html"));
        assertTrue(page.body().contains("method=\"post\""), page.body());
        assertTrue(
                NotifyFixture.rows(id).stream().allMatch(r -> r.state().equals("PENDING")),
                "showing the page changes nothing");
        assertEquals(
                404, TestServer.get("/api/v1/opt-out?ticket=" + id + "&code=AAAAAAAA").status());

        // the form as the page posts it, the code typed in lower case
        Answer done =
                TestServer.post(
                        "/api/v1/opt-out",
                        "ticket=" + id + "&code=" + code.toLowerCase(),
                        "Content-Type",
                        "application/x-www-form-urlencoded");
        assertEquals(200, done.status(), done.body());
        assertTrue(done.body().contains("已退订"), done.body());
        assertTrue(
                NotifyFixture.rows(id).stream().allMatch(r -> r.state().equals("CANCELLED")),
                NotifyFixture.rows(id).toString());
        assertEquals(
                1,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM reporter_contact WHERE opted_out_via = 'LINK'"
                                + " AND incident_id = "
                                + id));
        Answer again =
                TestServer.post(
                        "/api/v1/opt-out", "{\"ticket\": " + id + ", \"code\": \"" + code + "\"}");
        assertEquals(200, again.status(), again.body());
        assertFalse(again.json().get("changed").asBoolean());

        act(id, "{\"action\":\"accept\",\"expectedVersion\":1}");
        act(id, "{\"action\":\"dispatch\",\"expectedVersion\":2}");
        assertEquals(2, NotifyFixture.rows(id).size(), "nothing queued after the opt-out");
    }
}
