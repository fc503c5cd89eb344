package org.gridgov.demo;

import static org.junit.jupiter.api.Assertions.*;

import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo area as PostGIS and pgRouting see it once loaded: valid, tiled, routable. Only the
 * demo's own plan (id 1) is checked: other tests build deliberately broken draft plans.
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class DemoDatabaseTest {

    static long sql(String query) throws Exception {
        return TestDatabase.queryLong(query);
    }

    @Test
    void geometriesAreValidAndUnitsDoNotOverlap() throws Exception {
        assertEquals(0, sql("SELECT count(*) FROM base_unit WHERE NOT ST_IsValid(geom)"));
        assertEquals(
                0,
                sql(
                        "SELECT count(*) FROM base_unit a JOIN base_unit b ON a.id < b.id AND a.geom && b.geom AND ST_Overlaps(a.geom, b.geom)"));
        assertEquals(
                0,
                sql(
                        "SELECT count(*) FROM grid a JOIN grid b ON a.id < b.id AND a.plan_id = 1 AND b.plan_id = 1 AND a.geom && b.geom AND ST_Overlaps(a.geom, b.geom)"));
    }

    @Test
    void unitsTileTheSubdistrict() throws Exception {
        long gapOrExcessM2 =
                sql(
                        """
                SELECT round(abs(ST_Area(ST_Transform(s.geom, 4549)) - (SELECT sum(ST_Area(ST_Transform(geom, 4549))) FROM base_unit)))
                FROM jurisdiction s WHERE s.kind = 'SUBDISTRICT'""");
        assertTrue(
                gapOrExcessM2 < 10,
                "subdistrict area minus summed unit areas, m²: " + gapOrExcessM2);
    }

    @Test
    void everyGridIsOnePieceInsideOneCommunity() throws Exception {
        assertEquals(
                0,
                sql("SELECT count(*) FROM grid WHERE plan_id = 1 AND ST_NumGeometries(geom) <> 1"));
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM grid g JOIN community c ON c.id = g.community_id
                WHERE g.plan_id = 1 AND NOT ST_Covers(ST_Buffer(c.geom, 1e-9), g.geom)"""));
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id JOIN grid g ON g.id = gu.grid_id
                WHERE gu.plan_id = 1 AND b.community_id <> g.community_id"""));
        assertEquals(
                sql("SELECT count(*) FROM base_unit"),
                sql("SELECT count(*) FROM grid_unit WHERE plan_id = 1"));
    }

    @Test
    void theRoadNetworkIsOneComponentTouchingEveryUnit() throws Exception {
        assertEquals(
                1,
                sql(
                        """
                SELECT count(DISTINCT component) FROM pgr_connectedComponents(
                    'SELECT id, source, target, cost, reverse_cost FROM road_edge')"""));
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM base_unit b
                WHERE NOT EXISTS (SELECT 1 FROM road_edge e WHERE e.geom && b.geom AND ST_Intersects(e.geom, b.geom))"""));
    }

    @Test
    void everyRoutedIncidentLiesInItsGridAndEveryGridHasAWorker() throws Exception {
        assertEquals(
                0,
                sql(
                        "SELECT count(*) FROM incident i JOIN grid g ON g.id = i.grid_id AND g.plan_id = 1 WHERE NOT ST_Covers(g.geom, i.location)"));
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM grid g WHERE g.plan_id = 1 AND NOT EXISTS (
                    SELECT 1 FROM staff s WHERE s.grid_id = g.id AND s.role = 'GRID_WORKER' AND s.on_duty)"""));
        // The demo's own history (REPORTED and IMPORTED events only; other tests build histories by
        // hand).
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM incident i WHERE i.version <> (SELECT count(*) FROM incident_event e WHERE e.incident_id = i.id)
                  AND NOT EXISTS (SELECT 1 FROM incident_event e WHERE e.incident_id = i.id AND e.type NOT IN ('REPORTED', 'IMPORTED'))"""));
    }

    @Test
    void closedDemoCasesHaveTheirClosingTime() throws Exception {
        assertTrue(
                sql(
                                "SELECT count(*) FROM incident WHERE status = 'CLOSED' AND closed_at IS NOT NULL")
                        > 0);
        // closed_at is the imported history's time of reaching CLOSED; only closed cases have one
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM incident i JOIN incident_event e ON e.incident_id = i.id AND e.type = 'IMPORTED'
                WHERE (i.status = 'CLOSED') <> (i.closed_at IS NOT NULL) OR (i.status = 'CLOSED' AND i.closed_at <> e.at)"""));
    }
}
