package org.gridgov.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.db.Jdbc;
import org.gridgov.ogc.ows.GmlGeometry;
import org.gridgov.ogc.ows.OwsException;
import org.gridgov.ogc.ows.WfsTransaction;
import org.gridgov.rebalance.GridInfo;
import org.gridgov.rebalance.PlanLayout;
import org.gridgov.rebalance.UnitGraph;
import org.gridgov.rebalance.UnitWorkloads;

/**
 * WFS-T transactions (QGIS, GDAL) on a draft's grids, carried out by the plan editor as the web
 * planner's edits are — the same checks, versions and undo log: Delete is {@code delete}, an Update
 * of the name {@code rename}, of the geometry {@code claim-polygon}, an Insert {@code create} with
 * the community's units whose representative point lies inside the geometry. Everything happens in
 * one database transaction; the edits become one undoable step (op {@code wfs-transaction}). A
 * transaction is refused whole when an edit is refused, when a grid keeps units outside the
 * geometry it was given, or when it leaves the plan with a validation error it did not have
 * (docs/planning.md, "Editing from QGIS (WFS-T)"). The geometry SQL is {@link GridShapeQueries}'s.
 */
public final class GridTransactions implements WfsTransaction.Editor {

    /** Rules a transaction may leave broken: balance and staffing are settled before adoption. */
    private static final Set<String> NOT_REFUSED =
            Set.of("workload-out-of-band", "grid-without-worker", "grid-without-backup-worker");

    /** Attributes of the grids layer that follow from the plan and are not edited. */
    private static final Set<String> READ_ONLY =
            Set.of("id", "code", "kind", "community_id", "plan_id", "tone");

    private final Planning planning;

    public GridTransactions(Planning planning) {
        this.planning = planning;
    }

    @Override
    public WfsTransaction.Result apply(String plan, WfsTransaction t) throws Exception {
        // a draft of one subdistrict is edited and validated over that subdistrict's units
        Long subdistrict = null;
        if (plan != null && plan.matches("[0-9]{1,12}")) {
            try (Connection c = planning.ds().getConnection()) {
                subdistrict = PlanStore.require(c, Long.parseLong(plan)).subdistrictId();
            } catch (ProblemException e) {
                subdistrict = null; // an unknown plan: draft() below refuses it
            }
        }
        UnitGraph g = planning.graph(subdistrict);
        UnitWorkloads w = planning.workloads(g, subdistrict, planning.defaultWindow());
        return Jdbc.inTransaction(planning.ds(), c -> new Run(c, g, w, t).apply(plan));
    }

    /** A geometry given for a grid: no unit of the grid may stay outside it. */
    private record Shape(long gridId, String geojson, String locator) {}

    /** One transaction being carried out on one connection. */
    private final class Run {
        private final Connection c;
        private final UnitGraph graph;
        private final UnitWorkloads workloads;
        private final WfsTransaction t;
        private final ArrayNode edits = Responses.JSON.createArrayNode();
        private final List<Shape> shapes = new ArrayList<>();

        /** The action that last touched a grid or a unit, for the locator of a problem. */
        private final Map<Long, String> gridAction = new HashMap<>();

        private final Map<Long, String> unitAction = new HashMap<>();
        private long planId;
        private int version;

        Run(Connection c, UnitGraph graph, UnitWorkloads workloads, WfsTransaction t) {
            this.c = c;
            this.graph = graph;
            this.workloads = workloads;
            this.t = t;
        }

