package org.gridgov.analytics;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
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

    static final String WINDOW =
            "from=" + enc("2025-01-01T00:00:00+08:00") + "&to=" + enc("2027-01-01T00:00:00+08:00");

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
                WHERE i.reported_at >= '2025-01-01T00:00:00+08:00' AND i.reported_at < '2027-01-01T00:00:00+08:00' %2$s
                GROUP BY 1"""
                                        .formatted(size, where))) {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        }
        return out;
    }

    static Map<String, Long> apiBins(String query) {
        var a = TestServer.getAs("auditor", "/api/v1/analytics/bins?" + query);
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
        var a = TestServer.getAs("auditor", "/api/v1/analytics/bins?shape=hex&size=150&" + WINDOW);
        assertEquals(200, a.status(), a.body());
        long total = 0;
        for (JsonNode f : a.json().get("features")) {
            total += f.at("/properties/count").asLong();
            assertEquals(7, f.at("/geometry/coordinates/0").size(), "a closed hexagon ring");
        }
        assertEquals(
                sql(
                        "SELECT count(*) FROM incident WHERE reported_at >= '2025-01-01T00:00:00+08:00'"),
                total);
    }

    @Test
    void hotSpotsCoverTheStudyAreaAndFindTheDensestCell() throws Exception {
        var a = TestServer.getAs("auditor", "/api/v1/analytics/hotspots?size=250&" + WINDOW);
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
        String window =
                "from="
                        + enc("2026-10-01T00:00:00+08:00")
                        + "&to="
                        + enc("2026-11-01T00:00:00+08:00");
        var a = TestServer.getAs("auditor", "/api/v1/analytics/timeseries?interval=day&" + window);
        assertEquals(200, a.status(), a.body());
        JsonNode series = a.json().get("series");
        assertEquals(31, series.size(), "every day of October");
        assertEquals("2026-10-01T00:00+08:00", series.get(0).get("start").asText());
        long expected =
                sql(
                        "SELECT count(*) FROM incident WHERE reported_at >= '2026-10-01T00:00:00+08:00' AND reported_at < '2026-11-01T00:00:00+08:00'");
        assertEquals(expected, a.json().get("total").asLong());
        long oct15 =
                sql(
                        "SELECT count(*) FROM incident WHERE reported_at >= '2026-10-15T00:00:00+08:00' AND reported_at < '2026-10-16T00:00:00+08:00'");
        assertEquals(oct15, series.get(14).get("count").asLong());
        var hours =
                TestServer.getAs("auditor", "/api/v1/analytics/timeseries?interval=hour&" + window)
                        .json();
        assertEquals(31 * 24, hours.get("series").size());
        assertEquals(expected, hours.get("total").asLong());
        var weeks =
                TestServer.getAs("auditor", "/api/v1/analytics/timeseries?interval=week&" + window)
                        .json();
        assertEquals(
                "2026-09-28T00:00+08:00",
                weeks.at("/series/0/start").asText(),
                "weeks start on Monday");
    }

    @Test
    void situationMatchesTheIncidentTable() throws Exception {
        assertEquals(401, TestServer.get("/api/v1/analytics/situation").status());
        var a = TestServer.getAs("operator", "/api/v1/analytics/situation");
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
