package org.gridgov.grid;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Handlers;
import org.gridgov.api.Responses;
import org.gridgov.geo.Bbox;
import org.gridgov.people.Access;
import org.gridgov.people.Role;

/** GET /api/v1/grids?plan=active|ID&bbox=: the grids of a plan as GeoJSON. */
public final class GridRoutes {

    private final GridQueries queries;

    public GridRoutes(GridQueries queries) {
        this.queries = queries;
    }

    public void mount(Router router) {
        router.get("/api/v1/grids").handler(this::grids);
    }

    private void grids(RoutingContext ctx) {
        String planText = Handlers.param(ctx, "plan");
        // the plan in effect is public; any other (drafts, past or future plans) is for those who
        // read plans
        if (planText != null && !planText.equals("active")) Access.requireAny(ctx, Role.SEES_PLANS);
        String bboxText = Handlers.param(ctx, "bbox");
        Bbox bbox = bboxText == null ? null : Bbox.parse("bbox", bboxText);
        Handlers.blocking(ctx, () -> queries.grids(planText, bbox), Responses::geoJson);
    }
}