        WfsTransaction.Result apply(String plan) throws SQLException {
            planId = draft(plan);
            int from = version;
            PlanValidator.Report first = validate();
            Set<String> before = errors(first);
            Map<String, Integer> totalsBefore = totals(first);
            List<Long> inserted = new ArrayList<>();
            int updated = 0, deleted = 0;
            for (WfsTransaction.Action a : t.actions()) {
                if (a instanceof WfsTransaction.Delete d) {
                    for (long id : d.gridIds()) {
                        grid(id, a);
                        edit(new PlanEdit.Delete(id), a);
                        deleted++;
                    }
                } else if (a instanceof WfsTransaction.Update u) {
                    for (long id : u.gridIds()) {
                        update(id, u);
                        updated++;
                    }
                } else if (a instanceof WfsTransaction.Insert in) {
                    for (WfsTransaction.NewGrid n : in.grids()) inserted.add(insert(n, in));
                }
            }
            List<OwsException> refusals = new ArrayList<>();
            for (Shape s : shapes) outside(s, refusals);
            PlanValidator.Report after = validate();
            Map<String, Integer> totalsAfter = totals(after);
            for (JsonNode p : after.problems()) {
                if (!PlanValidator.ERROR.equals(p.path("severity").asText())) continue;
                if (NOT_REFUSED.contains(slug(p)) || before.contains(key(p))) continue;
                // a type listed only in part (more than LIST_LIMIT): compared by its count
                if (totalsBefore.getOrDefault(slug(p), 0) > PlanValidator.LIST_LIMIT) continue;
                refusals.add(
                        new OwsException(
                                400, "InvalidValue", locator(p), slug(p) + ": " + message(p)));
            }
            totalsBefore.forEach(
                    (type, was) -> {
                        int now = totalsAfter.getOrDefault(type, 0);
                        if (was > PlanValidator.LIST_LIMIT
                                && now > was
                                && !NOT_REFUSED.contains(type))
                            refusals.add(
                                    new OwsException(
                                            400,
                                            "InvalidValue",
                                            t.handle() != null ? t.handle() : "Transaction",
                                            type
                                                    + ": "
                                                    + was
                                                    + " problems before, "
                                                    + now
                                                    + " after"));
                    });
            if (!refusals.isEmpty()) throw OwsException.several(refusals);
            if (!edits.isEmpty()) {
                ObjectNode op = Responses.JSON.createObjectNode();
                op.put("op", "wfs-transaction");
                op.put("expectedVersion", from);
                if (t.handle() != null) op.put("handle", t.handle());
                op.set("edits", edits);
                PlanEditor.squash(c, planId, from, op);
            }
            return new WfsTransaction.Result(List.copyOf(inserted), updated, deleted);
        }

        /**
         * The plan named (null: the plan in effect), locked; a plan that is not a draft refused.
         */
        private long draft(String plan) throws SQLException {
            PlanStore.PlanRow row;
            try {
                if (plan != null && !plan.equals("active") && !plan.matches("[0-9]{1,12}"))
                    throw OwsException.invalid("plan", "plan must be the id of a draft plan");
                row = PlanStore.lock(c, planning.resolvePlan(c, plan));
            } catch (ProblemException e) {
                throw OwsException.invalid("plan", e.problem().detail());
            }
            if (!row.status().equals("DRAFT"))
                throw new OwsException(
                        403,
                        "OperationProcessingFailed",
                        "plan",
                        "plan "
                                + row.id()
                                + " is "
                                + row.statusNow(planning.clock().instant())
                                + " and read-only: only a draft's grids are edited. Make a draft"
                                + " (POST /api/v1/plans {\"from\": "
                                + row.id()
                                + "}) and connect with plan=<its id>");
            version = row.version();
            return row.id();
        }

        private void update(long id, WfsTransaction.Update u) throws SQLException {
            GridInfo gi = grid(id, u);
            for (Map.Entry<String, String> e : u.attributes().entrySet()) {
                String name = e.getKey(), value = e.getValue();
                if (name.equals("name")) {
                    String n = name(value, u);
                    if (n == null) throw invalid(u, "a grid's name cannot be empty");
                    if (!n.equals(gi.name())) edit(new PlanEdit.Rename(id, n), u);
                } else if (READ_ONLY.contains(name)) {
                    String now = readOnly(gi, name);
                    if (value != null && !sameValue(now, value))
                        throw invalid(
                                u,
                                "'"
                                        + name
                                        + "' follows from the plan and is not edited (grid "
                                        + gi.code()
                                        + " has "
                                        + now
                                        + "); change the name or the geometry");
                } else {
                    throw invalid(u, "grids have no attribute '" + name + "'");
                }
            }
            if (u.geometry() != null) {
                String geojson = geojson(u.geometry(), u.locator());
                if (!sameShape(id, geojson)) edit(new PlanEdit.ClaimPolygon(id, json(geojson)), u);
                shapes.add(new Shape(id, geojson, u.locator()));
            }
            gridAction.put(id, u.locator());
        }

