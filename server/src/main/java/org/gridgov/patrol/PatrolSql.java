package org.gridgov.patrol;

/** The SQL of patrols and responders, in one place. Distances in metres via geography. */
final class PatrolSql {

    private PatrolSql() {}

    static final String STAFF_EXISTS = "SELECT 1 FROM staff WHERE id = ?";

    /** One statement: the whole upload or nothing; a point already stored is skipped. */
    static final String INSERT =
            """
            INSERT INTO staff_position (staff_id, recorded_at, geom, accuracy_m)
            SELECT ?, p.at, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326), p.accuracy
            FROM unnest(?::timestamptz[], ?::float8[], ?::float8[], ?::real[]) AS p(at, lon, lat, accuracy)
            ON CONFLICT (staff_id, recorded_at) DO NOTHING""";

    static final String TRACK =
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
     * reaching every corner of the grid does.
     */
    static final String COVERAGE =
            """
            WITH workers AS (
                SELECT s.id, s.grid_id FROM staff s
                WHERE s.role = 'GRID_WORKER' AND s.grid_id IS NOT NULL AND (?::bigint IS NULL OR s.grid_id = ?)
            ), units AS (
                SELECT gu.grid_id, b.id, b.households, b.geom FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id
                WHERE gu.grid_id IN (SELECT grid_id FROM workers)
            ), visited AS (
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
     * Base units nobody passed within the distance in the last days, with when someone last did.
     */
    static final String GAPS =
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
            LEFT JOIN grid_unit gu ON gu.unit_id = b.id AND gu.plan_id = ?
            WHERE (?::bigint IS NULL OR gu.grid_id = ?) AND b.retired_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM recent p WHERE p.geom && ST_Expand(b.geom, ? / 90000.0)
                                AND ST_DWithin(p.geom::geography, b.geom::geography, ?))""";

    /**
     * Candidates: on-duty staff of the incident's platform, and the all-subject grid workers and
     * leaders, at their latest position no older than the limit. Ranked in Java ({@link
     * RoadGraph}).
     */
    static final String CANDIDATES =
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
}
