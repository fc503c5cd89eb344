package org.gridgov.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.gridgov.db.Database;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code demo --subdistricts 3} ({@link TestDatabase#district()}): every row in its subdistrict,
 * hierarchical codes, subdistricts that tile the district's area side by side, one plan in effect
 * each; and one subdistrict is exactly the single demo ({@link TestDatabase#get()}).
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class DemoDistrictTest {

    private static final int N = TestDatabase.DISTRICT_SUBDISTRICTS;

    static long sql(String query) throws SQLException {
        Database db = TestDatabase.district();
        try (var c = db.connection();
                var st = c.createStatement();
                var rs = st.executeQuery(query)) {
            if (!rs.next()) throw new AssertionError("no row from: " + query);
            return rs.getLong(1);
        }
    }

    static List<String> strings(String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var c = TestDatabase.district().connection();
                var st = c.createStatement();
                var rs = st.executeQuery(query)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    @Test
    void subdistrictsAndTheDistrictHaveHierarchicalCodes() throws Exception {
        assertEquals(
                List.of("330108001", "330108002", "330108003"),
                strings("SELECT code FROM jurisdiction WHERE kind = 'SUBDISTRICT' ORDER BY id"));
        assertEquals(
                List.of("330108"),
                strings("SELECT code FROM jurisdiction WHERE kind = 'DISTRICT'"));
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM community c JOIN jurisdiction s ON s.id = c.subdistrict_id
                WHERE left(c.code, 9) <> s.code"""));
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM grid g JOIN community c ON c.id = g.community_id
                WHERE left(g.code, 12) <> c.code OR length(g.code) <> 15"""));
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM base_unit u JOIN community c ON c.id = u.community_id
                WHERE left(u.code, 12) <> c.code"""));
        // every subdistrict has its own communities, units and grids, as the single demo has
        for (int k = 1; k <= N; k++) {
            assertEquals(
                    DemoParams.small().communities(),
                    sql("SELECT count(*) FROM community WHERE subdistrict_id = " + k));
            assertTrue(
                    sql(
                                    "SELECT count(*) FROM base_unit u JOIN community c ON c.id ="
                                            + " u.community_id WHERE c.subdistrict_id = "
                                            + k)
                            > 1000,
                    "units of subdistrict " + k);
        }
    }

    @Test
    void everyRowIsInItsSubdistrict() throws Exception {
        assertEquals(0, sql("SELECT count(*) FROM community WHERE subdistrict_id IS NULL"));
        // a community lies inside its subdistrict (1 m of slack for the shared boundary's nodes)
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM community c JOIN jurisdiction s ON s.id = c.subdistrict_id
                WHERE NOT ST_Covers(ST_Buffer(ST_Transform(s.geom, 4549), 1),
                                    ST_Transform(c.geom, 4549))"""));
        // grid workers and leaders by their grid or community; centre staff by what the demo says
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM staff s
                LEFT JOIN grid g ON g.id = s.grid_id
                LEFT JOIN community c ON c.id = COALESCE(s.community_id, g.community_id)
                WHERE s.scope_type <> 'DISTRICT'
                  AND (s.subdistrict_id IS NULL
                       OR (c.id IS NOT NULL AND c.subdistrict_id <> s.subdistrict_id))"""));
        assertEquals(
                List.of("dcommander", "doperator"),
                strings(
                        "SELECT username FROM staff WHERE subdistrict_id IS NULL ORDER BY"
                                + " username"));
        for (int k = 1; k <= N; k++) {
            String chief = k == 1 ? "chief" : "s" + k + ".chief";
            assertEquals(
                    k,
                    sql(
                            "SELECT subdistrict_id FROM staff WHERE role = 'CHIEF_COMMANDER' AND"
                                    + " username = '"
                                    + chief
                                    + "'"));
            assertEquals(
                    k,
                    sql(
                            "SELECT s.subdistrict_id FROM staff s JOIN grid g ON g.id = s.grid_id"
                                    + " WHERE s.username = 'gw' || g.code AND g.plan_id = "
                                    + k
                                    + " LIMIT 1"));
        }
        // a case of a community belongs to the community's subdistrict, and lies inside it
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM incident i LEFT JOIN community c ON c.id = i.community_id
                WHERE i.subdistrict_id IS DISTINCT FROM c.subdistrict_id"""));
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM incident i JOIN jurisdiction s ON s.id = i.subdistrict_id
                WHERE NOT ST_Covers(s.geom, i.location)"""));
        // the plan of a case is its subdistrict's, and its grid is of that plan
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM incident i JOIN grid g ON g.id = i.grid_id
                WHERE g.plan_id <> i.plan_id OR i.plan_id <> i.subdistrict_id"""));
        // every subdistrict has its share of the history, and the district its own few cases
        for (int k = 1; k <= N; k++)
            assertTrue(
                    sql("SELECT count(*) FROM incident WHERE subdistrict_id = " + k)
                            > TestDatabase.DISTRICT_INCIDENTS / N * 0.9,
                    "cases of subdistrict " + k);
        assertEquals(TestDatabase.DISTRICT_INCIDENTS, sql("SELECT count(*) FROM incident"));
        // reports outside every subdistrict (in the district's margin) are the district's own
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM incident i, jurisdiction s
                WHERE i.subdistrict_id IS NULL AND s.kind = 'SUBDISTRICT'
                  AND ST_Intersects(s.geom, i.location)"""));
    }

    @Test
    void subdistrictsTileSideBySideInsideTheDistrict() throws Exception {
        // no overlaps (the shared boundaries' nodes differ by at most a centimetre)
        long overlapM2 =
                sql(
                        """
                SELECT COALESCE(round(sum(ST_Area(ST_Intersection(ST_Transform(a.geom, 4549),
                                                                   ST_Transform(b.geom, 4549))))), 0)
                FROM jurisdiction a JOIN jurisdiction b ON a.id < b.id
                WHERE a.kind = 'SUBDISTRICT' AND b.kind = 'SUBDISTRICT'""");
        assertTrue(overlapM2 < 100, "overlap of subdistricts, m²: " + overlapM2);
        // 1 and 2 side by side, 3 below 1 (two columns): kilometres of shared boundary
        for (String pair : List.of("1, 2", "1, 3")) {
            long sharedM =
                    sql(
                            """
                    SELECT round(ST_Length(ST_Intersection(
                        ST_Boundary(ST_Transform(a.geom, 4549)),
                        ST_Buffer(ST_Boundary(ST_Transform(b.geom, 4549)), 0.05))))
                    FROM jurisdiction a, jurisdiction b WHERE (a.id, b.id) = (%s)"""
                                    .formatted(pair));
            assertTrue(sharedM > 3000, "boundary shared by " + pair + ", m: " + sharedM);
        }
        // the district is every subdistrict and a margin
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM jurisdiction s, jurisdiction d
                WHERE s.kind = 'SUBDISTRICT' AND d.kind = 'DISTRICT' AND NOT ST_Covers(d.geom, s.geom)"""));
        assertTrue(
                sql(
                                """
                        SELECT round(ST_Area(ST_Transform(d.geom, 4549))
                                     - (SELECT sum(ST_Area(ST_Transform(geom, 4549)))
                                        FROM jurisdiction WHERE kind = 'SUBDISTRICT'))
                        FROM jurisdiction d WHERE d.kind = 'DISTRICT'""")
                        > 100_000_000,
                "a margin of kilometres around the subdistricts");
        // units tile each subdistrict, as in the single demo
        long gapOrExcessM2 =
                sql(
                        """
                SELECT round(abs(sum(ST_Area(ST_Transform(s.geom, 4549)))
                                 - (SELECT sum(ST_Area(ST_Transform(geom, 4549))) FROM base_unit)))
                FROM jurisdiction s WHERE s.kind = 'SUBDISTRICT'""");
        assertTrue(gapOrExcessM2 < 10 * N, "subdistricts minus units, m²: " + gapOrExcessM2);
    }

    @Test
    void onePlanInEffectPerSubdistrict() throws Exception {
        assertEquals(N, sql("SELECT count(*) FROM plans_in_effect()"));
        for (int k = 1; k <= N; k++) {
            assertEquals(k, sql("SELECT plan_in_effect(now(), " + k + ")"));
            assertEquals(
                    0,
                    sql(
                            "SELECT count(*) FROM grid g JOIN community c ON c.id = g.community_id"
                                    + " WHERE g.plan_id = "
                                    + k
                                    + " AND c.subdistrict_id <> "
                                    + k));
        }
        // every unit in exactly one grid of its subdistrict's plan
        assertEquals(
                0,
                sql(
                        """
                SELECT count(*) FROM base_unit u JOIN community c ON c.id = u.community_id
                WHERE (SELECT count(*) FROM grid_unit gu WHERE gu.unit_id = u.id
                       AND gu.plan_id = c.subdistrict_id) <> 1"""));
    }

    @Test
    void placesFacilitiesAndDoorPlatesInEverySubdistrict() throws Exception {
        for (int k = 1; k <= N; k++) {
            String in =
                    " JOIN base_unit u ON u.id = x.%s JOIN community c ON c.id = u.community_id"
                            + " WHERE c.subdistrict_id = "
                            + k;
            assertTrue(sql("SELECT count(*) FROM place x" + in.formatted("unit_id")) > 0);
            assertTrue(sql("SELECT count(*) FROM facility x" + in.formatted("unit_id")) > 0);
            assertTrue(
                    sql("SELECT count(*) FROM door_plate x" + in.formatted("base_unit_id")) > 500,
                    "door plates of subdistrict " + k);
        }
    }

    /** One subdistrict is today's demo: same data, same counts (the test area, seed 7). */
    @Test
    void oneSubdistrictIsTheSingleDemo() throws Exception {
        DemoParams small = DemoParams.small();
        assertEquals(
                "a11b74b4bc388423b9e5860e8625cfd571381caf51fd3f270576617b591e836e",
                DemoSubdistrict.generate(small, DemoDistrict.sites(1, small.seed()).get(0))
                        .fingerprint(),
                "the single demo's data before districts (main at c0ca318)");
        assertEquals(1200, TestDatabase.queryLong("SELECT count(*) FROM base_unit"));
        assertEquals(16, TestDatabase.queryLong("SELECT count(*) FROM grid WHERE plan_id = 1"));
        assertEquals(
                1,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM jurisdiction WHERE kind = 'SUBDISTRICT'"));
        assertEquals(
                64,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM staff WHERE id <= 64 AND username IS NOT NULL"));
        assertEquals(
                small.incidents(),
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident WHERE id <= " + small.incidents()));
        assertEquals(
                0,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM staff WHERE id <= 64 AND username LIKE 's_.%'"));
    }
}
