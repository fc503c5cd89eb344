package org.gridgov.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;

/**
 * One edit of a draft plan (POST /api/v1/plans/{id}/edits), decoded once from its JSON body: the
 * shape of every field is checked here, with the JSON pointer of a bad one; what needs the plan or
 * the database (does the grid, unit, community or worker exist) is checked by {@link PlanEditor}.
 * {@link #json} writes the edit back as the body it came from: the undo log keeps it in that form
 * (docs/planning.md).
 */
public sealed interface PlanEdit {

    /** The wire name, the body's "op". */
    String op();

    /** The edit's own fields, as in its request body. */
    void writeFields(ObjectNode out);

    /**
     * The body this edit came from (without fields it ignores), "op" and "expectedVersion" first.
     */
    default ObjectNode json(int expectedVersion) {
        ObjectNode out = Responses.JSON.createObjectNode();
        out.put("op", op());
        out.put("expectedVersion", expectedVersion);
        writeFields(out);
        return out;
    }

    /** Units (ids of base units) given to a grid. */
    record MoveUnits(long toGridId, List<Long> unitIds) implements PlanEdit {
        public String op() {
            return "move-units";
        }

        public void writeFields(ObjectNode out) {
            out.put("toGridId", toGridId);
            ids(out, unitIds);
        }
    }

    /** The community's units whose point on surface lies in the polygon go to the grid. */
    record ClaimPolygon(long gridId, JsonNode polygon) implements PlanEdit {
        public String op() {
            return "claim-polygon";
        }

        public void writeFields(ObjectNode out) {
            out.put("gridId", gridId);
            out.set("polygon", polygon.deepCopy());
        }
    }

    /** The grid cut by a line; the largest piece keeps the grid, each other becomes a new one. */
    record Split(long gridId, JsonNode line) implements PlanEdit {
        public String op() {
            return "split";
        }

        public void writeFields(ObjectNode out) {
            out.put("gridId", gridId);
            out.set("line", line.deepCopy());
        }
    }

    record Merge(long gridId, long intoGridId) implements PlanEdit {
        public String op() {
            return "merge";
        }

        public void writeFields(ObjectNode out) {
            out.put("gridId", gridId);
            out.put("intoGridId", intoGridId);
        }
    }

    /**
     * A new grid of a community. kind null: not given (BASIC); name null: named by {@link
     * GridNaming}; unitIds null: not given (an empty grid).
     */
    record Create(long communityId, String kind, String name, List<Long> unitIds)
            implements PlanEdit {
        public String op() {
            return "create";
        }

        public String kindOrBasic() {
            return kind == null ? "BASIC" : kind;
        }

        public void writeFields(ObjectNode out) {
            out.put("communityId", communityId);
            if (kind != null) out.put("kind", kind);
            if (name != null) out.put("name", name);
            if (unitIds != null) ids(out, unitIds);
        }
    }

    record Delete(long gridId) implements PlanEdit {
        public String op() {
            return "delete";
        }

        public void writeFields(ObjectNode out) {
            out.put("gridId", gridId);
        }
    }

    record Rename(long gridId, String name) implements PlanEdit {
        public String op() {
            return "rename";
        }

        public void writeFields(ObjectNode out) {
            out.put("gridId", gridId);
            out.put("name", name);
        }
    }

    /** workerId null: the grid has no worker any more. */
    record SetWorker(long gridId, Long workerId) implements PlanEdit {
        public String op() {
            return "set-worker";
        }

        public void writeFields(ObjectNode out) {
            out.put("gridId", gridId);
            if (workerId == null) out.putNull("workerId");
            else out.put("workerId", workerId);
        }
    }

    /** The grid's backup worker (the "B" of the AB pair); backupWorkerId null: none any more. */
    record SetBackupWorker(long gridId, Long backupWorkerId) implements PlanEdit {
        public String op() {
            return "set-backup-worker";
        }

        public void writeFields(ObjectNode out) {
            out.put("gridId", gridId);
            if (backupWorkerId == null) out.putNull("backupWorkerId");
            else out.put("backupWorkerId", backupWorkerId);
        }
    }

    /** A whole edit request: the edit and the plan version it is based on. */
    record Request(int expectedVersion, PlanEdit edit) {
        public ObjectNode json() {
            return edit.json(expectedVersion);
        }
    }

    /** The wire names of the edits. */
    Set<String> OPS =
            Set.of(
                    "move-units",
                    "claim-polygon",
                    "split",
                    "merge",
                    "create",
                    "delete",
                    "rename",
                    "set-worker",
                    "set-backup-worker");

    /** Checks "op", then "expectedVersion", then the op's fields (the first bad one answers). */
    static Request parse(JsonNode body) {
        String op = text(body, "op");
        if (!OPS.contains(op))
            throw new ProblemException(
                    Problem.invalidField("/op", "'op' must be one of " + new TreeSet<>(OPS)));
        int expected = expectedVersion(body);
        return new Request(expected, decode(op, body));
    }

