package org.gridgov.workflow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * The district command centre's part of an escalated case (V34, docs/district.md): how far the
 * district got with it while it stays ESCALATED, and which of its departments handles it. Pure
 * checks plus the two statements that read and write it.
 */
final class DistrictDesk {

    /** Waiting in the district's queue, taken by the district, or with a district department. */
    enum Stage {
        WAITING,
        ACCEPTED,
        ASSIGNED
    }

    /** The case as the district sees it; {@code subdistrictId} null: the district's own case. */
    record State(Stage stage, String department, Long subdistrictId) {}

    /** A district department (V25): the platform it belongs to and its handler, if named. */
    record Department(String code, String platform, Long handlerId) {}

    private DistrictDesk() {}

    static State load(Connection c, long id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT district_stage, district_department, subdistrict_id FROM incident"
                                + " WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String s = rs.getString(1);
                return new State(
                        s == null ? Stage.WAITING : Stage.valueOf(s),
                        rs.getString(2),
                        CaseEngine.getLong(rs, 3));
            }
        }
    }

    /** The stage after the action (WAITING clears it, with the department). */
    static void save(Connection c, long id, Stage stage, String department) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE incident SET district_stage = ?, district_department = ?"
                                + " WHERE id = ?")) {
            ps.setString(1, stage == Stage.WAITING ? null : stage.name());
            ps.setString(2, department);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    static Department department(Connection c, String code) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT code, platform, handler_id FROM department WHERE code = ?")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw ActionRequest.invalid(
                            "/department",
                            "'" + code + "' is not a department (GET /api/v1/departments)");
                return new Department(rs.getString(1), rs.getString(2), CaseEngine.getLong(rs, 3));
            }
        }
    }

    /**
     * Whether the case's district stage allows the action (the state machine has checked the
     * status): accept once, assign and resolve what the district accepted, return only a case that
     * has a subdistrict to return to.
     */
    static boolean fits(CaseAction a, State s) {
        return switch (a) {
            case DISTRICT_ACCEPT -> s.stage() == Stage.WAITING;
            case DISTRICT_ASSIGN, DISTRICT_RESOLVE -> s.stage() != Stage.WAITING;
            case DISTRICT_RETURN -> s.subdistrictId() != null;
            default -> true;
        };
    }

    /** The 4xx for an action that does not fit the stage ({@link #fits} false). */
    static ProblemException refusal(long id, CaseAction a, State s) {
        if (a == CaseAction.DISTRICT_RETURN)
            return new ProblemException(
                    Problem.of(
                            422,
                            "district-own-case",
                            "The case belongs to no subdistrict",
                            "incident "
                                    + id
                                    + " lies in no subdistrict (the district's own case): the"
                                    + " district handles it; assign it to a district department",
                            "/action"));
        if (a == CaseAction.DISTRICT_ACCEPT)
            return new ProblemException(
                    Problem.of(
                            409,
                            "district-accepted-already",
                            "The district has the case already",
                            "incident " + id + " is " + s.stage() + " by the district",
                            "/action"));
        return new ProblemException(
                Problem.of(
                        409,
                        "district-not-accepted",
                        "The district has not accepted the case",
                        "'"
                                + a.wire
                                + "' needs the case accepted by the district first"
                                + " (action 'district-accept')",
                        "/action"));
    }
}
