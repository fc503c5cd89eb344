package org.gridgov.grid;

import static org.gridgov.grid.ImportStaging.query;
import static org.gridgov.grid.ImportStaging.update;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.gridgov.api.Responses;

/**
 * What a commit of units or communities does to the plans that refer to them (docs/planning.md,
 * "Import and export"). Decision: the plan in effect is never changed by an import — routing goes
 * on with its grids, whose geometry is stored — and nothing is silently re-planned. Instead, in the
 * same transaction: retired units leave every draft (whose changed grids get their geometry
 * recomputed and their version bumped, so open editors see a 409), and a new draft is fitted from
 * the plan in effect for the planners to validate, rebalance and adopt: each current unit goes to
 * the grid of its own community that held it, or else that holds its representative point; a unit
 * with neither (new ground, or a unit that changed community) is left unassigned, which the draft's
 * validation lists and rebalancing repairs.
 */
final class BaseAreaCommit {

    private BaseAreaCommit() {}

    static void requireStaged(Connection c, UUID job) throws SQLException {
        boolean[] any = {false};
        query(c, "SELECT 1 FROM import_feature WHERE job_id = ? LIMIT 1", job, rs -> any[0] = true);
        if (!any[0]) throw UnitImport.notStaged(job);
    }

    /** What a unit import would change, against the stored units. */
    static ObjectNode unitChanges(Connection c, UUID job) throws SQLException {
        ObjectNode out = Responses.JSON.createObjectNode();
        query(
                c,
                """
                WITH u AS (%s)
                SELECT count(*) FILTER (WHERE b.id IS NULL),
                       count(*) FILTER (WHERE b.id IS NOT NULL AND (b.retired_at IS NOT NULL OR NOT %s
                           OR b.households <> coalesce((u.props ->> 'households')::numeric::int, 0)
                           OR b.population <> coalesce((u.props ->> 'population')::numeric::int, 0)
                           OR b.land_use <> coalesce(upper(u.props ->> 'land_use'), 'RESIDENTIAL')
                           OR b.address IS DISTINCT FROM nullif(btrim(u.props ->> 'address'), '')
                           OR b.community_id IS DISTINCT FROM u.community_id)),
                       count(*) FILTER (WHERE b.id IS NOT NULL AND b.community_id IS DISTINCT FROM u.community_id),
                       (SELECT count(*) FROM base_unit r WHERE r.retired_at IS NULL
                          AND NOT EXISTS (SELECT 1 FROM import_feature f WHERE f.job_id = ? AND f.code = r.code))
                FROM u LEFT JOIN base_unit b ON b.code = u.code"""
                        .formatted(
                                UnitImport.UNIT_COMMUNITY,
                                ImportStaging.sameShape("b.geom", "u.geom")),
                ps -> {
                    ps.setObject(1, job);
                    ps.setObject(2, job);
                },
                rs -> {
                    out.put("unitsAdded", rs.getInt(1));
                    out.put("unitsChanged", rs.getInt(2));
                    out.put("unitsChangingCommunity", rs.getInt(3));
                    out.put("unitsRetired", rs.getInt(4));
                });
        return out;
    }

    /**
     * After units or communities changed: tidy the drafts and fit a new draft from each
     * subdistrict's plan in effect (draftPlanIds; draftPlanId: the first).
     */
    static void followUp(Connection c, String name, Set<Long> changedUnits, ObjectNode out)
            throws SQLException {
        // retired units leave the drafts
        Map<Long, Set<Long>> touched = new HashMap<>();
        query(
                c,
                """
                DELETE FROM grid_unit gu USING grid_plan p, base_unit b
                WHERE gu.plan_id = p.id AND p.status = 'DRAFT' AND b.id = gu.unit_id AND b.retired_at IS NOT NULL
                RETURNING gu.plan_id, gu.grid_id""",
                ps -> {},
                rs ->
                        touched.computeIfAbsent(rs.getLong(1), k -> new HashSet<>())
                                .add(rs.getLong(2)));
        // drafts holding units that changed in this transaction get their grid geometry again
        query(
                c,
                """
                SELECT DISTINCT gu.plan_id, gu.grid_id FROM grid_unit gu JOIN grid_plan p ON p.id = gu.plan_id AND p.status = 'DRAFT'
                WHERE gu.unit_id = ANY (?)""",
                ps -> ps.setArray(1, c.createArrayOf("bigint", changedUnits.toArray())),
                rs ->
                        touched.computeIfAbsent(rs.getLong(1), k -> new HashSet<>())
                                .add(rs.getLong(2)));
        for (var e : touched.entrySet()) {
            PlanStore.refreshGeometry(c, e.getKey(), e.getValue());
            PlanStore.bumpVersion(c, e.getKey());
        }
        out.put("draftsChanged", touched.size());

        // one draft per subdistrict, fitted from its plan in effect
        java.util.List<long[]> inEffect = new java.util.ArrayList<>();
        query(
                c,
                """
                SELECT id, coalesce(subdistrict_id, 0) FROM grid_plan
                WHERE id IN (SELECT plans_in_effect()) ORDER BY subdistrict_id NULLS FIRST, id""",
                ps -> {},
                rs -> inEffect.add(new long[] {rs.getLong(1), rs.getLong(2)}));
        if (inEffect.isEmpty()) {
            out.putNull("draftPlanId");
            out.putArray("draftPlanIds");
            return;
        }
        var ids = out.putArray("draftPlanIds");
        int unassigned = 0;
        for (long[] p : inEffect) {
            long[] fitted = fitDraft(c, name, p[0], p[1] == 0 ? null : p[1]);
            if (!out.has("draftPlanId")) out.put("draftPlanId", fitted[0]);
            ids.add(fitted[0]);
            unassigned += (int) fitted[1];
        }
        out.put("draftUnassignedUnits", unassigned);
    }

