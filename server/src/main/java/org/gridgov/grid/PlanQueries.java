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

    /** The plans of the subdistrict (null: every plan). */
    List<PlanStore.PlanRow> list(Long subdistrictId) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            return PlanStore.list(c, subdistrictId);
        }
    }

    PlanStore.PlanRow require(long id, Long scope) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            return visible(c, id, scope);
        }
    }

    /**
     * The plan, for a caller of subdistrict scope (null: district-wide): a plan of another
     * subdistrict is answered as one that does not exist (404), as other out-of-scope reads are.
     */
    static PlanStore.PlanRow visible(Connection c, long id, Long scope) throws SQLException {
        PlanStore.PlanRow p = PlanStore.require(c, id);
        if (scope != null && p.subdistrictId() != null && !scope.equals(p.subdistrictId()))
            throw new ProblemException(Problem.notFound("grid plan " + id + " does not exist"));
        return p;
    }

    /** The subdistrict of the plan (null: none), once the caller may see it. */
    Long subdistrictOf(long id, Long scope) throws SQLException {
        return require(id, scope).subdistrictId();
    }

    /** The plan's grids with their attributes as GeoJSON text (EPSG:4326); 404 for no plan. */
    String exportFeatures(long planId, Long scope) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            visible(c, planId, scope);
            try (PreparedStatement ps = c.prepareStatement(EXPORT_FEATURES)) {
                ps.setLong(1, planId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        }
    }

    /**
     * One edit of a draft, in one transaction (PlanEditor), over the units of the plan's
     * subdistrict; units or a community of another subdistrict are a 422 naming them.
     */
    ObjectNode edit(long planId, PlanEdit.Request req, Long scope) throws SQLException {
        UnitGraph g = planning.graph(subdistrictOf(planId, scope));
        return Jdbc.inTransaction(
                planning.ds(),
                c -> {
                    PlanStore.PlanRow plan = visible(c, planId, scope);
                    if (req.edit() instanceof PlanEdit.MoveUnits m)
                        PlanStore.requireOwnUnits(c, plan, m.unitIds(), "/unitIds");
                    if (req.edit() instanceof PlanEdit.Create n) {
                        PlanStore.requireOwnCommunities(
                                c, plan, List.of(n.communityId()), "/communityId");
                        if (n.unitIds() != null)
                            PlanStore.requireOwnUnits(c, plan, n.unitIds(), "/unitIds");
                    }
                    return PlanEditor.edit(c, planId, req, g);
                });
    }

    ObjectNode undo(long planId, int expectedVersion, Long scope) throws SQLException {
        UnitGraph g = planning.graph(subdistrictOf(planId, scope));
        return Jdbc.inTransaction(
                planning.ds(), c -> PlanEditor.undo(c, planId, expectedVersion, g));
    }

    ObjectNode redo(long planId, int expectedVersion, Long scope) throws SQLException {
        UnitGraph g = planning.graph(subdistrictOf(planId, scope));
        return Jdbc.inTransaction(
                planning.ds(), c -> PlanEditor.redo(c, planId, expectedVersion, g));
    }

    /** A plan and how many grids it has. */
    record Counted(PlanStore.PlanRow plan, int grids) {}

    Counted counted(long id, Long scope) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            PlanStore.PlanRow plan = visible(c, id, scope);
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
     * The subdistrict a new draft is for: the one the request names, else the caller's; a
     * district-wide caller names one when there are several (422 otherwise). 422 for a subdistrict
     * that does not exist or, for a caller of one subdistrict, is another.
     */
    Long draftSubdistrict(Long requested, Long scope) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            List<Long> all = new ArrayList<>();
            try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT id FROM jurisdiction WHERE kind = 'SUBDISTRICT'"
                                            + " ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) all.add(rs.getLong(1));
            }
            if (requested != null) {
                if (!all.contains(requested))
                    throw new ProblemException(
                            Problem.invalidField(
                                    "/subdistrictId",
                                    "subdistrict " + requested + " does not exist"));
                if (scope != null && !scope.equals(requested))
                    throw org.gridgov.people.Access.forbidden(
                            "your scope is subdistrict "
                                    + PlanStore.subdistrictCode(c, scope)
                                    + "; drafts of subdistrict "
                                    + PlanStore.subdistrictCode(c, requested)
                                    + " are planned there");
                return requested;
            }
            if (scope != null) return scope;
            if (all.size() > 1)
                throw new ProblemException(
                        Problem.invalidField(
                                "/subdistrictId",
                                "the district has "
                                        + all.size()
                                        + " subdistricts; 'subdistrictId' names the one the"
                                        + " draft is for"));
            return all.isEmpty() ? null : all.get(0);
        }
    }

    /**
     * One transaction: a draft of the subdistrict, a copy of the plan fromText names ("active": the
     * subdistrict's plan in effect, or an id of a plan of that subdistrict; a bad one is a 400 on
     * the request's /from), called name or, when null, after its source. Returns its id.
     */
    long createDraft(String fromText, String name, Long subdistrictId, Long scope)
            throws SQLException {
        UnitGraph g = planning.graph(subdistrictId);
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
                                subdistrictId,
                                new org.gridgov.rebalance.PlanLayout(List.of(), none),
                                g);
                    }
                    long source;
                    PlanStore.PlanRow src;
                    try {
                        source = planning.resolvePlan(c, fromText, subdistrictId);
                        src = visible(c, source, scope);
                    } catch (ProblemException e) {
                        throw new ProblemException(
                                Problem.invalidField("/from", e.problem().detail()));
                    }
                    if (subdistrictId != null
                            && src.subdistrictId() != null
                            && !subdistrictId.equals(src.subdistrictId()))
                        throw new ProblemException(
                                Problem.of(
                                        422,
                                        "foreign-units",
                                        "Units of another subdistrict",
                                        "plan "
                                                + source
                                                + " is a plan of subdistrict "
                                                + PlanStore.subdistrictCode(c, src.subdistrictId())
                                                + "; a draft of subdistrict "
                                                + PlanStore.subdistrictCode(c, subdistrictId)
                                                + " cannot copy its units",
                                        "/from"));
                    String draftName = name != null ? name : src.name() + " (草案)";
                    return PlanStore.insertDraft(
                            c, draftName, source, subdistrictId, PlanStore.layout(c, source, g), g);
                });
    }

    /** A plan and the problems its validation found. */
    record Validation(PlanStore.PlanRow plan, PlanValidator.Report report) {}

    Validation validate(long id, UnitGraph g, UnitWorkloads w, double band, Long scope)
            throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            PlanStore.PlanRow p = visible(c, id, scope);
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
            Instant now,
            Long scope)
            throws SQLException {
        Jdbc.inTransaction(
                planning.ds(),
                c -> {
                    visible(c, id, scope);
                    return PlanAdoption.adopt(
                            c, id, effectiveFrom, expectedVersion, g, w, band, now);
                });
    }

    /** Which grid holds a base unit. */
    record UnitGrid(long unitId, long gridId, String gridCode) {}

    /** Every assigned unit of the plan, by unit id. */
    List<UnitGrid> unitGrids(long id, Long scope) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            visible(c, id, scope);
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

    History history(long id, Long scope) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            visible(c, id, scope);
            return new History(PlanEditor.history(c, id, false), PlanEditor.history(c, id, true));
        }
    }

    /** The layouts of the plans, in order, once every one of them is known to exist. */
    List<PlanLayout> layouts(UnitGraph g, Long scope, long... ids) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            for (long id : ids) visible(c, id, scope);
            List<PlanLayout> out = new ArrayList<>();
            for (long id : ids) out.add(PlanStore.layout(c, id, g));
            return out;
        }
    }
}
