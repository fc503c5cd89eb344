package org.gridgov.grid;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.gridgov.api.ProblemException;
import org.gridgov.geo.Crs;
import org.gridgov.rebalance.PlanLayout;
import org.gridgov.rebalance.PlanMetrics;
import org.gridgov.rebalance.UnitGraph;
import org.gridgov.rebalance.UnitWorkloads;
import org.gridgov.rebalance.WorkloadModel;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * GRIDGOV_PLANAR_SRID is honoured by planning: with EPSG:32651 (UTM 51N, valid for the test area at
 * 120.3°E 30.2°N) the unit graph, a plan's metrics, validation and import checks measure in that
 * CRS. Its scale differs from the Gauss-Kruger EPSG:4549's by about a tenth of a percent there:
 * areas agree within 0.5 % but are not the same. The domain classes are called directly on the test
 * database; the shared test server keeps EPSG:4549.
 */
@Tag("db")
class PlanarSridTest {

    static final int UTM = 32651;
    static final int GK = Crs.PLANAR_DEFAULT;
    private static final Pattern M2 = Pattern.compile("by (\\d+) m²");

    private final DataSource ds = TestDatabase.get().dataSource();

    private Planning planning(int srid) {
        return new Planning(ds, null, WorkloadModel.defaults(), Clock.systemUTC(), srid);
    }

    @Test
    void postgisKnowsTheSecondCrs() throws Exception {
        assertEquals(
                1,
                TestDatabase.queryLong("SELECT count(*) FROM spatial_ref_sys WHERE srid = " + UTM));
    }

    @Test
    void theUnitGraphAndPlanMetricsAreMeasuredInThePlanarCrs() throws Exception {
        UnitGraph gk = planning(GK).graph(), utm = planning(UTM).graph();
        assertEquals(GK, gk.planarSrid);
        assertEquals(UTM, utm.planarSrid);
        assertClose(sum(gk.area), sum(utm.area), "unit areas");

        long plan = activePlan();
        PlanMetrics a = metrics(planning(GK), plan), b = metrics(planning(UTM), plan);
        assertEquals(a.area.length, b.area.length);
        assertClose(sum(a.area), sum(b.area), "grid areas");
        assertClose(sum(a.perimeter), sum(b.perimeter), "grid perimeters");
    }

    @Test
    void workloadShapesAreMeasuredInThePlanarCrs() throws Exception {
        long plan = activePlan();
        var gk = new WorkloadQueries(planning(GK)).plan(plan, planning(GK).graph()).shapes();
        var utm = new WorkloadQueries(planning(UTM)).plan(plan, planning(UTM).graph()).shapes();
        assertEquals(gk.size(), utm.size());
        assertClose(
                gk.stream().mapToDouble(WorkloadQueries.Shape::areaM2).sum(),
                utm.stream().mapToDouble(WorkloadQueries.Shape::areaM2).sum(),
                "workload grid areas");
    }

