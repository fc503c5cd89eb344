package org.gridgov.tiles;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import javax.sql.DataSource;
import org.gridgov.geo.TileScheme;
import org.gridgov.ogc.catalog.Layer;

/**
 * Recently built tiles in memory (one LRU by bytes over all layers), each with a strong ETag (its
 * content hash). Each layer has a data version made of the signals of the tables it reads ({@link
 * Layer#tables()}); when a layer's version moves, its tiles — and no other layer's — are dropped.
 * So incidents arriving every few seconds leave grid and community tiles cached.
 *
 * <p>Signals, polled once a second ({@link #refresh}) so that writes from another gridgov instance
 * or from psql count too: each table's insert/update/delete counters (pg_stat_user_tables; a
 * backend publishes them at most once a second, an idle one up to 10 s late). The grid plans in
 * effect ({@code plans_in_effect()}, one per subdistrict) are a signal of {@code grid_plan}: they
 * change with the clock when an adopted plan's date comes, with no write at all.
 *
 * <p>A table whose every change comes with a position is <em>followed</em> instead ({@link
 * #follow}): incidents, whose committed changes the event relay hands to {@link #changedAt} on
 * every instance. Then only the tiles holding that point, at each zoom, are dropped — an incident
 * reported in one street leaves the rest of the subdistrict's incident tiles cached. The poll
 * leaves a followed table alone; as a net for writes that bypass the relay (psql), tiles of its
 * layers are kept at most {@link #FOLLOWED_MAX_AGE_NANOS} (60 s).
 */
public final class TileCache {

    /**
     * A cached tile; expiresAt in System.nanoTime() terms (Long.MAX_VALUE: until its layer
     * changes).
     */
    public record Tile(byte[] bytes, String etag, long expiresAt) {}

    static final long FOLLOWED_MAX_AGE_NANOS = 60_000_000_000L;

    private static final String SIGNALS =
            """
            SELECT relname::text, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables WHERE relname = ANY(?)
            UNION ALL SELECT 'grid_plan',
                coalesce((SELECT hashtext(string_agg(p::text, ',' ORDER BY p)) FROM plans_in_effect() p), 0)""";

    private final long maxBytes;
    private long bytes;
    private final LinkedHashMap<String, Tile> tiles = new LinkedHashMap<>(256, 0.75f, true);

    /** Layer name → the tables it reads. */
    private final Map<String, List<String>> tablesOf = new HashMap<>();

    /**
     * Every drop takes the next stamp. A tile is built under the stamp current when its build began
     * ({@link #stamp()}) and kept only if neither its layer nor its own key was dropped since: so a
     * change at one place does not stop tiles elsewhere, built meanwhile, from being cached.
     */
    private long stamp;

    /** Layer name → stamp of its last whole-layer drop. */
    private final Map<String, Long> layerDropped = new HashMap<>();

    /** Tile key → stamp of its last drop by position (the most recent {@link #KEY_MARKS}). */
    private final LinkedHashMap<String, Long> keyDropped = new LinkedHashMap<>(1024, 0.75f, false);

    static final int KEY_MARKS = 100_000;

    /** The newest stamp forgotten from keyDropped: builds older than it are not kept. */
    private long keyMarksForgottenUpTo;

    /** Layer name → its tables' signals at the last poll. */
    private final Map<String, Long> fingerprints = new HashMap<>();

    /**
     * The subdistricts whose own tiles are cached (keys ending in {@link #subdistrictSuffix}): a
     * change at a point drops the tile there in each of them too. At most {@link #MAX_VARIANTS}; a
     * tile of a further one is answered but not kept.
     */
    private final Set<Long> variants = new java.util.HashSet<>();

    static final int MAX_VARIANTS = 64;

    /**
     * What a per-subdistrict layer's tile key ends in for one subdistrict's tile (district-wide
     * tiles have none), so that one subdistrict's tile is never answered to another.
     */
    public static String subdistrictSuffix(long subdistrictId) {
        return "~s" + subdistrictId;
    }

    /** The key of the district-wide tile at the same place. */
    private static String baseKey(String key) {
        int i = key.indexOf('~');
        return i < 0 ? key : key.substring(0, i);
    }

    /** Tables whose changes arrive through changedAt, not the poll. */
    private final Set<String> followed = ConcurrentHashMap.newKeySet();

    public TileCache(long maxBytes, Collection<Layer> layers) {
        this.maxBytes = maxBytes;
        for (Layer l : layers) {
            if (l.tiles()) tablesOf.put(l.name(), l.tables());
        }
    }

    public synchronized Tile get(String key) {
        Tile t = tiles.get(key);
        if (t != null && t.expiresAt() - System.nanoTime() < 0) {
            tiles.remove(key);
            bytes -= t.bytes().length;
            return null;
        }
        return t;
    }

    /** Changes to the table will come through {@link #changedAt}; the poll stops watching it. */
    public void follow(String table) {
        followed.add(table);
    }

    /** The change stamp now: pass it back to {@link #put} with the tile built after reading it. */
    public synchronized long stamp() {
        return stamp;
    }

