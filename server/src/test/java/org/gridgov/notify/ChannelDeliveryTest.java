package org.gridgov.notify;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gridgov.testing.HttpReceiver;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The channels against real receivers: an HTTP SMS gateway and the 12345 endpoint (a local HTTP
 * server), an SMTP server (GreenMail). Each message carries its id as the idempotency key; the
 * receiver's answer decides sent, retried (backoff) or dead.
 */
@Tag("db")
class ChannelDeliveryTest {

    @RegisterExtension
    static final GreenMailExtension SMTP =
            new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private static final Backoff QUICK =
            new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), 3);

    @BeforeEach
    void noLeftovers() throws Exception {
        NotifyFixture.withdrawQueued();
    }

    private static SmsChannel sms(HttpReceiver gateway) {
        return new SmsChannel(
                new SmsChannel.Settings(
                        URI.create(gateway.url("/sms/send")), "gw-token", Duration.ofSeconds(5)),
                NotifyFixture.store(),
                NotifyFixture.TICKETS,
                NotifyFixture.TEMPLATES);
    }

    @Test
    void theSmsGatewayIsSentTheTextWithTheMessageIdAsIdempotencyKey() throws Exception {
        try (HttpReceiver gateway = new HttpReceiver();
                OutboxWorker w = NotifyFixture.worker(Map.of(Channel.SMS, sms(gateway)), QUICK)) {
            long id = NotifyFixture.report("{\"phone\": \"13800000011\"}");
            NotifyFixture.drain(w, id);
            NotifyFixture.Row row = NotifyFixture.rows(id).get(0);
            assertEquals("SENT", row.state(), row.toString());
            assertEquals(1, row.attempts());
            List<HttpReceiver.Request> got = gateway.requests();
            assertEquals(1, got.size());
            HttpReceiver.Request r = got.get(0);
            assertEquals("/sms/send", r.path());
            assertEquals(row.messageId(), r.header("Idempotency-Key"));
            assertEquals(row.messageId(), r.header("X-Gridgov-Message-Id"));
            assertEquals("Bearer gw-token", r.header("Authorization"));
            JsonNode body = TestServer.JSON.readTree(r.body());
            assertEquals(row.messageId(), body.get("messageId").asText());
            assertEquals("13800000011", body.get("to").asText());
            assertEquals(id, body.get("ticket").asLong());
            assertEquals("RECEIVED", body.get("kind").asText());
            String code = NotifyFixture.CODES.of(id);
            assertTrue(
                    body.get("text").asText().contains("工单号" + id + "，查询码" + code),
                    body.get("text").asText());
        }
    }

    @Test
    void aBusyGatewayIsTriedAgainWithTheSameIdAndARefusalIsDead() throws Exception {
        try (HttpReceiver gateway = new HttpReceiver();
                OutboxWorker w = NotifyFixture.worker(Map.of(Channel.SMS, sms(gateway)), QUICK)) {
            long busy = NotifyFixture.report("{\"phone\": \"13800000012\"}");
            long refused = NotifyFixture.report("{\"phone\": \"13800000013\"}");
            long down = NotifyFixture.report("{\"phone\": \"13800000014\"}");
            int[] busyCalls = {0};
            gateway.answer(
                    r -> {
                        if (r.body().contains("13800000013")) return 400;
                        if (r.body().contains("13800000014")) return 503;
                        return busyCalls[0]++ == 0 ? 429 : 200;
                    });
            w.runOnce();
            NotifyFixture.Row first = NotifyFixture.rows(busy).get(0);
            assertEquals("PENDING", first.state());
            assertEquals("HTTP 429: {}", first.lastError());
            assertEquals(
                    1,
                    TestDatabase.queryLong(
                            "SELECT count(*) FROM outbox WHERE id = "
                                    + first.id()
                                    + " AND next_attempt_at > now()"),
                    "backed off");
            for (long id : new long[] {busy, refused, down}) NotifyFixture.drain(w, id);
            NotifyFixture.Row sent = NotifyFixture.rows(busy).get(0);
            assertEquals("SENT", sent.state());
            assertEquals(2, sent.attempts());
            assertEquals(
                    2,
                    gateway.requests().stream()
                            .filter(r -> sent.messageId().equals(r.header("Idempotency-Key")))
                            .count(),
                    "the same id both times");
            NotifyFixture.Row dead = NotifyFixture.rows(refused).get(0);
            assertEquals("DEAD", dead.state());
            assertEquals(1, dead.attempts(), "a refusal is not retried");
            NotifyFixture.Row gaveUp = NotifyFixture.rows(down).get(0);
            assertEquals("DEAD", gaveUp.state());
            assertEquals(3, gaveUp.attempts());
            assertTrue(
                    gaveUp.lastError().startsWith("gave up after 3 attempts"), gaveUp.lastError());

            // what administrators and auditors see
            Answer list = TestServer.getAs("auditor", "/api/v1/outbox?state=DEAD&limit=500");
            assertEquals(200, list.status(), list.body());
            List<Long> ids =
                    list.json().get("messages").findValues("id").stream()
                            .map(JsonNode::asLong)
                            .toList();
            assertTrue(ids.containsAll(List.of(dead.id(), gaveUp.id())), ids.toString());
            Answer counts = TestServer.getAs("admin", "/api/v1/outbox/counts");
            assertEquals(200, counts.status());
            assertTrue(counts.json().at("/DEAD/byChannel/SMS").asLong() >= 2, counts.body());
            assertEquals(400, TestServer.getAs("admin", "/api/v1/outbox?state=LOST").status());
            assertEquals(403, TestServer.getAs("operator", "/api/v1/outbox").status());

            // the gateway is fixed: an administrator sends the dead one again, same id
            gateway.answer(r -> 200);
            assertEquals(
                    409,
                    TestServer.postAs("admin", "/api/v1/outbox/" + sent.id() + "/retry", "")
                            .status());
            assertEquals(
                    404, TestServer.postAs("admin", "/api/v1/outbox/999999999/retry", "").status());
            Answer again =
                    TestServer.postAs("admin", "/api/v1/outbox/" + gaveUp.id() + "/retry", "");
            assertEquals(200, again.status(), again.body());
            NotifyFixture.drain(w, down);
            NotifyFixture.Row revived = NotifyFixture.rows(down).get(0);
            assertEquals("SENT", revived.state());
            assertEquals(1, revived.attempts());
            assertEquals(gaveUp.messageId(), revived.messageId());
        }
    }

    @Test
    void anEmailGoesOverSmtpWithTheMessageIdOfItsRow() throws Exception {
        EmailChannel mail =
                new EmailChannel(
                        new EmailChannel.Settings(
                                "127.0.0.1",
                                SMTP.getSmtp().getPort(),
                                null,
                                null,
                                false,
                                "网格治理 <noreply@gov.test>",
                                Duration.ofSeconds(5)),
                        NotifyFixture.store(),
                        NotifyFixture.TICKETS,
                        NotifyFixture.TEMPLATES);
        try (OutboxWorker w = NotifyFixture.worker(Map.of(Channel.EMAIL, mail), QUICK)) {
            long id =
                    NotifyFixture.report(
                            "{\"phone\": \"13800000015\", \"email\": \"reporter@example.org\"}");
            NotifyFixture.drain(w, id);
            List<NotifyFixture.Row> rows = NotifyFixture.rows(id);
            NotifyFixture.Row email =
                    rows.stream()
                            .filter(r -> r.channel().equals("EMAIL"))
                            .findFirst()
                            .orElseThrow();
            assertEquals("SENT", email.state(), rows.toString());
            assertEquals(
                    "PENDING",
                    rows.stream()
                            .filter(r -> r.channel().equals("SMS"))
                            .findFirst()
                            .orElseThrow()
                            .state(),
                    "no SMS gateway here: the SMS waits");
            MimeMessage[] got = SMTP.getReceivedMessages();
            assertEquals(1, got.length);
            MimeMessage m = got[0];
            assertEquals("<" + email.messageId() + "@gridgov>", m.getMessageID());
            assertEquals("reporter@example.org", m.getAllRecipients()[0].toString());
            assertEquals("工单" + id + "：已受理", m.getSubject());
            String body = GreenMailUtil.getBody(m);
            String text =
                    new String(
                            m.getInputStream().readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(text.contains("查询码：" + NotifyFixture.CODES.of(id)), body + "\n" + text);
        }
    }

    @Test
    void hotlineRowsArePostedAsWrittenAndSigned() throws Exception {
        try (HttpReceiver hotline = new HttpReceiver()) {
            HotlineChannel channel =
                    new HotlineChannel(
                            new HotlineChannel.Settings(
                                    URI.create(hotline.url("/12345/feedback")),
                                    "hotline-secret",
                                    Duration.ofSeconds(5)),
                            Clock.systemUTC());
            long id = NotifyFixture.report("{\"name\": \"无联系方式\"}");
            String payload = "{\"orderNo\": \"GD20261205001\", \"status\": \"签收\"}";
            try (var c = TestDatabase.get().connection();
                    var ps =
                            c.prepareStatement(
                                    "INSERT INTO outbox (channel, kind, incident_id, payload)"
                                            + " VALUES ('HOTLINE', 'SIGNED_FOR', ?, ?::jsonb)")) {
                ps.setLong(1, id);
                ps.setString(2, payload);
                ps.executeUpdate();
            }
            try (OutboxWorker w = NotifyFixture.worker(Map.of(Channel.HOTLINE, channel), QUICK)) {
                NotifyFixture.drain(w, id);
            }
            NotifyFixture.Row row = NotifyFixture.rows(id).get(0);
            assertEquals("SENT", row.state());
            HttpReceiver.Request r = hotline.requests().get(0);
            // jsonb's own spelling of the payload, byte for byte what was signed
            assertEquals(TestServer.JSON.readTree(payload), TestServer.JSON.readTree(r.body()));
            long t = Long.parseLong(r.header("X-Gridgov-Timestamp"));
            assertTrue(
                    Signature.verify(
                            "hotline-secret", t, r.body(), r.header("X-Gridgov-Signature")));
            assertEquals(row.messageId(), r.header("Idempotency-Key"));
        }
    }
}
