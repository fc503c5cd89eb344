package org.gridgov.workflow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Suggests the open cases a report may duplicate: same category, within a distance and a time
 * window, nearest first. A spatial query in PostGIS (the GiST index narrows by box, geography
 * measures metres).
 */
public final class Duplicates {

    public static final int DEFAULT_RADIUS_M = 50;
    public static final int DEFAULT_DAYS = 7;

    public record Candidate(
            long id, String status, String category, double distanceM, OffsetDateTime reportedAt) {}

    private static final String NEAR =
            """
            SELECT o.id, o.status, o.category, ST_Distance(o.location::geography, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography) AS d, o.reported_at
            FROM incident o
            WHERE o.location && ST_Expand(ST_SetSRID(ST_MakePoint(?, ?), 4326), ? / 111320.0 / cos(radians(?)) * 1.01)
              AND ST_DWithin(o.location::geography, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?)
              AND o.category = ? AND o.status NOT IN ('CLOSED', 'REJECTED') AND o.duplicate_of IS NULL
              AND o.reported_at BETWEEN ? AND ? AND o.id <> ?
            ORDER BY d, o.id LIMIT 20""";

    private final DataSource ds;

    public Duplicates(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Open cases of the incident's category near it, reported within {@code days} before it (or
     * after it).
     */
    public List<Candidate> suggest(long incidentId, int radiusM, int days) throws SQLException {
        try (Connection c = ds.getConnection()) {
            double lon, lat;
            String category;
            OffsetDateTime at;
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT ST_X(location), ST_Y(location), category, reported_at FROM incident WHERE id = ?")) {
                ps.setLong(1, incidentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next())
                        throw new org.gridgov.api.ProblemException(
                                org.gridgov.api.Problem.notFound(
                                        "incident " + incidentId + " does not exist"));
                    lon = rs.getDouble(1);
                    lat = rs.getDouble(2);
                    category = rs.getString(3);
                    at = rs.getObject(4, OffsetDateTime.class);
                }
            }
            return near(
                    c,
                    lon,
                    lat,
                    category,
                    at.minusDays(days),
                    at.plusDays(days),
                    radiusM,
                    incidentId);
        }
    }

    /**
     * Open cases of a category within radius of a point and a time window (also used by Open311
     * before filing).
     */
    public List<Candidate> near(
            double lon,
            double lat,
            String category,
            OffsetDateTime from,
            OffsetDateTime to,
            int radiusM)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            return near(c, lon, lat, category, from, to, radiusM, -1);
        }
    }

    /** As above, on the caller's connection (inside its transaction); {@code exclude}: a case. */
    public static List<Candidate> near(
            Connection c,
            double lon,
            double lat,
            String category,
            OffsetDateTime from,
            OffsetDateTime to,
            int radiusM,
            long exclude)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NEAR)) {
            int i = 1;
            ps.setDouble(i++, lon);
            ps.setDouble(i++, lat);
            ps.setDouble(i++, lon);
            ps.setDouble(i++, lat);
            ps.setDouble(i++, radiusM);
            ps.setDouble(i++, lat);
            ps.setDouble(i++, lon);
            ps.setDouble(i++, lat);
            ps.setDouble(i++, radiusM);
            ps.setString(i++, category);
            ps.setObject(i++, from);
            ps.setObject(i++, to);
            ps.setLong(i, exclude);
            try (ResultSet rs = ps.executeQuery()) {
                List<Candidate> out = new ArrayList<>();
                while (rs.next())
                    out.add(
                            new Candidate(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getDouble(4),
                                    rs.getObject(5, OffsetDateTime.class)));
                return out;
            }
        }
    }
}
