package org.gridgov.analytics;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Isolation by subdistrict in the analytics (issue #20): bins, time series, hot spots, trends and
 * the situation panel count only the caller's subdistrict's incidents — chief2 never subdistrict
 * 1's, the demo chief never subdistrict 2's — while doperator (district scope) counts every
 * incident, the district's own included.
 */
@Tag("db")
@Tag("second-subdistrict")
class SubdistrictIsolationAnalyticsTest {

    static final String HOTSPOTS = "/api/v1/analytics/hotspots?size=500&";

    static SecondSubdistrict.Ids ids;
    static Instant from, to;
    static String window;

    @BeforeAll
    static void install() throws Exception {
        TestServer.get();
        ids = SecondSubdistrict.install();
        // the boundaries and hot-spot study areas with the second subdistrict, not in 5 s
        TestServer.get().refreshAreas();
        to = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        from = to.minus(10, ChronoUnit.DAYS);
        window = "from=" + from + "&to=" + to;
        // the in-memory points follow the event table through the relay, the study areas the
        // jurisdiction table on a timer: wait until they hold what the fixture wrote with SQL
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((total("doperator") != inWindow(null)
                        || TestServer.getAs(SecondSubdistrict.CHIEF, HOTSPOTS + window)
                                .json()
                                .get("features")
                                .isEmpty())
                && System.nanoTime() < deadline) Thread.sleep(200);
    }

    /** Incidents reported in the window: of one subdistrict, or all (null). */
    static long inWindow(Long subdistrict) throws Exception {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*) FROM incident WHERE reported_at >= ? AND"
                                        + " reported_at < ? AND (?::bigint IS NULL OR"
                                        + " subdistrict_id = ?)")) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            ps.setObject(3, subdistrict, java.sql.Types.BIGINT);
            ps.setObject(4, subdistrict, java.sql.Types.BIGINT);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Open incidents (not CLOSED or REJECTED) of one subdistrict, or all (null). */
    static long open(Long subdistrict) throws Exception {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*) FROM incident WHERE status NOT IN ('CLOSED',"
                                        + " 'REJECTED') AND (?::bigint IS NULL OR subdistrict_id"
                                        + " = ?)")) {
            ps.setObject(1, subdistrict, java.sql.Types.BIGINT);
            ps.setObject(2, subdistrict, java.sql.Types.BIGINT);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static JsonNode ok(String user, String path) {
        Answer a = TestServer.getAs(user, path);
        assertEquals(200, a.status(), user + " " + path + ": " + a.body());
        return a.json();
    }

    static long total(String user) {
        return ok(user, "/api/v1/analytics/timeseries?interval=day&" + window)
                .get("total")
                .asLong();
    }

    /** The sum of the cells' counts of a bins or hot-spot answer. */
    static long cellSum(JsonNode fc) {
        long n = 0;
        for (JsonNode f : fc.get("features")) n += f.path("properties").path("count").asLong();
        return n;
    }

    @Test
    void timeSeriesAndBinsCountTheCallersSubdistrictOnly() throws Exception {
        long second = inWindow(ids.subdistrictId()), first = inWindow(ids.firstSubdistrictId());
        assertTrue(second >= SecondSubdistrict.INCIDENTS, "fixture incidents: " + second);
        assertEquals(second, total(SecondSubdistrict.CHIEF), "chief2's time series");
        assertEquals(first, total("chief"), "chief's time series");
        assertEquals(inWindow(null), total("doperator"), "doperator's time series");
        String bins = "/api/v1/analytics/bins?size=500&" + window;
        assertEquals(second, cellSum(ok(SecondSubdistrict.CHIEF, bins)), "chief2's bins");
        assertEquals(first, cellSum(ok("chief", bins)), "chief's bins");
        assertEquals(inWindow(null), cellSum(ok("doperator", bins)), "doperator's bins");
    }

    @Test
    void hotSpotsCoverTheCallersSubdistrictOnly() throws Exception {
        String path = HOTSPOTS + window;
        JsonNode mine = ok(SecondSubdistrict.CHIEF, path), theirs = ok("chief", path);
        JsonNode all = ok("doperator", path);
        long m = cellSum(mine), t = cellSum(theirs), a = cellSum(all);
        // the study area is the caller's subdistrict: chief2's cells hold at most its incidents
        assertTrue(m > 0 && m <= inWindow(ids.subdistrictId()), "chief2: " + m);
        assertTrue(t > 0 && t <= inWindow(ids.firstSubdistrictId()), "chief: " + t);
        assertTrue(a >= m + t, "doperator " + a + " < " + m + " + " + t);
        assertTrue(
                mine.get("features").size() < all.get("features").size(),
                "chief2's study area is one subdistrict of the district's");
    }

    static Set<Long> trendGrids(String user) {
        Set<Long> out = new HashSet<>();
        for (JsonNode g :
                ok(user, "/api/v1/analytics/trends?period=week&periods=4&to=" + to).get("byGrid"))
            out.add(g.get("id").asLong());
        return out;
    }

    @Test
    void trendsOfTheCallersGridsOnly() {
        Set<Long> mine = trendGrids(SecondSubdistrict.CHIEF);
        assertEquals(Set.of(ids.gridId()), mine, "chief2's trends");
        Set<Long> theirs = trendGrids("chief");
        assertFalse(theirs.isEmpty(), "chief's trends");
        assertFalse(theirs.contains(ids.gridId()), "chief sees subdistrict 2's grid");
        Set<Long> all = trendGrids("doperator");
        assertTrue(all.contains(ids.gridId()) && all.containsAll(theirs), "doperator: " + all);
    }

    @Test
    void situationOfTheCallersSubdistrict() throws Exception {
        String path = "/api/v1/analytics/situation";
        JsonNode mine = ok(SecondSubdistrict.CHIEF, path);
        assertEquals(open(ids.subdistrictId()), mine.get("open").asLong(), "chief2's open");
        for (JsonNode g : mine.get("busiestGrids"))
            assertEquals(SecondSubdistrict.GRID_CODE, g.get("code").asText(), "chief2's grids");
        JsonNode theirs = ok("chief", path);
        assertEquals(open(ids.firstSubdistrictId()), theirs.get("open").asLong(), "chief's");
        for (JsonNode g : theirs.get("busiestGrids"))
            assertNotEquals(SecondSubdistrict.GRID_CODE, g.get("code").asText(), "chief's");
        assertEquals(open(null), ok("doperator", path).get("open").asLong(), "doperator's");
        assertEquals(401, TestServer.get(path).status());
    }
}
