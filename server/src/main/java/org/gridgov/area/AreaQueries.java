package org.gridgov.area;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.gridgov.geo.Bbox;
import org.gridgov.geo.GeoJsonQuery;

/** The SQL behind GET /api/v1/communities and GET /api/v1/subdistricts. */
public final class AreaQueries {

    private static final String COMMUNITIES =
            """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(f ORDER BY f.id), '[]'))::text
            FROM (
                SELECT c.id, 'Feature' AS type,
                       ST_AsGeoJSON(c.geom, 7)::json AS geometry,
                       json_build_object('id', c.id, 'code', c.code, 'name', c.name, 'kind', c.kind,
                           'households', u.households, 'population', u.population, 'units', u.units) AS properties
                FROM community c
                LEFT JOIN LATERAL (
                    SELECT sum(households) AS households, sum(population) AS population, count(*) AS units
                    FROM base_unit b WHERE b.community_id = c.id AND b.retired_at IS NULL) u ON true
                WHERE ?::float8 IS NULL OR c.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)
            ) f""";

    private static final String SUBDISTRICTS =
            """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(f ORDER BY f.code), '[]'))::text
            FROM (
                SELECT j.id, j.code, 'Feature' AS type,
                       ST_AsGeoJSON(j.geom, 7)::json AS geometry,
                       json_build_object('id', j.id, 'code', j.code, 'name', j.name,
                           'communities', (SELECT count(*) FROM community c WHERE c.subdistrict_id = j.id)) AS properties
                FROM jurisdiction j
                WHERE j.kind = 'SUBDISTRICT' AND (?::bigint IS NULL OR j.id = ?)
            ) f""";

    private final DataSource ds;

    public AreaQueries(DataSource ds) {
        this.ds = ds;
    }

    /** The communities touching bbox (all of them when null), as a GeoJSON FeatureCollection. */
    public byte[] communities(Bbox bbox) throws SQLException {
        return GeoJsonQuery.run(
                ds,
                COMMUNITIES,
                ps -> {
                    ps.setObject(1, bbox == null ? null : bbox.minLon(), java.sql.Types.DOUBLE);
                    GeoJsonQuery.bindBbox(ps, 2, bbox);
                });
    }

    /**
     * The subdistricts as a GeoJSON FeatureCollection, by code: only {@code only} when given (a
     * caller inside one subdistrict), else all of them.
     */
    public byte[] subdistricts(Long only) throws SQLException {
        return GeoJsonQuery.run(
                ds,
                SUBDISTRICTS,
                ps -> {
                    ps.setObject(1, only, java.sql.Types.BIGINT);
                    ps.setObject(2, only, java.sql.Types.BIGINT);
                });
    }
}
