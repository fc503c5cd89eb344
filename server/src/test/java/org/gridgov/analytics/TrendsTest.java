package org.gridgov.analytics;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("db")
@ExtendWith(PostgisExtension.class)
class TrendsTest {

    @Test
    void zAgainstOwnHistoryByHand() {
        // previous 2, 4, 3, 3 → mean 3; current 12 → (12 − 3) / √(3 + 1) = 4.5
        long[] surge = {2, 4, 3, 3, 12};
        assertEquals(4.5, Trends.z(surge), 1e-12);
        assertEquals("rising", Trends.trend(surge));
        assertTrue(Trends.emerging(surge));
        long[] quiet = {2, 4, 3, 3, 4}; // (4 − 3) / 2 = 0.5
        assertEquals(0.5, Trends.z(quiet), 1e-12);
        assertEquals("steady", Trends.trend(quiet));
        assertFalse(Trends.emerging(quiet));
        long[] drop = {9, 8, 10, 9, 0}; // (0 − 9) / √10 = −2.846
        assertEquals("falling", Trends.trend(drop));
        assertEquals(
                "steady", Trends.trend(new long[] {0, 0, 0, 0, 2}), "too few to call it rising");
    }

    @Test
    void aSurgeInOneGridShowsAsRisingAndAsAnEmergingHotSpot() throws Exception {
        var probe = DemoFixture.probe();
        for (int k = 0; k < 15; k++) {
            var a =
                    TestServer.postAs(
                            "operator",
                            "/api/v1/incidents",
                            DemoFixture.report(DemoFixture.subdistrictCategory()));
            assertEquals(201, a.status(), a.body());
        }
        JsonNode grid = null, body = null;
        for (int attempt = 0;
                attempt < 50 && grid == null;
                attempt++) { // the analytics copy follows within a poll
            body =
                    TestServer.getAs("auditor", "/api/v1/analytics/trends?period=week&periods=4")
                            .json();
            for (JsonNode g : body.get("byGrid")) {
                if (g.get("id").asLong() == probe.gridId() && g.get("current").asLong() >= 15)
                    grid = g;
            }
            if (grid == null) Thread.sleep(100);
        }
        assertNotNull(grid, "the probe grid has this week's 15 reports: " + body);
        assertEquals("rising", grid.get("trend").asText(), grid.toString());
        boolean found = false;
        for (JsonNode cell : body.at("/emergingHotspots/features")) {
            JsonNode ring = cell.at("/geometry/coordinates/0");
            double minLon = 999, maxLon = -999, minLat = 999, maxLat = -999;
            for (JsonNode c : ring) {
                minLon = Math.min(minLon, c.get(0).asDouble());
                maxLon = Math.max(maxLon, c.get(0).asDouble());
                minLat = Math.min(minLat, c.get(1).asDouble());
                maxLat = Math.max(maxLat, c.get(1).asDouble());
            }
            if (probe.lon() >= minLon
                    && probe.lon() <= maxLon
                    && probe.lat() >= minLat
                    && probe.lat() <= maxLat) found = true;
        }
        assertTrue(found, "the cell of the surge is an emerging hot spot");
        var communities =
                TestServer.getAs(
                                "auditor",
                                "/api/v1/analytics/trends?by=community&period=month&periods=3")
                        .json();
        assertTrue(communities.get("byCommunity").size() > 0);
        assertEquals(
                400, TestServer.getAs("auditor", "/api/v1/analytics/trends?period=year").status());
        assertEquals(
                400, TestServer.getAs("auditor", "/api/v1/analytics/trends?periods=1").status());
    }
}
