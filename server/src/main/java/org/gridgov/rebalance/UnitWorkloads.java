package org.gridgov.rebalance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.gridgov.analytics.IncidentPoints;
import org.gridgov.analytics.PointFilter;

/**
 * The workload of every base unit over a time window, by {@link WorkloadModel}. Incidents are
 * counted in the unit that covers their location (a point exactly on a shared edge counts once, in
 * the unit listed first); rejected reports (invalid, duplicate) are not work.
 *
 * @param load workload of each unit (hours per year), by unit index of the graph
 * @param incidents incident count of each unit in the window
 * @param weighted Σ category weight × handling factor of each unit's incidents in the window
 */
public record UnitWorkloads(
        Instant from, Instant to, double[] load, int[] incidents, double[] weighted) {

    // Streamed and located in memory against the units' STR-tree: faster than a PostGIS join of
    // every incident to every unit (scripts/bench: plans.workload_seconds).
    private static final String INCIDENTS =
            """
            SELECT ST_X(i.location), ST_Y(i.location), c.weight, c.code
            FROM incident i JOIN category c ON c.code = i.category
            WHERE i.reported_at >= ? AND i.reported_at < ? AND i.status <> 'REJECTED'""";

    /** At most this many threads share a workload's scan of the incident points. */
    static final int SCAN_PARTS = 2;

    /**
     * From the server's in-memory copy of incident points (docs/analytics.md) instead of the table:
     * the same incidents and weights, without streaming a year of rows from PostgreSQL.
     */
    public static UnitWorkloads fromPoints(
            IncidentPoints points,
            Map<String, Double> weights,
            HandlingTimes h,
            UnitGraph g,
            WorkloadModel m,
            Instant from,
            Instant to) {
        int n = g.size();
        // only the points in the graph's box reach the point-in-unit test: a subdistrict's graph
        // in a district skips the other subdistricts' incidents at the cost of four comparisons
        org.locationtech.jts.geom.Envelope box = g.extent();
        PointFilter f =
                new PointFilter(
                        (int) Math.floorDiv(from.getEpochSecond() + 59, 60),
                        (int) Math.floorDiv(to.getEpochSecond() + 59, 60),
                        -1,
                        -1,
                        IncidentPoints.allStatusesExcept("REJECTED"),
                        0,
                        box == null ? 0 : box.getMinX(),
                        box == null ? 0 : box.getMinY(),
                        box == null ? 0 : box.getMaxX(),
                        box == null ? 0 : box.getMaxY(),
                        box != null,
                        0);
        // the point-in-unit tests dominate a job's workload (1M points: ~1 s): a slice of the
        // store per core, each summing into its own arrays, added up in slice order
        int parts = Math.max(1, Math.min(SCAN_PARTS, Runtime.getRuntime().availableProcessors()));
        int[][] counts = new int[parts][n];
        double[][] sums = new double[parts][n];
        java.util.stream.IntStream.range(0, parts)
                .parallel()
                .forEach(
                        p ->
                                points.scanCategories(
                                        f,
                                        p,
                                        parts,
                                        (lon, lat, category) -> {
                                            int u = g.locate(lon, lat);
                                            if (u < 0) return;
                                            counts[p][u]++;
                                            sums[p][u] +=
                                                    weights.getOrDefault(category, 1.0)
                                                            * h.categoryFactor(category);
                                        }));
        int[] count = new int[n];
        double[] weighted = new double[n];
        for (int p = 0; p < parts; p++) {
            for (int u = 0; u < n; u++) {
                count[u] += counts[p][u];
                weighted[u] += sums[p][u];
            }
        }
        return finish(g, m, h, from, to, count, weighted);
    }

    public static UnitWorkloads load(
            DataSource ds,
            UnitGraph g,
            WorkloadModel m,
            Instant from,
            Instant to,
            Long subdistrictId)
            throws SQLException {
        HandlingTimes h = HandlingTimes.load(ds, m, from, to, subdistrictId);
        int n = g.size();
        int[] count = new int[n];
        double[] weighted = new double[n];
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false); // lets the driver stream rows with a fetch size
            try (PreparedStatement ps = c.prepareStatement(INCIDENTS)) {
                ps.setFetchSize(20_000);
                ps.setTimestamp(1, Timestamp.from(from));
                ps.setTimestamp(2, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int u = g.locate(rs.getDouble(1), rs.getDouble(2));
                        if (u < 0) continue;
                        count[u]++;
                        weighted[u] += rs.getDouble(3) * h.categoryFactor(rs.getString(4));
                    }
                }
            } finally {
                c.commit();
                c.setAutoCommit(auto);
            }
        }
        return finish(g, m, h, from, to, count, weighted);
    }

    private static UnitWorkloads finish(
            UnitGraph g,
            WorkloadModel m,
            HandlingTimes h,
            Instant from,
            Instant to,
            int[] count,
            double[] weighted) {
        int n = g.size();
        // measured cases: their own handling factor instead of their category's
        for (HandlingTimes.Case k : h.cases()) {
            int u = g.locate(k.lon(), k.lat());
            if (u >= 0)
                weighted[u] += k.weight() * (h.caseFactor(k, m) - h.categoryFactor(k.category()));
        }
        double days = Duration.between(from, to).toSeconds() / 86_400.0;
        double[] load = new double[n];
        for (int u = 0; u < n; u++) {
            load[u] =
                    m.unitWorkload(
                            weighted[u],
                            days,
                            g.households[u],
                            g.population[u],
                            g.area[u],
                            g.roadLength[u]);
        }
        return new UnitWorkloads(from, to, load, count, weighted);
    }

    /** A what-if copy: the workload of the given communities multiplied by their factor. */
    public UnitWorkloads scaled(UnitGraph g, Map<Long, Double> communityFactors) {
        if (communityFactors.isEmpty()) return this;
        double[] l = load.clone();
        for (int u = 0; u < l.length; u++)
            l[u] *= communityFactors.getOrDefault(g.community[u], 1.0);
        return new UnitWorkloads(from, to, l, incidents, weighted);
    }
}
