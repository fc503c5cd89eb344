package org.gridgov.patrol;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.TimeWindow;
import org.gridgov.geo.GeoJsonQuery;

/** The SQL of patrols and responders, in one place. Distances in metres via geography. */
public final class PatrolStore {

    private final DataSource ds;

    public PatrolStore(DataSource ds) {
        this.ds = ds;
    }

    private static final String STAFF_EXISTS = "SELECT 1 FROM staff WHERE id = ?";

    /** The staff member, when in the subdistrict (NULL: any; the isolation rule). */
    private static final String STAFF_IN =
            "SELECT 1 FROM staff WHERE id = ? AND (?::bigint IS NULL OR subdistrict_id = ?)";

    /** One statement: the whole upload or nothing; a point already stored is skipped. */
    private static final String INSERT =
            """
            INSERT INTO staff_position (staff_id, recorded_at, geom, accuracy_m)
            SELECT ?, p.at, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326), p.accuracy
            FROM unnest(?::timestamptz[], ?::float8[], ?::float8[], ?::real[]) AS p(at, lon, lat, accuracy)
            ON CONFLICT (staff_id, recorded_at) DO NOTHING""";

    private static final String TRACK =
            """
            SELECT json_build_object('type', 'Feature',
                'geometry', ST_AsGeoJSON(ST_MakeLine(geom ORDER BY recorded_at), 7)::json,
                'properties', json_build_object('staffId', ?::bigint, 'points', count(*),
                    'from', min(recorded_at), 'to', max(recorded_at),
                    'lengthM', round(ST_Length(ST_MakeLine(geom ORDER BY recorded_at)::geography)::numeric, 1)))::text
            FROM staff_position WHERE staff_id = ? AND recorded_at >= ? AND recorded_at < ?""";

    /**
     * Coverage: the share of a grid's base units (and households) that one of its own grid workers
     * passed within the distance, in the period. Walking a lot in one street does not raise it;
     * reaching every corner of the grid does. Only the grids of one subdistrict's workers when one
     * is given (the isolation rule).
     */
    private static final String COVERAGE =
            """
            WITH workers AS (
                SELECT s.id, s.grid_id FROM staff s
                WHERE s.role = 'GRID_WORKER' AND s.grid_id IS NOT NULL AND (?::bigint IS NULL OR s.grid_id = ?)
                  AND (?::bigint IS NULL OR s.subdistrict_id = ?)
            ), units AS (
                SELECT gu.grid_id, b.id, b.households, b.geom FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id
                WHERE gu.grid_id IN (SELECT grid_id FROM workers)
            ), visited AS MATERIALIZED (
                -- once: inlined, the planner re-ran it for every unit of the join below (16 s
                -- for one grid's week at 2M positions; 0.65 s materialized, docs/partitions.md)
                SELECT u.grid_id, u.id FROM units u
                WHERE EXISTS (
                    SELECT 1 FROM staff_position p JOIN workers w ON w.id = p.staff_id AND w.grid_id = u.grid_id
                    WHERE p.recorded_at >= ? AND p.recorded_at < ?
                      AND p.geom && ST_Expand(u.geom, ? / 90000.0)
                      AND ST_DWithin(p.geom::geography, u.geom::geography, ?))
            )
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', g.id,
                'geometry', ST_AsGeoJSON(g.geom, 7)::json,
                'properties', json_build_object('gridId', g.id, 'code', g.code, 'name', g.name,
                    'workers', (SELECT json_agg(w.id ORDER BY w.id) FROM workers w WHERE w.grid_id = g.id),
                    'units', t.units, 'unitsVisited', t.visited,
                    'coverage', round(t.visited::numeric / nullif(t.units, 0), 4),
                    'households', t.households, 'householdsVisited', t.households_visited,
                    'householdCoverage', round(t.households_visited::numeric / nullif(t.households, 0), 4))
            ) ORDER BY g.id), '[]'))::text
            FROM grid g JOIN (
                SELECT u.grid_id, count(*) AS units, count(v.id) AS visited, sum(u.households) AS households,
                       coalesce(sum(u.households) FILTER (WHERE v.id IS NOT NULL), 0) AS households_visited
                FROM units u LEFT JOIN visited v ON v.grid_id = u.grid_id AND v.id = u.id
                GROUP BY u.grid_id) t ON t.grid_id = g.id""";

