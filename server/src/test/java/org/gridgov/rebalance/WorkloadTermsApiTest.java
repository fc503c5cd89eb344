package org.gridgov.rebalance;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The workload terms through GET /api/v1/analytics/workload: the travel term is road length where a
 * unit has roads and area where it has none; handling times from the event log weigh a slow grid's
 * cases up and a quick grid's down against the category weight alone.
 */
@Tag("db")
class WorkloadTermsApiTest {

    // two 31-day windows long before the test area's history: one empty, one with the cases below
    static final String EMPTY = "from=2018-03-01T00:00:00%2B08:00&to=2018-04-01T00:00:00%2B08:00";
    static final String CASES = "from=2019-03-01T00:00:00%2B08:00&to=2019-04-01T00:00:00%2B08:00";

    static Map<Long, JsonNode> byGrid(String query) {
        var a = TestServer.getAs("planner", "/api/v1/analytics/workload?" + query);
        assertEquals(200, a.status(), a.body());
        Map<Long, JsonNode> out = new HashMap<>();
        for (JsonNode f : a.json().get("features"))
            out.put(f.get("properties").get("id").asLong(), f.get("properties"));
        return out;
    }

    @Test
    void travelIsRoadLengthWhereRoadsRunAndAreaElsewhere() throws Exception {
        WorkloadModel m = WorkloadModel.defaults();
        Map<Long, double[]> expected = new HashMap<>();
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                SELECT gu.grid_id, sum(b.households),
                       sum(CASE WHEN r.len > 0 THEN %1$f * r.len / 1000 ELSE %2$f * ST_Area(ST_Transform(b.geom, 4549)) / 1e6 END),
                       sum(%2$f * ST_Area(ST_Transform(b.geom, 4549)) / 1e6), count(*) FILTER (WHERE r.len = 0)
                FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id
                CROSS JOIN LATERAL (SELECT coalesce(sum(ST_Length(ST_Transform(ST_Intersection(e.geom, b.geom), 4549))
                                          - 0.5 * ST_Length(ST_Transform(ST_Intersection(e.geom, ST_Boundary(b.geom)), 4549))), 0) AS len
                                    FROM road_edge e WHERE e.geom && b.geom AND ST_Intersects(e.geom, b.geom)) r
                WHERE gu.plan_id = plan_in_effect() GROUP BY gu.grid_id"""
                                        .formatted(m.roadHoursPerKm(), m.patrolHoursPerKm2()))) {
            while (rs.next()) {
                expected.put(
                        rs.getLong(1),
                        new double[] {
                            m.householdHours() * rs.getLong(2) + rs.getDouble(3),
                            m.householdHours() * rs.getLong(2) + rs.getDouble(4),
                            rs.getLong(5)
                        });
            }
        }
        Map<Long, JsonNode> got = byGrid("plan=active&" + EMPTY);
        assertEquals(expected.keySet(), got.keySet());
        int differFromAreaModel = 0;
        for (var e : expected.entrySet()) {
            double w = got.get(e.getKey()).get("workload").asDouble();
            assertEquals(0, got.get(e.getKey()).get("incidents").asInt(), "the window is empty");
            assertEquals(
                    e.getValue()[0],
                    w,
                    Math.max(1.0, 0.02 * e.getValue()[0]),
                    "grid " + e.getKey() + ": households + road (or area) term");
            if (Math.abs(e.getValue()[1] - w) > 0.02 * w) differFromAreaModel++;
        }
        assertTrue(
                differFromAreaModel > 0,
                "the road term changes some grid's workload against the area-only model");
        JsonNode model =
                TestServer.getAs("planner", "/api/v1/analytics/workload?" + EMPTY)
                        .json()
                        .get("model");
        assertEquals(m.roadHoursPerKm(), model.get("roadHoursPerKm").asDouble());
        assertEquals(m.handlingFactorCap(), model.get("handlingFactorCap").asDouble());
    }

    @Test
    void handlingTimesWeighSlowCasesUpAndQuickOnesDown() throws Exception {
        var probe = DemoFixture.probe();
        String category = DemoFixture.subdistrictCategory();
        long other;
        double ox, oy, weight;
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement()) {
            try (ResultSet rs =
                    st.executeQuery(
                            """
                    SELECT ST_X(pt), ST_Y(pt), g.id FROM grid g, LATERAL ST_PointOnSurface(g.geom) pt
                    WHERE g.plan_id = plan_in_effect() AND g.id <> %d ORDER BY g.id LIMIT 1"""
                                    .formatted(probe.gridId()))) {
                rs.next();
                ox = rs.getDouble(1);
                oy = rs.getDouble(2);
                other = rs.getLong(3);
            }
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT weight FROM category WHERE code = '" + category + "'")) {
                rs.next();
                weight = rs.getDouble(1);
            }
            // 12 cases in the probe's grid handled in 200 h, 12 in another grid in 10 h (accepted 1
            // h after the report); each in its grid's community, as intake routes it, so it is the
            // subdistrict's case its plan is weighed by (V38)
            c.setAutoCommit(false);
            st.execute(
                    """
                    WITH i AS (
                      INSERT INTO incident (status, category, channel, location, reported_at, jurisdiction, platform, due_at, closed_at, description, community_id)
                      SELECT 'CLOSED', c.code, 'GRID_PATROL', ST_SetSRID(ST_MakePoint(x, y), 4326), t, 'SUBDISTRICT', c.platform, t + interval '3 days',
                             t + interval '1 hour' + make_interval(hours => h), 'workload-terms-test', p.community_id
                      FROM category c,
                           (SELECT x, y, h, (SELECT g.community_id FROM grid g WHERE g.plan_id = plan_in_effect()
                                              AND ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(x, y), 4326)) LIMIT 1) AS community_id
                            FROM (SELECT %2$f AS x, %3$f AS y, 200 AS h UNION ALL SELECT %4$f, %5$f, 10) xy) p,
                           generate_series(1, 12) n,
                           LATERAL (SELECT timestamptz '2019-03-10 10:00+08' + make_interval(hours => n) AS t) tt
                      WHERE c.code = '%1$s' RETURNING id, reported_at)
                    INSERT INTO incident_event (incident_id, at, type, from_status, to_status)
                    SELECT id, reported_at, 'REPORTED', NULL, 'REPORTED' FROM i
                    UNION ALL SELECT id, reported_at + interval '1 hour', 'ACCEPT', 'REPORTED', 'ACCEPTED' FROM i
                    """
                            .formatted(category, probe.lon(), probe.lat(), ox, oy));
            c.commit();
        }
        Map<Long, JsonNode> empty = byGrid("plan=active&" + EMPTY);
        Map<Long, JsonNode> cases = byGrid("plan=active&" + CASES);
        long deadline =
                System.currentTimeMillis()
                        + 10_000; // the server's incident points follow the event log
        while (cases.get(probe.gridId()).get("incidents").asInt() < 12
                || cases.get(other).get("incidents").asInt() < 12) {
            assertTrue(
                    System.currentTimeMillis() < deadline,
                    "the cases reach the server: " + cases.get(probe.gridId()));
            Thread.sleep(100);
            cases = byGrid("plan=active&" + CASES);
        }
        WorkloadModel m = WorkloadModel.defaults();
        double perYear = 365.0 / 31;
        double mean = (12 * 200 + 12 * 10) / 24.0;
        double slow =
                cases.get(probe.gridId()).get("workload").asDouble()
                        - empty.get(probe.gridId()).get("workload").asDouble();
        double quick =
                cases.get(other).get("workload").asDouble()
                        - empty.get(other).get("workload").asDouble();
        double weightAlone = m.incidentHours() * 12 * weight * perYear;
        assertEquals(weightAlone * 200 / mean, slow, 0.2, "slow cases: weight × 200 h / 105 h");
        assertEquals(
                weightAlone / m.handlingFactorCap(),
                quick,
                0.2,
                "quick cases: weight × 10 h / 105 h, clamped to 1/4");
        assertTrue(slow > weightAlone && quick < weightAlone);
    }
}
