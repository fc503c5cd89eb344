package org.gridgov.assess;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import org.gridgov.incident.LookupCode;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reporters' ratings (the tracking page) in the KPIs by grid, platform and worker: four handled
 * cases of October 2024 (before any demo incident) in two grids, rated through POST
 * /api/v1/track/rating; one "not solved". Figures by hand in the comments.
 */
@Tag("db")
class SatisfactionKpiTest {

    static String gridA, gridB;
    static long idA, idB;

    @BeforeAll
    static void build() throws Exception {
        TestServer.get();
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT id, code FROM grid ORDER BY id LIMIT 2 OFFSET 12")) {
            rs.next();
            idA = rs.getLong(1);
            gridA = rs.getString(2);
            rs.next();
            idB = rs.getLong(1);
            gridB = rs.getString(2);
        }
        LookupCode codes = new LookupCode(TestServer.jwtSecret());
        // grid A: 5 (ENFORCEMENT), 2 and not solved (ENFORCEMENT); grid B: 4 (ENFORCEMENT),
        // 3 (MARKET); and one unrated case in grid B
        rate(codes, incident(idA, "ENFORCEMENT", "CLOSED", "2024-10-08T09:00+08:00"), 5, false);
        rate(codes, incident(idA, "ENFORCEMENT", "RESOLVED", "2024-10-09T09:00+08:00"), 2, true);
        rate(codes, incident(idB, "ENFORCEMENT", "VERIFIED", "2024-10-10T09:00+08:00"), 4, false);
        rate(codes, incident(idB, "MARKET", "CLOSED", "2024-10-11T09:00+08:00"), 3, false);
        incident(idB, "MARKET", "CLOSED", "2024-10-12T09:00+08:00");
    }

    static void rate(LookupCode codes, long id, int satisfaction, boolean notSolved) {
        Answer a =
                TestServer.post(
                        "/api/v1/track/rating",
                        "{\"ticket\": %d, \"code\": \"%s\", \"satisfaction\": %d, \"notSolved\": %s}"
                                .formatted(id, codes.of(id), satisfaction, notSolved));
        assertEquals(200, a.status(), a.body());
    }

    static long incident(long gridId, String platform, String status, String at) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                INSERT INTO incident (status, category, channel, location, reported_at, jurisdiction, plan_id, grid_id,
                                      community_id, platform, due_at)
                SELECT ?, 'ENF_EXPOSED_GARBAGE', 'PUBLIC_ONLINE', ST_PointOnSurface(g.geom), ?, 'SUBDISTRICT', g.plan_id,
                       g.id, g.community_id, ?, ?::timestamptz + interval '8 hours'
                FROM grid g WHERE g.id = ? RETURNING id""")) {
            ps.setString(1, status);
            ps.setObject(2, OffsetDateTime.parse(at));
            ps.setString(3, platform);
            ps.setObject(4, OffsetDateTime.parse(at));
            ps.setLong(5, gridId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                KpiApiTest.event(id, "REPORTED", at, null);
                return id;
            }
        }
    }

    static JsonNode kpis(String by) {
        Answer a = TestServer.getAs("director", "/api/v1/analytics/kpis?period=2024-10&by=" + by);
        assertEquals(200, a.status(), a.body());
        return a.json();
    }

    @Test
    void byGrid() {
        JsonNode a =
                KpiApiTest.unit(
                        TestServer.getAs(
                                "director", "/api/v1/analytics/kpis?period=2024-10&by=grid"),
                        gridA);
        assertEquals(3.5, a.get("satisfaction").asDouble(), 1e-9, "(5 + 2) / 2");
        assertEquals(2, a.get("ratings").asLong());
        assertEquals(1, a.get("notSolved").asLong());
        assertEquals(1, a.get("reworks").asLong(), "not solved: back to rework");
        JsonNode b =
                KpiApiTest.unit(
                        TestServer.getAs(
                                "director", "/api/v1/analytics/kpis?period=2024-10&by=grid"),
                        gridB);
        assertEquals(3.5, b.get("satisfaction").asDouble(), 1e-9, "(4 + 3) / 2; one unrated");
        assertEquals(2, b.get("ratings").asLong());
        assertEquals(3, b.get("reports").asLong());
        assertEquals(0, b.get("notSolved").asLong());
        // scoring: 10 points at 4.5, minus 1 per tenth below: 3.5 → 0
        assertEquals(0.0, a.at("/score/items/satisfaction").asDouble(), 1e-9);
    }

    @Test
    void byPlatform() {
        JsonNode units = kpis("platform").get("units");
        JsonNode enf = null, market = null;
        for (JsonNode u : units) {
            if (u.get("unit").asText().equals("ENFORCEMENT")) enf = u;
            if (u.get("unit").asText().equals("MARKET")) market = u;
        }
        assertNotNull(enf, units.toString());
        assertNotNull(market, units.toString());
        assertEquals(3.6667, enf.get("satisfaction").asDouble(), 1e-4, "(5 + 2 + 4) / 3");
        assertEquals(3, enf.get("ratings").asLong());
        assertEquals(1, enf.get("notSolved").asLong());
        assertEquals(3.0, market.get("satisfaction").asDouble(), 1e-9);
        assertEquals(1, market.get("ratings").asLong());
    }

    @Test
    void byWorker() {
        JsonNode units = kpis("worker").get("units");
        assertEquals(2, units.size(), "each grid's worker answers for it: " + units);
        for (JsonNode u : units) {
            boolean a = u.get("unit").asText().startsWith("gw" + gridA);
            assertTrue(a || u.get("unit").asText().startsWith("gw" + gridB), u.toString());
            assertEquals(3.5, u.get("satisfaction").asDouble(), 1e-9);
            assertEquals(a ? 1 : 0, u.get("notSolved").asLong());
        }
    }
}
