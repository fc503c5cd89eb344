package org.gridgov.geo;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs a query whose single row and column is a finished JSON document (PostGIS builds GeoJSON
 * faster than we could re-encode it), and hands back its bytes.
 */
public final class GeoJsonQuery {

    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private GeoJsonQuery() {}

    public static byte[] run(DataSource ds, String sql, Binder binder) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1).getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    /** Binds a bbox (or four NULLs for "no filter") at the given parameter positions. */
    public static void bindBbox(PreparedStatement ps, int first, Bbox b) throws SQLException {
        for (int i = 0; i < 4; i++) {
            if (b == null) ps.setNull(first + i, java.sql.Types.DOUBLE);
        }
        if (b != null) {
            ps.setDouble(first, b.minLon());
            ps.setDouble(first + 1, b.minLat());
            ps.setDouble(first + 2, b.maxLon());
            ps.setDouble(first + 3, b.maxLat());
        }
    }
}
