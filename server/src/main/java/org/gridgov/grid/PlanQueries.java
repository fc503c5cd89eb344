package org.gridgov.grid;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.db.Jdbc;
import org.gridgov.rebalance.PlanLayout;
import org.gridgov.rebalance.UnitGraph;
import org.gridgov.rebalance.UnitWorkloads;

/**
 * The plan endpoints' reads and their two writes (a new draft, an adoption), each write one
 * transaction; the row-level SQL is {@link PlanStore}'s. 404 for a plan that does not exist.
 */
final class PlanQueries {

    private static final String GRID_COUNT = "SELECT count(*) FROM grid WHERE plan_id = ?";

    private static final String UNIT_GRIDS =
            """
            SELECT gu.unit_id, g.id, g.code FROM grid_unit gu JOIN grid g ON g.id = gu.grid_id
            WHERE gu.plan_id = ? ORDER BY gu.unit_id""";

    private static final String EXPORT_FEATURES =
            """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'geometry', ST_AsGeoJSON(g.geom, 8)::json,
                'properties', json_build_object('grid_id', g.id, 'code', g.code, 'name', g.name, 'kind', g.kind,
                    'community', g.community_id, 'worker_id', g.worker_id,
                    'backup_worker_id', g.backup_worker_id, 'units', u.units, 'households', u.households))
                ORDER BY g.id), '[]'))::text
            FROM grid g
            LEFT JOIN LATERAL (SELECT count(*) AS units, coalesce(sum(b.households), 0) AS households
                               FROM grid_unit gu JOIN base_unit b ON b.id = gu.unit_id WHERE gu.grid_id = g.id) u ON true
            WHERE g.plan_id = ? AND NOT ST_IsEmpty(g.geom)""";

    private final Planning planning;

    PlanQueries(Planning planning) {
        this.planning = planning;
    }

    List<PlanStore.PlanRow> list() throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            return PlanStore.list(c);
        }
    }

    PlanStore.PlanRow require(long id) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            return PlanStore.require(c, id);
        }
    }

    /** The plan's grids with their attributes as GeoJSON text (EPSG:4326); 404 for no plan. */
    String exportFeatures(long planId) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            PlanStore.require(c, planId);
            try (PreparedStatement ps = c.prepareStatement(EXPORT_FEATURES)) {
                ps.setLong(1, planId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        }
    }

    /** One edit of a draft, in one transaction (PlanEditor). */
    ObjectNode edit(long planId, PlanEdit.Request req) throws SQLException {
        UnitGraph g = planning.graph();
        return Jdbc.inTransaction(planning.ds(), c -> PlanEditor.edit(c, planId, req, g));
    }

    ObjectNode undo(long planId, int expectedVersion) throws SQLException {
        UnitGraph g = planning.graph();
        return Jdbc.inTransaction(
                planning.ds(), c -> PlanEditor.undo(c, planId, expectedVersion, g));
    }

    ObjectNode redo(long planId, int expectedVersion) throws SQLException {
        UnitGraph g = planning.graph();
        return Jdbc.inTransaction(
                planning.ds(), c -> PlanEditor.redo(c, planId, expectedVersion, g));
    }

    /** A plan and how many grids it has. */
    record Counted(PlanStore.PlanRow plan, int grids) {}

    Counted counted(long id) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            PlanStore.PlanRow plan = PlanStore.require(c, id);
            try (PreparedStatement ps = c.prepareStatement(GRID_COUNT)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Counted(plan, rs.getInt(1));
                }
            }
        }
    }

    /**
     * One transaction: a draft copy of the plan fromText names ("active" or an id; a bad one is a
     * 400 on the request's /from), called name or, when null, after its source. Returns its id.
     */
    long createDraft(String fromText, String name, UnitGraph g) throws SQLException {
        return Jdbc.inTransaction(
                planning.ds(),
                c -> {
                    if (fromText.equals("empty")) {
                        // onboarding: a draft with no grids, every unit unassigned, for the
                        // rebalancer to grow the first plan from (docs/onboarding.md)
                        int[] none = new int[g.size()];
                        java.util.Arrays.fill(none, -1);
                        return PlanStore.insertDraft(
                                c,
                                name != null ? name : "首个网格方案",
                                null,
                                new org.gridgov.rebalance.PlanLayout(List.of(), none),
                                g);
                    }
                    long source;
                    try {
                        source = planning.resolvePlan(c, fromText);
                    } catch (ProblemException e) {
                        throw new ProblemException(
                                Problem.invalidField("/from", e.problem().detail()));
                    }
                    PlanStore.PlanRow src = PlanStore.require(c, source);
                    String draftName = name != null ? name : src.name() + " (草案)";
                    return PlanStore.insertDraft(
                            c, draftName, source, PlanStore.layout(c, source, g), g);
                });
    }

    /** A plan and the problems its validation found. */
    record Validation(PlanStore.PlanRow plan, PlanValidator.Report report) {}

    Validation validate(long id, UnitGraph g, UnitWorkloads w, double band) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            PlanStore.PlanRow p = PlanStore.require(c, id);
            return new Validation(p, PlanValidator.validate(c, id, g, w, band));
        }
    }

    /** One transaction: {@link PlanAdoption#adopt}. */
    void adopt(
            long id,
            Instant effectiveFrom,
            Integer expectedVersion,
            UnitGraph g,
            UnitWorkloads w,
            double band,
            Instant now)
            throws SQLException {
        Jdbc.inTransaction(
                planning.ds(),
                c -> PlanAdoption.adopt(c, id, effectiveFrom, expectedVersion, g, w, band, now));
    }

    /** Which grid holds a base unit. */
    record UnitGrid(long unitId, long gridId, String gridCode) {}

    /** Every assigned unit of the plan, by unit id. */
    List<UnitGrid> unitGrids(long id) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            PlanStore.require(c, id);
            List<UnitGrid> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(UNIT_GRIDS)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next())
                        out.add(new UnitGrid(rs.getLong(1), rs.getLong(2), rs.getString(3)));
                }
            }
            return out;
        }
    }

    /** A plan's undoable edits, oldest first, and its redoable ones, next redo first. */
    record History(ArrayNode edits, ArrayNode redo) {}

    History history(long id) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            return new History(PlanEditor.history(c, id, false), PlanEditor.history(c, id, true));
        }
    }

    /** The layouts of the plans, in order, once every one of them is known to exist. */
    List<PlanLayout> layouts(UnitGraph g, long... ids) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            for (long id : ids) PlanStore.require(c, id);
            List<PlanLayout> out = new ArrayList<>();
            for (long id : ids) out.add(PlanStore.layout(c, id, g));
            return out;
        }
    }
}
