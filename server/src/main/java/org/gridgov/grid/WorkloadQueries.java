package org.gridgov.grid;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.gridgov.rebalance.PlanLayout;
import org.gridgov.rebalance.UnitGraph;

/** The SQL behind GET /api/v1/analytics/workload: a plan's layout and its grids' shapes. */
final class WorkloadQueries {

    private static final String SHAPES =
            """
            SELECT id, ST_AsGeoJSON(geom, 7), ST_Area(p), ST_Perimeter(p)
            FROM (SELECT id, geom, ST_Transform(geom, %d) AS p FROM grid WHERE plan_id = ?) g ORDER BY id""";

    private final Planning planning;
    private final String shapesSql;

    WorkloadQueries(Planning planning) {
        this.planning = planning;
        this.shapesSql = SHAPES.formatted(planning.planarSrid()); // measured in the configured CRS
    }

    /** A grid's outline (GeoJSON text) and its area (m²) and perimeter (m) in the planar CRS. */
    record Shape(long gridId, String geometry, double areaM2, double perimeterM) {}

    /** A plan's grids and units, and its grids' shapes in id order. */
    record Plan(long id, PlanLayout layout, List<Shape> shapes) {}

    /** plan=active (the default) or a plan id that exists; 400/404 otherwise. */
    /**
     * The plan asked for ("active" or absent: the caller's subdistrict's plan in effect), once the
     * caller may see it: a plan of another subdistrict is 404, as in GET /api/v1/plans/{id}. {@code
     * scope}: the caller's subdistrict, null for a district-wide caller.
     */
    PlanStore.PlanRow resolve(String planText, Long scope) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            long id =
                    scope == null
                            ? planning.resolvePlan(c, planText)
                            : planning.resolvePlan(c, planText, scope);
            return PlanQueries.visible(c, id, scope);
        }
    }

    Plan plan(long planId, UnitGraph g) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            PlanLayout layout = PlanStore.layout(c, planId, g);
            List<Shape> shapes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(shapesSql)) {
                ps.setLong(1, planId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        shapes.add(
                                new Shape(
                                        rs.getLong(1),
                                        rs.getString(2),
                                        rs.getDouble(3),
                                        rs.getDouble(4)));
                    }
                }
            }
            return new Plan(planId, layout, shapes);
        }
    }
}
