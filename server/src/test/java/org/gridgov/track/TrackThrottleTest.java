package org.gridgov.track;

import static org.gridgov.track.Tracking.*;
import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import org.gridgov.api.ApiRouter;
import org.gridgov.api.ClientAddress;
import org.gridgov.api.RateLimit;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Guessing lookup codes is throttled per client address and per ticket. The shared test server
 * allows plenty (every test calls from 127.0.0.1); this one mounts the tracking routes as gridgov
 * wires them, over the test database, with small budgets, a clock held still (no refill mid-test)
 * and 127.0.0.1 as a trusted proxy so each test names its client in X-Forwarded-For.
 */
@Tag("db")
class TrackThrottleTest {

    static final int PER_ADDRESS = 3, PER_TICKET = 4;
    static Vertx vertx;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Tracking.init();
        var ds = TestDatabase.get().dataSource();
        long still = System.nanoTime();
        Guesses guesses =
                new Guesses(
                        new RateLimit("failed tracking attempts", PER_ADDRESS, () -> still),
                        new RateLimit(
                                "failed tracking attempts on one ticket",
                                PER_TICKET,
                                Duration.ofHours(1),
                                () -> still));
        vertx = Vertx.vertx();
        Router router = ApiRouter.create(vertx, 64 * 1024);
        ClientAddress.trusting("127.0.0.1").mount(router);
        // look-ups only: no rating reaches the engine here
        new TrackRoutes(
                        new TrackStore(ds, null, Clock.systemUTC()),
                        codes,
                        guesses,
                        PhotoSource.NONE)
                .mount(router);
        HttpServer server =
                vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
        base = "http://127.0.0.1:" + server.actualPort();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    static Answer lookup(String client, long ticket, String code) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/track"))
                        .header("Content-Type", "application/json")
                        .header("X-Forwarded-For", client)
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"ticket\": %d, \"code\": \"%s\"}"
                                                .formatted(ticket, code)))
                        .build());
    }

    static String wrong(String code) {
        return code.charAt(0) == 'A' ? "B" + code.substring(1) : "A" + code.substring(1);
    }

    @Test
    void oneAddressGuessingIsStoppedOthersAreNot() {
        long t1 = fileReport().get("id").asLong();
        var r2 = fileReport();
        long t2 = r2.get("id").asLong();
        String c2 = r2.get("lookupCode").asText();
        String guesser = "198.51.100.7";
        // right codes cost nothing: a reporter may reload their page as often as they like
        for (int i = 0; i < PER_ADDRESS + 2; i++)
            assertEquals(200, lookup(guesser, t2, c2).status());
        // wrong codes on several tickets, and unknown tickets, all count against the address
        assertProblem(lookup(guesser, t1, "AAAAAAAA"), 404, "no-such-ticket");
        assertProblem(lookup(guesser, t2, wrong(c2)), 404, "no-such-ticket");
        assertProblem(lookup(guesser, 8_000_000_000L, "AAAAAAAA"), 404, "no-such-ticket");
        Answer stopped = lookup(guesser, t1 + 1_000_000, "AAAAAAAA");
        assertProblem(stopped, 429, "too-many-requests");
        assertTrue(
                Long.parseLong(stopped.header("Retry-After")) >= 1, stopped.headers().toString());
        // refused before the code is checked: even a right one does not get through now, so a
        // 429 says nothing about the code
        assertProblem(lookup(guesser, t2, c2), 429, "too-many-requests");
        // another address is not held up
        assertEquals(200, lookup("198.51.100.8", t2, c2).status());
    }

    @Test
    void oneTicketGuessedFromManyAddressesIsStopped() {
        var r = fileReport();
        long t = r.get("id").asLong();
        String c = r.get("lookupCode").asText();
        for (int i = 0; i < PER_TICKET; i++)
            assertProblem(lookup("203.0.113." + (10 + i), t, wrong(c)), 404, "no-such-ticket");
        Answer stopped = lookup("203.0.113.99", t, wrong(c));
        assertProblem(stopped, 429, "too-many-requests");
        assertNotNull(stopped.header("Retry-After"));
        // that address spent nothing on its refused try: another ticket still opens for it
        var other = fileReport();
        assertEquals(
                200,
                lookup("203.0.113.99", other.get("id").asLong(), other.get("lookupCode").asText())
                        .status());
    }
}
