package org.gridgov.category;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.gridgov.api.Csv;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.Responses;

/**
 * The versioned reference data, one kind at a time (docs/reference-data.md): GET
 * /api/v1/reference/{kind} (?at=T), its history, a whole new version as JSON (PUT) or as CSV
 * (export and import, Excel's CSV included). Who may call each is in people/AccessRules (writes:
 * ADMIN); the caller's staff id comes from {@code actor}.
 */
public final class ReferenceRoutes {

    private final ReferenceData data;
    private final Function<RoutingContext, Long> actor;

    public ReferenceRoutes(ReferenceData data, Function<RoutingContext, Long> actor) {
        this.data = data;
        this.actor = actor;
    }

    public void mount(Router r) {
        r.get("/api/v1/reference").handler(this::kinds);
        r.get("/api/v1/reference/:kind").handler(this::get);
        r.put("/api/v1/reference/:kind").handler(this::put);
        r.get("/api/v1/reference/:kind/history").handler(this::history);
        r.get("/api/v1/reference/:kind/csv").handler(this::export);
        r.put("/api/v1/reference/:kind/csv").handler(this::importCsv);
    }

    private void kinds(RoutingContext ctx) {
        ObjectNode root = Responses.JSON.createObjectNode();
        ArrayNode list = root.putArray("kinds");
        Instant now = Instant.now();
        for (Versioned<?> v : data.all()) {
            var in = v.versionAt(now);
            ObjectNode k =
                    list.addObject()
                            .put("kind", v.kind().name())
                            .put("version", in.id())
                            .put("effectiveFrom", in.effectiveFrom().toString())
                            .put("versions", v.history().size());
            ArrayNode cols = k.putArray("columns");
            for (RefKind.Column c : v.kind().columns())
                cols.addObject().put("name", c.name()).put("type", c.type().name());
        }
        Responses.json(ctx, 200, root);
    }

    private Versioned<?> kind(RoutingContext ctx) {
        String name = ctx.pathParam("kind");
        return data.find(name)
                .orElseThrow(
                        () ->
                                new ProblemException(
                                        Problem.notFound(
                                                "'"
                                                        + name
                                                        + "' is not a kind of reference data;"
                                                        + " GET /api/v1/reference lists them")));
    }

    private static Instant at(RoutingContext ctx) {
        var t = QueryParams.time(ctx, "at");
        return t == null ? Instant.now() : t.toInstant();
    }

    private void get(RoutingContext ctx) {
        Versioned<?> v = kind(ctx);
        Responses.json(ctx, 200, version(v.kind(), v.versionAt(at(ctx)), true));
    }

    static ObjectNode version(RefKind<?> kind, Versioned.Version<?> v, boolean rows) {
        ObjectNode o =
                Responses.JSON
                        .createObjectNode()
                        .put("kind", kind.name())
                        .put("version", v.id())
                        .put("effectiveFrom", v.effectiveFrom().toString())
                        .put("createdAt", v.createdAt().toString());
        if (v.createdBy() == null) o.putNull("createdBy");
        else o.put("createdBy", v.createdBy());
        o.put("note", v.note());
        if (rows) o.set("rows", RefJson.rows(kind, v.rows()));
        else o.put("rowCount", v.rows().size());
        return o;
    }

    private void history(RoutingContext ctx) {
        Versioned<?> v = kind(ctx);
        long inForce = v.versionAt(Instant.now()).id();
        ObjectNode root = Responses.JSON.createObjectNode().put("kind", v.kind().name());
        ArrayNode list = root.putArray("versions");
        for (var ver : v.history())
            list.add(version(v.kind(), ver, false).put("inForce", ver.id() == inForce));
        Responses.json(ctx, 200, root);
    }

    private void put(RoutingContext ctx) {
        Versioned<?> v = kind(ctx);
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        body.fieldNames()
                .forEachRemaining(
                        f -> {
                            if (!List.of("effectiveFrom", "note", "rows").contains(f))
                                throw RefJson.invalid(
                                        "/" + f,
                                        "unknown field '" + f + "': effectiveFrom, note, rows");
                        });
        Instant from =
                RefJson.effectiveFrom(body.get("effectiveFrom"), "/effectiveFrom", Instant.now());
        String note = RefJson.note(body.get("note"));
        List<Map<String, String>> rows = RefJson.rowsOf(body);
        Long by = actor.apply(ctx);
        Handlers.blocking(
                ctx,
                () -> data.write(v.kind(), "/rows", rows, from, note, by, null),
                (c, id) -> created(c, v, id));
    }

    private static void created(RoutingContext ctx, Versioned<?> v, long id) {
        var ver =
                v.history().stream()
                        .filter(x -> x.id() == id)
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("version " + id + " unread"));
        Responses.json(ctx, 201, version(v.kind(), ver, true));
    }

    private void export(RoutingContext ctx) {
        Versioned<?> v = kind(ctx);
        var ver = v.versionAt(at(ctx));
        byte[] csv = Csv.write(v.kind().columnNames(), ver.rows());
        ctx.response()
                .putHeader("Content-Type", "text/csv; charset=utf-8")
                .putHeader(
                        "Content-Disposition",
                        "attachment; filename=\"" + v.kind().name() + "-v" + ver.id() + ".csv\"")
                .end(Buffer.buffer(csv));
    }

    private void importCsv(RoutingContext ctx) {
        Versioned<?> v = kind(ctx);
        String type = ctx.request().getHeader("Content-Type");
        if (type == null || !type.toLowerCase().startsWith("text/csv"))
            throw new ProblemException(
                    Problem.unsupportedMediaType(
                            "a CSV file is expected (Content-Type: text/csv), found "
                                    + (type == null ? "none" : type)));
        Instant from =
                RefJson.effectiveFrom(
                        Handlers.param(ctx, "effectiveFrom"), "effectiveFrom", Instant.now(), true);
        String note = Handlers.param(ctx, "note");
        if (note != null && note.length() > 500)
            throw new ProblemException(
                    Problem.invalidParameter("note", "'note' is at most 500 characters"));
        Buffer buf = ctx.body().buffer();
        byte[] bytes = buf == null ? new byte[0] : buf.getBytes();
        String file = v.kind().name() + ".csv";
        List<Map<String, String>> rows;
        try {
            List<Csv.Row> read =
                    Csv.rows(
                            file,
                            new ByteArrayInputStream(bytes),
                            v.kind().columnNames(),
                            v.kind().absent());
            v.kind().parse().apply(read); // here, so that errors name the file's lines
            rows = v.kind().cellsOf(read);
        } catch (Csv.BadCsv e) {
            throw new ProblemException(ReferenceData.problem(e));
        } catch (IllegalStateException e) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "invalid-reference-data",
                            "The reference data is invalid",
                            e.getMessage()
                                    + (e.getMessage().startsWith("cannot read")
                                            ? " (save the file as CSV UTF-8)"
                                            : ""),
                            null));
        }
        Long by = actor.apply(ctx);
        Handlers.blocking(
                ctx,
                () ->
                        data.write(
                                v.kind(),
                                file,
                                rows,
                                from,
                                note == null ? "CSV import" : note,
                                by,
                                null),
                (c, id) -> created(c, v, id));
    }
}
