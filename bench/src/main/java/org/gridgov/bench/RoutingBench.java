package org.gridgov.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.gridgov.app.Config;
import org.gridgov.db.Database;
import org.gridgov.grid.GridCell;
import org.gridgov.grid.GridIndex;
import org.gridgov.grid.PlanTimeline;

/**
 * Point-to-grid routing: the in-memory index against the same lookup as a PostGIS query, over the
 * active plan of the configured database. Prints lookups/s of each, their ratio, and the number of
 * disagreements on 100,000 points (random and on shared boundaries).
 *
 * <p>java -cp gridgov-bench.jar org.gridgov.bench.RoutingBench [seconds] [threads]
 */
public final class RoutingBench {

    static final String POSTGIS_ONE =
            """
            SELECT g.id FROM grid g
            WHERE g.plan_id = ? AND ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(?, ?), 4326))
            ORDER BY g.id LIMIT 1""";

    static final String POSTGIS_MANY =
            """
            SELECT p.ord, (SELECT g.id FROM grid g
                           WHERE g.plan_id = ? AND ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
                           ORDER BY g.id LIMIT 1)
            FROM unnest(?::float8[], ?::float8[]) WITH ORDINALITY AS p(lon, lat, ord)""";

    static final String BOUNDARY_POINTS =
            """
            SELECT ST_X(pt), ST_Y(pt) FROM (
                SELECT (ST_DumpPoints(ST_Boundary(g.geom))).geom AS pt FROM grid g WHERE g.plan_id = ?) v
            ORDER BY md5(ST_AsText(pt)) LIMIT ?""";

    private final Database db;
    private final long planId;
    private final double[] lon, lat;

    private RoutingBench(Database db, long planId, double[] lon, double[] lat) {
        this.db = db;
        this.planId = planId;
        this.lon = lon;
        this.lat = lat;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        try (Database db = Database.connect(Config.fromEnvironment().db())) {
            PlanTimeline plans = PlanTimeline.load(db.dataSource());
            long planId = plans.periodAt(Instant.now()).orElseThrow().planId();
            GridIndex index = plans.index(planId);
            int n = 100_000;
            double[] lon = new double[n], lat = new double[n];
            int boundary = points(db, planId, lon, lat, 20_000);

            // Agreement on all points.
            Long[] expected = new Long[n];
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement(POSTGIS_MANY)) {
                Array a = c.createArrayOf("float8", box(lon)),
                        b = c.createArrayOf("float8", box(lat));
                ps.setLong(1, planId);
                ps.setArray(2, a);
                ps.setArray(3, b);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long g = rs.getLong(2);
                        boolean none = rs.wasNull();
                        expected[rs.getInt(1) - 1] = none ? null : g;
                    }
                }
            }
            int mismatches = 0;
            for (int i = 0; i < n; i++) {
                Long got = index.locate(lon[i], lat[i]).map(GridCell::id).orElse(null);
                if (!Objects.equals(got, expected[i])) mismatches++;
            }

            // In memory and in PostGIS, with the same threads and points.
            RoutingBench bench = new RoutingBench(db, planId, lon, lat);
            double memory =
                    bench.run(
                            seconds,
                            threads,
                            i -> index.locate(lon[i], lat[i]).isPresent() ? 1 : 0);
            double postgis = bench.run(seconds, threads, null);
            System.out.printf("routing.grids=%d%n", index.size());
            System.out.printf("routing.points=%d (on shared boundaries: %d)%n", n, boundary);
            System.out.printf("routing.mismatches=%d%n", mismatches);
            System.out.printf("routing.threads=%d%n", threads);
            System.out.printf("routing.memory_lookups_per_s=%.0f%n", memory);
            System.out.printf("routing.postgis_lookups_per_s=%.0f%n", postgis);
            System.out.printf("routing.ratio=%.1f%n", memory / postgis);
        }
    }

    /**
     * Fills the arrays: boundary vertices of grids first, then uniform random points over the area.
     */
    private static int points(Database db, long planId, double[] lon, double[] lat, int boundary)
            throws Exception {
        int k = 0;
        double[] ext = new double[4];
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement(BOUNDARY_POINTS)) {
                ps.setLong(1, planId);
                ps.setInt(2, boundary);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lon[k] = rs.getDouble(1);
                        lat[k++] = rs.getDouble(2);
                    }
                }
            }
            try (var st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry e FROM jurisdiction WHERE kind = 'SUBDISTRICT') x")) {
                rs.next();
                for (int i = 0; i < 4; i++) ext[i] = rs.getDouble(i + 1);
            }
        }
        int onBoundary = k;
        SplittableRandom r = new SplittableRandom(1);
        for (; k < lon.length; k++) {
            lon[k] = ext[0] + r.nextDouble() * (ext[2] - ext[0]);
            lat[k] = ext[1] + r.nextDouble() * (ext[3] - ext[1]);
        }
        return onBoundary;
    }

    interface Lookup {
        int at(int i);
    }

    /**
     * Lookups per second over all threads, after a warm-up of a fifth of the time; in memory when a
     * lookup is given, else one PostGIS query per point.
     */
    private double run(int seconds, int threads, Lookup memory) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        LongAdder count = new LongAdder();
        AtomicBoolean measuring = new AtomicBoolean(false), stop = new AtomicBoolean(false);
        Future<?>[] futures = new Future<?>[threads];
        for (int t = 0; t < threads; t++) {
            final int thread = t;
            futures[t] =
                    pool.submit(
                            () -> {
                                SplittableRandom r = new SplittableRandom(thread);
                                if (memory != null) {
                                    int sink = 0;
                                    while (!stop.get()) {
                                        for (int j = 0; j < 1000; j++)
                                            sink += memory.at(r.nextInt(lon.length));
                                        if (measuring.get()) count.add(1000);
                                    }
                                    return sink;
                                }
                                try (Connection c = db.connection();
                                        PreparedStatement ps = c.prepareStatement(POSTGIS_ONE)) {
                                    int sink = 0;
                                    while (!stop.get()) {
                                        int i = r.nextInt(lon.length);
                                        ps.setLong(1, planId);
                                        ps.setDouble(2, lon[i]);
                                        ps.setDouble(3, lat[i]);
                                        try (ResultSet rs = ps.executeQuery()) {
                                            if (rs.next()) sink++;
                                        }
                                        if (measuring.get()) count.increment();
                                    }
                                    return sink;
                                }
                            });
        }
        Thread.sleep(seconds * 200L);
        measuring.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long n = count.sum();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        for (Future<?> f : futures) f.get();
        pool.shutdown();
        return n / elapsed;
    }

    private static Double[] box(double[] a) {
        Double[] b = new Double[a.length];
        for (int i = 0; i < a.length; i++) b[i] = a[i];
        return b;
    }
}
