package org.gridgov.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Multipart;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.incident.Incident;
import org.gridgov.incident.IncidentRoutes;
import org.gridgov.incident.IncidentStore;
import org.gridgov.incident.Visibility;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;

/**
 * Photos of cases (docs/media.md): adding them to a case (before/after handling, verification),
 * listing a case's, serving one with the case's access rules, and approving one for the public.
 * Staff see the photos of the cases they may see, originals with their EXIF; the public sees only
 * approved photos of publicly listed cases, re-encoded without metadata; anyone else is told
 * nothing exists (404).
 */
public final class MediaRoutes {

    static final String PHOTO_PART = "photo";
    private static final String CASE = "gridgov.media.case";

    private final Photos photos;
    private final MediaQueries queries;
    private final IncidentStore incidents;

    public MediaRoutes(Photos photos, MediaQueries queries, IncidentStore incidents) {
        this.photos = photos;
        this.queries = queries;
        this.incidents = incidents;
    }

    public void mount(Router r) {
        // who and which case first, from the head alone; the body is read only then
        r.post("/api/v1/incidents/:id/media")
                .handler(this::admit)
                .handler(Multipart.reader(photos.limits(PHOTO_PART)))
                .handler(this::add);
        r.get("/api/v1/incidents/:id/media").handler(this::list);
        r.get("/api/v1/media/:id").handler(ctx -> serve(ctx, false));
        r.get("/api/v1/media/:id/thumbnail").handler(ctx -> serve(ctx, true));
        r.post("/api/v1/media/:id/approval").handler(this::review);
    }

    /** The caller may see the case (else 403/404), and sends a form: then its body is read. */
    private void admit(RoutingContext ctx) {
        Principal p = Access.require(ctx);
        long id = Handlers.pathId(ctx, "id");
        if (!Multipart.is(ctx))
            throw new ProblemException(
                    Problem.unsupportedMediaType(
                            "send photos as multipart/form-data: parts '"
                                    + PHOTO_PART
                                    + "' (files), 'stage' and an optional 'note'"));
        ctx.vertx()
                .executeBlocking(() -> visibleCase(p, id), false)
                .onComplete(
                        ar -> {
                            if (ar.failed()) ctx.fail(ar.cause());
                            else {
                                ctx.put(CASE, ar.result());
                                ctx.next();
                            }
                        });
    }

    private void add(RoutingContext ctx) {
        Principal p = Access.require(ctx);
        Incident incident = ctx.get(CASE);
        Multipart.Form form = Multipart.form(ctx);
        for (String name : form.fields().names()) {
            if (!name.equals("stage") && !name.equals("note"))
                throw new ProblemException(
                        Problem.invalidField(
                                name,
                                "unknown form part '"
                                        + name
                                        + "'; the parts are '"
                                        + PHOTO_PART
                                        + "', 'stage' and 'note'"));
        }
        Stage stage = stage(form.field("stage"));
        String note = form.field("note");
        if (note != null && (note.isBlank() || note.length() > 500))
            throw new ProblemException(
                    Problem.invalidField("note", "a note is 1 to 500 characters"));
        if (form.files().isEmpty())
            throw new ProblemException(
                    Problem.invalidField(PHOTO_PART, "send at least one photo in a part 'photo'"));
        Handlers.blocking(
                ctx,
                () -> {
                    List<Photo> checked = photos.check(form.files());
                    // no file is written for a case already full (checked again, locked, below)
                    MediaQueries.checkRoom(
                            incident.id(),
                            queries.count(incident.id()),
                            checked.size(),
                            photos.settings().maxPerCase());
                    photos.store(checked);
                    MediaQueries.Added added =
                            queries.add(
                                    incident.id(),
                                    stage,
                                    checked,
                                    p.staffId(),
                                    role(p),
                                    note,
                                    photos.settings().maxPerCase());
                    ArrayNode media = Responses.JSON.createArrayNode();
                    for (long mid : added.ids())
                        media.add(staffJson(queries.find(mid).orElseThrow()));
                    return Responses.JSON
                            .createObjectNode()
                            .put("incidentId", incident.id())
                            .put("eventId", added.eventId())
                            .set("media", media);
                },
                (c, body) -> Responses.json(c, 201, body));
    }

