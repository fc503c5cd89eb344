package org.gridgov.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the analytics endpoints read from the database: cell outlines, bin tiles, the grids'
 * communities, the situation summary, and the in-memory points' drift from the incident table.
 */
public final class AnalyticsQueries {

    private static final String GRID_COMMUNITIES = "SELECT id, community_id FROM grid";

    private static final String ENCODE =
            """
            WITH b AS (SELECT ST_TileEnvelope(?, ?, ?) AS env),
            cells AS (
                SELECT ST_Transform(ST_GeomFromWKB(c.wkb, ?::int), 3857) AS cell, c.n, c.label
                FROM unnest(?::bytea[], ?::int[], ?::text[]) AS c(wkb, n, label))
            SELECT ST_AsMVT(t, 'bins', 4096, 'geom') FROM (
                SELECT ST_AsMVTGeom(cells.cell, b.env, 4096, 64, true) AS geom, cells.n AS count, cells.label AS cell
                FROM cells, b) t
            WHERE t.geom IS NOT NULL""";

    private final DataSource ds;

    public AnalyticsQueries(DataSource ds) {
        this.ds = ds;
    }

    /** The cells as a GeoJSON FeatureCollection, one (JSON text) properties object per key. */
    byte[] cellFeatures(Cells cells, int srid, List<Long> keys, List<String> properties)
            throws SQLException {
        return CellFeatures.collection(ds, cells, srid, keys, properties);
    }

    /** grid id → its community id, over every plan. */
    Map<Long, Long> gridCommunities() throws SQLException {
        Map<Long, Long> out = new HashMap<>();
        try (var c = ds.getConnection();
                var st = c.createStatement();
                var rs = st.executeQuery(GRID_COMMUNITIES)) {
            while (rs.next()) out.put(rs.getLong(1), rs.getLong(2));
        }
        return out;
    }

    JsonNode situation(Instant now, ZoneId zone, Long subdistrict) throws SQLException {
        return Situation.read(ds, now, zone, subdistrict);
    }

    /** How many incidents the in-memory points hold differently from the table (0: none). */
    long drift(IncidentPoints points) throws SQLException {
        return points.drift(ds);
    }

    /**
     * The bins of tile z/x/y as a Mapbox vector tile (empty when none): cells as WKB in the planar
     * CRS srid, with their counts and "i,j" labels.
     */
    byte[] binTile(int z, int x, int y, int srid, byte[][] shapes, Integer[] n, String[] labels)
            throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(ENCODE)) {
            ps.setInt(1, z);
            ps.setInt(2, x);
            ps.setInt(3, y);
            ps.setInt(4, srid);
            ps.setArray(5, c.createArrayOf("bytea", shapes));
            ps.setArray(6, c.createArrayOf("int4", n));
            ps.setArray(7, c.createArrayOf("text", labels));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                byte[] mvt = rs.getBytes(1);
                return mvt == null ? new byte[0] : mvt;
            }
        }
    }
}
