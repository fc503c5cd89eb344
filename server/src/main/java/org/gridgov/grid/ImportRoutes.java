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
 * POST /api/v1/imports?kind=plan|units|communities&srs=: upload a grid plan, the base units or the
 * communities (GeoJSON, GeoPackage, zipped Shapefile; up to {@link #UPLOAD_LIMIT} bytes) → 202
 * with a job whose result is the validation report; POST /api/v1/imports/{id}/commit applies a
 * clean import ({"dryRun": true}: says what it would do and changes nothing).
 */
public final class ImportRoutes {

    public static final long UPLOAD_LIMIT = 64L * 1024 * 1024;
    static final java.util.Set<String> KINDS = java.util.Set.of("plan", "units", "communities");

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
        if (kind == null) kind = "plan";
        if (!KINDS.contains(kind)) {
            throw new ProblemException(Problem.invalidParameter("kind", "'kind' must be plan (a whole grid plan), units (the base units) or communities"));
        }
        int srs = ImportStaging.sourceCrs(Handlers.param(ctx, "srs"));
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        if (body.length == 0) throw new ProblemException(Problem.malformed("the request body is empty; upload the file as the body"));
        ImportStaging.Format format = ImportStaging.sniff(body);
        ObjectNode params = Responses.JSON.createObjectNode();
        params.put("kind", kind);
        params.put("format", format.name());
        params.put("bytes", body.length);
        if (srs != 0) params.put("srs", srs);
        String k = kind;
        Handlers.blocking(ctx, () -> jobs.submit("import", params, jc -> switch (k) {
                    case "units" -> UnitImport.stage(jc, body, format, srs);
                    case "communities" -> CommunityImport.stage(jc, body, format, srs);
                    default -> PlanImport.stage(jc, body, format, srs);
                }),
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
        JsonNode dry = body.get("dryRun");
        if (dry != null && !dry.isBoolean()) throw new ProblemException(Problem.invalidField("/dryRun", "'dryRun' must be true or false"));
        boolean dryRun = dry != null && dry.asBoolean();
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
            JsonNode report = job.get("result");
            if (report == null || !report.path("valid").asBoolean()) {
                throw new ProblemException(Problem.of(409, "import-invalid", "The import has errors",
                        "the import report lists errors; fix the file and upload it again", null));
            }
            String kind = report.path("kind").asText("plan");
            String n = name == null ? null : name.asText().strip();
            if (kind.equals("units")) return UnitImport.commit(planning.ds(), id, n, dryRun);
            if (kind.equals("communities")) return CommunityImport.commit(planning.ds(), id, n, dryRun);
            long plan = PlanImport.commit(planning.ds(), id, n == null ? "导入方案 " + id.toString().substring(0, 8) : n,
                    planning.graph(), dryRun);
            ObjectNode out = Responses.JSON.createObjectNode();
            out.put("kind", "plan");
            out.put("dryRun", dryRun);
            if (dryRun) {
                out.putNull("id");
                return out;
            }
            try (Connection c = planning.ds().getConnection()) {
                PlanStore.PlanRow p = PlanStore.require(c, plan);
                out.put("id", p.id());
                out.put("name", p.name());
                out.put("status", p.status());
                out.put("version", p.version());
                return out;
            }
        }, (c, out) -> {
            if (out.path("dryRun").asBoolean()) {
                Responses.json(c, 200, out);
                return;
            }
            long plan = out.has("draftPlanId") ? out.path("draftPlanId").asLong(0) : out.path("id").asLong(0);
            if (plan > 0) c.response().putHeader("Location", "/api/v1/plans/" + plan);
            Responses.json(c, out.get("kind").asText().equals("plan") ? 201 : 200, out);
        });
    }
}
