package org.gridgov.rebalance;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import org.gridgov.geo.Crs;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKTReader;

/**
 * Adjacency by shared segments: exact edges, T-junctions, corner touches; and agreement with
 * PostGIS on the test area.
 */
@Tag("db")
class SharedEdgesTest {

    static Geometry[] polys(String... wkt) throws Exception {
        WKTReader r = new WKTReader();
        Geometry[] g = new Geometry[wkt.length];
        for (int i = 0; i < wkt.length; i++) g[i] = r.read(wkt[i]);
        return g;
    }

    static double sharedLength(SharedEdges e, int a, int b) {
        for (int k = 0; k < e.nbr[a].length; k++) if (e.nbr[a][k] == b) return e.shared[a][k];
        return 0;
    }

    @Test
    void exactEdgesTJunctionsAndCornersAreTold() throws Exception {
        SharedEdges e =
                SharedEdges.of(
                        polys(
                                "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))", // 0
                                "POLYGON((10 0, 20 0, 20 10, 10 10, 10 0))", // 1: exact shared edge
                                // with 0
                                "POLYGON((0 10, 4 10, 20 10, 20 20, 0 20, 0 10))", // 2: top of 0
                                // and 1; a
                                // vertex at
                                // (4,10) that 0
                                // lacks
                                "POLYGON((20 20, 30 20, 30 30, 20 30, 20 20))")); // 3: touches 2 at
        // a corner only
        assertEquals(10, sharedLength(e, 0, 1), 1e-9);
        assertEquals(10, sharedLength(e, 1, 0), 1e-9);
        assertEquals(
                10, sharedLength(e, 0, 2), 1e-9, "T-junction: 0's top edge against 2's two pieces");
        assertEquals(10, sharedLength(e, 1, 2), 1e-9);
        assertEquals(0, e.nbr[3].length, "a corner touch is not adjacency");
        assertArrayEquals(new int[] {1, 2}, e.nbr[0]);
    }

    @Test
    void nearlyCollinearEdgesWithinTheToleranceJoin() throws Exception {
        SharedEdges e =
                SharedEdges.of(
                        polys(
                                "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))",
                                "POLYGON((10.005 2, 20 2, 20 8, 10.005 8, 10.005 2))", // 5 mm off:
                                // one
                                // boundary
                                "POLYGON((-10 0, -0.5 0, -0.5 10, -10 10, -10 0))")); // 50 cm gap:
        // not
        // neighbours
        assertEquals(6, sharedLength(e, 0, 1), 1e-6);
        assertEquals(0, sharedLength(e, 0, 2));
    }

    /**
     * The graph of the test area against PostGIS: same neighbours (ST_Relate 'F***1****'), same
     * shared lengths.
     */
    @Test
    void agreesWithPostgisOnTheTestArea() throws Exception {
        UnitGraph g = UnitGraph.load(TestDatabase.get().dataSource(), Crs.PLANAR_DEFAULT);
        Map<String, Double> postgis = new HashMap<>();
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                     SELECT a.id, b.id, ST_Length(ST_Transform(ST_Intersection(a.geom, b.geom), %d))
                     FROM base_unit a JOIN base_unit b ON a.id < b.id AND a.geom && b.geom
                     WHERE ST_Relate(a.geom, b.geom, 'F***1****')"""
                                        .formatted(Crs.PLANAR_DEFAULT))) {
            while (rs.next())
                if (rs.getDouble(3) >= SharedEdges.MIN_SHARED_M)
                    postgis.put(rs.getLong(1) + "-" + rs.getLong(2), rs.getDouble(3));
        }
        Map<String, Double> java = new HashMap<>();
        for (int u = 0; u < g.size(); u++) {
            for (int k = 0; k < g.nbr[u].length; k++) {
                int v = g.nbr[u][k];
                if (g.id[u] < g.id[v]) java.put(g.id[u] + "-" + g.id[v], g.shared[u][k]);
            }
        }
        assertTrue(postgis.size() > 1000, "the test area has a graph: " + postgis.size());
        assertEquals(postgis.keySet(), java.keySet());
        for (var e : postgis.entrySet())
            assertEquals(e.getValue(), java.get(e.getKey()), 0.01, e.getKey());
    }

    /**
     * Road length per unit by 25 m pieces against the exact PostGIS figure (boundary roads halved).
     */
    @Test
    void roadLengthsAgreeWithPostgis() throws Exception {
        UnitGraph g = UnitGraph.load(TestDatabase.get().dataSource(), Crs.PLANAR_DEFAULT);
        double exactTotal = 0, javaTotal = 0, worstUnit = 0;
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                     SELECT b.id, coalesce(sum(ST_Length(ST_Transform(ST_Intersection(r.geom, b.geom), %1$d))
                                   - 0.5 * ST_Length(ST_Transform(ST_Intersection(r.geom, ST_Boundary(b.geom)), %1$d))), 0)
                     FROM base_unit b LEFT JOIN road_edge r ON r.geom && b.geom AND ST_Intersects(r.geom, b.geom)
                     GROUP BY b.id"""
                                        .formatted(Crs.PLANAR_DEFAULT))) {
            while (rs.next()) {
                int u = g.indexOf(rs.getLong(1));
                exactTotal += rs.getDouble(2);
                javaTotal += g.roadLength[u];
                worstUnit = Math.max(worstUnit, Math.abs(rs.getDouble(2) - g.roadLength[u]));
            }
        }
        assertTrue(exactTotal > 10_000, "the test area has roads: " + exactTotal);
        assertEquals(exactTotal, javaTotal, exactTotal * 0.005);
        assertTrue(
                worstUnit < 2 * RoadLengths.PIECE_M,
                "no unit off by more than two pieces: " + worstUnit);
    }
}
