package org.gridgov.grid;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.rebalance.GridInfo;
import org.gridgov.rebalance.PlanLayout;
import org.gridgov.rebalance.UnitGraph;

/**
 * Reads and writes grid plans: the plan rows, and a plan's layout (grids and unit assignment).
 * Every write keeps grid.geom equal to the union of the grid's units, recomputed by PostGIS for the
 * grids whose units changed. Callers own the transaction.
 */
public final class PlanStore {

    /** A plan row. status is as stored; {@link #statusNow} says what it is at this instant. */
    public record PlanRow(
            long id,
            String name,
            String status,
            Instant effectiveFrom,
            Instant effectiveTo,
            Long basedOn,
            int version,
            Instant createdAt,
            Long subdistrictId) {
        public String statusNow(Instant now) {
            if (status.equals("DRAFT")) return "DRAFT";
            if (effectiveTo != null && !effectiveTo.isAfter(now)) return "RETIRED";
            return status;
        }

        public boolean inEffect(Instant t) {
            return !status.equals("DRAFT")
                    && !effectiveFrom.isAfter(t)
                    && (effectiveTo == null || effectiveTo.isAfter(t));
        }
    }

    private static final String PLAN_COLUMNS =
            "id, name, status, effective_from, effective_to, based_on, version, created_at, subdistrict_id";

    private static final String GRIDS =
            """
            SELECT g.id, g.code, g.name, g.community_id, g.kind,
                   coalesce(g.worker_id, (SELECT s.id FROM staff s
                        WHERE s.grid_id = g.id AND s.role = 'GRID_WORKER'
                        ORDER BY s.employment = 'FULL_TIME' DESC, s.id LIMIT 1)),
                   g.backup_worker_id
            FROM grid g WHERE g.plan_id = ? ORDER BY g.id""";

    private static final String REFRESH_GEOM =
            """
            UPDATE grid g SET geom = coalesce(
                (SELECT ST_Multi(ST_Union(b.geom)) FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id WHERE gu.grid_id = g.id),
                'SRID=4326;MULTIPOLYGON EMPTY'::geometry)
            WHERE g.plan_id = ? AND g.id = ANY (?)""";

    private PlanStore() {}

    public static List<PlanRow> list(Connection c) throws SQLException {
        return list(c, null);
    }

