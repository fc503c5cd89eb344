package org.gridgov.grid;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.rebalance.PlanLayout;
import org.gridgov.rebalance.RebalanceRequest;
import org.gridgov.rebalance.UnitGraph;

/** What a rebalance reads (the plan it starts from) and writes (the new draft). */
final class RebalanceStore {

    private static final String COMMUNITY_EXISTS = "SELECT 1 FROM community WHERE id = ?";

    private final Planning planning;

    RebalanceStore(Planning planning) {
        this.planning = planning;
    }

    /**
     * 404 for an unknown plan (or one of another subdistrict than the caller's, scope), 400 for a
     * community of the request that does not exist, 422 for one of another subdistrict.
     */
    void check(long planId, RebalanceRequest req, Long scope) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            PlanStore.PlanRow plan = PlanQueries.visible(c, planId, scope);
            for (Long community : req.gridsPerCommunity().keySet())
                checkCommunity(c, community, "/gridsPerCommunity");
            for (Long community : req.communityFactors().keySet())
                checkCommunity(c, community, "/communityFactors");
            PlanStore.requireOwnCommunities(
                    c, plan, req.gridsPerCommunity().keySet(), "/gridsPerCommunity");
            PlanStore.requireOwnCommunities(
                    c, plan, req.communityFactors().keySet(), "/communityFactors");
        }
    }

    /** The plan's subdistrict (null: none): the rebalance takes its units only. */
    Long subdistrictOf(long planId) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            return PlanStore.require(c, planId).subdistrictId();
        }
    }

    private static void checkCommunity(Connection c, long id, String field) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COMMUNITY_EXISTS)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw new ProblemException(
                            Problem.invalidField(field, "community " + id + " does not exist"));
            }
        }
    }

    /** The plan a rebalance starts from: its name and layout. */
    record Base(String name, PlanLayout layout) {}

    Base base(long planId, UnitGraph g) throws SQLException {
        try (Connection c = planning.ds().getConnection()) {
            String name = PlanStore.require(c, planId).name();
            return new Base(name, PlanStore.layout(c, planId, g));
        }
    }

    /**
     * Names the new grids and writes the layout as a draft based on planId, in the caller's
     * transaction c (the job's completing one); returns the draft's id.
     */
    static long writeDraft(
            Connection c,
            String name,
            long planId,
            Long subdistrictId,
            PlanLayout next,
            UnitGraph g)
            throws SQLException {
        GridNaming.fillNew(c, next);
        return PlanStore.insertDraft(c, name, planId, subdistrictId, next, g);
    }
}
