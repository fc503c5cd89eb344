package org.gridgov.ogc.features;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.SubdistrictFilter;
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
     * A page of features in EPSG:4326, in id order: the features as a GeoJSON array, the first and
     * last ids on it, and whether more follow in the direction the page was read.
     */
    public record Page(
            String featuresJson, int returned, long firstId, long lastId, boolean more) {}

    /**
     * A page of features matching bbox (minLon,minLat,maxLon,maxLat or null) and time (the datetime
     * interval of a layer with a time dimension, or null). A keyset start (after or before an id)
     * reads only the page itself through the id index, so every page costs the same however deep;
     * an offset start skips rows without building their GeoJSON.
     */
    public Page page(
            Layer layer,
            long plan,
            SubdistrictFilter subdistrict,
            double[] bbox,
            TimeInterval time,
            PageStart start,
            int limit)
            throws SQLException {
        String where = bbox == null ? "true" : "t.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)";
        String source = "(" + layer.sqlFor(plan, time, subdistrict) + ") t WHERE " + where;
        String sql =
                switch (start.kind()) {
                    case OFFSET ->
                            "SELECT t.id, "
                                    + feature(layer.name())
                                    + "::text FROM (SELECT * FROM "
                                    + source
                                    + " ORDER BY t.id LIMIT ? OFFSET ?) t ORDER BY t.id";
                    case AFTER ->
                            "SELECT t.id, "
                                    + feature(layer.name())
                                    + "::text FROM "
                                    + source
                                    + " AND t.id > ? ORDER BY t.id LIMIT ?";
                    case BEFORE ->
                            "SELECT t.id, "
                                    + feature(layer.name())
                                    + "::text FROM "
                                    + source
                                    + " AND t.id < ? ORDER BY t.id DESC LIMIT ?";
                };
        List<Long> ids = new ArrayList<>();
        List<String> json = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (bbox != null) for (double v : bbox) ps.setDouble(i++, v);
            if (start.kind() == PageStart.Kind.OFFSET) {
                ps.setInt(i++, limit + 1); // one more than asked: whether a next page exists
                ps.setLong(i, start.value());
            } else {
                ps.setLong(i++, start.value());
                ps.setInt(i, limit + 1);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    json.add(rs.getString(2));
                }
            }
        }
        boolean more = ids.size() > limit;
        if (more) {
            ids.remove(limit);
            json.remove(limit);
        }
        if (start.kind() == PageStart.Kind.BEFORE) {
            Collections.reverse(ids);
            Collections.reverse(json);
        }
        return new Page(
                "[" + String.join(",", json) + "]",
                ids.size(),
                ids.isEmpty() ? 0 : ids.get(0),
                ids.isEmpty() ? 0 : ids.get(ids.size() - 1),
                more);
    }

    /** How many features match bbox (null = all): numberMatched. */
    public long count(
            Layer layer, long plan, SubdistrictFilter subdistrict, double[] bbox, TimeInterval time)
            throws SQLException {
        String where = bbox == null ? "true" : "t.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)";
        String sql =
                "SELECT count(*) FROM ("
                        + layer.sqlFor(plan, time, subdistrict)
                        + ") t WHERE "
                        + where;
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (bbox != null) for (double v : bbox) ps.setDouble(i++, v);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** One feature as GeoJSON text, or null. */
    public String one(Layer layer, long plan, SubdistrictFilter subdistrict, long id)
            throws SQLException {
        String sql =
                "SELECT "
                        + feature(layer.name())
                        + "::text FROM ("
                        + layer.sqlFor(plan, null, subdistrict)
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
            SubdistrictFilter subdistrict,
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
                    .append(l.sqlFor(plan, time, subdistrict))
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