    /**
     * Stores a tile of the layer built since the given stamp (not kept if its layer or the tile
     * itself was dropped meanwhile).
     */
    public Tile put(String layer, String key, byte[] data, long builtAt) {
        boolean readsFollowed =
                tablesOf.getOrDefault(layer, List.of()).stream().anyMatch(followed::contains);
        Tile t =
                new Tile(
                        data,
                        etag(data),
                        readsFollowed
                                ? System.nanoTime() + FOLLOWED_MAX_AGE_NANOS
                                : Long.MAX_VALUE); // outside the lock: a dense tile is a megabyte
        synchronized (this) {
            if (maxBytes <= 0
                    || layerDropped.getOrDefault(layer, -1L) > builtAt
                    || keyDropped.getOrDefault(baseKey(key), -1L) > builtAt
                    || keyMarksForgottenUpTo > builtAt) return t;
            int tilde = key.indexOf('~');
            if (tilde >= 0) {
                long sd = Long.parseLong(key.substring(tilde + 2));
                if (!variants.contains(sd) && variants.size() >= MAX_VARIANTS) return t;
                variants.add(sd);
            }
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
    synchronized int size(String layer) {
        String prefix = layer + "/";
        return (int) tiles.keySet().stream().filter(k -> k.startsWith(prefix)).count();
    }

    /**
     * A committed change to a row of the table at this point (lon/lat, EPSG:4326): drops, in every
     * layer reading the table, the tile holding the point at each zoom (both tiles when it lies on
     * their edge). Those tiles, if being built meanwhile, are answered but not kept.
     */
    public synchronized void changedAt(String table, double lon, double lat) {
        Corners around = Corners.of(lon, lat);
        tablesOf.forEach(
                (layer, tables) -> {
                    if (!tables.contains(table)) return;
                    for (int z = 0; z <= TileScheme.MAX_ZOOM; z++) {
                        for (String key : around.keys(layer, z)) {
                            keyDropped.remove(
                                    key); // re-inserted last: the map stays in stamp order
                            keyDropped.put(key, ++stamp);
                            Tile t = tiles.remove(key);
                            if (t != null) bytes -= t.bytes().length;
                            for (long sd : variants) {
                                t = tiles.remove(key + subdistrictSuffix(sd));
                                if (t != null) bytes -= t.bytes().length;
                            }
                        }
                    }
                });
        var it = keyDropped.entrySet().iterator();
        while (keyDropped.size() > KEY_MARKS && it.hasNext()) {
            keyMarksForgottenUpTo = it.next().getValue();
            it.remove();
        }
    }

    /**
     * A point widened by about a centimetre each way (tile edges are computed in EPSG:3857 by
     * PostGIS; a point on an edge is in both tiles), as fractions of the world, projected once.
     */
    record Corners(double west, double east, double north, double south) {

        private static final double EPS = 1e-7;

        static Corners of(double lon, double lat) {
            return new Corners(
                    TileScheme.fractionX(lon - EPS),
                    TileScheme.fractionX(lon + EPS),
                    TileScheme.fractionY(lat + EPS),
                    TileScheme.fractionY(lat - EPS));
        }

        /** The keys of the tiles at zoom z that hold the point: one, or two or four on edges. */
        List<String> keys(String layer, int z) {
            int x0 = TileScheme.index(z, west), x1 = TileScheme.index(z, east);
            int y0 = TileScheme.index(z, north), y1 = TileScheme.index(z, south);
            String prefix = layer + "/" + z + "/";
            if (x0 == x1 && y0 == y1) return List.of(prefix + x0 + "/" + y0);
            List<String> keys = new ArrayList<>(4);
            for (int x = x0; x <= x1; x++) {
                for (int y = y0; y <= y1; y++) keys.add(prefix + x + "/" + y);
            }
            return keys;
        }
    }

    /**
     * Polls the tables' signals; drops the tiles of each layer whose signals moved. Blocking
     * (JDBC).
     */
    public void refresh(DataSource ds) throws Exception {
        TreeSet<String> tables = new TreeSet<>();
        tablesOf.values().forEach(tables::addAll);
        tables.removeAll(followed);
        Map<String, Long> signal = new HashMap<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(SIGNALS)) {
            ps.setArray(1, c.createArrayOf("text", tables.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    signal.merge(rs.getString(1), rs.getLong(2), (a, b) -> 31 * a + b);
            }
        }
        synchronized (this) {
            tablesOf.forEach(
                    (layer, layerTables) -> {
                        long fingerprint = 17;
                        for (String t : layerTables) {
                            if (!followed.contains(t))
                                fingerprint = 31 * fingerprint + signal.getOrDefault(t, 0L);
                        }
                        Long before = fingerprints.put(layer, fingerprint);
                        if (before == null || before != fingerprint) drop(layer);
                    });
        }
    }

    /** Drops every tile of the layer (its data changed). */
    synchronized void drop(String layer) {
        layerDropped.put(layer, ++stamp);
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
     * The tile's content tag: CRC-32C and CRC-32 of the bytes, and their length. Both checksums run
     * as CPU instructions (a megabyte in about 0.1 ms, where SHA-256 took milliseconds on the event
     * loop); an ETag only has to tell one tile's versions apart, and tile bytes are not chosen by a
     * client, so a cryptographic hash buys nothing here.
     */
    static String etag(byte[] data) {
        CRC32C c = new CRC32C();
        c.update(data);
        CRC32 d = new CRC32();
        d.update(data);
        return String.format(
                Locale.ROOT, "\"%08x%08x-%x\"", c.getValue(), d.getValue(), data.length);
    }
}
