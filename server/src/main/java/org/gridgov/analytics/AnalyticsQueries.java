package org.gridgov.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the analytics endpoints read from the database: cell outlines, the grids' communities, the
 * situation summary, and the in-memory points' drift from the incident table.
 */
public final class AnalyticsQueries {

    private static final String GRID_COMMUNITIES = "SELECT id, community_id FROM grid";

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

    JsonNode situation(Instant now, ZoneId zone) throws SQLException {
        return Situation.read(ds, now, zone);
    }

    /** How many incidents the in-memory points hold differently from the table (0: none). */
    long drift(IncidentPoints points) throws SQLException {
        return points.drift(ds);
    }
}
