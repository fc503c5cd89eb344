package org.gridgov.notify;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import org.gridgov.testing.HttpReceiver;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end: an administrator subscribes a receiver, the server's own worker delivers the
 * case's events signed with the secret shown once, and a deleted subscription gets nothing.
 */
@Tag("db")
class WebhookApiTest {

    private static Answer delete(String user, String path) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(TestServer.base() + path))
                        .header("Authorization", "Bearer " + TestServer.token(user))
                        .DELETE()
                        .build());
    }

    @Test
    void aSubscriberGetsSignedCaseEvents() throws Exception {
        try (HttpReceiver receiver = new HttpReceiver()) {
            Answer created =
                    TestServer.postAs(
                            "admin",
                            "/api/v1/webhooks",
                            "{\"url\": \""
                                    + receiver.url("/hook")
                                    + "\", \"description\": \"区数据中心\"}");
            assertEquals(201, created.status(), created.body());
            long hook = created.json().get("id").asLong();
            String secret = created.json().get("secret").asText();
            assertTrue(secret.length() >= 40, secret);
            Answer list = TestServer.getAs("admin", "/api/v1/webhooks");
            assertEquals(200, list.status());
            assertFalse(list.body().contains(secret), "the secret is shown once");
            assertTrue(list.body().contains("区数据中心"));

            long id = NotifyFixture.report("{\"name\": \"张三\"}");
            JsonNode event = null;
            long end = System.currentTimeMillis() + 20_000;
            while (event == null && System.currentTimeMillis() < end) {
                for (HttpReceiver.Request r : receiver.requests()) {
                    JsonNode b = TestServer.JSON.readTree(r.body());
                    if (b.at("/data/incident").asLong() == id) {
                        long t = Long.parseLong(r.header("X-Gridgov-Timestamp"));
                        assertTrue(
                                Signature.verify(
                                        secret, t, r.body(), r.header("X-Gridgov-Signature")),
                                "signed with the secret: " + r.headers());
                        assertEquals(b.get("messageId").asText(), r.header("Idempotency-Key"));
                        event = b;
                    }
                }
                Thread.sleep(100);
            }
            assertNotNull(event, "the webhook was delivered: " + receiver.requests());
            assertEquals("CASE_EVENT", event.get("kind").asText());
            assertEquals("REPORTED", event.at("/data/toStatus").asText());
            assertFalse(event.toString().contains("张三"), "no personal data");

            assertEquals(204, delete("admin", "/api/v1/webhooks/" + hook).status());
            assertEquals(404, delete("admin", "/api/v1/webhooks/" + hook).status());
            long later = NotifyFixture.report("{\"name\": \"李四\"}");
            assertEquals(
                    0,
                    TestDatabase.queryLong(
                            "SELECT count(*) FROM outbox WHERE webhook_id = "
                                    + hook
                                    + " AND incident_id = "
                                    + later));
            assertEquals(
                    0,
                    TestDatabase.queryLong(
                            "SELECT count(*) FROM outbox WHERE webhook_id = "
                                    + hook
                                    + " AND state = 'PENDING'"));
        }
    }

    @Test
    void badSubscriptionsAreRefusedAndNothingIsStored() throws Exception {
        long before = TestDatabase.queryLong("SELECT count(*) FROM webhook");
        String[][] cases = {
            {"{\"url\": \"ftp://x.example.org/\"}", "/url"},
            {"{\"url\": \"hooks.example.org\"}", "/url"},
            {"{\"url\": \"https://user:pw@x.example.org/\"}", "/url"},
            {"{\"url\": 5}", "/url"},
            {"{}", "/url"},
            {"{\"url\": \"https://x.example.org/\", \"secret\": \"mine\"}", "/secret"},
            {
                "{\"url\": \"https://x.example.org/\", \"description\": \""
                        + "x".repeat(201)
                        + "\"}",
                "/description"
            },
        };
        for (String[] c : cases) {
            Answer a = TestServer.postAs("admin", "/api/v1/webhooks", c[0]);
            assertEquals(422, a.status(), c[0] + " -> " + a.body());
            assertTrue(a.contentType().startsWith("application/problem+json"));
            assertEquals(c[1], a.json().get("field").asText());
        }
        assertEquals(400, TestServer.postAs("admin", "/api/v1/webhooks", "{not json").status());
        assertEquals(403, TestServer.postAs("auditor", "/api/v1/webhooks", cases[0][0]).status());
        assertEquals(404, delete("admin", "/api/v1/webhooks/999999").status());
        assertEquals(before, TestDatabase.queryLong("SELECT count(*) FROM webhook"));
    }
}
