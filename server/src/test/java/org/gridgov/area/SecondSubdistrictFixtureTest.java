package org.gridgov.area;

import static org.junit.jupiter.api.Assertions.*;

import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared second-subdistrict fixture is what other tests take it to be. */
@Tag("db")
@Tag("second-subdistrict")
@ExtendWith(PostgisExtension.class)
class SecondSubdistrictFixtureTest {

    static long sql(String q) throws Exception {
        return TestDatabase.queryLong(q);
    }

    @Test
    void secondSubdistrictSharesABoundaryInsideTheDistrict() throws Exception {
        var ids = SecondSubdistrict.install();
        assertSame(ids, SecondSubdistrict.install());
        assertEquals(ids, SecondSubdistrict.install(TestDatabase.get().dataSource()));
        long sid = ids.subdistrictId();
        assertEquals(
                1,
                sql(
                        "SELECT count(*) FROM jurisdiction WHERE id = "
                                + sid
                                + " AND ST_IsValid(geom) AND ST_NumGeometries(geom) = 1"));
        // inside the district, no overlap with subdistrict 1, a shared boundary line
        assertEquals(
                1,
                sql(
                        "SELECT count(*) FROM jurisdiction d, jurisdiction s WHERE d.kind ="
                                + " 'DISTRICT' AND s.id = "
                                + sid
                                + " AND ST_Covers(d.geom, s.geom)"));
        assertEquals(
                0,
                sql(
                        "SELECT round(ST_Area(ST_Intersection(a.geom, b.geom)::geography))"
                                + " FROM jurisdiction a, jurisdiction b WHERE a.id = "
                                + sid
                                + " AND b.id = "
                                + ids.firstSubdistrictId()));
        assertTrue(
                sql(
                                "SELECT round(ST_Length(ST_Intersection(ST_Boundary(a.geom),"
                                        + " ST_Boundary(b.geom))::geography)) FROM jurisdiction a, jurisdiction b"
                                        + " WHERE a.id = "
                                        + sid
                                        + " AND b.id = "
                                        + ids.firstSubdistrictId())
                        > 500);
        // units tile the community; the grid holds them all; rows carry subdistrict 2
        assertTrue(ids.unitIds().size() >= 4);
        assertEquals(
                0,
                sql(
                        "SELECT round(abs(ST_Area(c.geom::geography) - (SELECT"
                                + " sum(ST_Area(u.geom::geography)) FROM base_unit u WHERE u.community_id ="
                                + " c.id))) FROM community c WHERE c.id = "
                                + ids.communityId()));
        assertEquals(
                ids.unitIds().size(),
                sql("SELECT count(*) FROM grid_unit WHERE grid_id = " + ids.gridId()));
        assertEquals(
                sid, sql("SELECT subdistrict_id FROM community WHERE id = " + ids.communityId()));
        assertEquals(sid, sql("SELECT subdistrict_id FROM grid_plan WHERE id = " + ids.planId()));
        assertEquals(SecondSubdistrict.INCIDENTS, ids.incidentIds().size());
        assertEquals(
                SecondSubdistrict.INCIDENTS,
                sql("SELECT count(*) FROM incident WHERE" + " subdistrict_id = " + sid));
        assertEquals(5, sql("SELECT count(*) FROM staff WHERE subdistrict_id = " + sid));
        assertEquals(ids.workerId(), sql("SELECT worker_id FROM grid WHERE id = " + ids.gridId()));
        // the points: one inside the grid, one on both subdistricts' boundary
        assertEquals(
                1,
                sql(
                        "SELECT count(*) FROM grid WHERE id = "
                                + ids.gridId()
                                + " AND ST_Contains(geom, ST_SetSRID(ST_MakePoint("
                                + ids.lon()
                                + ", "
                                + ids.lat()
                                + "), 4326))"));
        assertEquals(
                2,
                sql(
                        "SELECT count(*) FROM jurisdiction WHERE kind = 'SUBDISTRICT' AND"
                                + " ST_Covers(geom, ST_SetSRID(ST_MakePoint("
                                + ids.boundaryLon()
                                + ", "
                                + ids.boundaryLat()
                                + "), 4326))"));
    }
}
