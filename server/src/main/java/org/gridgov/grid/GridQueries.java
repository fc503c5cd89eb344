package org.gridgov.grid;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;
import org.gridgov.geo.Bbox;
import org.gridgov.geo.GeoJsonQuery;

/** The SQL behind GET /api/v1/grids: the grids of a plan as GeoJSON. */
public final class GridQueries {

    // workerId: the worker the plan names (grid.worker_id), else a grid worker scoped to the grid,
    // as the workload endpoint has it.
    private static final String GRIDS =
            """
            SELECT json_build_object('type', 'FeatureCollection', 'planId', ?::bigint,
                       'features', coalesce(json_agg(f ORDER BY f.id), '[]'))::text
            FROM (
                SELECT g.id, 'Feature' AS type,
                       ST_AsGeoJSON(g.geom, 7)::json AS geometry,
                       json_build_object('id', g.id, 'code', g.code, 'name', g.name, 'kind', g.kind,
                           'planId', g.plan_id, 'communityId', g.community_id,
                           'households', u.households, 'population', u.population, 'units', u.units,
                           'workerId', w.id, 'workerName', w.name,
                           'backupWorkerId', g.backup_worker_id) AS properties
                FROM grid g
                LEFT JOIN LATERAL (
                    SELECT sum(b.households) AS households, sum(b.population) AS population, count(*) AS units
                    FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id WHERE gu.grid_id = g.id) u ON true
                LEFT JOIN LATERAL (
                    SELECT s.id, s.name FROM staff s
                    WHERE s.id = g.worker_id
                       OR (g.worker_id IS NULL AND s.grid_id = g.id AND s.role = 'GRID_WORKER'
                           AND s.on_duty)
                    ORDER BY s.employment = 'FULL_TIME' DESC, s.id LIMIT 1) w ON true
                WHERE g.plan_id = ?
                  AND (?::float8 IS NULL OR g.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326))
            ) f""";

    private final DataSource ds;
    private final PlanTimeline plans;

    public GridQueries(DataSource ds, PlanTimeline plans) {
        this.ds = ds;
        this.plans = plans;
    }

    /**
     * The grids of a plan (planText: "active"/null or an id; 400/404 as {@link PlanStore#resolve})
     * touching bbox (all when null), as a GeoJSON FeatureCollection.
     */
    byte[] grids(String planText, Bbox bbox) throws SQLException {
        long planId;
        try (Connection c = ds.getConnection()) {
            planId = PlanStore.resolve(c, plans, Instant.now(), planText);
        }
        return GeoJsonQuery.run(
                ds,
                GRIDS,
                ps -> {
                    ps.setLong(1, planId);
                    ps.setLong(2, planId);
                    ps.setObject(3, bbox == null ? null : bbox.minLon(), java.sql.Types.DOUBLE);
                    GeoJsonQuery.bindBbox(ps, 4, bbox);
                });
    }
}
