package org.gridgov.tiles;

import javax.sql.DataSource;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recently built tiles in memory (LRU by bytes), each with a strong ETag (its content hash). A
 * data version, polled from PostgreSQL's table counters and the incident sequence, empties the
 * cache when any published table changes, here or on another gridgov instance.
 */
public final class TileCache {

    public record Tile(byte[] bytes, String etag) {
    }

    private static final String VERSION = """
            SELECT (SELECT last_value FROM incident_id_seq) + coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)
            FROM pg_stat_user_tables
            WHERE relname IN ('incident', 'grid', 'grid_plan', 'grid_unit', 'base_unit', 'community', 'jurisdiction', 'category')""";

    private final long maxBytes;
    private long bytes;
    private volatile long version = -1;
    private final LinkedHashMap<String, Tile> tiles = new LinkedHashMap<>(256, 0.75f, true);

    public TileCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public synchronized Tile get(String key) {
        return tiles.get(key);
    }

    public long version() {
        return version;
    }

    /** Stores a tile built under the given data version (dropped if the data changed meanwhile). */
    public synchronized Tile put(String key, byte[] data, long builtAt) {
        Tile t = new Tile(data, etag(data));
        if (builtAt != version) return t;
        Tile old = tiles.put(key, t);
        bytes += data.length - (old == null ? 0 : old.bytes().length);
        var it = tiles.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<String, Tile> e = it.next();
            bytes -= e.getValue().bytes().length;
            it.remove();
        }
        return t;
    }

    public synchronized void clear() {
        tiles.clear();
        bytes = 0;
    }

    /** Polls the data version; empties the cache when it moved. Blocking (JDBC). */
    public void refresh(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(VERSION)) {
            rs.next();
            long v = rs.getLong(1);
            if (v != version) {
                synchronized (this) {
                    clear();
                    version = v;
                }
            }
        }
    }

    static String etag(byte[] data) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(data);
            return "\"" + HexFormat.of().formatHex(h, 0, 16) + "\"";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
