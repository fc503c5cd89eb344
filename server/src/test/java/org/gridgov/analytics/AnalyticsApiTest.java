package org.gridgov.analytics;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.Map;
import org.gridgov.demo.DemoParams;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.RelayDiagnosis;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bins, hot spots, time series and the situation panel, checked against SQL over raw incidents. */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class AnalyticsApiTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /**
     * The figures compared with SQL over every incident are read as a district-wide caller: a
     * subdistrict's staff count their own only (the isolation rule), and the district's own cases
     * (no subdistrict) are in the table too.
     */
    static final String DISTRICT_WIDE = "doperator";

    /**
     * The demo's whole history and the cases the tests add: local midnights 400 days before the
     * anchor the test area loaded with and 2 days after it.
     */
    static final String FROM = day(-400).toString(), TO = day(2).toString();

    static final String WINDOW = "from=" + enc(FROM) + "&to=" + enc(TO);

    /** Local midnight {@code days} after the day of the demo's anchor. */
    static OffsetDateTime day(int days) {
        return LocalDate.ofInstant(TestDatabase.demoAnchor(), ZONE)
                .plusDays(days)
                .atStartOfDay(ZONE)
                .toOffsetDateTime();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static long sql(String query) throws Exception {
        return TestDatabase.queryLong(query);
    }

    /**
     * Per-cell counts straight from the incident table: the truth the in-memory copy must match.
     */
    static Map<String, Long> sqlBins(double size, String where) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                SELECT floor(ST_X(p) / %1$s)::int || ',' || floor(ST_Y(p) / %1$s)::int, count(*)
                FROM incident i, LATERAL ST_Transform(i.location, 4549) p
                WHERE i.reported_at >= '%3$s' AND i.reported_at < '%4$s' %2$s
                GROUP BY 1"""
                                        .formatted(size, where, FROM, TO))) {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        }
        return out;
    }

    static Map<String, Long> apiBins(String query) {
        var a = TestServer.getAs(DISTRICT_WIDE, "/api/v1/analytics/bins?" + query);
        assertEquals(200, a.status(), a.body());
        Map<String, Long> out = new HashMap<>();
        for (JsonNode f : a.json().get("features"))
            out.put(f.at("/properties/cell").asText(), f.at("/properties/count").asLong());
        return out;
    }

    static void awaitNoDrift() throws Exception {
        for (int k = 0; k < 100; k++) {
            var a = TestServer.getAs("auditor", "/api/v1/analytics/consistency");
            if (a.json().get("differences").asLong() == 0) return;
            Thread.sleep(100);
        }
        fail(
                "the in-memory copy did not converge on the incident table"
                        + RelayDiagnosis.describe());
    }

    @Test
    void squareBinsEqualSqlOverRawIncidentsIncludingNewReports() throws Exception {
        for (int k = 0; k < 5; k++)
            TestServer.postAs(
                    "operator",
                    "/api/v1/incidents",
                    DemoFixture.report(DemoFixture.subdistrictCategory()));
        awaitNoDrift();
        assertEquals(sqlBins(100, ""), apiBins("size=100&" + WINDOW));
        String category = DemoFixture.subdistrictCategory();
        assertEquals(
                sqlBins(250, "AND i.category = '" + category + "'"),
                apiBins("size=250&category=" + category + "&" + WINDOW));
        assertEquals(
                sqlBins(200, "AND i.platform = 'SERVICE' AND i.status IN ('CLOSED', 'REJECTED')"),
                apiBins("size=200&platform=SERVICE&status=CLOSED,REJECTED&" + WINDOW));
        var consistency = TestServer.getAs("auditor", "/api/v1/analytics/consistency").json();
        assertEquals(
                sql("SELECT count(*) FROM incident"),
                consistency.get("incidentsInMemory").asLong());
        assertEquals(0, consistency.get("differences").asLong());
    }

    @Test
    void hexBinsCountEveryIncidentOnceWithValidCells() throws Exception {
        awaitNoDrift();
        var a =
                TestServer.getAs(
                        DISTRICT_WIDE, "/api/v1/analytics/bins?shape=hex&size=150&" + WINDOW);
        assertEquals(200, a.status(), a.body());
        long total = 0;
        for (JsonNode f : a.json().get("features")) {
            total += f.at("/properties/count").asLong();
            assertEquals(7, f.at("/geometry/coordinates/0").size(), "a closed hexagon ring");
        }
        assertEquals(
                sql(
                        "SELECT count(*) FROM incident WHERE reported_at >= '%s' AND reported_at < '%s'"
                                .formatted(FROM, TO)),
                total);
    }

    @Test
    void hotSpotsCoverTheStudyAreaAndFindTheDensestCell() throws Exception {
        var a = TestServer.getAs(DISTRICT_WIDE, "/api/v1/analytics/hotspots?size=250&" + WINDOW);
        assertEquals(200, a.status(), a.body());
        JsonNode features = a.json().get("features");
        double cellArea = 250.0 * 250.0;
        double subdistrict =
                sql(
                        "SELECT round(ST_Area(ST_Transform(geom, 4549))) FROM jurisdiction WHERE kind = 'SUBDISTRICT'");
        assertEquals(
                subdistrict / cellArea,
                features.size(),
                subdistrict / cellArea * 0.1,
                "about one cell per 250 m square of the area");
        JsonNode densest = null;
        int hot = 0;
        for (JsonNode f : features) {
            String cls = f.at("/properties/class").asText();
            assertTrue(cls.matches("hot99|hot95|hot90|none|cold90|cold95|cold99"), cls);
            if (cls.startsWith("hot")) hot++;
            if (densest == null
                    || f.at("/properties/count").asLong()
                            > densest.at("/properties/count").asLong()) densest = f;
        }
        assertTrue(hot > 0, "the demo history has hot spots");
        assertTrue(
                densest.at("/properties/z").asDouble() > 2,
                "the densest cell stands out: " + densest);
        assertTrue(
                a.header("X-Gridgov-Neighbourhood").contains("375.0 m"),
                a.header("X-Gridgov-Neighbourhood"));
    }

    @Test
    void timeSeriesSumsToTheSqlCountWithZerosIncluded() throws Exception {
        awaitNoDrift();
        // the last whole month of the demo's history: the month before the anchor's
        LocalDate first = LocalDate.ofInstant(TestDatabase.demoAnchor(), ZONE).withDayOfMonth(1);
        first = first.minusMonths(1);
        int days = first.lengthOfMonth();
        OffsetDateTime from = first.atStartOfDay(ZONE).toOffsetDateTime();
        OffsetDateTime to = first.plusMonths(1).atStartOfDay(ZONE).toOffsetDateTime();
        String window = "from=" + enc(from.toString()) + "&to=" + enc(to.toString());
        var a =
                TestServer.getAs(
                        DISTRICT_WIDE, "/api/v1/analytics/timeseries?interval=day&" + window);
        assertEquals(200, a.status(), a.body());
        JsonNode series = a.json().get("series");
        assertEquals(days, series.size(), "every day of " + first.getMonth());
        assertEquals(from.toString(), series.get(0).get("start").asText());
        long expected =
                sql(
                        "SELECT count(*) FROM incident WHERE reported_at >= '%s' AND reported_at < '%s'"
                                .formatted(from, to));
        assertTrue(expected > 50, "the month has the demo's reports: " + expected);
        assertEquals(expected, a.json().get("total").asLong());
        long day15 =
                sql(
                        "SELECT count(*) FROM incident WHERE reported_at >= '%s' AND reported_at < '%s'"
                                .formatted(from.plusDays(14), from.plusDays(15)));
        assertEquals(day15, series.get(14).get("count").asLong());
        var hours =
                TestServer.getAs(
                                DISTRICT_WIDE,
                                "/api/v1/analytics/timeseries?interval=hour&" + window)
                        .json();
        assertEquals(days * 24, hours.get("series").size());
        assertEquals(expected, hours.get("total").asLong());
        var weeks =
                TestServer.getAs(
                                DISTRICT_WIDE,
                                "/api/v1/analytics/timeseries?interval=week&" + window)
                        .json();
        assertEquals(
                first.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                        .atStartOfDay(ZONE)
                        .toOffsetDateTime()
                        .toString(),
                weeks.at("/series/0/start").asText(),
                "weeks start on Monday");
    }

    @Test
    void situationMatchesTheIncidentTable() throws Exception {
        assertEquals(401, TestServer.get("/api/v1/analytics/situation").status());
        var a = TestServer.getAs(DISTRICT_WIDE, "/api/v1/analytics/situation");
        assertEquals(200, a.status(), a.body());
        JsonNode s = a.json();
        assertEquals(
                sql("SELECT count(*) FROM incident WHERE status NOT IN ('CLOSED', 'REJECTED')"),
                s.get("open").asLong());
        long byPlatform = 0;
        for (JsonNode x : s.get("openByPlatformAndStatus")) byPlatform += x.get("count").asLong();
        assertEquals(s.get("open").asLong(), byPlatform);
        assertTrue(s.get("overdue").asLong() <= s.get("open").asLong());
        assertTrue(s.get("busiestGrids").size() > 0);
        assertTrue(s.get("topCategories7d").size() > 0, "this week has the demo's reports");
    }

    /**
     * The test area as it was loaded (its history anchored at the load time): this week has
     * reports, and the open cases are mostly within their deadline (the demo's rows, ids up to
     * {@link DemoParams#small()}'s incidents, at the anchor; other tests only move them on).
     */
    @Test
    void theDemoLooksAliveAtItsLoadTime() throws Exception {
        String anchor = TestDatabase.demoAnchor().toString();
        int demo = DemoParams.small().incidents();
        long week =
                sql(
                        "SELECT count(*) FROM incident WHERE id <= %d AND reported_at >= '%s'"
                                .formatted(demo, day(-6)));
        assertTrue(week > 10, "this week's demo reports: " + week);
        long openAtLoad =
                sql(
                        """
                        SELECT count(*) FROM incident i WHERE id <= %d AND NOT EXISTS (
                            SELECT 1 FROM incident_event e WHERE e.incident_id = i.id
                            AND e.to_status IN ('CLOSED', 'REJECTED') AND e.at <= '%s')"""
                                .formatted(demo, anchor));
        long overdueAtLoad =
                sql(
                        """
                        SELECT count(*) FROM incident i WHERE id <= %d AND due_at < '%s'
                        AND NOT EXISTS (
                            SELECT 1 FROM incident_event e WHERE e.incident_id = i.id
                            AND e.to_status IN ('CLOSED', 'REJECTED') AND e.at <= '%s')"""
                                .formatted(demo, anchor, anchor));
        assertTrue(openAtLoad > 0, "the demo has open cases");
        assertTrue(
                overdueAtLoad <= openAtLoad / 5 + 1,
                overdueAtLoad + " of " + openAtLoad + " open cases overdue at load");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bins?size=5",
                "bins?size=abc",
                "bins?shape=triangle",
                "bins?status=LOST",
                "bins?platform=POLICE",
                "bins?category=NOPE",
                "bins?bbox=1,2,3",
                "bins?from=yesterday",
                "bins?size=10000",
                "bins?size=10",
                "hotspots?shape=hex",
                "hotspots?size=100&distance=50",
                "hotspots?size=100&distance=5000",
                "timeseries?interval=minute",
                "timeseries?interval=hour&from=2000-01-01T00:00:00Z"
            })
    void badParametersAreProblems(String query) {
        var a = TestServer.getAs("auditor", "/api/v1/analytics/" + query);
        assertEquals(
                400,
                a.status(),
                query + " → " + a.body().substring(0, Math.min(300, a.body().length())));
        assertTrue(a.contentType().startsWith("application/problem+json"));
        assertFalse(a.json().path("field").asText().isEmpty(), "names the parameter");
    }
}
