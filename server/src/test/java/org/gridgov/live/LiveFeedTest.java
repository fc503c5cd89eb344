package org.gridgov.live;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.gridgov.app.Config;
import org.gridgov.app.Gridgov;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.RelayDiagnosis;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The live feed on two server instances over one database: both deliver every event, in order,
 * once; a reconnect with Last-Event-ID resumes without gaps; filters filter.
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class LiveFeedTest {

    static Gridgov second;
    static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(java.time.Duration.ofSeconds(10))
                    .build();
    static final ExecutorService READERS = Executors.newCachedThreadPool();

    /** An SSE connection read on its own thread: the events received so far. */
    static final class Stream2 {
        final List<JsonNode> events = new CopyOnWriteArrayList<>();
        final List<Long> ids = new CopyOnWriteArrayList<>();
        volatile int status;
        Future<?> reader;

        static Stream2 open(String base, String query, Long lastEventId) throws Exception {
            return open(base, query, lastEventId, "operator");
        }

        static Stream2 open(String base, String query, Long lastEventId, String username)
                throws Exception {
            Stream2 s = new Stream2();
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/events" + query))
                            .header("Authorization", "Bearer " + TestServer.token(username));
            if (lastEventId != null) b.header("Last-Event-ID", String.valueOf(lastEventId));
            HttpResponse<Stream<String>> r = null;
            for (int attempt = 0;
                    attempt < 50;
                    attempt++) { // 503 while the relay takes its first mark
                r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofLines());
                if (r.statusCode() != 503) break;
                r.body().close();
                Thread.sleep(100);
            }
            s.status = r.statusCode();
            HttpResponse<Stream<String>> response = r;
            s.reader =
                    READERS.submit(
                            () -> {
                                String id = null;
                                for (String line : (Iterable<String>) response.body()::iterator) {
                                    if (line.startsWith("id: ")) id = line.substring(4);
                                    else if (line.startsWith("data: ")) {
                                        s.ids.add(Long.parseLong(id));
                                        s.events.add(TestServer.JSON.readTree(line.substring(6)));
                                    }
                                }
                                return null;
                            });
            return s;
        }

        Set<Long> incidents() {
            Set<Long> out = ConcurrentHashMap.newKeySet();
            for (JsonNode e : events) out.add(e.get("incidentId").asLong());
            return out;
        }

        void close() {
            reader.cancel(true);
        }

        /** For a failure message: how far the stream got, and whether its connection ended. */
        @Override
        public String toString() {
            String state = "open";
            if (reader.isDone()) {
                try {
                    reader.get();
                    state = "ended by the server";
                } catch (Exception e) {
                    state = "failed: " + e.getMessage();
                }
            }
            return "(stream " + status + ", " + ids.size() + " events, " + state + ")";
        }
    }

    @BeforeAll
    static void startSecondInstance() throws Exception {
        DemoFixture.probe();
        var settings = new java.util.HashMap<>(TestDatabase.serverConfig());
        settings.putAll(
                Map.of(
                        "GRIDGOV_PORT",
                        "0",
                        "GRIDGOV_HOST",
                        "127.0.0.1",
                        "GRIDGOV_JWT_SECRET",
                        TestServer.jwtSecret()));
        second = Gridgov.start(Config.of(settings), TestDatabase.server());
    }

    @AfterAll
    static void stop() throws Exception {
        second.close();
        READERS.shutdownNow();
    }

    static String secondBase() {
        return "http://127.0.0.1:" + second.port();
    }

    static long report(String base, String category) throws Exception {
        String body = DemoFixture.report(category);
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/incidents"))
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + TestServer.token("operator"))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.JSON.readTree(r.body()).get("id").asLong();
    }

    static void await(String what, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        await(what, null, done);
    }

    /** Waits for done; a failure says how far the stream got and where the relays are. */
    static void await(String what, Stream2 stream, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                fail(
                        "timed out waiting for "
                                + what
                                + (stream == null ? "" : " " + stream)
                                + RelayDiagnosis.describe());
            Thread.sleep(50);
        }
    }

    @Test
    void bothInstancesDeliverEveryEventOnceInOrderAndAResumeMissesNothing() throws Exception {
        Stream2 a = Stream2.open(TestServer.base(), "", null);
        Stream2 b = Stream2.open(secondBase(), "", null);
        assertEquals(200, a.status);
        assertEquals(200, b.status);

        // Reports to both instances at once, from several threads.
        ExecutorService writers = Executors.newFixedThreadPool(6);
        List<Future<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String base = i % 2 == 0 ? TestServer.base() : secondBase();
            futures.add(writers.submit(() -> report(base, DemoFixture.subdistrictCategory())));
        }
        Set<Long> created = ConcurrentHashMap.newKeySet();
        for (Future<Long> f : futures) created.add(f.get());
        writers.shutdown();

        await("instance A to deliver all 60", a, () -> a.incidents().containsAll(created));
        await("instance B to deliver all 60", b, () -> b.incidents().containsAll(created));
        for (Stream2 s : List.of(a, b)) {
            List<Long> ids = new ArrayList<>(s.ids);
            for (int i = 1; i < ids.size(); i++)
                assertTrue(ids.get(i) > ids.get(i - 1), "strictly increasing, no repeats: " + ids);
        }
        List<Long> fromA = new ArrayList<>(a.ids);
        await("instance B to send as many events as A", () -> b.ids.size() >= fromA.size());
        assertEquals(
                fromA,
                new ArrayList<>(b.ids).subList(0, fromA.size()),
                "both instances send the same sequence");

        // Reconnect to B as if the screen had seen only the first 10 events from A.
        long resumeAfter = fromA.get(9);
        Stream2 resumed = Stream2.open(secondBase(), "", resumeAfter);
        List<Long> expected = fromA.subList(10, fromA.size());
        await("the resumed stream to catch up", () -> resumed.ids.size() >= expected.size());
        assertEquals(expected, new ArrayList<>(resumed.ids).subList(0, expected.size()));
        for (JsonNode e : a.events) {
            if (created.contains(e.get("incidentId").asLong())) {
                assertEquals("REPORTED", e.get("toStatus").asText());
                assertEquals(DemoFixture.subdistrictCategory(), e.get("category").asText());
            }
        }
        a.close();
        b.close();
        resumed.close();
    }

    @Test
    void filtersByPlatform() throws Exception {
        Stream2 governance = Stream2.open(TestServer.base(), "?platform=GOVERNANCE", null);
        long enforcement =
                report(
                        TestServer.base(),
                        DemoFixture.subdistrictCategory()); // an ENFORCEMENT category
        long district = report(TestServer.base(), DemoFixture.districtCategory());
        String districtPlatform =
                TestServer.getAs("auditor", "/api/v1/incidents/" + district)
                        .json()
                        .at("/routing/platform")
                        .asText();
        assertFalse(districtPlatform.isEmpty());
        Stream2 all = Stream2.open(TestServer.base(), "", null);
        long marker = report(TestServer.base(), DemoFixture.subdistrictCategory());
        await("the unfiltered stream to see the marker", () -> all.incidents().contains(marker));
        // The marker came after both reports, so the filtered stream has had its chance at them.
        Thread.sleep(300);
        for (JsonNode e : governance.events) assertEquals("GOVERNANCE", e.get("platform").asText());
        assertFalse(
                governance.incidents().contains(enforcement),
                "an ENFORCEMENT case is not sent to a GOVERNANCE screen");
        if (districtPlatform.equals("GOVERNANCE"))
            assertTrue(governance.incidents().contains(district));
        governance.close();
        all.close();
    }

    @Test
    void aGridWorkerSeesOnlyTheirGrid() throws Exception {
        String worker = username(DemoFixture.probe().workerId());
        Stream2 mine = Stream2.open(TestServer.base(), "", null, worker);
        Stream2 all = Stream2.open(TestServer.base(), "", null);
        long inMyGrid = report(TestServer.base(), DemoFixture.subdistrictCategory());
        long elsewhere = reportAt(otherGridPoint());
        await(
                "the command centre to see both",
                () -> all.incidents().contains(inMyGrid) && all.incidents().contains(elsewhere));
        await("the worker to see their grid's case", () -> mine.incidents().contains(inMyGrid));
        Thread.sleep(300);
        assertFalse(
                mine.incidents().contains(elsewhere),
                "another grid's case is not sent to this worker");
        for (JsonNode e : mine.events)
            assertEquals(DemoFixture.probe().gridId(), e.get("gridId").asLong());
        var other =
                TestServer.getAs(
                        worker, "/api/v1/events?grid=" + (DemoFixture.probe().gridId() + 1));
        assertEquals(403, other.status(), "asking for another grid is refused");
        mine.close();
        all.close();
    }

    static String username(long staffId) throws Exception {
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT username FROM staff WHERE id = " + staffId)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static double[] otherGridPoint() throws Exception {
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                var rs =
                        st.executeQuery(
                                "SELECT ST_X(p), ST_Y(p) FROM grid g, LATERAL ST_PointOnSurface(g.geom) p WHERE g.plan_id = plan_in_effect() AND g.id <> "
                                        + DemoFixture.probe().gridId()
                                        + " ORDER BY g.id LIMIT 1")) {
            rs.next();
            return new double[] {rs.getDouble(1), rs.getDouble(2)};
        }
    }

    static long reportAt(double[] p) throws Exception {
        var a =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        DemoFixture.report(DemoFixture.subdistrictCategory(), p[0], p[1]));
        assertEquals(201, a.status(), a.body());
        return a.json().get("id").asLong();
    }

    @Test
    void badParametersAreProblems() {
        assertEquals(401, TestServer.get("/api/v1/events").status(), "the live feed needs a token");
        assertEquals(400, TestServer.getAs("operator", "/api/v1/events?lastEventId=abc").status());
        assertEquals(400, TestServer.getAs("operator", "/api/v1/events?platform=POLICE").status());
        assertEquals(400, TestServer.getAs("operator", "/api/v1/events?grid=0").status());
        var a = TestServer.getAs("operator", "/api/v1/events?category=NOPE");
        assertEquals(400, a.status());
        assertTrue(a.contentType().startsWith("application/problem+json"));
    }
}
