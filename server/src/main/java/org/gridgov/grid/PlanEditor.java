package org.gridgov.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.rebalance.GridInfo;
import org.gridgov.rebalance.PlanLayout;
import org.gridgov.rebalance.UnitGraph;

/**
 * Edits of a draft plan, one per request, each against an expected version (409 when another edit
 * came first) and each undoable: before an edit the whole layout (grids and unit assignment) is
 * kept in plan_edit; undo writes it back. Redo: undo keeps the row, now holding the layout it undid
 * and flagged {@code "undone": <plan version at undo>} in its op (no extra column needed), and redo
 * writes that layout back — exact grid ids, so a redone "create" and a later redone "rename" of the
 * new grid agree. A new edit discards the undone rows, as in any editor. The edits ({@link
 * PlanEdit}: move-units, claim-polygon, split, merge, create, delete, rename, set-worker) come
 * decoded; here they meet the plan and the database (docs/planning.md).
 */
public final class PlanEditor {

    private PlanEditor() {}

    public static ProblemException stale(long planId, int expected, int actual) {
        return new ProblemException(
                Problem.of(
                        409,
                        "stale-version",
                        "The plan has changed",
                        "plan "
                                + planId
                                + " is at version "
                                + actual
                                + ", not "
                                + expected
                                + "; reload it and repeat the edit",
                        "/expectedVersion"));
    }

    public static ObjectNode edit(Connection c, long planId, PlanEdit.Request req, UnitGraph graph)
            throws SQLException {
        PlanStore.PlanRow plan = draft(c, planId, req.expectedVersion());
        PlanLayout before = PlanStore.layout(c, planId, graph);
        PlanLayout after = before.copy();
        String detail = apply(c, req.edit(), after, graph);
        GridNaming.fillNew(c, after);
        try (PreparedStatement ps =
                c.prepareStatement(
                        "DELETE FROM plan_edit WHERE plan_id = ? AND op->>'undone' IS NOT NULL")) {
            ps.setLong(1, planId);
            ps.executeUpdate();
        }
        // the log keeps the request as it came (the redo marker is the server's, never the
        // client's)
        saveSnapshot(c, planId, plan.version(), req.json(), before, graph);
        PlanStore.write(c, planId, after, graph);
        PlanStore.bumpVersion(c, planId);
        ObjectNode out = Responses.JSON.createObjectNode();
        out.put("planId", planId);
        out.put("version", plan.version() + 1);
        out.put("op", req.edit().op());
        out.put("result", detail);
        return out;
    }

    /**
     * Makes the edits logged since fromVersion one undoable step, logged as op (a WFS transaction
     * is one step: undo takes all of it back): the layout before the first of them stays, the later
     * snapshots go.
     */
    public static void squash(Connection c, long planId, int fromVersion, ObjectNode op)
            throws SQLException {
        try (PreparedStatement del =
                        c.prepareStatement(
                                "DELETE FROM plan_edit WHERE plan_id = ? AND version > ? AND op->>'undone' IS NULL");
                PreparedStatement set =
                        c.prepareStatement(
                                "UPDATE plan_edit SET op = ?::jsonb WHERE plan_id = ? AND version = ?")) {
            del.setLong(1, planId);
            del.setInt(2, fromVersion);
            del.executeUpdate();
            set.setString(1, op.toString());
            set.setLong(2, planId);
            set.setInt(3, fromVersion);
            set.executeUpdate();
        }
    }