    /**
     * Base units nobody passed within the distance in the last days, with when someone last did;
     * only one subdistrict's units when one is given (the isolation rule).
     */
    private static final String GAPS =
            """
            WITH recent AS (
                SELECT geom, recorded_at FROM staff_position WHERE recorded_at >= ?::timestamptz - make_interval(days => ?) AND recorded_at < ?
            )
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', b.id,
                'geometry', ST_AsGeoJSON(b.geom, 7)::json,
                'properties', json_build_object('unitId', b.id, 'code', b.code, 'households', b.households,
                    'gridId', gu.grid_id, 'lastVisited', (
                        SELECT max(p.recorded_at) FROM staff_position p
                        WHERE p.recorded_at < ? AND p.geom && ST_Expand(b.geom, ? / 90000.0)
                          AND ST_DWithin(p.geom::geography, b.geom::geography, ?)))
            ) ORDER BY b.id), '[]'))::text
            FROM base_unit b
            LEFT JOIN grid_unit gu ON gu.unit_id = b.id AND gu.plan_id = ANY(?)
            WHERE (?::bigint IS NULL OR gu.grid_id = ?) AND b.retired_at IS NULL
              AND (?::bigint IS NULL OR b.community_id IN (SELECT id FROM community WHERE subdistrict_id = ?))
              AND NOT EXISTS (SELECT 1 FROM recent p WHERE p.geom && ST_Expand(b.geom, ? / 90000.0)
                                AND ST_DWithin(p.geom::geography, b.geom::geography, ?))""";

    /**
     * Candidates: on-duty staff of the incident's platform, and the all-subject grid workers and
     * leaders, at their latest position no older than the limit. Ranked in Java ({@link
     * RoadGraph}).
     */
    private static final String CANDIDATES =
            """
            WITH inc AS (
                SELECT i.location, i.platform FROM incident i WHERE i.id = ?
            ), latest AS (
                SELECT DISTINCT ON (p.staff_id) p.staff_id, p.geom, p.recorded_at
                FROM staff_position p WHERE p.recorded_at >= ? AND p.recorded_at <= ?
                ORDER BY p.staff_id, p.recorded_at DESC
            )
            SELECT s.id, s.name, s.role, s.platform, ST_X(l.geom), ST_Y(l.geom), l.recorded_at,
                   ST_X(inc.location), ST_Y(inc.location),
                   ST_Distance(l.geom::geography, inc.location::geography)
            FROM staff s JOIN latest l ON l.staff_id = s.id, inc
            WHERE s.on_duty AND (s.platform = inc.platform OR s.role IN ('GRID_WORKER', 'GRID_LEADER'))""";

    private static final String INCIDENT_LOCATION =
            "SELECT ST_X(location), ST_Y(location) FROM incident WHERE id = ?";

    /**
     * Stores a staff member's batch in one statement (the whole upload or nothing); 404 for an
     * unknown staff member. Returns how many positions were new.
     */
    int upload(long staffId, List<PositionBatch.Position> ps) throws SQLException {
        try (Connection c = ds.getConnection()) {
            requireStaff(c, staffId);
            int n = ps.size();
            Timestamp[] at = new Timestamp[n];
            Double[] lon = new Double[n], lat = new Double[n];
            Float[] acc = new Float[n];
            for (int k = 0; k < n; k++) {
                at[k] = Timestamp.from(ps.get(k).at().toInstant());
                lon[k] = ps.get(k).lon();
                lat[k] = ps.get(k).lat();
                acc[k] = ps.get(k).accuracy();
            }
            try (PreparedStatement st = c.prepareStatement(INSERT)) {
                st.setLong(1, staffId);
                st.setArray(2, c.createArrayOf("timestamptz", at));
                st.setArray(3, c.createArrayOf("float8", lon));
                st.setArray(4, c.createArrayOf("float8", lat));
                st.setArray(5, c.createArrayOf("float4", acc));
                return st.executeUpdate();
            }
        }
    }

