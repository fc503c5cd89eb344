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

    /** A cached tile and where it lies ({@link #position}), for dropping it by place. */
    private record Entry(Tile tile, long position) {}

    private final LinkedHashMap<String, Entry> tiles = new LinkedHashMap<>(256, 0.75f, true);

    /**
     * Position ({@link #position}) → how many tiles are cached there (a layer's district-wide tile
     * and its subdistricts' own): a change at a point looks up its tile at each zoom here, a number
     * lookup, and builds the tiles' keys only where something is cached.
     */
    private final Map<Long, Integer> cachedAt = new HashMap<>();

    /** Layer name → the tables it reads. */
    private final Map<String, List<String>> tablesOf = new HashMap<>();

    /** Layer name → its number in positions. */
    private final Map<String, Integer> layerNumber = new HashMap<>();

    /**
     * Every drop takes the next stamp. A tile is built under the stamp current when its build began
     * ({@link #stamp()}) and kept only if neither its layer nor its own place was changed since: so
     * a change at one place does not stop tiles elsewhere, built meanwhile, from being cached.
     */
    private long stamp;

    /** Layer name → stamp of its last whole-layer drop. */
    private final Map<String, Long> layerDropped = new HashMap<>();

    /**
     * The most recent {@link #KEY_MARKS} changes by position, oldest first (a ring): what a tile
     * built meanwhile is checked against before it is kept. One entry per change rather than one
     * per tile key it touches (a layer's tile at each of 23 zooms): changes arrive with every
     * report, builds are rare.
     */
    private final ChangeMarks marks;

    static final int KEY_MARKS = 100_000;

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

    /** Tables whose changes arrive through changedAt, not the poll. */
    private final Set<String> followed = ConcurrentHashMap.newKeySet();

    public TileCache(long maxBytes, Collection<Layer> layers) {
        this(maxBytes, layers, KEY_MARKS);
    }

    TileCache(long maxBytes, Collection<Layer> layers, int keyMarks) {
        this.maxBytes = maxBytes;
        this.marks = new ChangeMarks(keyMarks);
        for (Layer l : layers) {
            if (l.tiles()) {
                tablesOf.put(l.name(), l.tables());
                layerNumber.put(l.name(), layerNumber.size());
            }
        }
        if (layerNumber.size() > 256)
            throw new IllegalArgumentException(
                    "at most 256 layers with tiles (a tile's position keeps the layer in 8 bits)");
    }

    public synchronized Tile get(String key) {
        Entry e = tiles.get(key);
        if (e != null && e.tile().expiresAt() - System.nanoTime() < 0) {
            forget(key);
            return null;
        }
        return e == null ? null : e.tile();
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
     * itself was dropped meanwhile). The key is {@code layer/z/x/y}, then a {@link
     * #subdistrictSuffix} for one subdistrict's own tile.
     */
    public Tile put(String layer, String key, byte[] data, long builtAt) {
        List<String> tables = tablesOf.getOrDefault(layer, List.of());
        boolean readsFollowed = tables.stream().anyMatch(followed::contains);
        Tile t =
                new Tile(
                        data,
                        etag(data),
                        readsFollowed
                                ? System.nanoTime() + FOLLOWED_MAX_AGE_NANOS
                                : Long.MAX_VALUE); // outside the lock: a dense tile is a megabyte
        Integer number = layerNumber.get(layer);
        int[] zxy = zxy(key);
        synchronized (this) {
            if (maxBytes <= 0
                    || number == null
                    || zxy == null
                    || layerDropped.getOrDefault(layer, -1L) > builtAt
                    || marks.changedSince(builtAt, tables, zxy[0], zxy[1], zxy[2])) return t;
            int tilde = key.indexOf('~');
            if (tilde >= 0) {
                long sd = Long.parseLong(key.substring(tilde + 2));
                if (!variants.contains(sd) && variants.size() >= MAX_VARIANTS) return t;
                variants.add(sd);
            }
            forget(key);
            long at = position(number, zxy[0], zxy[1], zxy[2]);
            tiles.put(key, new Entry(t, at));
            cachedAt.merge(at, 1, Integer::sum);
            bytes += data.length;
            var it = tiles.entrySet().iterator();
            while (bytes > maxBytes && it.hasNext()) {
                Map.Entry<String, Entry> e = it.next();
                it.remove();
                forgotten(e.getValue());
            }
        }
        return t;
    }

    /** Takes the tile out of the cache, if there. */
    private void forget(String key) {
        Entry e = tiles.remove(key);
        if (e != null) forgotten(e);
    }

    /** Books a tile taken out of {@link #tiles}. */
    private void forgotten(Entry e) {
        bytes -= e.tile().bytes().length;
        cachedAt.computeIfPresent(e.position(), (at, n) -> n == 1 ? null : n - 1);
    }

    /**
     * A layer's tile at z/x/y as one number: layer (8 bits), zoom (5), x and y (25 each, ample for
     * zoom 22).
     */
    static long position(int layer, int z, int x, int y) {
        return ((long) layer << 55) | ((long) z << 50) | ((long) x << 25) | y;
    }

    /** z, x and y of a key {@code layer/z/x/y[~s<id>]}; null when it is not one. */
    static int[] zxy(String key) {
        int end = key.indexOf('~');
        if (end < 0) end = key.length();
        int s3 = key.lastIndexOf('/', end - 1);
        int s2 = s3 > 0 ? key.lastIndexOf('/', s3 - 1) : -1;
        int s1 = s2 > 0 ? key.lastIndexOf('/', s2 - 1) : -1;
        if (s1 < 0) return null;
        try {
            return new int[] {
                Integer.parseInt(key, s1 + 1, s2, 10),
                Integer.parseInt(key, s2 + 1, s3, 10),
                Integer.parseInt(key, s3 + 1, end, 10)
            };
        } catch (NumberFormatException e) {
            return null;
        }
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
        marks.add(++stamp, table, around);
        tablesOf.forEach(
                (layer, tables) -> {
                    if (!tables.contains(table)) return;
                    int number = layerNumber.get(layer);
                    for (int z = 0; z <= TileScheme.MAX_ZOOM; z++) {
                        if (!around.anyCached(cachedAt, number, z)) continue;
                        for (String key : around.keys(layer, z)) {
                            forget(key);
                            for (long sd : variants) forget(key + subdistrictSuffix(sd));
                        }
                    }
                });
    }

    /**
     * The most recent changes by position, in a ring: each with its stamp, table and corners. A
     * tile built since a stamp is checked against the changes after it, newest first, stopping at
     * the first older one; when the ring has overwritten a change after the stamp, the tile is not
     * kept (it may have missed it).
     */
    private static final class ChangeMarks {
        private final long[] stamps;
        private final String[] tables;
        private final Corners[] corners;
        private int next, size;
        private long forgottenUpTo = -1;

        ChangeMarks(int capacity) {
            stamps = new long[capacity];
            tables = new String[capacity];
            corners = new Corners[capacity];
        }

        void add(long stamp, String table, Corners around) {
            if (size == stamps.length) forgottenUpTo = stamps[next];
            else size++;
            stamps[next] = stamp;
            tables[next] = table;
            corners[next] = around;
            next = (next + 1) % stamps.length;
        }

        boolean changedSince(long builtAt, List<String> layerTables, int z, int x, int y) {
            if (forgottenUpTo > builtAt) return true;
            for (int k = 1; k <= size; k++) {
                int i = Math.floorMod(next - k, stamps.length);
                if (stamps[i] <= builtAt) return false;
                if (layerTables.contains(tables[i]) && corners[i].holds(z, x, y)) return true;
            }
            return false;
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

        /** Whether the tile z/x/y holds the point (or touches it, on an edge). */
        boolean holds(int z, int x, int y) {
            return TileScheme.index(z, west) <= x
                    && x <= TileScheme.index(z, east)
                    && TileScheme.index(z, north) <= y
                    && y <= TileScheme.index(z, south);
        }

        /** Whether the layer has a tile cached at zoom z holding the point. */
        boolean anyCached(Map<Long, Integer> cachedAt, int layer, int z) {
            int x0 = TileScheme.index(z, west), x1 = TileScheme.index(z, east);
            int y0 = TileScheme.index(z, north), y1 = TileScheme.index(z, south);
            for (int x = x0; x <= x1; x++) {
                for (int y = y0; y <= y1; y++) {
                    if (cachedAt.containsKey(position(layer, z, x, y))) return true;
                }
            }
            return false;
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
            Map.Entry<String, Entry> e = it.next();
            if (e.getKey().startsWith(prefix)) {
                it.remove();
                forgotten(e.getValue());
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
