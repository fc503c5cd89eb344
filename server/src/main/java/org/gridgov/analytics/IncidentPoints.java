package org.gridgov.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.sql.DataSource;
import org.gridgov.cases.CaseStatus;
import org.gridgov.category.Platforms;
import org.gridgov.live.Change;

/**
 * A compact, columnar copy of every incident's position, time, category, platform, status and grid,
 * in memory, so bins, hotspots and time series never scan the incident table.
 *
 * <p>Why in memory rather than a pre-aggregated table: at a million incidents a year, rows of cell
 * × day × category barely compress (most hold one incident), while this copy costs about 50 bytes
 * an incident (50 MB a million) and a full scan takes milliseconds for any filter. Positions are
 * doubles, so a cell count equals PostGIS's to the last point on a cell edge. It is loaded at start
 * and kept current from the event relay, which passes on every committed change exactly once; a
 * change only ever moves an incident to a newer version, so applying a stale one is ignored. {@link
 * #drift} recomputes from the incident table and compares.
 *
 * <p>Slots are indexed by incident id (ids are dense): slot = id − 1, kept in pages of {@link
 * Page#SIZE} slots. Pages, not one array per column grown by copying: a copy holds the old and the
 * new arrays at once, which at 20 million incidents (about 1 GB of columns) no 2 GB heap has room
 * for, and growing by halves left up to a third of the arrays empty.
 */
public final class IncidentPoints {

    private static final String LOAD =
            """
            SELECT i.id, ST_X(i.location), ST_Y(i.location), ST_X(p), ST_Y(p),
                   extract(epoch FROM i.reported_at)::bigint, i.category, i.platform, i.status, i.version, coalesce(i.grid_id, 0),
                   coalesce(i.subdistrict_id, 0)
            FROM incident i, LATERAL ST_Transform(i.location, ?::int) p""";