    /**
     * A staff member's track in the window as one GeoJSON Feature; 404 for an unknown one and for
     * one outside the caller's subdistrict (null: district-wide), whose staff it never sees.
     */
    byte[] track(long staffId, TimeWindow window, Long subdistrictId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(STAFF_IN)) {
            ps.setLong(1, staffId);
            ps.setObject(2, subdistrictId, java.sql.Types.BIGINT);
            ps.setObject(3, subdistrictId, java.sql.Types.BIGINT);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw new ProblemException(
                            Problem.notFound("staff member " + staffId + " does not exist"));
            }
        }
        return GeoJsonQuery.run(
                ds,
                TRACK,
                ps -> {
                    ps.setLong(1, staffId);
                    ps.setLong(2, staffId);
                    ps.setObject(3, window.from());
                    ps.setObject(4, window.to());
                });
    }

    /** Coverage per grid (one grid, or all when null) in the window, as GeoJSON. */
    /** {@code subdistrict}: the caller's, or null for every subdistrict. */
    byte[] coverage(Long grid, TimeWindow window, double distance, Long subdistrict)
            throws SQLException {
        return GeoJsonQuery.run(
                ds,
                COVERAGE,
                ps -> {
                    ps.setObject(1, grid);
                    ps.setObject(2, grid);
                    ps.setObject(3, subdistrict, java.sql.Types.BIGINT);
                    ps.setObject(4, subdistrict, java.sql.Types.BIGINT);
                    ps.setObject(5, window.from());
                    ps.setObject(6, window.to());
                    ps.setDouble(7, distance);
                    ps.setDouble(8, distance);
                });
    }

    /**
     * The base units (of the plans in effect: one grid, or all when null; of one subdistrict, or
     * every one when null) nobody passed, as GeoJSON.
     */
    byte[] gaps(
            OffsetDateTime asOf,
            int days,
            double distance,
            List<Long> planIds,
            Long grid,
            Long subdistrict)
            throws SQLException {
        return GeoJsonQuery.run(
                ds,
                GAPS,
                ps -> {
                    ps.setObject(1, asOf);
                    ps.setInt(2, days);
                    ps.setObject(3, asOf);
                    ps.setObject(4, asOf);
                    ps.setDouble(5, distance);
                    ps.setDouble(6, distance);
                    ps.setArray(7, ps.getConnection().createArrayOf("bigint", planIds.toArray()));
                    ps.setObject(8, grid);
                    ps.setObject(9, grid);
                    ps.setObject(10, subdistrict, java.sql.Types.BIGINT);
                    ps.setObject(11, subdistrict, java.sql.Types.BIGINT);
                    ps.setDouble(12, distance);
                    ps.setDouble(13, distance);
                });
    }

    /** Where a possible responder was last seen, and how far that is from the incident. */
    record Sighting(
            long id,
            String name,
            String role,
            String platform,
            double lon,
            double lat,
            OffsetDateTime at,
            double straight) {}

    /** The incident's location and the candidates (unranked) seen within [from, to]. */
    record Nearby(double lon, double lat, List<Sighting> candidates) {}

    /** 404 when the incident does not exist. */
    Nearby nearby(long incidentId, Instant from, Instant to) throws SQLException {
        double incLon, incLat;
        List<Sighting> found = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(INCIDENT_LOCATION)) {
                ps.setLong(1, incidentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next())
                        throw new ProblemException(
                                Problem.notFound("incident " + incidentId + " does not exist"));
                    incLon = rs.getDouble(1);
                    incLat = rs.getDouble(2);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(CANDIDATES)) {
                ps.setLong(1, incidentId);
                ps.setTimestamp(2, Timestamp.from(from));
                ps.setTimestamp(3, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(
                                new Sighting(
                                        rs.getLong(1),
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getString(4),
                                        rs.getDouble(5),
                                        rs.getDouble(6),
                                        rs.getObject(7, OffsetDateTime.class),
                                        rs.getDouble(10)));
                    }
                }
            }
        }
        return new Nearby(incLon, incLat, found);
    }

    private static void requireStaff(Connection c, long staffId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(STAFF_EXISTS)) {
            ps.setLong(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw new ProblemException(
                            Problem.notFound("staff member " + staffId + " does not exist"));
            }
        }
    }
}
