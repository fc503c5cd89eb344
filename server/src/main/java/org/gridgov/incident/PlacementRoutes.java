package org.gridgov.incident;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.Set;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.Responses;
import org.gridgov.people.Access;
import org.gridgov.people.Role;

/**
 * The placement queue for the command centre: {@code GET /api/v1/placements} (reports whose address
 * matched too weakly to place them, oldest first) and {@code POST /api/v1/placements/{id}/place}
 * with a location (intake proceeds as usual; the queue item points to the new case). The reporter's
 * contact is not listed. docs/addresses.md.
 */
public final class PlacementRoutes {

    private final PlacementStore store;
    private final AddressIntake intake;

    public PlacementRoutes(PlacementStore store, AddressIntake intake) {
        this.store = store;
        this.intake = intake;
    }

    public void mount(Router r) {
        r.get("/api/v1/placements").handler(this::list);
        r.post("/api/v1/placements/:id/place").handler(this::place);
    }

    private void list(RoutingContext ctx) {
        Access.requireAny(ctx, Role.COMMAND_CENTRE);
        String status = QueryParams.oneOf(ctx, "status", Set.of("waiting", "placed"));
        int limit = QueryParams.whole(ctx, "limit", 1, 500, 100);
        boolean waiting = status == null || status.equals("waiting");
        Handlers.blocking(
                ctx,
                () -> store.list(waiting, limit),
                (c, rows) -> {
                    ObjectNode out = Responses.JSON.createObjectNode();
                    out.putArray("placements").addAll(rows);
                    Responses.json(c, 200, out);
                });
    }

    private void place(RoutingContext ctx) {
        long operator = Access.requireAny(ctx, Role.COMMAND_CENTRE).staffId();
        long id = Handlers.pathId(ctx, "id");
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("location"))
                throw new ProblemException(
                        Problem.invalidField(
                                "/" + f, "unknown field '" + f + "'; allowed: location"));
        }
        double[] lonLat = IntakeRequest.location(body.get("location"));
        Handlers.blocking(
                ctx,
                () -> intake.place(id, lonLat[0], lonLat[1], operator),
                (c, in) -> {
                    Incident i = in.incident();
                    c.response().putHeader("Location", "/api/v1/incidents/" + i.id());
                    ObjectNode n =
                            IncidentJson.incident(i, IncidentJson.Reporter.MASKED)
                                    .put("placementId", id);
                    Responses.json(c, 201, n);
                });
    }
}
