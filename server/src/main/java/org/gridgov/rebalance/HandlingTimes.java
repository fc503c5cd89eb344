package org.gridgov.rebalance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Handling times of the closed cases of a window: from the first ACCEPT or DISPATCH event to
 * closed_at, as the table {@code case_handling} keeps them (V32: written in the transaction that
 * closes a case or appends its events). They give each incident its handling factor of {@link
 * WorkloadModel}: a measured case its own, others their category's (when it has enough measured
 * cases), else 1.
 *
 * @param cases the measured cases: where, which category, its weight and capped hours
 * @param meanHours mean capped handling time of all measured cases (0: too few to use)
 * @param byCategory handling factor of each category with enough measured cases
 */
public record HandlingTimes(List<Case> cases, double meanHours, Map<String, Double> byCategory) {

    /** One measured case. */
    public record Case(double lon, double lat, String category, double weight, double hours) {}

    public static final HandlingTimes NONE = new HandlingTimes(List.of(), 0, Map.of());

    // The measured cases kept by V32's triggers as cases close (case_handling), not the event log:
    // the first job on 1M incidents read every closed case's events (docs/planning.md).
    private static final String CLOSED =
            """
            SELECT h.lon, h.lat, h.category, c.weight,
                   EXTRACT(EPOCH FROM h.closed_at - h.started_at) / 3600
            FROM case_handling h
            JOIN category c ON c.code = h.category
            WHERE h.reported_at >= ? AND h.reported_at < ?
              AND (?::bigint IS NULL OR h.subdistrict_id = ?)""";

    /**
     * The measured cases of the window, of one subdistrict (null: all): a plan of one subdistrict
     * is weighed by its own cases and its own category means (V38), and a district of twenty does
     * not read the other nineteen's cases for each job.
     */
    public static HandlingTimes load(
            DataSource ds, WorkloadModel m, Instant from, Instant to, Long subdistrictId)
            throws SQLException {
        List<Case> cases = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            // streamed in batches: a year of measured cases at 1M incidents is ~850,000 rows, and
            // each fetch is its own statement under the pool's statement timeout
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(CLOSED)) {
                ps.setFetchSize(20_000);
                ps.setTimestamp(1, Timestamp.from(from));
                ps.setTimestamp(2, Timestamp.from(to));
                ps.setObject(3, subdistrictId, java.sql.Types.BIGINT);
                ps.setObject(4, subdistrictId, java.sql.Types.BIGINT);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        cases.add(
                                new Case(
                                        rs.getDouble(1),
                                        rs.getDouble(2),
                                        rs.getString(3),
                                        rs.getDouble(4),
                                        m.cappedHours(rs.getDouble(5))));
                    }
                }
            } finally {
                c.commit();
                c.setAutoCommit(auto);
            }
        }
        return of(cases, m);
    }

    /** The means and category factors of measured cases (hours already capped). */
    public static HandlingTimes of(List<Case> cases, WorkloadModel m) {
        if (cases.size() < m.handlingMinCases()) return new HandlingTimes(List.of(), 0, Map.of());
        double sum = 0;
        Map<String, double[]> cat = new HashMap<>();
        for (Case k : cases) {
            sum += k.hours();
            double[] a = cat.computeIfAbsent(k.category(), x -> new double[2]);
            a[0] += k.hours();
            a[1]++;
        }
        double mean = sum / cases.size();
        Map<String, Double> byCategory = new HashMap<>();
        for (var e : cat.entrySet()) {
            if (e.getValue()[1] >= m.handlingMinCases()) {
                byCategory.put(
                        e.getKey(), m.handlingFactor(e.getValue()[0] / e.getValue()[1], mean));
            }
        }
        return new HandlingTimes(List.copyOf(cases), mean, Map.copyOf(byCategory));
    }

    /** Factor of an incident of this category whose own handling time is unknown. */
    public double categoryFactor(String category) {
        return byCategory.getOrDefault(category, 1.0);
    }

    /** Factor of a measured case. */
    public double caseFactor(Case k, WorkloadModel m) {
        return meanHours > 0 ? m.handlingFactor(k.hours(), meanHours) : 1;
    }
}
