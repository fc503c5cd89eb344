package org.gridgov.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.gridgov.api.ApiRouter;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.job.Jobs;

import java.sql.Connection;
import java.util.UUID;

/**
 * POST /api/v1/imports?kind=plan&srs=: upload a grid plan (GeoJSON, GeoPackage, zipped
 * Shapefile; up to {@link #UPLOAD_LIMIT} bytes) → 202 with a job whose result is the validation
 * report; POST /api/v1/imports/{id}/commit turns a clean import into a draft plan.
 */
public final class ImportRoutes {

    public static final long UPLOAD_LIMIT = 64L * 1024 * 1024;

    private final Planning planning;
    private final Jobs jobs;

    public ImportRoutes(Planning planning, Jobs jobs) {
        this.planning = planning;
        this.jobs = jobs;
    }

    public void mount(Router router) {
        router.post(ApiRouter.UPLOADS).handler(BodyHandler.create(false).setBodyLimit(UPLOAD_LIMIT)).handler(this::upload);
        router.post("/api/v1/imports/:id/commit").handler(this::commit);
    }

    private void upload(RoutingContext ctx) {
        Planning.requirePlanner(ctx);
        String kind = Handlers.param(ctx, "kind");
        if (kind != null && !kind.equals("plan")) {
            throw new ProblemException(Problem.invalidParameter("kind", "only kind=plan (a whole grid plan) is imported so far"));
        }
        int srs = PlanImport.sourceCrs(Handlers.param(ctx, "srs"));
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        if (body.length == 0) throw new ProblemException(Problem.malformed("the request body is empty; upload the file as the body"));
        PlanImport.Kind fileKind = PlanImport.sniff(body);
        ObjectNode params = Responses.JSON.createObjectNode();
        params.put("kind", "plan");
        params.put("format", fileKind.name());
        params.put("bytes", body.length);
        if (srs != 0) params.put("srs", srs);
        Handlers.blocking(ctx, () -> jobs.submit("import", params, jc -> PlanImport.stage(planning.ds(), jc.id(), body, fileKind, srs)),
                (c, id) -> {
            ObjectNode out = Responses.JSON.createObjectNode();
            out.put("jobId", id.toString());
            out.put("status", "RUNNING");
            out.put("href", "/api/v1/jobs/" + id);
            c.response().putHeader("Location", "/api/v1/jobs/" + id);
            Responses.json(c, 202, out);
        });
    }

    private void commit(RoutingContext ctx) {
        Planning.requirePlanner(ctx);
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.notFound("'" + ctx.pathParam("id") + "' is not an import id"));
        }
        ObjectNode body = ctx.body().length() == 0 ? Responses.JSON.createObjectNode() : JsonBody.object(ctx.body().buffer());
        JsonNode name = body.get("name");
        if (name != null && (!name.isTextual() || name.asText().isBlank() || name.asText().length() > 200)) {
            throw new ProblemException(Problem.invalidField("/name", "'name' must be a non-empty string of at most 200 characters"));
        }
        Handlers.blocking(ctx, () -> {
            ObjectNode job = jobs.get(id);
            if (!job.get("kind").asText().equals("import")) throw new ProblemException(Problem.notFound("job " + id + " is not an import"));
            if (!job.get("status").asText().equals("DONE")) {
                throw new ProblemException(Problem.of(409, "import-not-ready", "The import is not ready",
                        "import " + id + " is " + job.get("status").asText() + "; commit it once its job is DONE", null));
            }
            long plan = PlanImport.commit(planning.ds(), id, name == null ? "导入方案 " + id.toString().substring(0, 8) : name.asText().strip(),
                    planning.graph(), job.get("result"));
            try (Connection c = planning.ds().getConnection()) {
                PlanStore.PlanRow p = PlanStore.require(c, plan);
                ObjectNode out = Responses.JSON.createObjectNode();
                out.put("id", p.id());
                out.put("name", p.name());
                out.put("status", p.status());
                out.put("version", p.version());
                return out;
            }
        }, (c, out) -> {
            c.response().putHeader("Location", "/api/v1/plans/" + out.get("id").asLong());
            Responses.json(c, 201, out);
        });
    }
}
