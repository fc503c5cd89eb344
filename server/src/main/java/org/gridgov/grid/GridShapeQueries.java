package org.gridgov.grid;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of WFS-T edits ({@link GridTransactions}): a client's geometry in EPSG:4326, whether it
 * lies in the base units' area, whether it is a grid's present shape, and the units inside or
 * outside it (by representative point, as claim-polygon takes them). Statements that PostGIS may
 * refuse for far-out coordinates run under a savepoint, so a refusal does not abort the
 * transaction.
 */
final class GridShapeQueries {

    private static final String TO_GEOJSON =
            "SELECT ST_AsGeoJSON(ST_Transform(ST_GeomFromText(?, ?), 4326), 9)";

    private static final String IN_AREA =
            """
            SELECT coalesce(ST_Intersects(ST_Transform(ST_GeomFromText(?, ?), 4326),
                            (SELECT ST_SetSRID(ST_Extent(geom)::geometry, 4326) FROM base_unit)), false)""";

    /** Whether the grid's geometry is the given one within half a metre (an unchanged shape). */
    private static final String SAME_SHAPE =
            """
            SELECT coalesce(ST_HausdorffDistance(ST_Transform(g.geom, %1$d),
                       ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326), %1$d)) < 0.5, false)
            FROM grid g WHERE g.id = ? AND NOT ST_IsEmpty(g.geom)""";

    private static final String UNITS_INSIDE =
            """
            SELECT b.community_id, b.id
            FROM base_unit b, (SELECT ST_SetSRID(ST_GeomFromGeoJSON(?), 4326) AS g) x
            WHERE b.retired_at IS NULL AND b.geom && x.g AND ST_Within(ST_PointOnSurface(b.geom), x.g)
            ORDER BY b.id""";

    private static final String UNITS_OUTSIDE =
            """
            SELECT gu.unit_id
            FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id,
                 (SELECT ST_SetSRID(ST_GeomFromGeoJSON(?), 4326) AS g) x
            WHERE gu.grid_id = ? AND NOT ST_Within(ST_PointOnSurface(b.geom), x.g)
            ORDER BY gu.unit_id""";

    /** Binds a statement's parameters. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private GridShapeQueries() {}

    /** The geometry (WKT in srid) as EPSG:4326 GeoJSON, or null when PostGIS cannot move it. */
    static String geojson(Connection c, String wkt, int srid) throws SQLException {
        return guarded(
                c,
                TO_GEOJSON,
                ps -> {
                    ps.setString(1, wkt);
                    ps.setInt(2, srid);
                });
    }

    /** Whether the geometry lies (partly) in the base units' extent. */
    static boolean inArea(Connection c, String wkt, int srid) throws SQLException {
        Boolean in =
                guarded(
                        c,
                        IN_AREA,
                        ps -> {
                            ps.setString(1, wkt);
                            ps.setInt(2, srid);
                        });
        return in != null && in;
    }

    static boolean sameShape(Connection c, long gridId, String geojson, int planarSrid)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SAME_SHAPE.formatted(planarSrid))) {
            ps.setString(1, geojson);
            ps.setLong(2, gridId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The live units whose representative point lies inside, by community. */
    static Map<Long, List<Long>> unitsInside(Connection c, String geojson) throws SQLException {
        Map<Long, List<Long>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(UNITS_INSIDE)) {
            ps.setString(1, geojson);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getLong(2));
            }
        }
        return out;
    }

    /** The grid's units whose representative point lies outside the geometry. */
    static List<Long> unitsOutside(Connection c, long gridId, String geojson) throws SQLException {
        List<Long> units = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(UNITS_OUTSIDE)) {
            ps.setString(1, geojson);
            ps.setLong(2, gridId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) units.add(rs.getLong(1));
            }
        }
        return units;
    }

    /** The value of a one-row query, or null when PostGIS refuses it (far-out coordinates). */
    @SuppressWarnings("unchecked") // the caller names the column's type
    private static <T> T guarded(Connection c, String sql, Binder bind) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                T out = rs.next() ? (T) rs.getObject(1) : null;
                c.releaseSavepoint(sp);
                return out;
            }
        } catch (SQLException e) {
            c.rollback(sp); // a failed statement would abort the whole transaction
            return null;
        }
    }
}
