package org.gridgov.area;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Handlers;
import org.gridgov.api.Responses;
import org.gridgov.geo.Bbox;

/** GET /api/v1/communities: the villages and communities as GeoJSON. */
public final class AreaRoutes {

    private final AreaQueries queries;

    public AreaRoutes(AreaQueries queries) {
        this.queries = queries;
    }

    public void mount(Router router) {
        router.get("/api/v1/communities").handler(this::communities);
    }

    private void communities(RoutingContext ctx) {
        String bboxText = Handlers.param(ctx, "bbox");
        Bbox bbox = bboxText == null ? null : Bbox.parse("bbox", bboxText);
        Handlers.blocking(ctx, () -> queries.communities(bbox), Responses::geoJson);
    }
}