        private long insert(WfsTransaction.NewGrid n, WfsTransaction.Insert in)
                throws SQLException {
            if (n.geometry() == null) throw invalid(in, "a new grid needs a geometry");
            String name = null, kind = null;
            Long community = null;
            for (Map.Entry<String, String> e : n.attributes().entrySet()) {
                String value = e.getValue();
                switch (e.getKey()) {
                    case "name" -> name = name(value, in);
                    case "kind" -> {
                        if (value != null && !value.isEmpty()) {
                            if (!value.equals("BASIC") && !value.equals("SPECIAL"))
                                throw invalid(in, "kind must be BASIC or SPECIAL");
                            kind = value;
                        }
                    }
                    case "community_id" -> {
                        if (value != null && !value.isEmpty()) {
                            if (!value.matches("[0-9]{1,15}"))
                                throw invalid(in, "community_id must be a community's id");
                            community = Long.parseLong(value);
                        }
                    }
                    // given by the plan (code: the community's next number)
                    case "id", "code", "plan_id", "tone" -> {}
                    default -> throw invalid(in, "grids have no attribute '" + e.getKey() + "'");
                }
            }
            String geojson = geojson(n.geometry(), in.locator());
            Map<Long, List<Long>> byCommunity = unitsInside(geojson);
            if (community == null) {
                if (byCommunity.size() > 1)
                    throw invalid(
                            in,
                            "the geometry holds units of communities "
                                    + new TreeSet<>(byCommunity.keySet())
                                    + ": give community_id");
                if (byCommunity.size() == 1) community = byCommunity.keySet().iterator().next();
            }
            List<Long> units = community == null ? null : byCommunity.get(community);
            if (units == null || units.isEmpty())
                throw invalid(
                        in,
                        "the geometry holds no base unit"
                                + (community == null ? "" : " of community " + community)
                                + " (a unit belongs to the grid its representative point lies in)");
            Set<Long> ids = gridIds();
            edit(new PlanEdit.Create(community, kind, name, units), in);
            Set<Long> now = gridIds();
            now.removeAll(ids);
            long id = now.iterator().next();
            gridAction.put(id, in.locator());
            shapes.add(new Shape(id, geojson, in.locator()));
            return id;
        }

        /** One plan edit; a refusal of the editor refuses the transaction, at the action. */
        private void edit(PlanEdit e, WfsTransaction.Action a) throws SQLException {
            PlanLayout before = PlanStore.layout(c, planId, graph);
            try {
                PlanEditor.edit(c, planId, new PlanEdit.Request(version, e), graph);
            } catch (ProblemException p) {
                String type = p.problem().type();
                throw invalid(
                        a, type.substring(type.lastIndexOf('/') + 1) + ": " + p.problem().detail());
            }
            version++;
            ObjectNode n = edits.addObject();
            n.put("op", e.op());
            e.writeFields(n);
            PlanLayout after = PlanStore.layout(c, planId, graph);
            for (int u = 0; u < graph.size(); u++) {
                Long was = before.gridOf[u] < 0 ? null : before.grids.get(before.gridOf[u]).id();
                Long is = after.gridOf[u] < 0 ? null : after.grids.get(after.gridOf[u]).id();
                if (was == null ? is == null : was.equals(is)) continue;
                unitAction.put(graph.id[u], a.locator());
                if (was != null) gridAction.put(was, a.locator());
                if (is != null) gridAction.put(is, a.locator());
            }
        }

        private GridInfo grid(long id, WfsTransaction.Action a) throws SQLException {
            for (GridInfo g : PlanStore.layout(c, planId, graph).grids)
                if (g.id() != null && g.id() == id) return g;
            throw invalid(a, "grids." + id + " is not a grid of plan " + planId);
        }

        private Set<Long> gridIds() throws SQLException {
            Set<Long> ids = new HashSet<>();
            for (GridInfo g : PlanStore.layout(c, planId, graph).grids) ids.add(g.id());
            return ids;
        }

        private String readOnly(GridInfo gi, String name) {
            return switch (name) {
                case "id" -> String.valueOf(gi.id());
                case "code" -> gi.code();
                case "kind" -> gi.kind();
                case "community_id" -> String.valueOf(gi.communityId());
                case "plan_id" -> String.valueOf(planId);
                case "tone" -> String.valueOf(gi.communityId() % 8);
                default -> throw new IllegalArgumentException(name);
            };
        }

        /** The grid's units whose representative point lies outside the geometry it was given. */
        private void outside(Shape s, List<OwsException> refusals) throws SQLException {
            List<Long> units = GridShapeQueries.unitsOutside(c, s.gridId(), s.geojson());
            if (units.isEmpty()) return;
            refusals.add(
                    new OwsException(
                            400,
                            "InvalidValue",
                            s.locator(),
                            "units-outside-geometry: grids."
                                    + s.gridId()
                                    + " keeps "
                                    + units.size()
                                    + " unit(s) "
                                    + shortList(units)
                                    + " whose representative point lies outside the geometry"
                                    + " given; a unit leaves a grid when another grid's geometry"
                                    + " takes it (enlarge the neighbour in the same transaction)"));
        }

