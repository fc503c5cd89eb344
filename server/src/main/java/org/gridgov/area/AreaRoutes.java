package org.gridgov.area;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Handlers;
import org.gridgov.api.Responses;
import org.gridgov.geo.Bbox;
import org.gridgov.people.Access;

/**
 * GET /api/v1/communities: the villages and communities as GeoJSON; GET /api/v1/subdistricts: the
 * subdistricts the caller works in (every one for a district-wide caller), with their boundaries.
 */
public final class AreaRoutes {

    private final AreaQueries queries;

    public AreaRoutes(AreaQueries queries) {
        this.queries = queries;
    }

    public void mount(Router router) {
        router.get("/api/v1/communities").handler(this::communities);
        router.get("/api/v1/subdistricts").handler(this::subdistricts);
    }

    private void subdistricts(RoutingContext ctx) {
        // the isolation rule (docs/access.md): one's own subdistrict, or all of them
        Long own = Access.require(ctx).subdistrictId();
        Handlers.blocking(ctx, () -> queries.subdistricts(own), Responses::geoJson);
    }

    private void communities(RoutingContext ctx) {
        String bboxText = Handlers.param(ctx, "bbox");
        Bbox bbox = bboxText == null ? null : Bbox.parse("bbox", bboxText);
        Handlers.blocking(ctx, () -> queries.communities(bbox), Responses::geoJson);
    }
}
