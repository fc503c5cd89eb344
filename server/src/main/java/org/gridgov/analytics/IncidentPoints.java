package org.gridgov.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>Slots are indexed by incident id (ids are dense): slot = id − 1.
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

    private double[] lon = new double[0], lat = new double[0], x = new double[0], y = new double[0];
    private int[] minute = new int[0], version = new int[0], grid = new int[0];

    /**
     * Each incident's subdistrict (0: the district's own), for per-subdistrict incident tiles and
     * the isolation rule of every aggregate ({@link PointFilter#subdistrictId()}).
     */
    private int[] subdistrict = new int[0];

    private byte[] category = new byte[0], platform = new byte[0], status = new byte[0];
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
        if (s >= lon.length) grow(s + 1);
        if (category[s] != 0 && version[s] > ver) return; // never go back to an older state
        if (category[s] == 0) count++;
        lon[s] = lo;
        lat[s] = la;
        x[s] = px;
        y[s] = py;
        minute[s] = (int) Math.floorDiv(epoch, 60);
        Integer ci = categoryIndex.get(cat);
        if (ci == null) {
            ci = categories.size();
            categoryIndex.put(cat, ci);
            categories.add(cat);
        }
        category[s] = (byte) (ci + 1); // 0 marks an empty slot
        platform[s] = (byte) Platforms.CODES.indexOf(plat);
        status[s] = (byte) CaseStatus.NAMES.indexOf(st);
        version[s] = ver;
        grid[s] = (int) gridId;
        subdistrict[s] = (int) subdistrictId;
        slots = Math.max(slots, s + 1);
    }

    private void grow(int needed) {
        int n = Math.max(needed, Math.max(1024, lon.length + lon.length / 2));
        lon = Arrays.copyOf(lon, n);
        lat = Arrays.copyOf(lat, n);
        x = Arrays.copyOf(x, n);
        y = Arrays.copyOf(y, n);
        minute = Arrays.copyOf(minute, n);
        version = Arrays.copyOf(version, n);
        grid = Arrays.copyOf(grid, n);
        subdistrict = Arrays.copyOf(subdistrict, n);
        category = Arrays.copyOf(category, n);
        platform = Arrays.copyOf(platform, n);
        status = Arrays.copyOf(status, n);
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
            scan(f, (slot) -> v.visit(x[slot], y[slot], minute[slot], grid[slot]));
        } finally {
            lock.readLock().unlock();
        }
    }

    private interface SlotVisitor {
        void visit(int slot);
    }

    /** The filter loop itself; callers hold the read lock. */
    private void scan(PointFilter f, SlotVisitor v) {
        scan(f, 0, slots, v);
    }

    /** The filter loop over the slots [from, to). */
    private void scan(PointFilter f, int from, int to, SlotVisitor v) {
        int wantCategory = f.category() < 0 ? -1 : f.category() + 1;
        for (int s = from; s < to; s++) {
            byte c = category[s];
            if (c == 0) continue;
            int m = minute[s];
            if (m < f.fromMinute() || m >= f.toMinute()) continue;
            if (wantCategory >= 0 && c != wantCategory) continue;
            if (f.platform() >= 0 && platform[s] != f.platform()) continue;
            if (f.statusMask() != 0 && (f.statusMask() & (1 << status[s])) == 0) continue;
            if (f.gridId() > 0 && grid[s] != f.gridId()) continue;
            if (f.subdistrictId() != 0 && subdistrict[s] != f.subdistrictId()) continue;
            if (f.hasBbox()
                    && (lon[s] < f.minLon()
                            || lon[s] > f.maxLon()
                            || lat[s] < f.minLat()
                            || lat[s] > f.maxLat())) continue;
            v.visit(s);
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
            scan(f, (slot) -> v.visit(lon[slot], lat[slot]));
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
                    (slot) -> v.visit(lon[slot], lat[slot], categories.get(category[slot] - 1)));
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
            for (int s = 0; s < slots; s++) {
                byte c = category[s];
                if (c == 0) continue;
                if (subdistrictId != 0 && subdistrict[s] != subdistrictId) continue;
                double lo = lon[s], la = lat[s];
                if (lo < minLon || lo > maxLon || la < minLat || la > maxLat) continue;
                v.visit(lo, la, c - 1, status[s], platform[s]);
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
                        if (s >= slots || category[s] == 0) {
                            differences++;
                            continue;
                        }
                        if (version[s] != rs.getInt(3)
                                || status[s] != CaseStatus.NAMES.indexOf(rs.getString(2))
                                || !categories.get(category[s] - 1).equals(rs.getString(4))
                                || grid[s] != rs.getLong(5)) differences++;
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
