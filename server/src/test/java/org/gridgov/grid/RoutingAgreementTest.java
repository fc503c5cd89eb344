package org.gridgov.grid;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The in-memory index and PostGIS give the same grid for 100,000 points: random points over the
 * area's extent, and points placed exactly on shared grid boundaries (vertices and edge midpoints),
 * where the tie rule decides.
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class RoutingAgreementTest {

    static final String POSTGIS_LOOKUP =
            """
            SELECT p.ord, (SELECT g.id FROM grid g
                           WHERE g.plan_id = ? AND ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
                           ORDER BY g.id LIMIT 1)
            FROM unnest(?::float8[], ?::float8[]) WITH ORDINALITY AS p(lon, lat, ord)
            ORDER BY p.ord""";

    static final String BOUNDARY_POINTS =
            """
            WITH edges AS (
                SELECT (ST_DumpSegments(ST_Boundary(g.geom))).geom AS seg
                FROM grid g WHERE g.plan_id = ?)
            SELECT ST_X(ST_StartPoint(seg)), ST_Y(ST_StartPoint(seg)),
                   ST_X(ST_LineInterpolatePoint(seg, 0.5)), ST_Y(ST_LineInterpolatePoint(seg, 0.5))
            FROM edges ORDER BY random() LIMIT ?""";

    @Test
    void inMemoryIndexAndPostgisAgreeOn100000Points() throws Exception {
        var ds = TestDatabase.get().dataSource();
        PlanTimeline plans = PlanTimeline.load(ds);
        long planId = plans.periodAt(Instant.now()).orElseThrow().planId();
        GridIndex index = plans.index(planId);
        assertTrue(index.size() > 10, "the test area has grids");

        List<double[]> points = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(BOUNDARY_POINTS)) {
                ps.setLong(1, planId);
                ps.setInt(2, 10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        points.add(new double[] {rs.getDouble(1), rs.getDouble(2)});
                        points.add(new double[] {rs.getDouble(3), rs.getDouble(4)});
                    }
                }
            }
            int onBoundaries = points.size();
            assertTrue(onBoundaries > 2_000, "boundary points: " + onBoundaries);
            double[] ext = extent(c);
            SplittableRandom random = new SplittableRandom(42);
            while (points.size() < 100_000) {
                points.add(
                        new double[] {
                            ext[0] + random.nextDouble() * (ext[2] - ext[0]),
                            ext[1] + random.nextDouble() * (ext[3] - ext[1])
                        });
            }

            Long[] expected = new Long[points.size()];
            Double[] lons = new Double[points.size()], lats = new Double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                lons[i] = points.get(i)[0];
                lats[i] = points.get(i)[1];
            }
            try (PreparedStatement ps = c.prepareStatement(POSTGIS_LOOKUP)) {
                Array lonArr = c.createArrayOf("float8", lons),
                        latArr = c.createArrayOf("float8", lats);
                ps.setLong(1, planId);
                ps.setArray(2, lonArr);
                ps.setArray(3, latArr);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long g = rs.getLong(2);
                        boolean none = rs.wasNull();
                        expected[rs.getInt(1) - 1] = none ? null : g;
                    }
                }
            }
            int mismatches = 0, inside = 0;
            StringBuilder examples = new StringBuilder();
            for (int i = 0; i < points.size(); i++) {
                Long got = index.locate(lons[i], lats[i]).map(GridCell::id).orElse(null);
                if (got != null) inside++;
                if (!java.util.Objects.equals(got, expected[i])) {
                    if (mismatches++ < 5)
                        examples.append(
                                String.format(
                                        " (%.12f %.12f): index %s, PostGIS %s;",
                                        lons[i], lats[i], got, expected[i]));
                }
            }
            assertEquals(0, mismatches, "disagreements:" + examples);
            assertTrue(inside > onBoundaries, "many random points fall inside grids: " + inside);
        }
    }

    static double[] extent(Connection c) throws Exception {
        try (var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry AS e FROM jurisdiction WHERE kind = 'SUBDISTRICT') x")) {
            rs.next();
            return new double[] {
                rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)
            };
        }
    }
}
