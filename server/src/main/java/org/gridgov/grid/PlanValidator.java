package org.gridgov.grid;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gridgov.api.Responses;
import org.gridgov.rebalance.GridInfo;
import org.gridgov.rebalance.PlanLayout;
import org.gridgov.rebalance.PlanMetrics;
import org.gridgov.rebalance.UnitGraph;
import org.gridgov.rebalance.UnitWorkloads;

/**
 * Checks a plan against every rule a plan must meet before adoption (docs/planning.md), and lists
 * every breach with where it is: unassigned-unit, doubly-assigned-unit (a unit inside another
 * grid's geometry), non-contiguous-grid, crosses-community, empty-grid, workload-out-of-band (basic
 * grids beyond ±band of the mean), invalid-geometry (invalid, or not the union of the grid's
 * units), retired-unit (a unit a later unit import retired, e.g. one a rebalance wrote while the
 * import committed), grid-without-worker, worker-not-eligible (the worker or backup worker is not
 * active staff with the grid-worker role), backup-is-worker; all of them errors. A warning
 * (grid-without-backup-worker) is listed but does not block adoption: valid means no errors.
 */
public final class PlanValidator {

    /** At most this many problems of one type are listed one by one; the rest are counted. */
    static final int LIST_LIMIT = 200;

    private static final String DOUBLY =
            """
            SELECT gu.unit_id, gu.grid_id, g2.id
            FROM grid_unit gu
            JOIN base_unit b ON b.id = gu.unit_id
            JOIN grid g2 ON g2.plan_id = gu.plan_id AND g2.id <> gu.grid_id
                        AND g2.geom && b.geom AND ST_Intersects(g2.geom, ST_PointOnSurface(b.geom))
            WHERE gu.plan_id = ? ORDER BY gu.unit_id""";

    private static final String RETIRED =
            """
            SELECT gu.unit_id, gu.grid_id, b.retired_at
            FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id
            WHERE gu.plan_id = ? AND b.retired_at IS NOT NULL ORDER BY gu.unit_id""";

    private static final String GEOMETRY =
            """
            SELECT g.id, g.code, NOT ST_IsValid(g.geom), ST_IsValidReason(g.geom),
                   abs(ST_Area(ST_Transform(g.geom, %1$d)) - coalesce(u.area, 0)) AS area_gap
            FROM grid g
            LEFT JOIN LATERAL (SELECT sum(ST_Area(ST_Transform(b.geom, %1$d))) AS area
                               FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id WHERE gu.grid_id = g.id) u ON true
            WHERE g.plan_id = ? ORDER BY g.id""";

    static final String ERROR = "error";
    static final String WARNING = "warning";

    private static final String ELIGIBLE =
            "SELECT id FROM staff WHERE id = ANY (?) AND role = 'GRID_WORKER' AND active";

    private PlanValidator() {}

    public record Report(boolean valid, ArrayNode problems) {
        /** The first problem that blocks adoption, or null. */
        public ObjectNode firstError() {
            for (var p : problems)
                if (ERROR.equals(p.path("severity").asText())) return (ObjectNode) p;
            return null;
        }

        public int errorCount() {
            int n = 0;
            for (var p : problems) if (ERROR.equals(p.path("severity").asText())) n++;
            return n;
        }

        public ObjectNode json(long planId, int version) {
            ObjectNode n = Responses.JSON.createObjectNode();
            n.put("planId", planId);
            n.put("version", version);
            n.put("valid", valid);
            n.put("problemCount", problems.size());
            n.set("problems", problems);
            return n;
        }
    }