    private static Stage stage(String s) {
        if (s == null)
            throw new ProblemException(
                    Problem.invalidField(
                            "stage", "give the stage: BEFORE, AFTER, VERIFICATION or OTHER"));
        try {
            Stage st = Stage.valueOf(s.trim());
            if (st != Stage.REPORT) return st;
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new ProblemException(
                Problem.invalidField(
                        "stage",
                        "'" + s + "' is not a stage; give BEFORE, AFTER, VERIFICATION or OTHER"));
    }

    private void list(RoutingContext ctx) {
        Principal p = Access.require(ctx);
        long id = Handlers.pathId(ctx, "id");
        Handlers.blocking(
                ctx,
                () -> {
                    visibleCase(p, id);
                    ObjectNode n = Responses.JSON.createObjectNode().put("incidentId", id);
                    ArrayNode arr = n.putArray("media");
                    for (MediaQueries.Row row : queries.list(id)) arr.add(staffJson(row));
                    return n;
                },
                (c, n) -> Responses.json(c, 200, n));
    }

    /** Which file of the photo this caller gets, if any. */
    private enum Variant {
        ORIGINAL,
        PUBLIC,
        THUMBNAIL
    }

    private void serve(RoutingContext ctx, boolean thumbnail) {
        Principal p = Access.caller(ctx);
        long id = Handlers.pathId(ctx, "id");
        String asked = Handlers.param(ctx, "variant");
        if (asked != null && !asked.equals("original") && !asked.equals("public"))
            throw new ProblemException(
                    Problem.invalidParameter("variant", "variant is 'original' or 'public'"));
        Handlers.blocking(
                ctx,
                () -> {
                    MediaQueries.Row row = queries.find(id).orElseThrow(() -> notFound(id));
                    boolean published = row.approved() && row.publicCase();
                    boolean staffSees =
                            p != null && sees(p, incidents.find(row.incidentId()).orElseThrow());
                    Variant v;
                    if (staffSees)
                        v =
                                thumbnail
                                        ? Variant.THUMBNAIL
                                        : "public".equals(asked)
                                                ? Variant.PUBLIC
                                                : Variant.ORIGINAL;
                    else if (published) v = thumbnail ? Variant.THUMBNAIL : Variant.PUBLIC;
                    else if (p != null) throw Visibility.notYourCase(row.incidentId());
                    else throw notFound(id); // to the public, an unpublished photo does not exist
                    String sha =
                            switch (v) {
                                case ORIGINAL -> row.sha256();
                                case PUBLIC -> row.publicSha256();
                                case THUMBNAIL -> row.thumbSha256();
                            };
                    String type =
                            switch (v) {
                                case ORIGINAL -> row.contentType();
                                case PUBLIC -> row.publicType();
                                case THUMBNAIL -> ImageType.JPEG.mime;
                            };
                    Optional<byte[]> bytes = photos.files().get(sha);
                    if (bytes.isEmpty())
                        throw new IllegalStateException(
                                "photo " + id + ": its file " + sha + " is missing from the store");
                    return new Served(sha, type, bytes.get(), staffSees);
                },
                (c, s) -> {
                    String etag = "\"" + s.sha256 + "\"";
                    var res = c.response();
                    res.putHeader("ETag", etag);
                    res.putHeader("X-Content-Type-Options", "nosniff");
                    // revalidated every time: a withdrawn photo must stop being shown
                    res.putHeader("Cache-Control", s.staff ? "private, no-cache" : "no-cache");
                    if (s.staff) res.putHeader("Vary", "Authorization");
                    if (etag.equals(c.request().getHeader("If-None-Match"))) {
                        res.setStatusCode(304).end();
                        return;
                    }
                    res.putHeader("Content-Type", s.type);
                    res.setStatusCode(200).end(Buffer.buffer(s.bytes));
                });
    }

    private record Served(String sha256, String type, byte[] bytes, boolean staff) {}

    private void review(RoutingContext ctx) {
        Principal p = Access.requireAny(ctx, Role.COMMAND_CENTRE);
        long id = Handlers.pathId(ctx, "id");
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("approved"))
                throw new ProblemException(
                        Problem.invalidField(
                                "/" + f,
                                "unknown field '"
                                        + f
                                        + "'; the body is {\"approved\": true|false}"));
        }
        JsonNode approved = body.get("approved");
        if (approved == null || !approved.isBoolean())
            throw new ProblemException(
                    Problem.invalidField(
                            "/approved",
                            "give \"approved\": true (show it to the public) or false (withdraw"
                                    + " it)"));
        Handlers.blocking(
                ctx,
                () -> {
                    MediaQueries.Row row = queries.find(id).orElseThrow(() -> notFound(id));
                    visibleCase(p, row.incidentId());
                    if (approved.booleanValue() && !row.publicCase())
                        throw new ProblemException(
                                Problem.of(
                                        409,
                                        "not-a-public-case",
                                        "The case is not public",
                                        "incident "
                                                + row.incidentId()
                                                + " was not reported by the public in a public"
                                                + " category: its photos are never published",
                                        "/approved"));
                    return staffJson(
                            queries.review(id, approved.booleanValue(), p.staffId(), role(p)));
                },
                (c, n) -> Responses.json(c, 200, n));
    }

    /** The case, if the caller may see it: 404 if there is none, 403 if outside their scope. */
    private Incident visibleCase(Principal p, long incidentId) throws java.sql.SQLException {
        Incident i =
                incidents
                        .find(incidentId)
                        .orElseThrow(
                                () ->
                                        new ProblemException(
                                                Problem.notFound(
                                                        "incident "
                                                                + incidentId
                                                                + " does not exist")));
        if (!sees(p, i)) throw Visibility.notYourCase(incidentId);
        return i;
    }

    private static boolean sees(Principal p, Incident i) {
        return IncidentRoutes.sees(IncidentRoutes.visibility(p), i);
    }

    private static String role(Principal p) {
        for (Role r : p.roles()) if (Role.COMMAND_CENTRE.contains(r)) return r.name();
        return p.roles().iterator().next().name();
    }

    private static ProblemException notFound(long id) {
        return new ProblemException(Problem.notFound("photo " + id + " does not exist"));
    }

    /** A photo as staff see it: EXIF time and place included, and the uploader. */
    static ObjectNode staffJson(MediaQueries.Row r) {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("id", r.id());
        n.put("incidentId", r.incidentId());
        if (r.eventId() != null) n.put("eventId", r.eventId());
        else n.putNull("eventId");
        if (r.taskId() != null) n.put("taskId", r.taskId());
        else n.putNull("taskId");
        n.put("stage", r.stage().name());
        n.put("contentType", r.contentType());
        n.put("bytes", r.bytes());
        n.put("width", r.width());
        n.put("height", r.height());
        n.put("sha256", r.sha256());
        if (r.fileName() != null) n.put("fileName", r.fileName());
        else n.putNull("fileName");
        if (r.takenAt() != null) n.put("takenAt", r.takenAt().toString());
        else n.putNull("takenAt");
        if (r.takenLon() != null)
            n.putObject("takenLocation").put("lon", r.takenLon()).put("lat", r.takenLat());
        else n.putNull("takenLocation");
        n.put("uploadedAt", r.uploadedAt().toString());
        if (r.uploadedBy() != null) n.put("uploadedBy", r.uploadedBy());
        else n.putNull("uploadedBy");
        n.put("approved", r.approved());
        n.put("publicCase", r.publicCase());
        if (r.reviewedAt() != null) n.put("reviewedAt", r.reviewedAt().toString());
        else n.putNull("reviewedAt");
        if (r.reviewedBy() != null) n.put("reviewedBy", r.reviewedBy());
        else n.putNull("reviewedBy");
        n.put("url", PublicPhotos.url(r.id()));
        n.put("thumbnailUrl", PublicPhotos.thumbnailUrl(r.id()));
        return n;
    }
}
