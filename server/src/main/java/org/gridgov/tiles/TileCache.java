package org.gridgov.tiles;

import org.gridgov.ogc.Layer;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Recently built tiles in memory (one LRU by bytes over all layers), each with a strong ETag (its
 * content hash). Each layer has a data version made of the signals of the tables it reads
 * ({@link Layer#tables()}); when a layer's version moves, its tiles — and no other layer's — are
 * dropped. So incidents arriving every few seconds leave grid and community tiles cached.
 *
 * <p>Signals, polled once a second ({@link #refresh}) so that writes from another gridgov instance
 * or from psql count too: each table's insert/update/delete counters (pg_stat_user_tables). Those
 * counters reach the statistics only when a backend flushes them (at most once a second), so two
 * faster signals are added: the incident id sequence moves the moment an incident is inserted,
 * and {@link #touched} is called by the event relay for every committed incident change. The grid
 * plan in effect ({@code plan_in_effect()}) is a signal of {@code grid_plan}: it changes with the
 * clock when an adopted plan's date comes, with no write at all.
 */
public final class TileCache {

    public record Tile(byte[] bytes, String etag) {
    }

    private static final String SIGNALS = """
            SELECT relname::text, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables WHERE relname = ANY(?)
            UNION ALL SELECT 'incident', (SELECT last_value FROM incident_id_seq)
            UNION ALL SELECT 'grid_plan', coalesce(plan_in_effect(), 0)""";

    private final long maxBytes;
    private long bytes;
    private final LinkedHashMap<String, Tile> tiles = new LinkedHashMap<>(256, 0.75f, true);
    /** Layer name → the tables it reads. */
    private final Map<String, List<String>> tablesOf = new HashMap<>();
    /** Layer name → how many times its tiles were dropped: a tile built under an older epoch is not kept. */
    private final Map<String, Long> epochs = new ConcurrentHashMap<>();
    /** Layer name → its tables' signals at the last poll. */
    private final Map<String, Long> fingerprints = new HashMap<>();

    public TileCache(long maxBytes, Collection<Layer> layers) {
        this.maxBytes = maxBytes;
        for (Layer l : layers) {
            if (l.tiles()) tablesOf.put(l.name(), l.tables());
        }
    }

    public synchronized Tile get(String key) {
        return tiles.get(key);
    }

    /** The layer's data version now: pass it back to {@link #put} with the tile built under it. */
    public long version(String layer) {
        return epochs.getOrDefault(layer, 0L);
    }

    /** Stores a tile of the layer built under the given data version (dropped if its data changed meanwhile). */
    public Tile put(String layer, String key, byte[] data, long builtAt) {
        Tile t = new Tile(data, etag(data));   // outside the lock: a dense tile is a megabyte
        synchronized (this) {
            if (builtAt != version(layer) || maxBytes <= 0) return t;
            Tile old = tiles.put(key, t);
            bytes += data.length - (old == null ? 0 : old.bytes().length);
            var it = tiles.entrySet().iterator();
            while (bytes > maxBytes && it.hasNext()) {
                Map.Entry<String, Tile> e = it.next();
                bytes -= e.getValue().bytes().length;
                it.remove();
            }
        }
        return t;
    }

    /** How many tiles of the layer are cached. */
    public synchronized int size(String layer) {
        String prefix = layer + "/";
        return (int) tiles.keySet().stream().filter(k -> k.startsWith(prefix)).count();
    }

    /** A committed change to the table that this instance learned of (the event relay): its layers' tiles go now, not at the next poll. */
    public synchronized void touched(String table) {
        tablesOf.forEach((layer, tables) -> {
            if (tables.contains(table)) drop(layer);
        });
    }

    /** Polls the tables' signals; drops the tiles of each layer whose signals moved. Blocking (JDBC). */
    public void refresh(DataSource ds) throws Exception {
        TreeSet<String> tables = new TreeSet<>();
        tablesOf.values().forEach(tables::addAll);
        Map<String, Long> signal = new HashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(SIGNALS)) {
            ps.setArray(1, c.createArrayOf("text", tables.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) signal.merge(rs.getString(1), rs.getLong(2), (a, b) -> 31 * a + b);
            }
        }
        synchronized (this) {
            tablesOf.forEach((layer, layerTables) -> {
                long fingerprint = 17;
                for (String t : layerTables) fingerprint = 31 * fingerprint + signal.getOrDefault(t, 0L);
                Long before = fingerprints.put(layer, fingerprint);
                if (before == null || before != fingerprint) drop(layer);
            });
        }
    }

    private void drop(String layer) {
        epochs.merge(layer, 1L, Long::sum);
        String prefix = layer + "/";
        var it = tiles.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Tile> e = it.next();
            if (e.getKey().startsWith(prefix)) {
                bytes -= e.getValue().bytes().length;
                it.remove();
            }
        }
    }

    /**
     * The tile's content tag: CRC-32C and CRC-32 of the bytes, and their length. Both checksums
     * run as CPU instructions (a megabyte in about 0.1 ms, where SHA-256 took milliseconds on the
     * event loop); an ETag only has to tell one tile's versions apart, and tile bytes are not
     * chosen by a client, so a cryptographic hash buys nothing here.
     */
    static String etag(byte[] data) {
        CRC32C c = new CRC32C();
        c.update(data);
        CRC32 d = new CRC32();
        d.update(data);
        return String.format(Locale.ROOT, "\"%08x%08x-%x\"", c.getValue(), d.getValue(), data.length);
    }
}
