package org.gridgov.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.UUID;
import org.gridgov.api.ApiRouter;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.job.JobRoutes;
import org.gridgov.job.Jobs;

/**
 * POST /api/v1/imports?kind=plan|units|communities&srs=: upload a grid plan, the base units or the
 * communities (GeoJSON, GeoPackage, zipped Shapefile; up to {@link ImportLimits#maxBytes()}) → 202
 * with a job whose result is the validation report; POST /api/v1/imports/{id}/commit applies a
 * clean import ({"dryRun": true}: says what it would do and changes nothing).
 *
 * <p>An upload is judged before its body is read: the caller (401/403), the parameters, a declared
 * Content-Length over the limit (413). A refusal then closes the connection instead of reading the
 * rest, and a client that sent {@code Expect: 100-continue} is never asked for the body. An
 * accepted body is streamed to a file in the private upload folder, counted as it comes (413 past
 * the limit), and checked by {@link ImportInput} before a job is started.
 */
public final class ImportRoutes {

    static final java.util.Set<String> KINDS =
            java.util.Set.of("plan", "units", "communities", "boundary", "roads");

    /**
     * Told when a commit changed what other capabilities hold in memory — the jurisdictions (kind
     * boundary) or the road network (kind roads) — so they read it again, or derive from — the
     * gazetteer's door plates from the units' addresses (kind units).
     */
    @FunctionalInterface
    public interface AreaChanged {
        void reload(String kind) throws Exception;
    }

    private static final String UPLOAD = "gridgov.upload";

    private final Planning planning;
    private final Jobs jobs;
    private final ImportLimits limits;
    private final PlanQueries plans;
    private final AreaChanged areaChanged;

    public ImportRoutes(
            Planning planning, Jobs jobs, ImportLimits limits, AreaChanged areaChanged) {
        this.planning = planning;
        this.plans = new PlanQueries(planning);
        this.jobs = jobs;
        this.limits = limits;
        this.areaChanged = areaChanged;
    }

    public void mount(Router router) {
        router.post(ApiRouter.UPLOADS)
                .handler(this::admit)
                .handler(this::receive)
                .handler(this::upload);
        router.post("/api/v1/imports/:id/commit").handler(this::commit);
    }

