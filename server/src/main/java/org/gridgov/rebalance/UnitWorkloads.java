package org.gridgov.rebalance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The workload of every base unit over a time window, by {@link WorkloadModel}. Incidents are
 * counted in the unit that covers their location (a point exactly on a shared edge counts in
 * both: rare and harmless); rejected reports (invalid, duplicate) are not work.
 *
 * @param load      workload of each unit (hours per year), by unit index of the graph
 * @param incidents incident count of each unit in the window
 * @param weighted  Σ category weight of each unit's incidents in the window
 */
public record UnitWorkloads(Instant from, Instant to, double[] load, int[] incidents, double[] weighted) {

    private static final String INCIDENTS = """
            SELECT u.id, count(*), sum(c.weight)
            FROM base_unit u
            JOIN incident i ON ST_Covers(u.geom, i.location)
            JOIN category c ON c.code = i.category
            WHERE i.reported_at >= ? AND i.reported_at < ? AND i.status <> 'REJECTED'
            GROUP BY u.id""";

    public static UnitWorkloads load(DataSource ds, UnitGraph g, WorkloadModel m, Instant from, Instant to) throws SQLException {
        int n = g.size();
        int[] count = new int[n];
        double[] weighted = new double[n];
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(INCIDENTS)) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int u = g.indexOf(rs.getLong(1));
                    if (u < 0) continue;
                    count[u] = rs.getInt(2);
                    weighted[u] = rs.getDouble(3);
                }
            }
        }
        double days = Duration.between(from, to).toSeconds() / 86_400.0;
        double[] load = new double[n];
        for (int u = 0; u < n; u++) {
            load[u] = m.unitWorkload(weighted[u], days, g.households[u], g.population[u], g.area[u]);
        }
        return new UnitWorkloads(from, to, load, count, weighted);
    }

    /** A what-if copy: the workload of the given communities multiplied by their factor. */
    public UnitWorkloads scaled(UnitGraph g, Map<Long, Double> communityFactors) {
        if (communityFactors.isEmpty()) return this;
        double[] l = load.clone();
        for (int u = 0; u < l.length; u++) l[u] *= communityFactors.getOrDefault(g.community[u], 1.0);
        return new UnitWorkloads(from, to, l, incidents, weighted);
    }
}
