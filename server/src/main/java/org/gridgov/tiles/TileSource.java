package org.gridgov.tiles;

import org.gridgov.ogc.Layer;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Builds one vector tile in PostGIS: features clipped into tile space by ST_AsMVTGeom and encoded
 * by ST_AsMVT. Point layers with aggregateBelowZoom are binned into 64×64 cells per tile below
 * that zoom (a z14 tile of a million raw points is megabytes, DESIGN.md §7).
 */
public final class TileSource {

    public static final int MAX_ZOOM = 22;
    private final DataSource ds;
    private final double[] extent;

    public TileSource(DataSource ds, double[] extent) {
        this.ds = ds;
        this.extent = extent;
    }

    public double[] extent() {
        return extent;
    }

    /** The SQL for a tile (parameters: z, x, y); public for the benchmark's bare-SQL baseline. */
    public static String sql(Layer l, int z) {
        String src = l.sqlForPlan(0);
        if (l.aggregateBelowZoom() != null && z < l.aggregateBelowZoom()) {
            return """
                    WITH b AS (SELECT ST_TileEnvelope(?, ?, ?) AS env),
                    cells AS (
                        SELECT ST_SnapToGrid(ST_Transform(t.geom, 3857), (ST_XMax(b.env) - ST_XMin(b.env)) / 64) AS cell, count(*)::int AS count
                        FROM (%s) t, b WHERE t.geom && ST_Transform(b.env, 4326) GROUP BY 1),
                    mvt AS (SELECT row_number() OVER () AS id, ST_AsMVTGeom(c.cell, b.env, 4096, 64, true) AS geom, c.count FROM cells c, b)
                    SELECT ST_AsMVT(mvt, '%s', 4096, 'geom', 'id') FROM mvt WHERE geom IS NOT NULL""".formatted(src, l.name());
        }
        StringBuilder cols = new StringBuilder();
        for (String a : l.attributes().keySet()) cols.append(", t.").append(a);
        return """
                WITH b AS (SELECT ST_TileEnvelope(?, ?, ?) AS env),
                mvt AS (SELECT t.id, ST_AsMVTGeom(ST_Transform(t.geom, 3857), b.env, 4096, 64, true) AS geom%s
                        FROM (%s) t, b WHERE t.geom && ST_Transform(b.env, 4326))
                SELECT ST_AsMVT(mvt, '%s', 4096, 'geom', 'id') FROM mvt WHERE geom IS NOT NULL""".formatted(cols, src, l.name());
    }

    public byte[] tile(Layer l, int z, int x, int y) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql(l, z))) {
            ps.setInt(1, z);
            ps.setInt(2, x);
            ps.setInt(3, y);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                byte[] b = rs.getBytes(1);
                return b == null ? new byte[0] : b;
            }
        }
    }
}