    private final int planarSrid;
    private final Map<String, Integer> categoryIndex = new HashMap<>();
    private final List<String> categories = new ArrayList<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** The columns of {@link #SIZE} consecutive slots. */
    private static final class Page {
        // 32,768 slots: a column of doubles is 256 KB, under G1's humongous size (half a 1 MB
        // region)
        static final int SHIFT = 15, SIZE = 1 << SHIFT, MASK = SIZE - 1;
        final double[] lon = new double[SIZE], lat = new double[SIZE];
        final double[] x = new double[SIZE], y = new double[SIZE];
        final int[] minute = new int[SIZE], version = new int[SIZE], grid = new int[SIZE];

        /**
         * Each incident's subdistrict (0: the district's own), for per-subdistrict incident tiles
         * and the isolation rule of every aggregate ({@link PointFilter#subdistrictId()}).
         */
        final int[] subdistrict = new int[SIZE];

        /** 0 marks an empty slot, else the category's index + 1. */
        final byte[] category = new byte[SIZE], platform = new byte[SIZE], status = new byte[SIZE];
    }

    private final ArrayList<Page> pages = new ArrayList<>();
    private int slots; // highest occupied slot + 1
    private int count; // occupied slots

    /** An empty copy; positions are kept in the planar CRS given. */
    public IncidentPoints(int planarSrid, List<String> categoryCodes) {
        this.planarSrid = planarSrid;
        for (String c : categoryCodes) {
            categoryIndex.put(c, categories.size());
            categories.add(c);
        }
    }

    /**
     * Reads every incident. Call after the relay has a starting mark and this copy listens to it:
     * what committed before that mark is in this read, what came after arrives as changes.
     */
    public void loadAll(DataSource ds) throws SQLException {
        lock.writeLock().lock();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(
                    false); // lets the driver stream with a cursor instead of buffering a million
            // rows
            try (PreparedStatement ps = c.prepareStatement(LOAD)) {
                ps.setFetchSize(20_000);
                ps.setInt(1, planarSrid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        put(
                                rs.getLong(1),
                                rs.getDouble(2),
                                rs.getDouble(3),
                                rs.getDouble(4),
                                rs.getDouble(5),
                                rs.getLong(6),
                                rs.getString(7),
                                rs.getString(8),
                                rs.getString(9),
                                rs.getInt(10),
                                rs.getLong(11),
                                rs.getLong(12));
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Applies committed changes from the event relay. */
    public void apply(List<Change> changes) {
        lock.writeLock().lock();
        try {
            for (Change ch : changes) {
                put(
                        ch.incidentId(),
                        ch.lon(),
                        ch.lat(),
                        ch.x(),
                        ch.y(),
                        ch.reportedEpoch(),
                        ch.category(),
                        ch.platform(),
                        ch.status(),
                        ch.version(),
                        ch.gridId() == null ? 0 : ch.gridId(),
                        ch.subdistrictId() == null ? 0 : ch.subdistrictId());
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void put(
            long id,
            double lo,
            double la,
            double px,
            double py,
            long epoch,
            String cat,
            String plat,
            String st,
            int ver,
            long gridId,
            long subdistrictId) {
        if (id < 1 || id > Integer.MAX_VALUE) return;
        int s = (int) (id - 1);
        while (pages.size() <= s >>> Page.SHIFT) pages.add(new Page());
        Page p = pages.get(s >>> Page.SHIFT);
        int i = s & Page.MASK;
        if (p.category[i] != 0 && p.version[i] > ver) return; // never go back to an older state
        if (p.category[i] == 0) count++;
        p.lon[i] = lo;
        p.lat[i] = la;
        p.x[i] = px;
        p.y[i] = py;
        p.minute[i] = (int) Math.floorDiv(epoch, 60);
        Integer ci = categoryIndex.get(cat);
        if (ci == null) {
            ci = categories.size();
            categoryIndex.put(cat, ci);
            categories.add(cat);
        }
        p.category[i] = (byte) (ci + 1); // 0 marks an empty slot
        p.platform[i] = (byte) Platforms.CODES.indexOf(plat);
        p.status[i] = (byte) CaseStatus.NAMES.indexOf(st);
        p.version[i] = ver;
        p.grid[i] = (int) gridId;
        p.subdistrict[i] = (int) subdistrictId;
        slots = Math.max(slots, s + 1);
    }

    /** Receives each matching incident: planar position (absolute), report minute, grid id. */
    @FunctionalInterface
    public interface Visitor {
        void visit(double x, double y, int minute, int gridId);
    }

    /** Visits every incident matching the filter, under a read lock. */
    public void scan(PointFilter f, Visitor v) {
        lock.readLock().lock();
        try {
            scan(f, (p, i) -> v.visit(p.x[i], p.y[i], p.minute[i], p.grid[i]));
        } finally {
            lock.readLock().unlock();
        }
    }

    private interface SlotVisitor {
        void visit(Page page, int index);
    }

    /** The filter loop itself; callers hold the read lock. */
    private void scan(PointFilter f, SlotVisitor v) {
        scan(f, 0, slots, v);
    }

    /** The filter loop over the slots [from, to), a page at a time. */
    private void scan(PointFilter f, int from, int to, SlotVisitor v) {
        int wantCategory = f.category() < 0 ? -1 : f.category() + 1;
        for (int s = from; s < to; ) {
            Page p = pages.get(s >>> Page.SHIFT);
            int base = s & ~Page.MASK, end = Math.min(to - base, Page.SIZE);
            byte[] category = p.category;
            int[] minute = p.minute;
            for (int i = s - base; i < end; i++) {
                byte c = category[i];
                if (c == 0) continue;
                int m = minute[i];
                if (m < f.fromMinute() || m >= f.toMinute()) continue;
                if (wantCategory >= 0 && c != wantCategory) continue;
                if (f.platform() >= 0 && p.platform[i] != f.platform()) continue;
                if (f.statusMask() != 0 && (f.statusMask() & (1 << p.status[i])) == 0) continue;
                if (f.gridId() > 0 && p.grid[i] != f.gridId()) continue;
                if (f.subdistrictId() != 0 && p.subdistrict[i] != f.subdistrictId()) continue;
                if (f.hasBbox()
                        && (p.lon[i] < f.minLon()
                                || p.lon[i] > f.maxLon()
                                || p.lat[i] < f.minLat()
                                || p.lat[i] > f.maxLat())) continue;
                v.visit(p, i);
            }
            s = base + end;
        }
    }

    /** Receives each matching incident's lon/lat. */
    @FunctionalInterface
    public interface LonLatVisitor {
        void visit(double lon, double lat);
    }

    /** Visits every incident matching the filter with its lon/lat, under a read lock. */
    public void scanLonLat(PointFilter f, LonLatVisitor v) {
        lock.readLock().lock();
        try {
            scan(f, (p, i) -> v.visit(p.lon[i], p.lat[i]));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Receives each matching incident: lon/lat and category code. */
    @FunctionalInterface
    public interface CategoryVisitor {
        void visit(double lon, double lat, String category);
    }

    /**
     * Visits every incident matching the filter with its lon/lat and category, under a read lock.
     */
    public void scanCategories(PointFilter f, CategoryVisitor v) {
        scanCategories(f, 0, 1, v);
    }

    /**
     * As {@link #scanCategories(PointFilter, CategoryVisitor)}, over part {@code part} of {@code
     * parts} equal slices of the store, so several threads can share one scan.
     */
    public void scanCategories(PointFilter f, int part, int parts, CategoryVisitor v) {
        lock.readLock().lock();
        try {
            int from = (int) ((long) slots * part / parts);
            int to = (int) ((long) slots * (part + 1) / parts);
            scan(
                    f,
                    from,
                    to,
                    (p, i) -> v.visit(p.lon[i], p.lat[i], categories.get(p.category[i] - 1)));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Receives each incident: lon/lat, category index ({@link #categoryCode}), status index ({@code
     * CaseStatus.NAMES}) and platform index ({@code Platforms.CODES}, -1 when unknown).
     */
    @FunctionalInterface
    public interface AttributeVisitor {
        void visit(double lon, double lat, int category, int status, int platform);
    }

    /**
     * Visits every incident inside the lon/lat box (edges included) with its category, status and
     * platform, under a read lock (the incident vector tiles count them per cell). A loop of its
     * own: the shared filter loop calls its visitor through a site every scan shares.
     */
    public void scanBox(
            double minLon, double minLat, double maxLon, double maxLat, AttributeVisitor v) {
        scanBox(minLon, minLat, maxLon, maxLat, 0, v);
    }

    /**
     * As {@link #scanBox(double, double, double, double, AttributeVisitor)}, of one subdistrict's
     * incidents (subdistrictId 0: every incident, the district's own included).
     */
    public void scanBox(
            double minLon,
            double minLat,
            double maxLon,
            double maxLat,
            long subdistrictId,
            AttributeVisitor v) {
        lock.readLock().lock();
        try {
            for (int n = 0, used = (slots + Page.MASK) >>> Page.SHIFT; n < used; n++) {
                Page p = pages.get(n);
                byte[] category = p.category;
                double[] lon = p.lon, lat = p.lat;
                for (int i = 0, end = Math.min(Page.SIZE, slots - n * Page.SIZE); i < end; i++) {
                    byte c = category[i];
                    if (c == 0) continue;
                    if (subdistrictId != 0 && p.subdistrict[i] != subdistrictId) continue;
                    double lo = lon[i], la = lat[i];
                    if (lo < minLon || lo > maxLon || la < minLat || la > maxLat) continue;
                    v.visit(lo, la, c - 1, p.status[i], p.platform[i]);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The category code of an index that {@link #scanBox} gave. */
    public String categoryCode(int index) {
        lock.readLock().lock();
        try {
            return categories.get(index);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** How many category codes have an index (the bound of the indexes visitors receive). */
    public int categoryCount() {
        lock.readLock().lock();
        try {
            return categories.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A status mask of every state but the given ones, for {@link PointFilter#statusMask()}. */
    public static int allStatusesExcept(String... states) {
        int mask = (1 << CaseStatus.NAMES.size()) - 1;
        for (String s : states) mask &= ~(1 << CaseStatus.NAMES.indexOf(s));
        return mask;
    }

    /** Index of a category code for filters, or -1 when unknown. */
    public int categoryIndex(String code) {
        lock.readLock().lock();
        try {
            return categoryIndex.getOrDefault(code, -1);
        } finally {
            lock.readLock().unlock();
        }
    }

    public int size() {
        return count;
    }

    public int planarSrid() {
        return planarSrid;
    }

    /**
     * Compares this copy with the incident table: the number of incidents whose id, status,
     * version, category or grid differ, or that one side lacks. 0 means no drift.
     */
    public long drift(DataSource ds) throws SQLException {
        long differences = 0;
        int seen = 0;
        lock.readLock().lock();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT id, status, version, category, coalesce(grid_id, 0) FROM incident ORDER BY id")) {
                ps.setFetchSize(20_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        int s = (int) (id - 1);
                        seen++;
                        Page p = s < slots ? pages.get(s >>> Page.SHIFT) : null;
                        int i = s & Page.MASK;
                        if (p == null || p.category[i] == 0) {
                            differences++;
                            continue;
                        }
                        if (p.version[i] != rs.getInt(3)
                                || p.status[i] != CaseStatus.NAMES.indexOf(rs.getString(2))
                                || !categories.get(p.category[i] - 1).equals(rs.getString(4))
                                || p.grid[i] != rs.getLong(5)) differences++;
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
            return differences + Math.max(0, count - seen);
        } finally {
            lock.readLock().unlock();
        }
    }
}
