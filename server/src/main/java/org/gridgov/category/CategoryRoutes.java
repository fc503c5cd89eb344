package org.gridgov.category;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.Responses;

/**
 * GET /api/v1/categories (?at=T): the taxonomy in force, with platform, deadline, weight, authority
 * and whether its cases are publicly listed. An administrator adds (POST), changes (PATCH, a new
 * code included) and removes (DELETE) one category at a time, each a new version of the taxonomy in
 * force from {@code effectiveFrom} (docs/reference-data.md); the whole set goes through
 * /api/v1/reference/categories.
 */
public final class CategoryRoutes {

    private static final List<String> META = List.of("effectiveFrom", "note");

    private final CategoryCatalog catalog;
    private final ReferenceData data;
    private final Function<RoutingContext, Long> actor;

    public CategoryRoutes(
            CategoryCatalog catalog, ReferenceData data, Function<RoutingContext, Long> actor) {
        this.catalog = catalog;
        this.data = data;
        this.actor = actor;
    }

    public void mount(Router router) {
        router.get("/api/v1/categories").handler(this::list);
        router.post("/api/v1/categories").handler(this::create);
        router.patch("/api/v1/categories/:code").handler(this::patch);
        router.delete("/api/v1/categories/:code").handler(this::delete);
    }

    private void list(RoutingContext ctx) {
        var t = QueryParams.time(ctx, "at");
        var version = catalog.versions().versionAt(t == null ? Instant.now() : t.toInstant());
        ObjectNode root = Responses.JSON.createObjectNode();
        root.put("version", version.id()).put("effectiveFrom", version.effectiveFrom().toString());
        ArrayNode list = root.putArray("categories");
        // as the server has always listed them: by platform, then code
        List<Category> sorted =
                version.value().all().stream()
                        .sorted(
                                java.util.Comparator.comparing(Category::platform)
                                        .thenComparing(Category::code))
                        .toList();
        for (Category c : sorted) {
            list.addObject()
                    .put("code", c.code())
                    .put("platform", c.platform())
                    .put("nameZh", c.nameZh())
                    .put("nameEn", c.nameEn())
                    .put("deadlineHours", c.deadlineHours())
                    .put("weight", c.weight())
                    .put("authority", c.authority())
                    .put("urgency", c.urgency())
                    .put("public", c.isPublic());
        }
        Responses.json(ctx, 200, root);
    }

    private void create(RoutingContext ctx) {
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        Instant from = from(body);
        Map<String, String> row = fields(body, "");
        var base = catalog.versions().versionAt(from);
        String code = row.get("code");
        if (code == null) throw RefJson.invalid("/code", "'code' is required");
        if (base.value().find(code).isPresent())
            throw new ProblemException(
                    Problem.of(
                            409,
                            "category-exists",
                            "The category exists",
                            "'" + code + "' is a category already; PATCH it instead",
                            "/code"));
        List<Map<String, String>> rows = new ArrayList<>(base.rows());
        rows.add(row);
        write(ctx, rows, from, body, base.id(), rows.size() - 1, 201, code);
    }

    private void patch(RoutingContext ctx) {
        String code = ctx.pathParam("code");
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        Instant from = from(body);
        var base = catalog.versions().versionAt(from);
        int i = indexOf(base.rows(), code, from);
        Map<String, String> row = new LinkedHashMap<>(base.rows().get(i));
        row.putAll(fields(body, ""));
        String newCode = row.get("code");
        if (!newCode.equals(code)) {
            if (base.value().find(newCode).isPresent())
                throw new ProblemException(
                        Problem.of(
                                409,
                                "category-exists",
                                "The category exists",
                                "'" + newCode + "' is a category already",
                                "/code"));
        }
        List<Map<String, String>> rows = new ArrayList<>(base.rows());
        rows.set(i, row);
        write(ctx, rows, from, body, base.id(), i, 200, newCode);
    }

    private void delete(RoutingContext ctx) {
        String code = ctx.pathParam("code");
        Instant from =
                RefJson.effectiveFrom(
                        Handlers.param(ctx, "effectiveFrom"), "effectiveFrom", Instant.now(), true);
        var base = catalog.versions().versionAt(from);
        int i = indexOf(base.rows(), code, from);
        List<Map<String, String>> rows = new ArrayList<>(base.rows());
        rows.remove(i);
        Long by = actor.apply(ctx);
        String note = Handlers.param(ctx, "note");
        Handlers.blocking(
                ctx,
                () ->
                        data.write(
                                CategoryCatalog.KIND,
                                "/rows",
                                rows,
                                from,
                                note == null ? "removed " + code : note,
                                by,
                                base.id()),
                (c, id) -> answer(c, 200, id, null));
    }

    private void write(
            RoutingContext ctx,
            List<Map<String, String>> rows,
            Instant from,
            ObjectNode body,
            long basedOn,
            int index,
            int status,
            String code) {
        String note = RefJson.note(body.get("note"));
        Long by = actor.apply(ctx);
        Handlers.blocking(
                ctx,
                () -> {
                    try {
                        return data.write(
                                CategoryCatalog.KIND, "/rows", rows, from, note, by, basedOn);
                    } catch (ProblemException e) {
                        throw pointToBody(e, index);
                    }
                },
                (c, id) -> answer(c, status, id, code));
    }

    /** A bad cell of the edited row is answered at its field of the body ("/weight"). */
    private static ProblemException pointToBody(ProblemException e, int index) {
        Problem p = e.problem();
        String prefix = "/rows/" + index;
        if (p.field() == null || !p.field().startsWith(prefix)) return e;
        String field = p.field().substring(prefix.length());
        String detail = p.detail().replaceFirst("^row " + index + ", ", "");
        return new ProblemException(
                new Problem(
                        p.status(), p.type(), p.title(), detail, field.isEmpty() ? null : field));
    }

    private void answer(RoutingContext ctx, int status, long id, String code) {
        var v =
                catalog.versions().history().stream()
                        .filter(x -> x.id() == id)
                        .findFirst()
                        .orElseThrow();
        ObjectNode o = ReferenceRoutes.version(CategoryCatalog.KIND, v, false);
        if (code != null)
            v.rows().stream()
                    .filter(r -> r.get("code").equals(code))
                    .findFirst()
                    .ifPresent(r -> o.set("category", RefJson.row(CategoryCatalog.KIND, r)));
        Responses.json(ctx, status, o);
    }

    private static Instant from(ObjectNode body) {
        return RefJson.effectiveFrom(body.get("effectiveFrom"), "/effectiveFrom", Instant.now());
    }

    /** The category's fields in the body (others refused), as cells. */
    private static Map<String, String> fields(ObjectNode body, String prefix) {
        List<String> columns = CategoryCatalog.KIND.columnNames();
        Map<String, String> row = new LinkedHashMap<>();
        for (var e : body.properties()) {
            String f = e.getKey();
            if (META.contains(f)) continue;
            if (!columns.contains(f))
                throw RefJson.invalid(
                        prefix + "/" + f, "unknown field '" + f + "'; the fields are " + columns);
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull())
                throw RefJson.invalid(prefix + "/" + f, "a string, number or boolean");
            row.put(f, v.asText().trim());
        }
        return row;
    }

    private static int indexOf(List<Map<String, String>> rows, String code, Instant at) {
        for (int i = 0; i < rows.size(); i++) if (rows.get(i).get("code").equals(code)) return i;
        throw new ProblemException(
                Problem.notFound("no category '" + code + "' in force at " + at));
    }
}