    /** Who and what, from the head alone; nothing of the body has been read yet. */
    private void admit(RoutingContext ctx) {
        HttpServerRequest req =
                ctx.request(); // paused by ApiRouter, which also closes the connection on a refusal
        Planning.requirePlanner(ctx);
        kind(ctx);
        ImportStaging.sourceCrs(Handlers.param(ctx, "srs"), planning.planarSrid());
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new ProblemException(
                        Problem.malformed("Content-Length '" + length + "' is not a number"));
            }
            if (n == 0) throw new ProblemException(emptyFile());
            if (n > limits.maxBytes()) throw tooLarge();
        }
        ctx.next();
    }

    /**
     * Streams the body to a new owner-only file, counting; past the limit, 413 and the file goes.
     */
    private void receive(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        req.pause();
        String file = limits.dir().resolve("upload-" + UUID.randomUUID()).toString();
        var fs = ctx.vertx().fileSystem();
        fs.open(file, new OpenOptions().setCreateNew(true).setWrite(true).setPerms("rw-------"))
                .onComplete(
                        opened -> {
                            if (opened.failed()) {
                                ctx.fail(opened.cause());
                                return;
                            }
                            AsyncFile out = opened.result();
                            long[] received = {0};
                            boolean[] failed = {false};
                            Runnable discard =
                                    () -> {
                                        failed[0] = true;
                                        out.close().onComplete(x -> fs.delete(file));
                                    };
                            req.exceptionHandler(
                                    e -> {
                                        if (failed[0]) return;
                                        discard.run();
                                        if (!ctx.response().closed())
                                            ctx.fail(e); // a client that hung up mid-upload hears
                                        // nothing
                                    });
                            req.handler(
                                    chunk -> {
                                        if (failed[0]) return;
                                        received[0] += chunk.length();
                                        if (received[0] > limits.maxBytes()) {
                                            discard.run();
                                            ctx.fail(tooLarge());
                                            return;
                                        }
                                        out.write(chunk);
                                        if (out.writeQueueFull()) {
                                            req.pause();
                                            out.drainHandler(x -> req.resume());
                                        }
                                    });
                            req.endHandler(
                                    v -> {
                                        if (failed[0]) return;
                                        out.close()
                                                .onComplete(
                                                        closed -> {
                                                            if (closed.failed()) {
                                                                fs.delete(file);
                                                                ctx.fail(closed.cause());
                                                            } else if (received[0] == 0) {
                                                                fs.delete(file);
                                                                ctx.fail(
                                                                        new ProblemException(
                                                                                emptyFile()));
                                                            } else {
                                                                ctx.put(UPLOAD, Path.of(file));
                                                                ctx.next();
                                                            }
                                                        });
                                    });
                            req.resume();
                        });
    }

    private void upload(RoutingContext ctx) {
        String kind = kind(ctx);
        int srs = ImportStaging.sourceCrs(Handlers.param(ctx, "srs"), planning.planarSrid());
        Path file = ctx.get(UPLOAD);
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        String disposition = ctx.request().getHeader("Content-Disposition");
        Handlers.blocking(
                ctx,
                () -> {
                    long bytes = java.nio.file.Files.size(file);
                    ImportInput.Format claimed;
                    try {
                        claimed = ImportInput.claimed(contentType, disposition);
                    } catch (ProblemException e) {
                        java.nio.file.Files.deleteIfExists(file);
                        throw e;
                    }
                    ImportInput input = ImportInput.prepare(file, limits);
                    try {
                        input.requireClaim(
                                claimed, disposition != null ? disposition : contentType);
                        // a CRS gridgov does not take, or an srs the coordinates contradict: 422
                        // now, before a job is started or anything staged
                        Ogr.Probe probe = probe(input);
                        if (probe != null)
                            ImportStaging.checkSource(probe, srs, planning.planarSrid());
                        ObjectNode params = Responses.JSON.createObjectNode();
                        params.put("kind", kind);
                        params.put("format", input.format.name());
                        params.put("bytes", bytes);
                        if (srs != 0) params.put("srs", srs);
                        return jobs.submit(
                                "import",
                                params,
                                jc ->
                                        switch (kind) {
                                            case "units" ->
                                                    UnitImport.stage(
                                                            jc, input, srs, planning.planarSrid());
                                            case "communities" ->
                                                    CommunityImport.stage(
                                                            jc, input, srs, planning.planarSrid());
                                            case "boundary" ->
                                                    BoundaryImport.stage(
                                                            jc, input, srs, planning.planarSrid());
                                            case "roads" ->
                                                    RoadImport.stage(
                                                            jc, input, srs, planning.planarSrid());
                                            default ->
                                                    PlanImport.stage(
                                                            jc, input, srs, planning.planarSrid());
                                        });
                    } catch (Exception e) {
                        input.close();
                        throw e;
                    }
                },
                JobRoutes::accepted);
    }

    /** ogrinfo's view of the upload; null when it cannot read it (the job's report says why). */
    private static Ogr.Probe probe(ImportInput input) {
        try {
            return Ogr.probe(input.source, input.format.driver);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String kind(RoutingContext ctx) {
        String kind = Handlers.param(ctx, "kind");
        if (kind == null) return "plan";
        if (!KINDS.contains(kind)) {
            throw new ProblemException(
                    Problem.invalidParameter(
                            "kind",
                            "'kind' must be boundary (the subdistrict), communities, units (the"
                                    + " base units), roads or plan (a whole grid plan)"));
        }
        return kind;
    }

    private static Problem emptyFile() {
        return Problem.of(
                400,
                "empty-file",
                "The upload is empty",
                "the request body is empty; upload the file as the body (curl --data-binary @file)",
                null);
    }

    private ProblemException tooLarge() {
        return new ProblemException(
                Problem.of(
                        413,
                        "payload-too-large",
                        "The upload is too large",
                        "an import may be at most "
                                + (limits.maxBytes() >> 20)
                                + " MiB (GRIDGOV_IMPORT_LIMIT_MB)",
                        null));
    }

    private void commit(RoutingContext ctx) {
        Planning.requirePlanner(ctx);
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(
                    Problem.notFound("'" + ctx.pathParam("id") + "' is not an import id"));
        }
        ObjectNode body =
                ctx.body().length() == 0
                        ? Responses.JSON.createObjectNode()
                        : JsonBody.object(ctx.body().buffer());
        JsonNode name = body.get("name");
        JsonNode dry = body.get("dryRun");
        if (dry != null && !dry.isBoolean())
            throw new ProblemException(
                    Problem.invalidField("/dryRun", "'dryRun' must be true or false"));
        boolean dryRun = dry != null && dry.asBoolean();
        Long requested = Planning.requestedSubdistrict(body);
        var caller = org.gridgov.people.Access.caller(ctx);
        Long scope = caller == null ? null : caller.subdistrictId();
        if (name != null
                && (!name.isTextual() || name.asText().isBlank() || name.asText().length() > 200)) {
            throw new ProblemException(
                    Problem.invalidField(
                            "/name",
                            "'name' must be a non-empty string of at most 200 characters"));
        }
        Handlers.blocking(
                ctx,
                () -> {
                    ObjectNode job = jobs.get(id);
                    if (!job.get("kind").asText().equals("import"))
                        throw new ProblemException(
                                Problem.notFound("job " + id + " is not an import"));
                    if (!job.get("status").asText().equals("DONE")) {
                        throw new ProblemException(
                                Problem.of(
                                        409,
                                        "import-not-ready",
                                        "The import is not ready",
                                        "import "
                                                + id
                                                + " is "
                                                + job.get("status").asText()
                                                + "; commit it once its job is DONE",
                                        null));
                    }
                    JsonNode report = job.get("result");
                    if (report == null || !report.path("valid").asBoolean()) {
                        throw new ProblemException(
                                Problem.of(
                                        409,
                                        "import-invalid",
                                        "The import has errors",
                                        "the import report lists errors; fix the file and upload it again",
                                        null));
                    }
                    String kind = report.path("kind").asText("plan");
                    String n = name == null ? null : name.asText().strip();
                    if (kind.equals("units")) {
                        ObjectNode out = UnitImport.commit(planning.ds(), id, n, dryRun);
                        if (!dryRun) areaChanged.reload(kind);
                        return out;
                    }
                    if (kind.equals("communities"))
                        return CommunityImport.commit(planning.ds(), id, n, dryRun);
                    if (kind.equals("roads") || kind.equals("boundary")) {
                        ObjectNode out =
                                kind.equals("roads")
                                        ? RoadImport.commit(planning.ds(), id, dryRun)
                                        : BoundaryImport.commit(planning.ds(), id, dryRun);
                        if (!dryRun) areaChanged.reload(kind);
                        return out;
                    }
                    // the draft is for the subdistrict named, else the caller's (PlanQueries)
                    Long subdistrict = plans.draftSubdistrict(requested, scope);
                    long plan =
                            PlanImport.commit(
                                    planning.ds(),
                                    id,
                                    n == null ? "导入方案 " + id.toString().substring(0, 8) : n,
                                    subdistrict,
                                    planning.graph(),
                                    dryRun);
                    ObjectNode out = Responses.JSON.createObjectNode();
                    out.put("kind", "plan");
                    out.put("dryRun", dryRun);
                    if (dryRun) {
                        out.putNull("id");
                        return out;
                    }
                    PlanStore.PlanRow p = plans.require(plan, scope);
                    out.put("id", p.id());
                    out.put("name", p.name());
                    out.put("status", p.status());
                    out.put("version", p.version());
                    return out;
                },
                (c, out) -> {
                    if (out.path("dryRun").asBoolean()) {
                        Responses.json(c, 200, out);
                        return;
                    }
                    long plan =
                            out.has("draftPlanId")
                                    ? out.path("draftPlanId").asLong(0)
                                    : out.path("id").asLong(0);
                    if (plan > 0) c.response().putHeader("Location", "/api/v1/plans/" + plan);
                    Responses.json(c, out.get("kind").asText().equals("plan") ? 201 : 200, out);
                });
    }
}
