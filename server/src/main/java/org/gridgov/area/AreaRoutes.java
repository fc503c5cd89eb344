package org.gridgov.area;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import javax.sql.DataSource;
import org.gridgov.api.Handlers;
import org.gridgov.api.Responses;
import org.gridgov.geo.Bbox;
import org.gridgov.geo.GeoJsonQuery;

/** GET /api/v1/communities: the villages and communities as GeoJSON. */
public final class AreaRoutes {

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

    private final DataSource ds;

    public AreaRoutes(DataSource ds) {
        this.ds = ds;
    }

    public void mount(Router router) {
        router.get("/api/v1/communities").handler(this::communities);
    }

    private void communities(RoutingContext ctx) {
        String bboxText = Handlers.param(ctx, "bbox");
        Bbox bbox = bboxText == null ? null : Bbox.parse("bbox", bboxText);
        Handlers.blocking(
                ctx,
                () ->
                        GeoJsonQuery.run(
                                ds,
                                COMMUNITIES,
                                ps -> {
                                    ps.setObject(
                                            1,
                                            bbox == null ? null : bbox.minLon(),
                                            java.sql.Types.DOUBLE);
                                    GeoJsonQuery.bindBbox(ps, 2, bbox);
                                }),
                Responses::geoJson);
    }
}
