package org.gridgov.incident;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.gridgov.db.DbSettings;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Group commit of intake (docs/intake.md): reports queued together are written in one transaction,
 * and each still gets the answer it would have got alone, only after the commit.
 */
@Tag("db")
@SuppressWarnings("try") // the batcher's hold is only ever closed
class IntakeBatchTest {

    static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String BAD = "intake-batch-test: refused by a row trigger";
    static final String FAILS_AT_COMMIT = "intake-batch-test: refused at commit";

    static IntakeBatcher batcher;
    static String token;
    static String category;
    static DemoFixture.Probe probe;

    /**
     * Points spread over the probe's grid: a hundred reports on one point would make the hottest
     * spot of the test area, and the heat map's browser test reads the picture it normalises.
     */
    static final java.util.List<double[]> POINTS = new java.util.ArrayList<>();

    static final java.util.concurrent.atomic.AtomicInteger NEXT_POINT =
            new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void setUp() throws Exception {
        batcher = TestServer.get().intakeBatcher();
        assertNotNull(batcher, "intake batches by default");
        token = TestServer.token("operator");
        category = DemoFixture.subdistrictCategory();
        probe = DemoFixture.probe();
        try (Connection c = TestDatabase.get().connection();
                Statement st = c.createStatement();
                java.sql.ResultSet rs =
                        st.executeQuery(
                                "SELECT ST_X(d.geom), ST_Y(d.geom) FROM grid g,"
                                        + " ST_Dump(ST_GeneratePoints(ST_Buffer(g.geom, -0.0002),"
                                        + " 64, 20261206)) d WHERE g.id = "
                                        + probe.gridId())) {
            while (rs.next()) POINTS.add(new double[] {rs.getDouble(1), rs.getDouble(2)});
        }
        if (POINTS.isEmpty()) POINTS.add(new double[] {probe.lon(), probe.lat()});
        // A failure the request's validation cannot foresee, as a constraint would be: one at the
        // row's insert, one only when the transaction commits (a deferred constraint trigger).
        try (Connection c = TestDatabase.get().connection();
                Statement st = c.createStatement()) {
            st.execute(
                    """
                    CREATE OR REPLACE FUNCTION intake_batch_test_refuse() RETURNS trigger
                    LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.description IN ('%s', '%s') THEN
                            RAISE EXCEPTION 'refused by the test: %%', NEW.description
                                USING ERRCODE = 'check_violation';
                        END IF;
                        RETURN NEW;
                    END $$"""
                            .formatted(BAD, FAILS_AT_COMMIT));
            st.execute("DROP TRIGGER IF EXISTS intake_batch_test_row ON incident");
            st.execute("DROP TRIGGER IF EXISTS intake_batch_test_commit ON incident");
            st.execute(
                    """
                    CREATE TRIGGER intake_batch_test_row BEFORE INSERT ON incident FOR EACH ROW
                    WHEN (NEW.description = '%s') EXECUTE FUNCTION intake_batch_test_refuse()"""
                            .formatted(BAD));
            st.execute(
                    """
                    CREATE CONSTRAINT TRIGGER intake_batch_test_commit AFTER INSERT ON incident
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                    WHEN (NEW.description = '%s') EXECUTE FUNCTION intake_batch_test_refuse()"""
                            .formatted(FAILS_AT_COMMIT));
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        try (Connection c = TestDatabase.get().connection();
                Statement st = c.createStatement()) {
            st.execute("DROP TRIGGER IF EXISTS intake_batch_test_row ON incident");
            st.execute("DROP TRIGGER IF EXISTS intake_batch_test_commit ON incident");
            st.execute("DROP FUNCTION IF EXISTS intake_batch_test_refuse()");
        }
    }

    static String body(String description) {
        double[] p = POINTS.get(Math.floorMod(NEXT_POINT.getAndIncrement(), POINTS.size()));
        return """
                {"category": "%s", "channel": "HOTLINE", "location": {"lon": %s, "lat": %s},
                 "description": "%s"}"""
                .formatted(category, p[0], p[1], description);
    }

    static CompletableFuture<HttpResponse<String>> post(String body, String key) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(TestServer.base() + "/api/v1/incidents"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Idempotency-Key", key);
        return CLIENT.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until {@code n} reports are queued behind the hold. */
    static void awaitQueued(int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (batcher.waiting() < n) {
            if (System.nanoTime() > until)
                fail("only " + batcher.waiting() + " of " + n + " reports reached the queue");
            Thread.sleep(5);
        }
    }

    static long id(HttpResponse<String> r) throws Exception {
        return TestServer.JSON.readTree(r.body()).get("id").asLong();
    }

    @Test
    void concurrentReportsAreWrittenTogetherEachWithItsEventAndTimer() throws Exception {
        int n = 64;
        IntakeBatcher.Stats before = batcher.stats();
        DbSettings s = TestDatabase.settings();
        List<String> unseen = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
        // a connection of its own, not the server's: a 201'd id must be there the moment the
        // answer arrives
        try (Connection fresh = DriverManager.getConnection(s.url(), s.user(), s.password());
                PreparedStatement lookup =
                        fresh.prepareStatement("SELECT count(*) FROM incident WHERE id = ?")) {
            try (AutoCloseable hold = batcher.hold()) {
                for (int k = 0; k < n; k++) {
                    answers.add(
                            post(body("batch " + k), UUID.randomUUID().toString())
                                    .thenApply(
                                            r -> {
                                                if (r.statusCode() != 201) return r;
                                                try {
                                                    long id = id(r);
                                                    synchronized (lookup) {
                                                        lookup.setLong(1, id);
                                                        try (ResultSet rs = lookup.executeQuery()) {
                                                            rs.next();
                                                            if (rs.getLong(1) != 1)
                                                                synchronized (unseen) {
                                                                    unseen.add("" + id);
                                                                }
                                                        }
                                                    }
                                                    seen.add(id);
                                                } catch (Exception e) {
                                                    throw new IllegalStateException(e);
                                                }
                                                return r;
                                            }));
                }
                awaitQueued(n);
            }
            for (var a : answers) {
                HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
                assertEquals(201, r.statusCode(), r.body());
            }
        }
        assertEquals(List.of(), unseen, "every 201'd id is committed when the answer arrives");
        Set<Long> ids = new HashSet<>(seen);
        assertEquals(n, ids.size(), "one incident per report");
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                     SELECT count(*),
                            count(*) FILTER (WHERE (SELECT count(*) FROM incident_event e
                                                    WHERE e.incident_id = i.id AND e.type = 'REPORTED') = 1
                                               AND (SELECT count(*) FROM incident_event e
                                                    WHERE e.incident_id = i.id) = 1),
                            count(*) FILTER (WHERE (SELECT count(*) FROM case_timer t
                                                    WHERE t.incident_id = i.id) = 1),
                            count(*) FILTER (WHERE i.status = 'REPORTED' AND i.grid_id = ?)
                     FROM incident i WHERE i.id = ANY (?)""")) {
            ps.setLong(1, probe.gridId());
            ps.setArray(2, c.createArrayOf("int8", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(n, rs.getLong(1));
                assertEquals(n, rs.getLong(2), "one REPORTED event each, nothing else");
                assertEquals(n, rs.getLong(3), "one timer each");
                assertEquals(n, rs.getLong(4), "routed as alone");
            }
        }
        IntakeBatcher.Stats after = batcher.stats();
        assertTrue(
                after.multiReportBatches() > before.multiReportBatches(),
                "at least one batch held more than one report: " + after);
        assertTrue(after.largest() > 1, after.toString());
        assertEquals(before.fallbacks(), after.fallbacks(), "no batch fell back to one by one");
        // the events of one transaction come in report order, each after its incident
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                     SELECT bool_and(ordered) FROM (
                         SELECT (e.id > lag(e.id) OVER (ORDER BY e.incident_id)) IS NOT FALSE AS ordered
                         FROM incident_event e WHERE e.incident_id = ANY (?)) x""")) {
            ps.setArray(1, c.createArrayOf("int8", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertTrue(rs.getBoolean(1), "event ids follow incident ids");
            }
        }
    }

    @Test
    void aReplayInTheSameBatchYieldsOneIncidentAndAReusedKeyIsRefused() throws Exception {
        String key = UUID.randomUUID().toString();
        String same = body("replayed in one batch");
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        try (AutoCloseable hold = batcher.hold()) {
            // queued in this order: first, its replay, another report, the key with another body
            answers.add(post(same, key));
            awaitQueued(1);
            answers.add(post(same, key));
            awaitQueued(2);
            answers.add(post(body("its neighbour in the batch"), UUID.randomUUID().toString()));
            awaitQueued(3);
            answers.add(post(body("another body, same key"), key));
            awaitQueued(4);
        }
        HttpResponse<String> first = answers.get(0).get(60, TimeUnit.SECONDS);
        HttpResponse<String> replay = answers.get(1).get(60, TimeUnit.SECONDS);
        HttpResponse<String> other = answers.get(2).get(60, TimeUnit.SECONDS);
        HttpResponse<String> reused = answers.get(3).get(60, TimeUnit.SECONDS);
        assertEquals(201, first.statusCode(), first.body());
        assertTrue(first.headers().firstValue("Idempotent-Replayed").isEmpty());
        assertEquals(201, replay.statusCode(), replay.body());
        assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(null));
        assertEquals(id(first), id(replay), "the replay names the first one's incident");
        assertEquals(201, other.statusCode(), other.body());
        assertNotEquals(id(first), id(other));
        assertEquals(422, reused.statusCode(), reused.body());
        assertTrue(reused.body().contains("idempotency-key-reused"), reused.body());
        assertEquals(
                1,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident WHERE idempotency_key = '" + key + "'"));
    }

    @Test
    void aBadReportFailsAloneAndTheOthersAreCommitted() throws Exception {
        // what the bad report gets on its own
        HttpResponse<String> alone = post(body(BAD), null).get(60, TimeUnit.SECONDS);
        assertTrue(alone.statusCode() >= 400, alone.body());
        IntakeBatcher.Stats before = batcher.stats();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        try (AutoCloseable hold = batcher.hold()) {
            answers.add(post(body("good before the bad one"), UUID.randomUUID().toString()));
            answers.add(post(body(BAD), UUID.randomUUID().toString()));
            answers.add(post(body("good after the bad one"), UUID.randomUUID().toString()));
            awaitQueued(3);
        }
        HttpResponse<String> bad = answers.get(1).get(60, TimeUnit.SECONDS);
        assertEquals(alone.statusCode(), bad.statusCode(), bad.body());
        for (int k : new int[] {0, 2}) {
            HttpResponse<String> r = answers.get(k).get(60, TimeUnit.SECONDS);
            assertEquals(201, r.statusCode(), r.body());
            assertEquals(
                    1, TestDatabase.queryLong("SELECT count(*) FROM incident WHERE id = " + id(r)));
        }
        assertEquals(before.fallbacks() + 1, batcher.stats().fallbacks());
        assertEquals(
                0,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident WHERE description = '" + BAD + "'"));
    }

    @Test
    void aFailedCommitAcknowledgesNoReportOfTheBatch() throws Exception {
        HttpResponse<String> alone = post(body(FAILS_AT_COMMIT), null).get(60, TimeUnit.SECONDS);
        assertTrue(alone.statusCode() >= 500, alone.body());
        String marker = "with a batch that fails at commit " + UUID.randomUUID();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        try (AutoCloseable hold = batcher.hold()) {
            answers.add(post(body(marker), UUID.randomUUID().toString()));
            answers.add(post(body(FAILS_AT_COMMIT), UUID.randomUUID().toString()));
            answers.add(post(body(marker), UUID.randomUUID().toString()));
            awaitQueued(3);
        }
        for (var a : answers) {
            HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
            assertEquals(alone.statusCode(), r.statusCode(), "never a 201: " + r.body());
        }
        assertEquals(
                0,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident WHERE description = '" + marker + "'"),
                "nothing of the batch was committed");
    }
}