    public static Report validate(
            Connection c, long planId, UnitGraph graph, UnitWorkloads w, double band)
            throws SQLException {
        PlanLayout layout = PlanStore.layout(c, planId, graph);
        ArrayNode out = Responses.JSON.createArrayNode();
        List<Integer> unassigned = new ArrayList<>();
        for (int u = 0; u < graph.size(); u++) if (layout.gridOf[u] < 0) unassigned.add(u);
        int listed = 0;
        for (int u : unassigned) {
            if (listed++ == LIST_LIMIT) break;
            problem(
                    c,
                    out,
                    "unassigned-unit",
                    "base unit " + graph.id[u] + " belongs to no grid",
                    null,
                    List.of(graph.id[u]));
        }
        truncated(out, "unassigned-unit", unassigned.size());

        try (PreparedStatement ps = c.prepareStatement(DOUBLY)) {
            ps.setLong(1, planId);
            try (ResultSet rs = ps.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    if (n++ >= LIST_LIMIT) continue;
                    ObjectNode p =
                            problem(
                                    c,
                                    out,
                                    "doubly-assigned-unit",
                                    "base unit "
                                            + rs.getLong(1)
                                            + " is assigned to grid "
                                            + rs.getLong(2)
                                            + " but also lies inside grid "
                                            + rs.getLong(3),
                                    rs.getLong(2),
                                    List.of(rs.getLong(1)));
                    p.put("otherGridId", rs.getLong(3));
                }
                truncated(out, "doubly-assigned-unit", n);
            }
        }

