package org.gridgov.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.people.Access;
import org.gridgov.people.Role;

/** GET /api/v1/jobs/{id}: status, progress, result; DELETE cancels. */
public final class JobRoutes {

    private final Jobs jobs;

    public JobRoutes(Jobs jobs) {
        this.jobs = jobs;
    }

    public void mount(Router router) {
        router.get("/api/v1/jobs/:id")
                .handler(
                        ctx -> {
                            UUID id = id(ctx);
                            Handlers.blocking(
                                    ctx, () -> jobs.get(id), (c, j) -> Responses.json(c, 200, j));
                        });
        router.delete("/api/v1/jobs/:id")
                .handler(
                        ctx -> {
                            // Jobs are planners' rebalances and imports; only they (and admins)
                            // cancel them.
                            Access.requireAny(ctx, Role.PLANNERS);
                            UUID id = id(ctx);
                            Handlers.blocking(
                                    ctx,
                                    () -> jobs.cancel(id),
                                    (c, j) -> Responses.json(c, 200, j));
                        });
    }

    /**
     * The answer to a request that started a job: 202, its id and where to follow it (GET
     * /api/v1/jobs/{id}).
     */
    public static void accepted(RoutingContext ctx, UUID id) {
        ObjectNode out = Responses.JSON.createObjectNode();
        out.put("jobId", id.toString());
        out.put("status", "RUNNING");
        out.put("href", "/api/v1/jobs/" + id);
        ctx.response().putHeader("Location", "/api/v1/jobs/" + id);
        Responses.json(ctx, 202, out);
    }

    private static UUID id(RoutingContext ctx) {
        try {
            return UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(
                    Problem.notFound("'" + ctx.pathParam("id") + "' is not a job id"));
        }
    }
}
