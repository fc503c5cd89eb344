package org.gridgov.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gridgov.incident.LookupCode;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;

/** Reports with a contact, a worker of the test's own, and the outbox rows of one case. */
final class NotifyFixture {

    private NotifyFixture() {}

    static final LookupCode CODES = new LookupCode(TestServer.jwtSecret());

    static final TicketCodes TICKETS =
            new TicketCodes() {
                @Override
                public String of(long ticket) {
                    return CODES.of(ticket);
                }

                @Override
                public boolean matches(long ticket, String code) {
                    return CODES.matches(ticket, code);
                }
            };

    static final Templates TEMPLATES = new Templates("网格治理", new Links("https://gov.test"));

    /** Reports as the operator (a staff channel, no anonymous rate limit); the ticket. */
    static long report(String reporterJson) {
        String body =
                """
                {"category": "%s", "channel": "HOTLINE", "location": {"lon": %s, "lat": %s},
                 "description": "楼道堆物", "reporter": %s}"""
                        .formatted(
                                DemoFixture.subdistrictCategory(),
                                DemoFixture.probe().lon(),
                                DemoFixture.probe().lat(),
                                reporterJson);
        TestServer.Answer a = TestServer.postAs("operator", "/api/v1/incidents", body);
        assertEquals(201, a.status(), a.body());
        return a.json().get("id").asLong();
    }

    /** Rows other tests left queued would go to this test's receivers: they are withdrawn first. */
    static void withdrawQueued() throws Exception {
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement()) {
            st.executeUpdate(
                    "UPDATE outbox SET state = 'CANCELLED', last_error = 'test set-up'"
                            + " WHERE state = 'PENDING'");
        }
    }

    static OutboxWorker worker(Map<Channel, Sender> senders, Backoff backoff) {
        return new OutboxWorker(
                new OutboxStore(TestDatabase.server().dataSource()),
                senders,
                new OutboxWorker.Settings(
                        4, Duration.ofSeconds(30), Duration.ofMillis(50), backoff),
                Clock.systemUTC(),
                "test");
    }

    static OutboxStore store() {
        return new OutboxStore(TestDatabase.server().dataSource());
    }

    /** One outbox row as the assertions read it. */
    record Row(
            long id,
            String messageId,
            String channel,
            String kind,
            String state,
            int attempts,
            String lastError) {}

    static List<Row> rows(long incident) throws Exception {
        List<Row> out = new ArrayList<>();
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id, message_id, channel, kind, state, attempts, last_error"
                                        + " FROM outbox WHERE incident_id = ? ORDER BY id")) {
            ps.setLong(1, incident);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(
                            new Row(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getInt(6),
                                    rs.getString(7)));
            }
        }
        return out;
    }

    /** Runs the worker until nothing of the case is due, at most a few seconds. */
    static void drain(OutboxWorker w, long incident) throws Exception {
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            w.runOnce();
            if (rows(incident).stream().noneMatch(r -> r.state().equals("PENDING"))) return;
            Thread.sleep(20);
        }
    }
}
