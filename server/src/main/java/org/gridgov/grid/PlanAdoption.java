package org.gridgov.grid;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.rebalance.UnitGraph;
import org.gridgov.rebalance.UnitWorkloads;

/**
 * Adopting a draft: in one transaction, the plan that is last in its subdistrict's timeline ends at
 * the effective time and the draft begins there; other subdistricts' plans are not touched.
 * Incidents keep the plan and grid they were routed to; reports dated after the effective time
 * route to the new plan once the timeline refreshes. The exclusion constraint on grid_plan
 * guarantees that periods never overlap.
 */
public final class PlanAdoption {

    private PlanAdoption() {}

    /** Adopts; returns the validation report (valid). Refuses with 409 problems otherwise. */
    public static PlanValidator.Report adopt(
            Connection c,
            long planId,
            Instant effectiveFrom,
            Integer expectedVersion,
            UnitGraph graph,
            UnitWorkloads w,
            double band,
            Instant now)
            throws SQLException {
        try (Statement st = c.createStatement()) {
            // one adoption at a time, whole timeline
            st.execute("LOCK TABLE grid_plan IN SHARE ROW EXCLUSIVE MODE");
        }
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
                                    + plan.statusNow(now)
                                    + "; only a draft can be adopted or edited",
                            null));
        }
        if (expectedVersion != null && expectedVersion != plan.version()) {
            throw PlanEditor.stale(planId, expectedVersion, plan.version());
        }
        Long last = null;
        Instant lastFrom = null;
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                        SELECT id, effective_from FROM grid_plan
                        WHERE status <> 'DRAFT' AND effective_to IS NULL
                          AND subdistrict_id IS NOT DISTINCT FROM ?
                        ORDER BY effective_from DESC LIMIT 1""")) {
            if (plan.subdistrictId() == null) ps.setNull(1, java.sql.Types.BIGINT);
            else ps.setLong(1, plan.subdistrictId());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    last = rs.getLong(1);
                    lastFrom = rs.getTimestamp(2).toInstant();
                }
            }
        }
        if (lastFrom != null && !effectiveFrom.isAfter(lastFrom)) {
            throw new ProblemException(
                    Problem.of(
                            409,
                            "effective-time-conflict",
                            "The effective time is too early",
                            "plan "
                                    + last
                                    + " took effect at "
                                    + lastFrom
                                    + "; a new plan must take effect after that",
                            "/effectiveFrom"));
        }
        PlanValidator.Report report = PlanValidator.validate(c, planId, graph, w, band);
        if (!report.valid()) {
            throw new ProblemException(
                    Problem.of(
                            409,
                            "plan-invalid",
                            "The plan does not pass validation",
                            "plan "
                                    + planId
                                    + " has "
                                    + report.errorCount()
                                    + " error(s), first: "
                                    + report.firstError().get("message").asText()
                                    + "; see POST /api/v1/plans/"
                                    + planId
                                    + "/validate",
                            null));
        }
        if (last != null) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "UPDATE grid_plan SET effective_to = ?, status = CASE WHEN ? <= now() THEN 'RETIRED' ELSE status END, version = version + 1 WHERE id = ?")) {
                ps.setTimestamp(1, Timestamp.from(effectiveFrom));
                ps.setTimestamp(2, Timestamp.from(effectiveFrom));
                ps.setLong(3, last);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE grid_plan SET status = 'ACTIVE', effective_from = ?, version = version + 1 WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(effectiveFrom));
            ps.setLong(2, planId);
            ps.executeUpdate();
        }
        return report;
    }
}