    /**
     * A draft of the subdistrict fitted from its plan in effect; returns its id and how many of the
     * subdistrict's current units it leaves unassigned.
     */
    private static long[] fitDraft(Connection c, String name, long planId, Long subdistrictId)
            throws SQLException {
        long[] draft = {0};
        query(
                c,
                """
                INSERT INTO grid_plan (name, status, based_on, subdistrict_id)
                SELECT ?, 'DRAFT', ?, subdistrict_id FROM grid_plan WHERE id = ? RETURNING id""",
                ps -> {
                    ps.setString(1, name != null ? name : "");
                    ps.setLong(2, planId);
                    ps.setLong(3, planId);
                },
                rs -> draft[0] = rs.getLong(1));
        if (name == null) {
            update(
                    c,
                    "UPDATE grid_plan d SET name = a.name || ' (单元更新)' FROM grid_plan a WHERE d.id = ? AND a.id = ?",
                    ps -> {
                        ps.setLong(1, draft[0]);
                        ps.setLong(2, planId);
                    });
        }
        update(
                c,
                """
                INSERT INTO grid (plan_id, community_id, code, name, kind, worker_id, backup_worker_id, geom)
                SELECT ?, g.community_id, g.code, g.name, g.kind, w.id, nullif(g.backup_worker_id, w.id), g.geom
                FROM grid g
                CROSS JOIN LATERAL (SELECT coalesce(g.worker_id,
                    (SELECT s.id FROM staff s WHERE s.grid_id = g.id AND s.role = 'GRID_WORKER'
                     ORDER BY s.employment = 'FULL_TIME' DESC, s.id LIMIT 1)) AS id) w
                WHERE g.plan_id = ? ORDER BY g.id""",
                ps -> {
                    ps.setLong(1, draft[0]);
                    ps.setLong(2, planId);
                });
        int assigned =
                update(
                        c,
                        """
                INSERT INTO grid_unit (plan_id, unit_id, grid_id)
                SELECT DISTINCT ON (b.id) ng.plan_id, b.id, ng.id
                FROM base_unit b
                LEFT JOIN grid_unit held ON held.plan_id = ? AND held.unit_id = b.id
                JOIN grid og ON og.plan_id = ? AND og.community_id = b.community_id
                            AND (og.id = held.grid_id OR (og.geom && b.geom AND ST_Intersects(og.geom, ST_PointOnSurface(b.geom))))
                JOIN grid ng ON ng.plan_id = ? AND ng.code = og.code
                WHERE b.retired_at IS NULL
                ORDER BY b.id, og.id IS NOT DISTINCT FROM held.grid_id DESC, og.id""",
                        ps -> {
                            ps.setLong(1, planId);
                            ps.setLong(2, planId);
                            ps.setLong(3, draft[0]);
                        });
        Set<Long> grids = new HashSet<>();
        query(
                c,
                "SELECT id FROM grid WHERE plan_id = ?",
                ps -> ps.setLong(1, draft[0]),
                rs -> grids.add(rs.getLong(1)));
        PlanStore.refreshGeometry(c, draft[0], grids);
        int[] current = {0};
        query(
                c,
                """
                SELECT count(*) FROM base_unit b JOIN community cm ON cm.id = b.community_id
                WHERE b.retired_at IS NULL
                  AND (?::bigint IS NULL OR cm.subdistrict_id = ? OR cm.subdistrict_id IS NULL)""",
                ps -> {
                    ps.setObject(1, subdistrictId, java.sql.Types.BIGINT);
                    ps.setObject(2, subdistrictId, java.sql.Types.BIGINT);
                },
                rs -> current[0] = rs.getInt(1));
        return new long[] {draft[0], current[0] - assigned};
    }
}