    @Test
    void validationMeasuresGeometryGapsInThePlanarCrs() throws Exception {
        long plan = activePlan();
        UnitGraph gk = planning(GK).graph();
        UnitGraph utm = planning(UTM).graph();
        UnitWorkloads wGk = workloads(planning(GK), gk), wUtm = workloads(planning(UTM), utm);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                // one grid's geometry shrunk 20 m inside: no longer the union of its units
                long grid;
                try (PreparedStatement ps =
                        c.prepareStatement(
                                """
                        UPDATE grid SET geom = ST_Multi(ST_Transform(ST_Buffer(ST_Transform(geom, 4549), -20), 4326))
                        WHERE id = (SELECT min(id) FROM grid WHERE plan_id = ? AND NOT ST_IsEmpty(geom))
                        RETURNING id""")) {
                    ps.setLong(1, plan);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        grid = rs.getLong(1);
                    }
                }
                double a = gap(PlanValidator.validate(c, plan, gk, wGk, 1.0), grid);
                double b = gap(PlanValidator.validate(c, plan, utm, wUtm, 1.0), grid);
                assertClose(a, b, "the gap of grid " + grid);
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void importChecksMeasureInThePlanarCrsAndOfferIt() throws Exception {
        assertEquals(UTM, ImportStaging.sourceCrs("EPSG:" + UTM, UTM));
        assertEquals(GK, ImportStaging.sourceCrs("EPSG:" + GK, GK));
        var refused =
                assertThrows(
                        ProblemException.class, () -> ImportStaging.sourceCrs("EPSG:" + UTM, GK));
        assertTrue(refused.problem().detail().contains("EPSG:" + GK), refused.getMessage());
        assertTrue(Crs.offered(UTM).contains(UTM));
        assertFalse(Crs.offered(UTM).contains(GK));

        UUID job = UUID.randomUUID();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO job (id, kind, status) VALUES (?, 'import', 'DONE')")) {
                    ps.setObject(1, job);
                    ps.executeUpdate();
                }
                // two 200 m squares in the subdistrict, 100 m apart: they overlap by 100 m x 200 m
                try (PreparedStatement ps =
                        c.prepareStatement(
                                """
                        INSERT INTO import_feature (job_id, seq, code, geom)
                        SELECT ?, n, 'F' || n, ST_Transform(ST_Expand(ST_Translate(p, 100 * n, 0), 100), 4326)
                        FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 4549) AS p
                              FROM jurisdiction WHERE kind = 'SUBDISTRICT' LIMIT 1) s, generate_series(1, 2) n""")) {
                    ps.setObject(1, job);
                    assertEquals(2, ps.executeUpdate());
                }
                double a = overlap(c, job, GK), b = overlap(c, job, UTM);
                assertEquals(20_000, a, 100, "the overlap in EPSG:4549");
                assertClose(a, b, "the overlap");
            } finally {
                c.rollback();
            }
        }
    }

    private static double overlap(Connection c, UUID job, int srid) throws Exception {
        ImportStaging.Report r = new ImportStaging.Report(job, "units", srid);
        ImportStaging.checkShared(c, job, r, true);
        for (JsonNode p : r.problems)
            if (p.get("type").asText().equals("overlap")) return number(p);
        throw new AssertionError("no overlap reported: " + r.problems);
    }

    private static double gap(PlanValidator.Report r, long grid) {
        for (JsonNode p : r.problems())
            if (p.get("type").asText().equals("invalid-geometry")
                    && p.path("gridId").asLong() == grid) return number(p);
        throw new AssertionError("no geometry gap reported for grid " + grid + ": " + r.problems());
    }

    private static double number(JsonNode problem) {
        Matcher m = M2.matcher(problem.get("message").asText());
        assertTrue(m.find(), problem.toString());
        return Double.parseDouble(m.group(1));
    }

    private PlanMetrics metrics(Planning p, long plan) throws Exception {
        UnitGraph g = p.graph();
        try (Connection c = ds.getConnection()) {
            PlanLayout l = PlanStore.layout(c, plan, g);
            return new PlanMetrics(g, workloads(p, g), l);
        }
    }

    private static UnitWorkloads workloads(Planning p, UnitGraph g) throws Exception {
        return p.workloads(g, null, p.defaultWindow());
    }

    private static long activePlan() throws Exception {
        return TestDatabase.queryLong(
                "SELECT id FROM grid_plan WHERE status = 'ACTIVE' ORDER BY effective_from LIMIT 1");
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s;
    }

    /** Within 0.5 % of each other, and not the same number: measured in two CRSs. */
    private static void assertClose(double gk, double utm, String what) {
        assertTrue(gk > 0, what + " in EPSG:4549: " + gk);
        assertTrue(
                Math.abs(gk - utm) <= 0.005 * gk,
                what + ": EPSG:4549 " + gk + " vs EPSG:32651 " + utm);
        assertNotEquals(gk, utm, what + " not measured in EPSG:32651");
    }
}
