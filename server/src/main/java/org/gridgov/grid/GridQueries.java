package org.gridgov.grid;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.geo.Bbox;
import org.gridgov.geo.GeoJsonQuery;

/**
 * The SQL behind GET /api/v1/grids: the grids of a plan, or of every subdistrict's plan in effect,
 * as GeoJSON.
 */
public final class GridQueries {

    // workerId: the worker the plan names (grid.worker_id), else a grid worker scoped to the grid,
    // as the workload endpoint has it.
    private static final String GRIDS =
            """
            SELECT json_build_object('type', 'FeatureCollection', 'planId', ?::bigint,
                       'planIds', to_json(?::bigint[]),
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
                WHERE g.plan_id = ANY (?)
                  AND (?::float8 IS NULL OR g.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326))
            ) f""";

    private final DataSource ds;
    private final PlanTimeline plans;

    public GridQueries(DataSource ds, PlanTimeline plans) {
        this.ds = ds;
        this.plans = plans;
    }

    /**
     * The grids of a plan (planText: an id, 400/404 as {@link PlanStore#resolve}; "active"/null:
     * every subdistrict's plan in effect, 404 when none is) touching bbox (all when null), as a
     * GeoJSON FeatureCollection; planId is null when several plans are in effect (planIds: all).
     */
    byte[] grids(String planText, Bbox bbox) throws SQLException {
        List<Long> ids = new ArrayList<>();
        if (planText == null || planText.equals("active")) {
            for (PlanTimeline.Period p : plans.periodsAt(Instant.now())) ids.add(p.planId());
            if (ids.isEmpty())
                throw new ProblemException(Problem.notFound("no grid plan is in effect now"));
        } else {
            try (Connection c = ds.getConnection()) {
                ids.add(PlanStore.resolve(c, plans, Instant.now(), planText));
            }
        }
        Long[] array = ids.toArray(new Long[0]);
        return GeoJsonQuery.run(
                ds,
                GRIDS,
                ps -> {
                    ps.setObject(1, ids.size() == 1 ? ids.get(0) : null, java.sql.Types.BIGINT);
                    ps.setArray(2, ps.getConnection().createArrayOf("bigint", array));
                    ps.setArray(3, ps.getConnection().createArrayOf("bigint", array));
                    ps.setObject(4, bbox == null ? null : bbox.minLon(), java.sql.Types.DOUBLE);
                    GeoJsonQuery.bindBbox(ps, 5, bbox);
                });
    }
}