        try (PreparedStatement ps = c.prepareStatement(RETIRED)) {
            ps.setLong(1, planId);
            try (ResultSet rs = ps.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    if (n++ >= LIST_LIMIT) continue;
                    problem(
                            c,
                            out,
                            "retired-unit",
                            "base unit "
                                    + rs.getLong(1)
                                    + " in grid "
                                    + rs.getLong(2)
                                    + " was retired by a unit import at "
                                    + rs.getObject(3, java.time.OffsetDateTime.class),
                            rs.getLong(2),
                            List.of(rs.getLong(1)));
                }
                truncated(out, "retired-unit", n);
            }
        }

        Set<Long> eligible = eligibleWorkers(c, layout);
        PlanMetrics m = new PlanMetrics(graph, w, layout);
        List<List<Integer>> members = layout.members();
        for (int g = 0; g < layout.gridCount(); g++) {
            GridInfo gi = layout.grids.get(g);
            workers(c, out, gi, eligible);
            List<Integer> units = members.get(g);
            if (units.isEmpty()) {
                problem(
                        c,
                        out,
                        "empty-grid",
                        "grid " + gi.code() + " has no units",
                        gi.id(),
                        List.of());
                continue;
            }
            List<List<Integer>> pieces = layout.pieces(graph, g, units);
            if (pieces.size() > 1) {
                List<Long> stray = new ArrayList<>();
                for (int i = 1; i < pieces.size(); i++)
                    for (int u : pieces.get(i)) stray.add(graph.id[u]);
                problem(
                        c,
                        out,
                        "non-contiguous-grid",
                        "grid "
                                + gi.code()
                                + " falls into "
                                + pieces.size()
                                + " pieces; the location shows all but the largest",
                        gi.id(),
                        stray);
            }
            List<Long> foreign = new ArrayList<>();
            for (int u : units)
                if (graph.community[u] != gi.communityId()) foreign.add(graph.id[u]);
            if (!foreign.isEmpty()) {
                problem(
                        c,
                        out,
                        "crosses-community",
                        "grid "
                                + gi.code()
                                + " of community "
                                + gi.communityId()
                                + " holds "
                                + foreign.size()
                                + " unit(s) of another community",
                        gi.id(),
                        foreign);
            }
            double dev = m.deviation(g);
            if (!gi.special() && Math.abs(dev) > band) {
                ObjectNode p =
                        problem(
                                c,
                                out,
                                "workload-out-of-band",
                                String.format(
                                        "grid %s carries %.0f h/year, %+.1f%% from the mean %.0f; allowed ±%.0f%%",
                                        gi.code(), m.load[g], dev * 100, m.basicMean, band * 100),
                                gi.id(),
                                null);
                p.put("deviation", Math.round(dev * 10_000) / 10_000.0);
            }
        }

        // areas in the graph's planar CRS, as the workloads' and metrics'
        try (PreparedStatement ps = c.prepareStatement(GEOMETRY.formatted(graph.planarSrid))) {
            ps.setLong(1, planId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean invalid = rs.getBoolean(3);
                    double gap = rs.getDouble(5);
                    if (invalid || gap > 1.0) {
                        problem(
                                c,
                                out,
                                "invalid-geometry",
                                "grid "
                                        + rs.getString(2)
                                        + (invalid
                                                ? " has invalid geometry: " + rs.getString(4)
                                                : String.format(
                                                        " geometry differs from the union of its units by %.0f m²",
                                                        gap)),
                                rs.getLong(1),
                                null);
                    }
                }
            }
        }
        Report r = new Report(true, out);
        return new Report(r.errorCount() == 0, out);
    }

    /** The worker and backup worker ids of the layout that are active grid-worker staff. */
    private static Set<Long> eligibleWorkers(Connection c, PlanLayout layout) throws SQLException {
        Set<Long> ids = new HashSet<>();
        for (GridInfo gi : layout.grids) {
            if (gi.workerId() != null) ids.add(gi.workerId());
            if (gi.backupWorkerId() != null) ids.add(gi.backupWorkerId());
        }
        Set<Long> ok = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(ELIGIBLE)) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ok.add(rs.getLong(1));
            }
        }
        return ok;
    }

    /** The AB pair of a grid: a worker is required, a backup worker is expected. */
    private static void workers(Connection c, ArrayNode out, GridInfo gi, Set<Long> eligible)
            throws SQLException {
        Long worker = gi.workerId(), backup = gi.backupWorkerId();
        if (worker == null)
            problem(
                    c,
                    out,
                    "grid-without-worker",
                    "grid " + gi.code() + " has no grid worker",
                    gi.id(),
                    null);
        else if (!eligible.contains(worker))
            problem(
                            c,
                            out,
                            "worker-not-eligible",
                            "grid "
                                    + gi.code()
                                    + "'s worker, staff "
                                    + worker
                                    + ", is not an active grid worker",
                            gi.id(),
                            null)
                    .put("staffId", worker);
        if (backup == null) {
            problem(
                            c,
                            out,
                            "grid-without-backup-worker",
                            "grid " + gi.code() + " has no backup worker",
                            gi.id(),
                            null)
                    .put("severity", WARNING);
        } else if (backup.equals(worker)) {
            problem(
                    c,
                    out,
                    "backup-is-worker",
                    "grid " + gi.code() + "'s backup worker is its worker, staff " + backup,
                    gi.id(),
                    null);
        } else if (!eligible.contains(backup)) {
            problem(
                            c,
                            out,
                            "worker-not-eligible",
                            "grid "
                                    + gi.code()
                                    + "'s backup worker, staff "
                                    + backup
                                    + ", is not an active grid worker",
                            gi.id(),
                            null)
                    .put("staffId", backup);
        }
    }

    private static void truncated(ArrayNode out, String type, int count) {
        if (count <= LIST_LIMIT) return;
        ObjectNode p = out.addObject();
        p.put("type", type);
        p.put("severity", ERROR);
        p.put("message", (count - LIST_LIMIT) + " more problem(s) of this type are not listed");
        p.putNull("location");
    }

    /** Adds a problem; location is the grid's geometry, or the units' when unit ids are given. */
    private static ObjectNode problem(
            Connection c,
            ArrayNode out,
            String type,
            String message,
            Long gridId,
            List<Long> unitIds)
            throws SQLException {
        ObjectNode p = out.addObject();
        p.put("type", type);
        p.put("severity", ERROR);
        p.put("message", message);
        if (gridId != null) p.put("gridId", gridId);
        String sql =
                unitIds != null && !unitIds.isEmpty()
                        ? "SELECT ST_AsGeoJSON(ST_Collect(geom), 7) FROM base_unit WHERE id = ANY (?)"
                        : "SELECT ST_AsGeoJSON(geom, 7) FROM grid WHERE id = ? AND NOT ST_IsEmpty(geom)";
        if (unitIds != null && !unitIds.isEmpty()) {
            ArrayNode ids = p.putArray("unitIds");
            unitIds.forEach(ids::add);
        }
        if (gridId == null && (unitIds == null || unitIds.isEmpty())) {
            p.putNull("location");
            return p;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (unitIds != null && !unitIds.isEmpty())
                ps.setArray(1, c.createArrayOf("bigint", unitIds.toArray()));
            else ps.setLong(1, gridId);
            try (ResultSet rs = ps.executeQuery()) {
                String geo = rs.next() ? rs.getString(1) : null;
                if (geo == null) p.putNull("location");
                else p.set("location", Responses.JSON.readTree(geo));
            }
        } catch (IOException e) {
            throw new SQLException("unreadable GeoJSON from PostGIS", e);
        }
        return p;
    }
}
