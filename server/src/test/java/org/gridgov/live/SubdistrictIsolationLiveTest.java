package org.gridgov.live;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Isolation by subdistrict on the live feed (issue #20): a screen of subdistrict 2 (chief2) gets
 * only subdistrict 2's events, the demo chief only subdistrict 1's, a district screen (doperator)
 * both and the district's own case (no subdistrict), or the one subdistrict it asks for; anonymous
 * callers get no feed, as before.
 */
@Tag("db")
@Tag("second-subdistrict")
class SubdistrictIsolationLiveTest {

    static SecondSubdistrict.Ids ids;

    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();

    /** An SSE connection read on its own thread: the incidents of the events received so far. */
    static final class Screen {
        final Set<Long> incidents = ConcurrentHashMap.newKeySet();
        volatile int status;
        Thread reader;

        static Screen open(String base, String query, Long ignored, String username)
                throws Exception {
            Screen s = new Screen();
            HttpRequest request =
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/events" + query))
                            .header("Authorization", "Bearer " + TestServer.token(username))
                            .build();
            HttpResponse<Stream<String>> r = null;
            for (int attempt = 0; attempt < 100; attempt++) { // 503 while the relay starts
                r = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
                if (r.statusCode() != 503) break;
                r.body().close();
                Thread.sleep(100);
            }
            s.status = r.statusCode();
            Stream<String> lines = r.body();
            s.reader =
                    new Thread(
                            () -> {
                                try {
                                    lines.forEach(
                                            line -> {
                                                if (!line.startsWith("data: ")) return;
                                                try {
                                                    s.incidents.add(
                                                            TestServer.JSON
                                                                    .readTree(line.substring(6))
                                                                    .get("incidentId")
                                                                    .asLong());
                                                } catch (Exception e) {
                                                    throw new IllegalStateException(e);
                                                }
                                            });
                                } catch (RuntimeException e) {
                                    // closed by the test
                                }
                            });
            s.reader.setDaemon(true);
            s.reader.start();
            s.lines = lines;
            return s;
        }

        Stream<String> lines;

        Set<Long> incidents() {
            return incidents;
        }

        void close() {
            lines.close();
        }

        @Override
        public String toString() {
            return "(stream " + status + ", " + incidents.size() + " incidents)";
        }
    }

    @BeforeAll
    static void install() {
        TestServer.get();
        ids = SecondSubdistrict.install();
    }

    /**
     * A new case like the given one (same place, grid and community; null: the district's own, in
     * no subdistrict) with its REPORTED event, written as the database owner.
     */
    static long report(Long like) throws Exception {
        try (Connection c = TestDatabase.get().dataSource().getConnection()) {
            long id;
            String sql =
                    like == null
                            ? """
                            INSERT INTO incident (status, category, channel, description, location,
                                reported_at, received_at, jurisdiction, platform, due_at, updated_at)
                            SELECT 'ESCALATED', category, channel, 'isolation live test', location,
                                   now(), now(), 'DISTRICT', platform, now() + interval '8 hours',
                                   now()
                            FROM incident WHERE id = ? RETURNING id"""
                            : """
                            INSERT INTO incident (status, category, channel, description, location,
                                reported_at, received_at, jurisdiction, plan_id, grid_id,
                                community_id, platform, due_at, updated_at)
                            SELECT 'REPORTED', category, channel, 'isolation live test', location,
                                   now(), now(), jurisdiction, plan_id, grid_id, community_id,
                                   platform, now() + interval '8 hours', now()
                            FROM incident WHERE id = ? RETURNING id""";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, like == null ? ids.incidentIds().get(0) : like);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute(
                        "INSERT INTO incident_event (incident_id, at, actor_role, type, from_status,"
                                + " to_status) VALUES ("
                                + id
                                + ", now(), 'PUBLIC', 'REPORTED', NULL, 'REPORTED')");
            }
            return id;
        }
    }

    static long firstSubdistrictCase() throws Exception {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id FROM incident WHERE subdistrict_id = ? AND grid_id IS"
                                        + " NOT NULL ORDER BY id LIMIT 1")) {
            ps.setLong(1, ids.firstSubdistrictId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The subdistricts of the cases (-1 for the district's own). */
    static Set<Long> subdistrictsOf(Set<Long> incidents) throws Exception {
        Set<Long> out = new java.util.HashSet<>();
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT DISTINCT coalesce(subdistrict_id, -1) FROM incident"
                                        + " WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", incidents.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static void await(Screen s, Set<Long> incidents) throws Exception {
        long until = System.currentTimeMillis() + 20_000;
        while (!s.incidents().containsAll(incidents) && System.currentTimeMillis() < until)
            Thread.sleep(50);
        assertTrue(s.incidents().containsAll(incidents), s + " " + s.incidents());
    }

    @Test
    void eachScreenGetsItsOwnSubdistrictsEvents() throws Exception {
        String base = TestServer.base();
        var chief = Screen.open(base, "", null, "chief");
        var chief2 = Screen.open(base, "", null, SecondSubdistrict.CHIEF);
        var worker2 = Screen.open(base, "", null, SecondSubdistrict.WORKER);
        var district = Screen.open(base, "", null, "doperator");
        var narrowed = Screen.open(base, "?subdistrict=" + ids.subdistrictId(), null, "doperator");
        try {
            for (var s : List.of(chief, chief2, worker2, district, narrowed))
                assertEquals(200, s.status, s.toString());
            long first = report(firstSubdistrictCase());
            long second = report(ids.incidentIds().get(0));
            long own = report(null);
            await(district, Set.of(first, second, own));
            await(chief, Set.of(first));
            await(chief2, Set.of(second));
            await(worker2, Set.of(second));
            await(narrowed, Set.of(second));
            // the relay passes events on in order: anything the others were due has arrived
            assertFalse(chief.incidents().contains(second), "chief got subdistrict 2's case");
            assertFalse(chief.incidents().contains(own), "chief got the district's own case");
            assertFalse(chief2.incidents().contains(first), "chief2 got subdistrict 1's case");
            assertFalse(chief2.incidents().contains(own), "chief2 got the district's own case");
            assertFalse(worker2.incidents().contains(first));
            assertFalse(narrowed.incidents().contains(first), "doperator narrowed to 2");
            assertFalse(narrowed.incidents().contains(own));
            assertEquals(Set.of(ids.subdistrictId()), subdistrictsOf(chief2.incidents()));
            assertEquals(Set.of(ids.firstSubdistrictId()), subdistrictsOf(chief.incidents()));
        } finally {
            for (var s : List.of(chief, chief2, worker2, district, narrowed)) s.close();
        }
    }

    @Test
    void aSubdistrictScreenMayNotAskForAnother() throws Exception {
        var s =
                Screen.open(
                        TestServer.base(),
                        "?subdistrict=" + ids.firstSubdistrictId(),
                        null,
                        SecondSubdistrict.CHIEF);
        s.close();
        assertEquals(403, s.status);
        var own =
                Screen.open(
                        TestServer.base(),
                        "?subdistrict=" + ids.subdistrictId(),
                        null,
                        SecondSubdistrict.CHIEF);
        own.close();
        assertEquals(200, own.status);
        assertEquals(401, TestServer.get("/api/v1/events").status(), "anonymous");
    }
}
