package org.gridgov.ogc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A compact in-memory columnar copy of every incident's point, report time, category and
 * platform (about 15 bytes an incident: 15 MB for a million), for the heatmap renderer. Loaded
 * once, then topped up with incidents newer than the highest id seen (incident ids only grow;
 * location, time, category and platform are fixed at intake).
 */
public final class IncidentPoints {

    private static final Logger log = LoggerFactory.getLogger(IncidentPoints.class);
    private static final String SELECT = """
            SELECT id, ST_X(location), ST_Y(location), (extract(epoch FROM reported_at) / 60)::int, category, platform
            FROM incident WHERE id > ? ORDER BY id""";

    private final DataSource ds;
    private final Map<String, Short> categories = new HashMap<>();
    private final Map<String, Byte> platforms = new HashMap<>();
    // Columns; readers see a consistent prefix of length `size` (arrays are replaced, never shrunk).
    private volatile Columns columns = new Columns(new float[0], new float[0], new int[0], new short[0], new byte[0], 0);
    private long maxId;
    private volatile boolean ready;

    record Columns(float[] lon, float[] lat, int[] minute, short[] category, byte[] platform, int size) {
    }

    public IncidentPoints(DataSource ds) {
        this.ds = ds;
    }

    public boolean ready() {
        return ready;
    }

    Columns columns() {
        return columns;
    }

    /** Category code → index used in the columns, or -1 if no incident has it. */
    synchronized short categoryIndex(String code) {
        Short s = categories.get(code);
        return s == null ? -1 : s;
    }

    synchronized byte platformIndex(String code) {
        Byte b = platforms.get(code);
        return b == null ? -1 : b;
    }

    /** Loads what is new since the last call; the first call loads everything. */
    public synchronized int refresh() throws SQLException {
        Columns c = columns;
        float[] lon = c.lon(), lat = c.lat();
        int[] minute = c.minute();
        short[] cat = c.category();
        byte[] plat = c.platform();
        int n = c.size();
        try (Connection conn = ds.getConnection()) {
            conn.setAutoCommit(false);   // lets the driver stream with a fetch size
            try (PreparedStatement ps = conn.prepareStatement(SELECT)) {
                ps.setFetchSize(50_000);
                ps.setLong(1, maxId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (n == lon.length) {
                            int cap = Math.max(1024, n * 3 / 2);
                            lon = Arrays.copyOf(lon, cap);
                            lat = Arrays.copyOf(lat, cap);
                            minute = Arrays.copyOf(minute, cap);
                            cat = Arrays.copyOf(cat, cap);
                            plat = Arrays.copyOf(plat, cap);
                        }
                        maxId = Math.max(maxId, rs.getLong(1));
                        lon[n] = (float) rs.getDouble(2);
                        lat[n] = (float) rs.getDouble(3);
                        minute[n] = rs.getInt(4);
                        cat[n] = categories.computeIfAbsent(rs.getString(5), k -> (short) categories.size());
                        plat[n] = platforms.computeIfAbsent(rs.getString(6), k -> (byte) platforms.size());
                        n++;
                    }
                }
            }
            conn.commit();
        }
        int added = n - c.size();
        if (added > 0 || !ready) columns = new Columns(lon, lat, minute, cat, plat, n);
        if (!ready) log.info("heatmap: {} incident points in memory", n);
        ready = true;
        return added;
    }
}
