package org.gridgov.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import org.gridgov.analytics.CellCounts;
import org.gridgov.analytics.Cells;
import org.gridgov.analytics.GiStar;
import org.gridgov.analytics.IncidentPoints;
import org.gridgov.analytics.PointFilter;
import org.gridgov.app.Config;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.db.Database;

/**
 * Aggregation over all incidents of the configured database: the in-memory copy against the same
 * counts computed by PostGIS over raw incident points, in the same run. Prints key=value figures.
 *
 * <p>java -cp gridgov-bench.jar org.gridgov.bench.AnalyticsBench [repetitions]
 */
public final class AnalyticsBench {

    private static final String SQL_BINS =
            """
            SELECT count(*) FROM (
                SELECT floor(ST_X(p) / ?) AS i, floor(ST_Y(p) / ?) AS j, count(*)
                FROM incident i, LATERAL ST_Transform(i.location, ?::int) p
                WHERE i.reported_at >= to_timestamp(? * 60) AND i.reported_at < to_timestamp(? * 60) %s
                GROUP BY 1, 2) cells""";

    private AnalyticsBench() {}

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Config config = Config.fromEnvironment();
        int srid = config.planarSrid();
        try (Database db = Database.connect(config.db())) {
            var ds = db.dataSource();
            var codes = CategoryCatalog.load(ds).all().stream().map(c -> c.code()).toList();
            long t0 = System.nanoTime();
            IncidentPoints points = new IncidentPoints(srid, codes);
            points.loadAll(ds);
            System.out.printf("analytics.load_seconds=%.1f%n", (System.nanoTime() - t0) / 1e9);
            System.out.printf("analytics.incidents=%d%n", points.size());

            int[] span = span(ds);
            PointFilter all =
                    new PointFilter(span[0], span[1] + 1, -1, -1, 0, 0, 0, 0, 0, 0, false, 0);
            String busiest = codes.get(0);
            try (Connection c = ds.getConnection();
                    var st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT category FROM incident GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")) {
                if (rs.next()) busiest = rs.getString(1);
            }
            PointFilter oneCategory =
                    new PointFilter(
                            span[0],
                            span[1] + 1,
                            points.categoryIndex(busiest),
                            -1,
                            0,
                            0,
                            0,
                            0,
                            0,
                            0,
                            false,
                            0);
            Cells cells = new Cells(Cells.Shape.SQUARE, 100);

            int[] cellCount = new int[1];
            double memAll =
                    median(reps, () -> cellCount[0] = CellCounts.of(points, all, cells).size());
            double memCat = median(reps, () -> CellCounts.of(points, oneCategory, cells).size());
            long[] sqlCells = new long[1];
            double sqlAll =
                    median(
                            Math.max(3, reps / 2),
                            () -> sqlCells[0] = sqlBins(ds, srid, 100, span, ""));
            String catFilter = busiest;
            double sqlCat =
                    median(
                            Math.max(3, reps / 2),
                            () ->
                                    sqlBins(
                                            ds,
                                            srid,
                                            100,
                                            span,
                                            "AND i.category = '" + catFilter + "'"));
            System.out.printf("analytics.bins_cells=%d (PostGIS: %d)%n", cellCount[0], sqlCells[0]);
            System.out.printf("analytics.bins_all_memory_ms=%.1f%n", memAll);
            System.out.printf("analytics.bins_all_postgis_ms=%.1f%n", sqlAll);
            System.out.printf("analytics.bins_all_ratio=%.1f%n", sqlAll / memAll);
            System.out.printf("analytics.bins_category_memory_ms=%.1f%n", memCat);
            System.out.printf("analytics.bins_category_postgis_ms=%.1f%n", sqlCat);
            System.out.printf("analytics.bins_category_ratio=%.1f%n", sqlCat / memCat);

            Cells hot = new Cells(Cells.Shape.SQUARE, 200);
            double gi =
                    median(
                            reps,
                            () -> {
                                CellCounts counts = CellCounts.of(points, all, hot);
                                long[] keys = counts.sortedKeys();
                                int n = keys.length;
                                int[] i = new int[n], j = new int[n];
                                double[] x = new double[n];
                                for (int k = 0; k < n; k++) {
                                    i[k] = Cells.i(keys[k]);
                                    j[k] = Cells.j(keys[k]);
                                    x[k] = counts.get(keys[k]);
                                }
                                GiStar.compute(i, j, x, 1.5, true);
                            });
            System.out.printf("analytics.hotspots_200m_ms=%.1f%n", gi);
            long t1 = System.nanoTime();
            long drift = points.drift(ds);
            System.out.printf(
                    "analytics.drift=%d (checked in %.1f s)%n",
                    drift, (System.nanoTime() - t1) / 1e9);
        }
    }

    interface Work {
        void run() throws Exception;
    }

    private static double median(int reps, Work w) throws Exception {
        w.run(); // warm-up
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t = System.nanoTime();
            w.run();
            ms[r] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }

    private static long sqlBins(
            javax.sql.DataSource ds, int srid, double size, int[] span, String where)
            throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(SQL_BINS.formatted(where))) {
            ps.setDouble(1, size);
            ps.setDouble(2, size);
            ps.setInt(3, srid);
            ps.setLong(4, span[0]);
            ps.setLong(5, span[1] + 1L);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** First and last report minute in the database. */
    private static int[] span(javax.sql.DataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT floor(extract(epoch FROM min(reported_at)) / 60), floor(extract(epoch FROM max(reported_at)) / 60) FROM incident")) {
            rs.next();
            return new int[] {rs.getInt(1), rs.getInt(2)};
        }
    }
}