    public static ObjectNode undo(Connection c, long planId, int expected, UnitGraph graph)
            throws SQLException {
        PlanStore.PlanRow plan = draft(c, planId, expected);
        Snapshot last = snapshot(c, planId, false, graph);
        if (last == null)
            throw new ProblemException(
                    Problem.of(
                            409,
                            "nothing-to-undo",
                            "Nothing to undo",
                            "plan " + planId + " has no edits left to undo",
                            null));
        PlanLayout current = PlanStore.layout(c, planId, graph);
        PlanStore.write(c, planId, last.layout(), graph);
        // the row now holds what undo took away, for redo
        ObjectNode undone = last.op().deepCopy();
        undone.put("undone", plan.version()); // redo takes the highest: the last undone
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM plan_edit WHERE plan_id = ? AND version = ?")) {
            ps.setLong(1, planId);
            ps.setInt(2, last.version());
            ps.executeUpdate();
        }
        saveSnapshot(c, planId, last.version(), undone, current, graph);
        PlanStore.bumpVersion(c, planId);
        ObjectNode out = Responses.JSON.createObjectNode();
        out.put("planId", planId);
        out.put("version", plan.version() + 1);
        out.put("undone", last.op().path("op").asText());
        return out;
    }

    /** Redo the edit undone last: its layout comes back and becomes undoable again. */
    public static ObjectNode redo(Connection c, long planId, int expected, UnitGraph graph)
            throws SQLException {
        PlanStore.PlanRow plan = draft(c, planId, expected);
        Snapshot next = snapshot(c, planId, true, graph);
        if (next == null)
            throw new ProblemException(
                    Problem.of(
                            409,
                            "nothing-to-redo",
                            "Nothing to redo",
                            "plan "
                                    + planId
                                    + " has no undone edit to redo (a new edit discards them)",
                            null));
        PlanLayout current = PlanStore.layout(c, planId, graph);
        ObjectNode op = next.op().deepCopy();
        op.remove("undone");
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM plan_edit WHERE plan_id = ? AND version = ?")) {
            ps.setLong(1, planId);
            ps.setInt(2, next.version());
            ps.executeUpdate();
        }
        saveSnapshot(c, planId, plan.version(), op, current, graph);
        PlanStore.write(c, planId, next.layout(), graph);
        PlanStore.bumpVersion(c, planId);
        ObjectNode out = Responses.JSON.createObjectNode();
        out.put("planId", planId);
        out.put("version", plan.version() + 1);
        out.put("redone", op.path("op").asText());
        return out;
    }

    private record Snapshot(int version, ObjectNode op, PlanLayout layout) {}

    /** The last undoable edit (undone = false) or the edit undone last (true). */
    private static Snapshot snapshot(Connection c, long planId, boolean undone, UnitGraph graph)
            throws SQLException {
        List<GridInfo> grids = new ArrayList<>();
        int[] gridOf = new int[graph.size()];
        java.util.Arrays.fill(gridOf, -1);
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT version, op::text, grids::text, unit_ids, unit_grids FROM plan_edit "
                                + "WHERE plan_id = ? AND (op->>'undone' IS NOT NULL) = ? ORDER BY "
                                + (undone ? "(op->>'undone')::int DESC" : "version DESC")
                                + " LIMIT 1")) {
            ps.setLong(1, planId);
            ps.setBoolean(2, undone);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                int version = rs.getInt(1);
                ObjectNode op = (ObjectNode) Responses.JSON.readTree(rs.getString(2));
                Map<Long, Integer> pos = new HashMap<>();
                for (JsonNode g : Responses.JSON.readTree(rs.getString(3))) {
                    pos.put(g.get("id").asLong(), grids.size());
                    grids.add(
                            new GridInfo(
                                    g.get("id").asLong(),
                                    g.get("code").asText(),
                                    g.get("name").asText(),
                                    g.get("communityId").asLong(),
                                    g.get("kind").asText(),
                                    optionalId(g, "workerId"),
                                    optionalId(g, "backupWorkerId")));
                }
                Long[] units = (Long[]) rs.getArray(4).getArray();
                Long[] gids = (Long[]) rs.getArray(5).getArray();
                for (int i = 0; i < units.length; i++) {
                    int u = graph.indexOf(units[i]);
                    if (u >= 0) gridOf[u] = pos.get(gids[i]);
                }
                return new Snapshot(version, op, new PlanLayout(grids, gridOf));
            } catch (java.io.IOException e) {
                throw new SQLException("unreadable edit snapshot", e);
            }
        }
    }

    /** The undoable edits, oldest first; with undone = true the redoable ones, next redo first. */
    public static ArrayNode history(Connection c, long planId, boolean undone) throws SQLException {
        PlanStore.require(c, planId);
        ArrayNode out = Responses.JSON.createArrayNode();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT version, op::text, at FROM plan_edit WHERE plan_id = ? AND (op->>'undone' IS NOT NULL) = ? ORDER BY "
                                + (undone ? "(op->>'undone')::int DESC" : "version"))) {
            ps.setLong(1, planId);
            ps.setBoolean(2, undone);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode e = out.addObject();
                    e.put("fromVersion", rs.getInt(1));
                    ObjectNode request = (ObjectNode) Responses.JSON.readTree(rs.getString(2));
                    request.remove("undone");
                    e.set("request", request);
                    e.put("at", rs.getTimestamp(3).toInstant().toString());
                }
            }
        } catch (java.io.IOException e) {
            throw new SQLException(e);
        }
        return out;
    }

    private static PlanStore.PlanRow draft(Connection c, long planId, int expected)
            throws SQLException {
        PlanStore.PlanRow plan = PlanStore.lock(c, planId);
        if (!plan.status().equals("DRAFT")) {
            throw new ProblemException(
                    Problem.of(
                            409,
                            "plan-not-draft",
                            "The plan is not a draft",
                            "plan "
                                    + planId
                                    + " is "
                                    + plan.status()
                                    + "; only drafts are edited — create a draft from it",
                            null));
        }
        if (plan.version() != expected) throw stale(planId, expected, plan.version());
        return plan;
    }

    private static void saveSnapshot(
            Connection c,
            long planId,
            int version,
            ObjectNode body,
            PlanLayout before,
            UnitGraph graph)
            throws SQLException {
        ArrayNode grids = Responses.JSON.createArrayNode();
        for (GridInfo g : before.grids) {
            ObjectNode n = grids.addObject();
            n.put("id", g.id());
            n.put("code", g.code());
            n.put("name", g.name());
            n.put("communityId", g.communityId());
            n.put("kind", g.kind());
            if (g.workerId() == null) n.putNull("workerId");
            else n.put("workerId", g.workerId());
            if (g.backupWorkerId() == null) n.putNull("backupWorkerId");
            else n.put("backupWorkerId", g.backupWorkerId());
        }
        List<Long> units = new ArrayList<>(), gids = new ArrayList<>();
        for (int u = 0; u < graph.size(); u++) {
            if (before.gridOf[u] < 0) continue;
            units.add(graph.id[u]);
            gids.add(before.grids.get(before.gridOf[u]).id());
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO plan_edit (plan_id, version, op, grids, unit_ids, unit_grids) VALUES (?, ?, ?::jsonb, ?::jsonb, ?, ?)")) {
            ps.setLong(1, planId);
            ps.setInt(2, version);
            ps.setString(3, body.toString());
            ps.setString(4, grids.toString());
            ps.setArray(5, c.createArrayOf("bigint", units.toArray()));
            ps.setArray(6, c.createArrayOf("bigint", gids.toArray()));
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ the ops

    private static String apply(Connection c, PlanEdit e, PlanLayout l, UnitGraph graph)
            throws SQLException {
        if (e instanceof PlanEdit.MoveUnits m) return moveUnits(m, l, graph);
        if (e instanceof PlanEdit.ClaimPolygon p) return claimPolygon(c, p, l, graph);
        if (e instanceof PlanEdit.Split s) return split(c, s, l, graph);
        if (e instanceof PlanEdit.Merge m) return merge(m, l);
        if (e instanceof PlanEdit.Create n) return create(c, n, l, graph);
        if (e instanceof PlanEdit.Delete d) return delete(d, l);
        if (e instanceof PlanEdit.Rename r) return rename(r, l);
        if (e instanceof PlanEdit.SetWorker w) return setWorker(c, w, l);
        if (e instanceof PlanEdit.SetBackupWorker b) return setBackupWorker(c, b, l);
        throw new IllegalStateException(e.op());
    }

    private static String moveUnits(PlanEdit.MoveUnits m, PlanLayout l, UnitGraph graph) {
        int to = grid(l, m.toGridId(), "toGridId");
        List<Integer> units = units(m.unitIds(), graph);
        for (int u : units) l.gridOf[u] = to;
        return units.size() + " unit(s) moved to grid " + l.grids.get(to).code();
    }

    private static String claimPolygon(
            Connection c, PlanEdit.ClaimPolygon p, PlanLayout l, UnitGraph graph)
            throws SQLException {
        int to = grid(l, p.gridId(), "gridId");
        List<Long> ids =
                unitsByPoint(
                        c,
                        "ST_Within(ST_PointOnSurface(b.geom), x.g)",
                        p.polygon().toString(),
                        l.grids.get(to).communityId());
        for (long id : ids) l.gridOf[graph.indexOf(id)] = to;
        return ids.size()
                + " unit(s) of community "
                + l.grids.get(to).communityId()
                + " claimed by grid "
                + l.grids.get(to).code();
    }

    private static String split(Connection c, PlanEdit.Split s, PlanLayout l, UnitGraph graph)
            throws SQLException {
        int g = grid(l, s.gridId(), "gridId");
        Map<Long, Integer> pieceOf = new HashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                WITH pieces AS (
                    SELECT (d).path[1] AS piece, (d).geom AS geom
                    FROM (SELECT ST_Dump(ST_Split(g.geom, ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))) AS d FROM grid g WHERE g.id = ?) s)
                SELECT gu.unit_id, (SELECT p.piece FROM pieces p WHERE ST_Intersects(p.geom, ST_PointOnSurface(b.geom))
                                    ORDER BY p.piece LIMIT 1)
                FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id WHERE gu.grid_id = ?""")) {
            ps.setString(1, s.line().toString());
            ps.setLong(2, l.grids.get(g).id());
            ps.setLong(3, l.grids.get(g).id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) pieceOf.put(rs.getLong(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "invalid-geometry",
                            "The geometry is not usable",
                            "the line cannot split the grid: " + e.getMessage(),
                            "/line"));
        }
        Map<Integer, Integer> sizes = new HashMap<>();
        pieceOf.values().forEach(p -> sizes.merge(p, 1, Integer::sum));
        if (sizes.size() < 2) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "line-does-not-split",
                            "The line does not split the grid",
                            "the line must cross grid "
                                    + l.grids.get(g).code()
                                    + " so that units lie on both sides",
                            "/line"));
        }
        int keep =
                sizes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Map<Integer, Integer> newGrid = new HashMap<>();
        for (var e : pieceOf.entrySet()) {
            if (e.getValue() == keep) continue;
            int ng =
                    newGrid.computeIfAbsent(
                            e.getValue(),
                            p -> {
                                l.grids.add(
                                        new GridInfo(
                                                null,
                                                null,
                                                null,
                                                l.grids.get(g).communityId(),
                                                l.grids.get(g).kind(),
                                                null,
                                                null));
                                return l.grids.size() - 1;
                            });
            l.gridOf[graph.indexOf(e.getKey())] = ng;
        }
        return "grid " + l.grids.get(g).code() + " split into " + sizes.size() + " grids";
    }

    private static String merge(PlanEdit.Merge m, PlanLayout l) {
        int from = grid(l, m.gridId(), "gridId"), into = grid(l, m.intoGridId(), "intoGridId");
        if (from == into)
            throw new ProblemException(
                    Problem.invalidField("/intoGridId", "a grid cannot be merged into itself"));
        if (l.grids.get(from).communityId() != l.grids.get(into).communityId()) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "crosses-community",
                            "Grids of different communities",
                            "grids "
                                    + l.grids.get(from).code()
                                    + " and "
                                    + l.grids.get(into).code()
                                    + " belong to different communities",
                            "/intoGridId"));
        }
        for (int u = 0; u < l.gridOf.length; u++) if (l.gridOf[u] == from) l.gridOf[u] = into;
        String code = l.grids.get(from).code();
        remove(l, from);
        return "grid " + code + " merged into " + l.grids.get(into < from ? into : into - 1).code();
    }

    private static String create(Connection c, PlanEdit.Create n, PlanLayout l, UnitGraph graph)
            throws SQLException {
        long community = n.communityId();
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM community WHERE id = ?")) {
            ps.setLong(1, community);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw new ProblemException(
                            Problem.invalidField(
                                    "/communityId", "community " + community + " does not exist"));
            }
        }
        l.grids.add(new GridInfo(null, null, n.name(), community, n.kindOrBasic(), null, null));
        int ng = l.grids.size() - 1;
        List<Integer> units = n.unitIds() != null ? units(n.unitIds(), graph) : List.of();
        for (int u : units) l.gridOf[u] = ng;
        return "grid created with " + units.size() + " unit(s)";
    }

    private static String delete(PlanEdit.Delete d, PlanLayout l) {
        int g = grid(l, d.gridId(), "gridId");
        for (int u : l.gridOf)
            if (u == g)
                throw new ProblemException(
                        Problem.of(
                                422,
                                "grid-not-empty",
                                "The grid still has units",
                                "move or merge the units of grid "
                                        + l.grids.get(g).code()
                                        + " before deleting it",
                                "/gridId"));
        String code = l.grids.get(g).code();
        remove(l, g);
        return "grid " + code + " deleted";
    }

    private static String rename(PlanEdit.Rename r, PlanLayout l) {
        int g = grid(l, r.gridId(), "gridId");
        GridInfo gi = l.grids.get(g);
        l.grids.set(g, gi.withName(r.name()));
        return "grid " + gi.code() + " renamed";
    }

    private static String setWorker(Connection c, PlanEdit.SetWorker w, PlanLayout l)
            throws SQLException {
        int g = grid(l, w.gridId(), "gridId");
        Long worker = w.workerId();
        GridInfo gi = l.grids.get(g);
        requireGridWorker(c, worker, "workerId");
        if (worker != null && worker.equals(gi.backupWorkerId()))
            throw new ProblemException(
                    Problem.invalidField(
                            "/workerId",
                            "staff " + worker + " is grid " + gi.code() + "'s backup worker"));
        l.grids.set(g, gi.withWorkers(worker, gi.backupWorkerId()));
        return "grid " + gi.code() + " worker set";
    }

    private static String setBackupWorker(Connection c, PlanEdit.SetBackupWorker b, PlanLayout l)
            throws SQLException {
        int g = grid(l, b.gridId(), "gridId");
        Long backup = b.backupWorkerId();
        GridInfo gi = l.grids.get(g);
        requireGridWorker(c, backup, "backupWorkerId");
        if (backup != null && backup.equals(gi.workerId()))
            throw new ProblemException(
                    Problem.invalidField(
                            "/backupWorkerId",
                            "staff " + backup + " is grid " + gi.code() + "'s worker"));
        l.grids.set(g, gi.withWorkers(gi.workerId(), backup));
        return "grid " + gi.code() + " backup worker set";
    }

    /** staffId (when not null) is active staff with the grid-worker role; 422 at field else. */
    private static void requireGridWorker(Connection c, Long staffId, String field)
            throws SQLException {
        if (staffId == null) return;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT 1 FROM staff WHERE id = ? AND role = 'GRID_WORKER' AND active")) {
            ps.setLong(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw new ProblemException(
                            Problem.invalidField(
                                    "/" + field,
                                    "staff " + staffId + " is not an active grid worker"));
            }
        }
    }

    /** An id field of an undo entry's grid; entries older than the field lack it. */
    private static Long optionalId(JsonNode g, String field) {
        JsonNode v = g.get(field);
        return v == null || v.isNull() ? null : v.asLong();
    }

    private static void remove(PlanLayout l, int g) {
        l.grids.remove(g);
        for (int u = 0; u < l.gridOf.length; u++) if (l.gridOf[u] > g) l.gridOf[u]--;
    }

    private static List<Long> unitsByPoint(
            Connection c, String predicate, String geojson, long community) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                SELECT b.id FROM base_unit b, (SELECT ST_SetSRID(ST_GeomFromGeoJSON(?), 4326) AS g) x
                WHERE b.community_id = ? AND b.retired_at IS NULL AND b.geom && x.g AND %s ORDER BY b.id"""
                                .formatted(predicate))) {
            ps.setString(1, geojson);
            ps.setLong(2, community);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("XX")) {
                throw new ProblemException(
                        Problem.of(
                                422,
                                "invalid-geometry",
                                "The geometry is not usable",
                                e.getMessage(),
                                "/polygon"));
            }
            throw e;
        }
        return ids;
    }

    private static int grid(PlanLayout l, long id, String field) {
        for (int i = 0; i < l.grids.size(); i++)
            if (l.grids.get(i).id() != null && l.grids.get(i).id() == id) return i;
        throw new ProblemException(
                Problem.invalidField("/" + field, "grid " + id + " is not a grid of this plan"));
    }

    private static List<Integer> units(List<Long> ids, UnitGraph graph) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            int u = graph.indexOf(ids.get(i));
            if (u < 0) throw notAUnit(i, ids.get(i).toString());
            out.add(u);
        }
        return out;
    }

    static ProblemException notAUnit(int index, String value) {
        return new ProblemException(
                Problem.invalidField("/unitIds/" + index, "'" + value + "' is not a base unit id"));
    }

    /** The "expectedVersion" of an undo, redo or adoption body. */
    static int expectedVersion(ObjectNode b) {
        return PlanEdit.expectedVersion(b);
    }
}
