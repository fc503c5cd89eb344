package org.gridgov.faults;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridgov.bench.ServerProcess;
import org.gridgov.db.Database;
import org.gridgov.db.DbSettings;
import org.gridgov.testing.HttpReceiver;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gridgov killed with SIGKILL while the outbox is delivering: reports with a phone stream in, the
 * SMS gateway (a local receiver) holds the requests in flight, the server dies before it hears
 * back. After the restart every message reaches the gateway, and de-duplicated by its message id
 * (the receiver's side of the contract, docs/notifications.md) exactly once; the redeliveries are
 * the messages the dead server had in flight.
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class OutboxKillTest {

    static final int REPORTS = 60, THREADS = 4, LEASE_SECONDS = 6;

    @Test
    void everyMessageArrivesOnceByIdAcrossAKill() throws Exception {
        String name = TestDatabase.NAME + "_outbox_kill";
        FaultFixture.Fresh fresh = FaultFixture.freshDatabase(name);
        DbSettings s = fresh.server();
        Path log = Files.createTempFile("gridgov-outbox-kill", ".log");
        try (HttpReceiver gateway = new HttpReceiver();
                Database db = Database.connect(fresh.owner())) {
            // a gateway that takes a moment per message, so deliveries overlap the kill
            gateway.answer(
                    r -> {
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return 200;
                    });
            Map<String, String> env = new HashMap<>();
            env.put("GRIDGOV_DB_URL", s.url());
            env.put("GRIDGOV_DB_USER", s.user());
            env.put("GRIDGOV_DB_PASSWORD", s.password());
            env.put("GRIDGOV_JWT_SECRET", FaultFixture.jwtSecret());
            env.put("GRIDGOV_SCHEDULER_SECONDS", "0");
            env.put("GRIDGOV_ANONYMOUS_WRITES_PER_MINUTE", "1000000");
            env.put("GRIDGOV_MAPSERVER_URL", "http://127.0.0.1:9/unused");
            env.put("GRIDGOV_SMS_GATEWAY_URL", gateway.url("/sms"));
            env.put("GRIDGOV_OUTBOX_THREADS", Integer.toString(THREADS));
            env.put("GRIDGOV_OUTBOX_LEASE_SECONDS", Integer.toString(LEASE_SECONDS));
            env.put("GRIDGOV_NOTIFY_TIMEOUT_SECONDS", "3");
            env.put("GRIDGOV_OUTBOX_POLL_MS", "100");
            try (ServerProcess server =
                    new ServerProcess(System.getProperty("java.class.path"), "512m", env, log)) {
                server.start(Duration.ofMinutes(3));
                var target = FaultFixture.target(db, server::base, null);
                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < REPORTS; i++) {
                    String body =
                            """
                            {"category": "%s", "channel": "PUBLIC_ONLINE", "location": {"lon": %s, "lat": %s},
                             "reporter": {"phone": "1390000%04d"}}"""
                                    .formatted(target.category(), target.lon(), target.lat(), i);
                    HttpResponse<String> r =
                            http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(server.base() + "/api/v1/incidents"))
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                    assertEquals(201, r.statusCode(), r.body());
                    // a third of the way in, the gateway stops answering: deliveries pile up
                    if (i == REPORTS / 3) gateway.hold();
                }
                assertTrue(
                        waitFor(() -> held(gateway) >= THREADS, 30_000),
                        "deliveries in flight: " + gateway.requests().size());
                int beforeKill = gateway.requests().size();
                server.kill();
                long killedAt = System.nanoTime();
                gateway.release(); // its answers go nowhere: the server is gone
                long sentAtKill = count(db, "SELECT count(*) FROM outbox WHERE state = 'SENT'");

                server.start(Duration.ofMinutes(3));
                long restartedAt = System.nanoTime();
                assertTrue(
                        waitFor(
                                () ->
                                        count(
                                                        db,
                                                        "SELECT count(*) FROM outbox WHERE state = 'SENT'")
                                                == REPORTS,
                                120_000),
                        "all sent after the restart: "
                                + count(db, "SELECT count(*) FROM outbox WHERE state = 'SENT'"));
                long drainedAt = System.nanoTime();

                List<String> ids = strings(db, "SELECT message_id::text FROM outbox");
                assertEquals(REPORTS, ids.size(), "one message per report");
                List<HttpReceiver.Request> all = gateway.requests();
                // what the gateway had before the kill, each accepted by it (it answers 200) but
                // marked sent only when the server heard so: the rest was in flight
                Set<String> beforeTheKill = new HashSet<>();
                for (HttpReceiver.Request r : all.subList(0, beforeKill))
                    beforeTheKill.add(r.header("Idempotency-Key"));
                long inFlight = beforeTheKill.size() - sentAtKill;
                Set<String> distinct = new HashSet<>(beforeTheKill);
                long redelivered = 0, duplicatesAfter = 0;
                Map<String, Integer> times = new HashMap<>();
                for (HttpReceiver.Request r : all)
                    times.merge(r.header("Idempotency-Key"), 1, Integer::sum);
                for (HttpReceiver.Request r : all.subList(beforeKill, all.size())) {
                    String id = r.header("Idempotency-Key");
                    assertTrue(ids.contains(id), "a message the outbox holds: " + id);
                    if (beforeTheKill.contains(id)) redelivered++;
                    else if (!distinct.add(id)) duplicatesAfter++;
                }
                times.entrySet().stream()
                        .filter(e -> e.getValue() > 1)
                        .forEach(e -> System.out.println("faults.outbox.repeated: " + e));
                assertEquals(Set.copyOf(ids), distinct, "every message reached the gateway");
                assertEquals(Set.copyOf(ids), gateway.accepted(), "and was accepted by id");
                assertTrue(inFlight >= 1, "deliveries were in flight at the kill");
                assertEquals(
                        inFlight,
                        redelivered,
                        "what was in flight came again, once: " + times.values());
                assertEquals(0, duplicatesAfter, "nothing else came twice");
                String p = "faults.outbox.";
                System.out.printf(
                        "%smessages=%d%n%sdeliveries=%d%n%sdistinct_received=%d%n"
                                + "%sin_flight_at_kill=%d%n%sredeliveries_after_kill=%d%n"
                                + "%ssent_before_kill=%d%n%slease_s=%d%n%srestart_ms=%.0f%n"
                                + "%sdrain_ms=%.0f%n%skill_to_all_sent_ms=%.0f%n",
                        p,
                        REPORTS,
                        p,
                        all.size(),
                        p,
                        distinct.size(),
                        p,
                        inFlight,
                        p,
                        redelivered,
                        p,
                        sentAtKill,
                        p,
                        LEASE_SECONDS,
                        p,
                        (restartedAt - killedAt) / 1e6,
                        p,
                        (drainedAt - restartedAt) / 1e6,
                        p,
                        (drainedAt - killedAt) / 1e6);
            }
        } finally {
            FaultFixture.drop(fresh);
        }
    }

    /** Requests that arrived and have not been answered (the receiver is holding). */
    private static long held(HttpReceiver gateway) {
        return gateway.requests().size() - gateway.answered();
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static boolean waitFor(Check c, long millis) throws Exception {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (c.ok()) return true;
            Thread.sleep(50);
        }
        return c.ok();
    }

    private static long count(Database db, String sql) throws Exception {
        try (var c = db.connection();
                var st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> strings(Database db, String sql) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (var c = db.connection();
                var st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