        private PlanValidator.Report validate() throws SQLException {
            return PlanValidator.validate(c, planId, graph, workloads, planning.model().band());
        }

        private String locator(JsonNode p) {
            if (p.has("gridId") && gridAction.containsKey(p.get("gridId").asLong()))
                return gridAction.get(p.get("gridId").asLong());
            for (JsonNode u : p.path("unitIds"))
                if (unitAction.containsKey(u.asLong())) return unitAction.get(u.asLong());
            return t.handle() != null ? t.handle() : "Transaction";
        }

        /**
         * The geometry in EPSG:4326 GeoJSON: as read, or as written when only that lies in the area
         * (GDAL writes urn CRS names in x/y order; GmlGeometry).
         */
        private String geojson(GmlGeometry g, String locator) throws SQLException {
            boolean asRead = inArea(g.wkt(), g.srid());
            boolean asWritten = !asRead && g.asWritten() != null && inArea(g.asWritten(), g.srid());
            if (!asRead && !asWritten)
                throw new OwsException(
                        400,
                        "InvalidValue",
                        locator,
                        "the geometry lies outside the area of the base units (EPSG:"
                                + g.srid()
                                + "; is the axis order that of its srsName?)");
            String wkt = asWritten ? g.asWritten() : g.wkt();
            String out = GridShapeQueries.geojson(c, wkt, g.srid());
            if (out == null)
                throw new OwsException(
                        400,
                        "InvalidValue",
                        locator,
                        "the geometry cannot be brought into EPSG:4326 (coordinates out of range?)");
            return out;
        }

        private boolean inArea(String wkt, int srid) throws SQLException {
            return GridShapeQueries.inArea(c, wkt, srid);
        }

        private boolean sameShape(long gridId, String geojson) throws SQLException {
            return GridShapeQueries.sameShape(c, gridId, geojson, planning.planarSrid());
        }

        private Map<Long, List<Long>> unitsInside(String geojson) throws SQLException {
            return GridShapeQueries.unitsInside(c, geojson);
        }
    }

    private static String name(String value, WfsTransaction.Action a) {
        if (value == null || value.isBlank()) return null;
        String n = value.strip();
        if (n.length() > 100) throw invalid(a, "name is longer than 100 characters");
        return n;
    }

    /** Equal as text, or as numbers (a client may write 7 as 7.0). */
    private static boolean sameValue(String now, String given) {
        if (now.equals(given.strip())) return true;
        try {
            return Double.parseDouble(now) == Double.parseDouble(given.strip());
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Set<String> errors(PlanValidator.Report r) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode p : r.problems())
            if (PlanValidator.ERROR.equals(p.path("severity").asText())) out.add(key(p));
        return out;
    }

    private static final java.util.regex.Pattern MORE =
            java.util.regex.Pattern.compile("^(\\d+) more problem");

    /** Errors per type, those beyond the validator's list counted from its "N more" entry. */
    private static Map<String, Integer> totals(PlanValidator.Report r) {
        Map<String, Integer> out = new HashMap<>();
        for (JsonNode p : r.problems()) {
            if (!PlanValidator.ERROR.equals(p.path("severity").asText())) continue;
            java.util.regex.Matcher m = MORE.matcher(message(p));
            boolean summary = !p.has("gridId") && !p.has("unitIds") && m.find();
            out.merge(slug(p), summary ? Integer.parseInt(m.group(1)) : 1, Integer::sum);
        }
        return out;
    }

    /** A problem's identity across validations: its type, grid and units. */
    private static String key(JsonNode p) {
        return slug(p) + "|" + p.path("gridId").asText("") + "|" + p.path("unitIds");
    }

    private static String slug(JsonNode p) {
        return p.path("type").asText();
    }

    private static String message(JsonNode p) {
        return p.path("message").asText();
    }

    private static String shortList(List<Long> ids) {
        List<Long> head = ids.subList(0, Math.min(ids.size(), 10));
        return head + (ids.size() > head.size() ? "…" : "");
    }

    private static JsonNode json(String text) {
        try {
            return Responses.JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("PostGIS wrote unreadable GeoJSON", e);
        }
    }

    private static OwsException invalid(WfsTransaction.Action a, String message) {
        return new OwsException(400, "InvalidValue", a.locator(), message);
    }
}