    /** The plans of one subdistrict (null: every plan). */
    public static List<PlanRow> list(Connection c, Long subdistrictId) throws SQLException {
        List<PlanRow> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT "
                                + PLAN_COLUMNS
                                + " FROM grid_plan WHERE (?::bigint IS NULL OR subdistrict_id = ?)"
                                + " ORDER BY id")) {
            setLong(ps, 1, subdistrictId);
            setLong(ps, 2, subdistrictId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row(rs));
            }
        }
        return out;
    }

    /**
     * The communities whose units a plan of the subdistrict may hold: the subdistrict's, and those
     * in no subdistrict (made before the deployment had a boundary). Null: every community.
     */
    public static Set<Long> communitiesOf(Connection c, Long subdistrictId) throws SQLException {
        Set<Long> out = new HashSet<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT id FROM community WHERE ?::bigint IS NULL OR subdistrict_id = ?"
                                + " OR subdistrict_id IS NULL")) {
            setLong(ps, 1, subdistrictId);
            setLong(ps, 2, subdistrictId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
        }
        return out;
    }

    // units (or communities) that lie in a subdistrict other than the plan's, with that one's code
    private static final String FOREIGN_UNITS =
            """
            SELECT b.id, j.code FROM base_unit b JOIN community c ON c.id = b.community_id
            JOIN jurisdiction j ON j.id = c.subdistrict_id
            WHERE b.id = ANY (?) AND c.subdistrict_id <> ? ORDER BY b.id""";

    private static final String FOREIGN_COMMUNITIES =
            """
            SELECT c.id, j.code FROM community c JOIN jurisdiction j ON j.id = c.subdistrict_id
            WHERE c.id = ANY (?) AND c.subdistrict_id <> ? ORDER BY c.id""";

    /**
     * 422 naming the units (base unit ids) that belong to another subdistrict than the plan's;
     * nothing when the plan has no subdistrict. pointer: the request field that named them.
     */
    public static void requireOwnUnits(
            Connection c, PlanRow plan, java.util.Collection<Long> unitIds, String pointer)
            throws SQLException {
        requireOwn(
                c,
                "plan " + plan.id(),
                plan.subdistrictId(),
                unitIds,
                pointer,
                FOREIGN_UNITS,
                "unit");
    }

    /** 422 naming the units of another subdistrict than the one a new plan (owner) is for. */
    public static void requireOwnUnits(
            Connection c,
            String owner,
            Long subdistrictId,
            java.util.Collection<Long> unitIds,
            String pointer)
            throws SQLException {
        requireOwn(c, owner, subdistrictId, unitIds, pointer, FOREIGN_UNITS, "unit");
    }

    /** 422 naming the communities of another subdistrict than the plan's. */
    public static void requireOwnCommunities(
            Connection c, PlanRow plan, java.util.Collection<Long> ids, String pointer)
            throws SQLException {
        requireOwn(
                c,
                "plan " + plan.id(),
                plan.subdistrictId(),
                ids,
                pointer,
                FOREIGN_COMMUNITIES,
                "community");
    }

    private static void requireOwn(
            Connection c,
            String owner,
            Long subdistrictId,
            java.util.Collection<Long> ids,
            String pointer,
            String sql,
            String what)
            throws SQLException {
        if (subdistrictId == null || ids.isEmpty()) return;
        List<Long> foreign = new ArrayList<>();
        Set<String> where = new java.util.TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.setLong(2, subdistrictId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    foreign.add(rs.getLong(1));
                    where.add(rs.getString(2));
                }
            }
        }
        if (foreign.isEmpty()) return;
        String code = subdistrictCode(c, subdistrictId);
        throw new ProblemException(
                Problem.of(
                        422,
                        "foreign-units",
                        "Units of another subdistrict",
                        owner
                                + " is a plan of subdistrict "
                                + code
                                + "; "
                                + what
                                + (foreign.size() == 1 ? " " : what.equals("unit") ? "s " : " ")
                                + (foreign.size() > 20
                                        ? foreign.subList(0, 20)
                                                + " and "
                                                + (foreign.size() - 20)
                                                + " more"
                                        : foreign.toString())
                                + " belong to subdistrict "
                                + String.join(", ", where),
                        pointer));
    }

    static String subdistrictCode(Connection c, long id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT code FROM jurisdiction WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : String.valueOf(id);
            }
        }
    }

    /**
     * plan=active (or absent: the plan in effect at 'now') or the id of a plan that exists; 400/404
     * otherwise.
     */
    public static long resolve(
            Connection c, PlanTimeline plans, java.time.Instant now, String planText)
            throws SQLException {
        if (planText == null || planText.equals("active")) {
            // with several subdistricts, the first one's: callers that know the subdistrict use
            // the five-argument form
            return plans.periodAt(now)
                    .map(PlanTimeline.Period::planId)
                    .orElseThrow(
                            () ->
                                    new ProblemException(
                                            Problem.notFound("no grid plan is in effect now")));
        }
        return byId(c, planText);
    }

    /**
     * As {@link #resolve(Connection, PlanTimeline, Instant, String)}, "active" being the plan in
     * effect in the subdistrict (null: the only plan in effect).
     */
    public static long resolve(
            Connection c,
            PlanTimeline plans,
            java.time.Instant now,
            String planText,
            Long subdistrictId)
            throws SQLException {
        if (subdistrictId == null) return resolve(c, plans, now, planText);
        if (planText == null || planText.equals("active")) {
            var period = plans.periodAt(now, subdistrictId);
            if (period.isEmpty())
                throw new ProblemException(
                        Problem.notFound(
                                "no grid plan is in effect now in subdistrict "
                                        + subdistrictCode(c, subdistrictId)));
            return period.get().planId();
        }
        return byId(c, planText);
    }

    private static long byId(Connection c, String planText) throws SQLException {
        long id;
        try {
            id = Long.parseLong(planText);
        } catch (NumberFormatException e) {
            throw new ProblemException(
                    Problem.invalidParameter(
                            "plan",
                            "'plan' must be 'active' or a plan id, got '" + planText + "'"));
        }
        return require(c, id).id();
    }

    public static PlanRow require(Connection c, long id) throws SQLException {
        return find(c, id, false);
    }

    /** The plan row locked for update: edits and adoptions of one plan go one at a time. */
    public static PlanRow lock(Connection c, long id) throws SQLException {
        return find(c, id, true);
    }

    private static PlanRow find(Connection c, long id, boolean lock) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT "
                                + PLAN_COLUMNS
                                + " FROM grid_plan WHERE id = ?"
                                + (lock ? " FOR UPDATE" : ""))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw new ProblemException(
                            Problem.notFound("grid plan " + id + " does not exist"));
                return row(rs);
            }
        }
    }

    private static Long subdistrict(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private static PlanRow row(ResultSet rs) throws SQLException {
        Timestamp from = rs.getTimestamp(4), to = rs.getTimestamp(5);
        long basedOn = rs.getLong(6);
        Long based = rs.wasNull() ? null : basedOn;
        return new PlanRow(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                from == null ? null : from.toInstant(),
                to == null ? null : to.toInstant(),
                based,
                rs.getInt(7),
                rs.getTimestamp(8).toInstant(),
                subdistrict(rs, 9));
    }

    /** The grids of a plan and where each unit of the graph belongs. */
    public static PlanLayout layout(Connection c, long planId, UnitGraph graph)
            throws SQLException {
        List<GridInfo> grids = new ArrayList<>();
        Map<Long, Integer> pos = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(GRIDS)) {
            ps.setLong(1, planId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long worker = rs.getLong(6);
                    Long w = rs.wasNull() ? null : worker;
                    long backup = rs.getLong(7);
                    // a backup that is the worker staff names for the grid is no backup
                    Long b = rs.wasNull() || (w != null && w == backup) ? null : backup;
                    pos.put(rs.getLong(1), grids.size());
                    grids.add(
                            new GridInfo(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getLong(4),
                                    rs.getString(5),
                                    w,
                                    b));
                }
            }
        }
        int[] gridOf = new int[graph.size()];
        java.util.Arrays.fill(gridOf, -1);
        try (PreparedStatement ps =
                c.prepareStatement("SELECT unit_id, grid_id FROM grid_unit WHERE plan_id = ?")) {
            ps.setLong(1, planId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int u = graph.indexOf(rs.getLong(1));
                    Integer g = pos.get(rs.getLong(2));
                    if (u >= 0 && g != null) gridOf[u] = g;
                }
            }
        }
        return new PlanLayout(grids, gridOf);
    }

    /**
     * A new DRAFT plan of the subdistrict (null: the trigger's default, the only subdistrict)
     * holding the layout; its grids get new ids. Returns the plan id.
     */
    public static long insertDraft(
            Connection c,
            String name,
            Long basedOn,
            Long subdistrictId,
            PlanLayout layout,
            UnitGraph graph)
            throws SQLException {
        long planId;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO grid_plan (name, status, based_on, subdistrict_id)"
                                + " VALUES (?, 'DRAFT', ?, ?) RETURNING id")) {
            ps.setString(1, name);
            if (basedOn == null) ps.setNull(2, Types.BIGINT);
            else ps.setLong(2, basedOn);
            setLong(ps, 3, subdistrictId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                planId = rs.getLong(1);
            }
        }
        List<GridInfo> fresh = new ArrayList<>();
        for (GridInfo g : layout.grids)
            fresh.add(
                    new GridInfo(
                            null,
                            g.code(),
                            g.name(),
                            g.communityId(),
                            g.kind(),
                            g.workerId(),
                            g.backupWorkerId()));
        write(c, planId, new PlanLayout(fresh, layout.gridOf), graph);
        return planId;
    }

    /**
     * Makes the stored plan equal to the layout: grids with a stored id are updated, grids with an
     * unknown id are inserted with that id (undo brings deleted grids back), grids without id are
     * inserted, stored grids missing from the layout are deleted. Returns the layout with ids.
     */
    public static PlanLayout write(Connection c, long planId, PlanLayout layout, UnitGraph graph)
            throws SQLException {
        PlanLayout before = layout(c, planId, graph);
        Set<Long> stored = new HashSet<>();
        for (GridInfo g : before.grids) stored.add(g.id());
        List<GridInfo> withIds = new ArrayList<>();
        Set<Long> keep = new HashSet<>();
        try (PreparedStatement upd =
                        c.prepareStatement(
                                "UPDATE grid SET code = ?, name = ?, community_id = ?, kind = ?, worker_id = ?, backup_worker_id = ? WHERE id = ? AND plan_id = ?");
                PreparedStatement ins =
                        c.prepareStatement(
                                """
                     INSERT INTO grid (id, plan_id, community_id, code, name, kind, worker_id, backup_worker_id, geom)
                     VALUES (coalesce(?, nextval(pg_get_serial_sequence('grid', 'id'))), ?, ?, ?, ?, ?, ?, ?, 'SRID=4326;MULTIPOLYGON EMPTY')
                     RETURNING id""")) {
            // Codes are unique per plan: park updated grids on a temporary code first.
            try (PreparedStatement park =
                    c.prepareStatement(
                            "UPDATE grid SET code = lpad((id % 1000000000000000)::text, 15, '9') WHERE plan_id = ?")) {
                park.setLong(1, planId);
                park.executeUpdate();
            }
            List<Long> removed = new ArrayList<>();
            for (GridInfo g : layout.grids) if (g.id() != null) keep.add(g.id());
            for (Long id : stored) if (!keep.contains(id)) removed.add(id);
            if (!removed.isEmpty()) {
                try (PreparedStatement del =
                                c.prepareStatement(
                                        "DELETE FROM grid_unit WHERE grid_id = ANY (?)");
                        PreparedStatement delGrid =
                                c.prepareStatement("DELETE FROM grid WHERE id = ANY (?)")) {
                    Array arr = c.createArrayOf("bigint", removed.toArray());
                    del.setArray(1, arr);
                    del.executeUpdate();
                    delGrid.setArray(1, arr);
                    delGrid.executeUpdate();
                }
            }
            for (GridInfo g : layout.grids) {
                if (g.id() != null && stored.contains(g.id())) {
                    upd.setString(1, g.code());
                    upd.setString(2, g.name());
                    upd.setLong(3, g.communityId());
                    upd.setString(4, g.kind());
                    setLong(upd, 5, g.workerId());
                    setLong(upd, 6, g.backupWorkerId());
                    upd.setLong(7, g.id());
                    upd.setLong(8, planId);
                    upd.executeUpdate();
                    withIds.add(g);
                } else {
                    setLong(ins, 1, g.id());
                    ins.setLong(2, planId);
                    ins.setLong(3, g.communityId());
                    ins.setString(4, g.code());
                    ins.setString(5, g.name());
                    ins.setString(6, g.kind());
                    setLong(ins, 7, g.workerId());
                    setLong(ins, 8, g.backupWorkerId());
                    try (ResultSet rs = ins.executeQuery()) {
                        rs.next();
                        withIds.add(g.withId(rs.getLong(1)));
                    }
                }
            }
        }
        // Unit assignment: rewrite the rows that changed.
        Map<Long, Long> oldGridOfUnit = new HashMap<>();
        for (int u = 0; u < before.gridOf.length; u++)
            if (before.gridOf[u] >= 0)
                oldGridOfUnit.put(graph.id[u], before.grids.get(before.gridOf[u]).id());
        List<Long> unitIds = new ArrayList<>(),
                gridIds = new ArrayList<>(),
                dropped = new ArrayList<>();
        Set<Long> touched = new HashSet<>();
        for (int u = 0; u < layout.gridOf.length; u++) {
            Long now = layout.gridOf[u] < 0 ? null : withIds.get(layout.gridOf[u]).id();
            Long was = oldGridOfUnit.get(graph.id[u]);
            if (now == null ? was == null : now.equals(was)) continue;
            if (was != null) touched.add(was);
            if (now != null) {
                touched.add(now);
                unitIds.add(graph.id[u]);
                gridIds.add(now);
            } else {
                dropped.add(graph.id[u]);
            }
        }
        for (GridInfo g : withIds) if (!stored.contains(g.id())) touched.add(g.id());
        try (PreparedStatement del =
                        c.prepareStatement(
                                "DELETE FROM grid_unit WHERE plan_id = ? AND unit_id = ANY (?)");
                PreparedStatement up =
                        c.prepareStatement(
                                """
                     INSERT INTO grid_unit (plan_id, unit_id, grid_id) SELECT ?, u, g FROM unnest(?::bigint[], ?::bigint[]) AS t(u, g)
                     ON CONFLICT (plan_id, unit_id) DO UPDATE SET grid_id = EXCLUDED.grid_id""")) {
            if (!dropped.isEmpty()) {
                del.setLong(1, planId);
                del.setArray(2, c.createArrayOf("bigint", dropped.toArray()));
                del.executeUpdate();
            }
            if (!unitIds.isEmpty()) {
                up.setLong(1, planId);
                up.setArray(2, c.createArrayOf("bigint", unitIds.toArray()));
                up.setArray(3, c.createArrayOf("bigint", gridIds.toArray()));
                up.executeUpdate();
            }
        }
        touched.retainAll(keepAll(withIds));
        refreshGeometry(c, planId, touched);
        return new PlanLayout(withIds, layout.gridOf);
    }

    private static Set<Long> keepAll(List<GridInfo> grids) {
        Set<Long> s = new HashSet<>();
        for (GridInfo g : grids) s.add(g.id());
        return s;
    }

    static void refreshGeometry(Connection c, long planId, Set<Long> gridIds) throws SQLException {
        if (gridIds.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement(REFRESH_GEOM)) {
            ps.setLong(1, planId);
            ps.setArray(2, c.createArrayOf("bigint", gridIds.toArray()));
            ps.executeUpdate();
        }
    }

    public static void bumpVersion(Connection c, long planId) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE grid_plan SET version = version + 1 WHERE id = " + planId);
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v);
    }
}
