package org.gridgov.ogc.features;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.TimeInterval;

/**
 * Features of a catalog layer straight from PostGIS, as GeoJSON built by PostGIS: for OGC API
 * Features and for WMS GetFeatureInfo in JSON (which MapServer 8.0.0 cannot answer without
 * crashing). The layer SQL gives exactly the published attributes; plan ids and numbers are bound
 * or validated, never pasted from the request.
 */
public final class FeatureSource {

    private final DataSource ds;

    public FeatureSource(DataSource ds) {
        this.ds = ds;
    }

    /**
     * A page of features in EPSG:4326 (bbox: minLon,minLat,maxLon,maxLat or null), plus whether
     * more follow.
     */
    public record Page(String featuresJson, int returned, long matched) {}

    /** time: the datetime interval of a layer with a time dimension, or null. */
    public Page page(
            Layer layer, long plan, double[] bbox, TimeInterval time, int limit, long offset)
            throws SQLException {
        String where = bbox == null ? "true" : "t.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)";
        String sql =
                "SELECT coalesce(json_agg(f.feature ORDER BY f.id), '[]')::text, count(*), (SELECT count(*) FROM ("
                        + layer.sqlFor(plan, time)
                        + ") t WHERE "
                        + where
                        + ") FROM (SELECT t.id, "
                        + feature(layer.name())
                        + " AS feature FROM ("
                        + layer.sqlFor(plan, time)
                        + ") t WHERE "
                        + where
                        + " ORDER BY t.id LIMIT ? OFFSET ?) f";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (int k = 0; k < 2; k++) {
                if (bbox != null) for (double v : bbox) ps.setDouble(i++, v);
            }
            ps.setInt(i++, limit);
            ps.setLong(i, offset);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Page(rs.getString(1), rs.getInt(2), rs.getLong(3));
            }
        }
    }

    /** One feature as GeoJSON text, or null. */
    public String one(Layer layer, long plan, long id) throws SQLException {
        String sql =
                "SELECT "
                        + feature(layer.name())
                        + "::text FROM ("
                        + layer.sqlForPlan(plan)
                        + ") t WHERE t.id = ?";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Features of the layers near a map point (x, y in EPSG:srid, tolerance in the same units), as
     * one FeatureCollection: WMS GetFeatureInfo in JSON.
     */
    public byte[] near(
            List<Layer> layers,
            long plan,
            TimeInterval time,
            int srid,
            double x,
            double y,
            double tolerance,
            int max)
            throws SQLException {
        StringBuilder sql =
                new StringBuilder(
                        "SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(f), '[]'))::text FROM (");
        for (int k = 0; k < layers.size(); k++) {
            if (k > 0) sql.append(" UNION ALL ");
            Layer l = layers.get(k);
            double tol = tolerance * ("POINT".equals(l.geometry()) ? 4 : 0.5);
            sql.append("(SELECT ")
                    .append(feature(l.name()))
                    .append(" AS f FROM (")
                    .append(l.sqlFor(plan, time))
                    .append(") t, ")
                    .append("(SELECT ST_SetSRID(ST_MakePoint(")
                    .append(x)
                    .append(", ")
                    .append(y)
                    .append("), ")
                    .append(srid)
                    .append(") AS p) q ")
                    .append("WHERE t.geom && ST_Transform(ST_Expand(q.p, ")
                    .append(tol)
                    .append("), 4326) ")
                    .append("AND ST_DWithin(ST_Transform(t.geom, ")
                    .append(srid)
                    .append("), q.p, ")
                    .append(tol)
                    .append(") ORDER BY t.id LIMIT ")
                    .append(max)
                    .append(")");
        }
        sql.append(") x(f)");
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString());
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String feature(String layerName) {
        return "json_build_object('type', 'Feature', 'id', t.id, 'geometry', ST_AsGeoJSON(t.geom, 7)::json, "
                + "'properties', to_jsonb(t) - 'geom' - 'id')";
    }
}
