package org.gridgov.workorder;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.gridgov.notify.Backoff;
import org.gridgov.notify.Channel;
import org.gridgov.notify.HotlineChannel;
import org.gridgov.notify.OutboxStore;
import org.gridgov.notify.OutboxWorker;
import org.gridgov.notify.Signature;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.HttpReceiver;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A work order's feedback leaves through the outbox's HOTLINE channel: accepted case → the
 * hotline's receiver gets the SIGN payload, signed, with the row's message id as its key.
 */
@Tag("db")
class WorkOrderFeedbackDeliveryTest {

    @Test
    void theSignForReachesTheHotlineSigned() throws Exception {
        TestServer.get();
        DemoFixture.Probe p = DemoFixture.probe();
        String no = WorkOrderApiTest.no();
        Answer r =
                WorkOrderApiTest.post(
                        WorkOrderApiTest.batch(
                                WorkOrderApiTest.order(no, "010101", p.lon(), p.lat(), "")));
        assertEquals(201, r.status(), r.body());
        long incident = r.json().at("/orders/0/incidentId").asLong();
        WorkOrderApiTest.ok(
                "operator", incident, "{\"action\": \"accept\", \"expectedVersion\": 1}");

        try (HttpReceiver hotline = new HttpReceiver()) {
            HotlineChannel channel =
                    new HotlineChannel(
                            new HotlineChannel.Settings(
                                    URI.create(hotline.url("/12345/feedback")),
                                    "hotline-secret",
                                    Duration.ofSeconds(5)),
                            Clock.systemUTC());
            try (OutboxWorker w =
                    new OutboxWorker(
                            new OutboxStore(TestDatabase.server().dataSource()),
                            Map.of(Channel.HOTLINE, channel),
                            new OutboxWorker.Settings(
                                    2,
                                    Duration.ofSeconds(30),
                                    Duration.ofMillis(50),
                                    new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), 3)),
                            Clock.systemUTC(),
                            "workorder-test")) {
                long end = System.currentTimeMillis() + 10_000;
                while (!state(incident).equals("SENT") && System.currentTimeMillis() < end) {
                    w.runOnce();
                    Thread.sleep(20);
                }
            }
            assertEquals("SENT", state(incident));
            HttpReceiver.Request mine = null;
            for (HttpReceiver.Request q : hotline.requests()) if (q.body().contains(no)) mine = q;
            assertNotNull(mine, "the hotline received the order's feedback");
            JsonNode body = TestServer.JSON.readTree(mine.body());
            assertEquals("SIGN", body.get("type").asText());
            assertEquals(no, body.get("orderNo").asText());
            assertEquals(incident, body.get("caseNo").asLong());
            long t = Long.parseLong(mine.header("X-Gridgov-Timestamp"));
            assertTrue(
                    Signature.verify(
                            "hotline-secret", t, mine.body(), mine.header("X-Gridgov-Signature")));
            assertNotNull(mine.header("Idempotency-Key"));
        }
    }

    private static String state(long incident) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT string_agg(state, ',') FROM outbox"
                                        + " WHERE channel = 'HOTLINE' AND incident_id = ?")) {
            ps.setLong(1, incident);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String s = rs.getString(1);
                return s == null ? "" : s;
            }
        }
    }
}