    private static PlanEdit decode(String op, JsonNode b) {
        return switch (op) {
            case "move-units" -> new MoveUnits(id(b, "toGridId"), unitIds(b));
            case "claim-polygon" ->
                    new ClaimPolygon(
                            id(b, "gridId"), geometry(b, "polygon", "Polygon", "MultiPolygon"));
            case "split" ->
                    new Split(
                            id(b, "gridId"), geometry(b, "line", "LineString", "MultiLineString"));
            case "merge" -> new Merge(id(b, "gridId"), id(b, "intoGridId"));
            case "create" -> create(b);
            case "delete" -> new Delete(id(b, "gridId"));
            case "rename" -> new Rename(id(b, "gridId"), name(b));
            case "set-worker" -> setWorker(b);
            case "set-backup-worker" -> setBackupWorker(b);
            default -> throw new IllegalArgumentException(op);
        };
    }

    static int expectedVersion(JsonNode b) {
        JsonNode v = b.get("expectedVersion");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ProblemException(
                    Problem.invalidField(
                            "/expectedVersion",
                            "'expectedVersion' (the plan version the edit is based on) is required"));
        }
        return v.asInt();
    }

    private static Create create(JsonNode b) {
        long community = id(b, "communityId");
        String kind = b.has("kind") ? text(b, "kind") : null;
        if (kind != null && !kind.equals("BASIC") && !kind.equals("SPECIAL"))
            throw new ProblemException(
                    Problem.invalidField("/kind", "'kind' must be BASIC or SPECIAL"));
        String name = b.has("name") ? name(b) : null;
        List<Long> units = b.has("unitIds") ? unitIds(b) : null;
        return new Create(community, kind, name, units);
    }

    private static SetWorker setWorker(JsonNode b) {
        long grid = id(b, "gridId");
        Long worker = b.hasNonNull("workerId") ? id(b, "workerId") : null;
        if (!b.has("workerId"))
            throw new ProblemException(
                    Problem.invalidField(
                            "/workerId", "'workerId' is required (null removes the worker)"));
        return new SetWorker(grid, worker);
    }

    private static SetBackupWorker setBackupWorker(JsonNode b) {
        long grid = id(b, "gridId");
        Long backup = b.hasNonNull("backupWorkerId") ? id(b, "backupWorkerId") : null;
        if (!b.has("backupWorkerId"))
            throw new ProblemException(
                    Problem.invalidField(
                            "/backupWorkerId",
                            "'backupWorkerId' is required (null removes the backup worker)"));
        return new SetBackupWorker(grid, backup);
    }

    private static void ids(ObjectNode out, List<Long> ids) {
        ArrayNode arr = out.putArray("unitIds");
        ids.forEach(arr::add);
    }

    /** Whole numbers; whether each is a base unit is the editor's check (the same message). */
    private static List<Long> unitIds(JsonNode b) {
        JsonNode arr = b.get("unitIds");
        if (arr == null || !arr.isArray() || arr.isEmpty())
            throw new ProblemException(
                    Problem.invalidField(
                            "/unitIds", "'unitIds' must be a non-empty array of unit ids"));
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode v = arr.get(i);
            if (!v.canConvertToLong() || !v.isIntegralNumber())
                throw PlanEditor.notAUnit(i, v.toString());
            out.add(v.asLong());
        }
        return List.copyOf(out);
    }

    /** A GeoJSON geometry of one of the given types, checked by JTS before PostGIS sees it. */
    private static JsonNode geometry(JsonNode b, String field, String... types) {
        JsonNode g = b.get(field);
        if (g == null
                || !g.isObject()
                || !g.path("type").isTextual()
                || !List.of(types).contains(g.get("type").asText())) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "invalid-geometry",
                            "The geometry is not usable",
                            "'" + field + "' must be a GeoJSON " + String.join(" or ", types),
                            "/" + field));
        }
        try {
            org.locationtech.jts.geom.Geometry geom =
                    new org.locationtech.jts.io.geojson.GeoJsonReader().read(g.toString());
            if (geom.isEmpty() || !geom.isValid())
                throw new IllegalArgumentException("empty or invalid (self-intersecting?)");
        } catch (Exception e) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "invalid-geometry",
                            "The geometry is not usable",
                            "'" + field + "' is not a valid GeoJSON geometry: " + e.getMessage(),
                            "/" + field));
        }
        return g.deepCopy();
    }

    private static long id(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong())
            throw new ProblemException(
                    Problem.invalidField("/" + field, "'" + field + "' must be an id"));
        return v.asLong();
    }

    private static String text(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank())
            throw new ProblemException(
                    Problem.invalidField(
                            "/" + field, "'" + field + "' must be a non-empty string"));
        return v.asText();
    }

    private static String name(JsonNode b) {
        String n = text(b, "name").strip();
        if (n.length() > 100)
            throw new ProblemException(
                    Problem.invalidField("/name", "'name' is longer than 100 characters"));
        return n;
    }
}
