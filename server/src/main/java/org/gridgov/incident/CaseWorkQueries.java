package org.gridgov.incident;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * The parts of a case's JSON kept beside the incident row (docs/workflow.md): the per-platform
 * subtasks of a coordinated case and the leaders' 督办, as {@code case.subtasks} and {@code
 * case.supervisions}. Written by the workflow; read here so the incident package stays below it.
 */
final class CaseWorkQueries {

    private CaseWorkQueries() {}

    static boolean holdsSubtask(Connection c, long id, Long staffId, String platform)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                SELECT EXISTS (SELECT 1 FROM case_subtask WHERE incident_id = ?
                               AND (assignee_id = ? OR platform = ?))""")) {
            ps.setLong(1, id);
            ps.setLong(2, staffId == null ? -1 : staffId);
            ps.setString(3, platform);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static void fill(Connection c, long id, ObjectNode caseNode) throws SQLException {
        ArrayNode subs = caseNode.putArray("subtasks");
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                SELECT id, platform, assignee_id, due_at, state, done_at FROM case_subtask
                WHERE incident_id = ? ORDER BY id""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode o = subs.addObject();
                    o.put("id", rs.getLong(1)).put("platform", rs.getString(2));
                    long a = rs.getLong(3);
                    if (rs.wasNull()) o.putNull("assigneeId");
                    else o.put("assigneeId", a);
                    o.put("dueAt", IncidentJson.time(rs.getObject(4, OffsetDateTime.class)))
                            .put("state", rs.getString(5))
                            .put(
                                    "doneAt",
                                    IncidentJson.time(rs.getObject(6, OffsetDateTime.class)));
                }
            }
        }
        ArrayNode sups = caseNode.putArray("supervisions");
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                SELECT id, at, by_id, by_role, reason, due_at, met_at FROM case_supervision
                WHERE incident_id = ? ORDER BY id""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sups.addObject()
                            .put("id", rs.getLong(1))
                            .put("at", IncidentJson.time(rs.getObject(2, OffsetDateTime.class)))
                            .put("byId", rs.getLong(3))
                            .put("byRole", rs.getString(4))
                            .put("reason", rs.getString(5))
                            .put("dueAt", IncidentJson.time(rs.getObject(6, OffsetDateTime.class)))
                            .put("metAt", IncidentJson.time(rs.getObject(7, OffsetDateTime.class)));
                }
            }
        }
    }

    /**
     * The leaders' 督办 of the listed cases in one look-up by case (case_supervision_incident_idx):
     * {@code {open, missed, nextDueAt}} per case that has any — open: not met and not yet due;
     * missed: not met and past due; nextDueAt: the nearest open one's deadline.
     */
    static java.util.Map<Long, ObjectNode> leaderSummary(Connection c, Long[] ids)
            throws SQLException {
        java.util.Map<Long, ObjectNode> out = new java.util.HashMap<>();
        if (ids.length == 0) return out;
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                SELECT incident_id,
                       count(*) FILTER (WHERE met_at IS NULL AND due_at >= now()),
                       count(*) FILTER (WHERE met_at IS NULL AND due_at < now()),
                       min(due_at) FILTER (WHERE met_at IS NULL AND due_at >= now())
                FROM case_supervision WHERE incident_id = ANY (?)
                GROUP BY incident_id""")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode o =
                            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                                    .objectNode();
                    o.put("open", rs.getInt(2))
                            .put("missed", rs.getInt(3))
                            .put(
                                    "nextDueAt",
                                    IncidentJson.time(rs.getObject(4, OffsetDateTime.class)));
                    out.put(rs.getLong(1), o);
                }
            }
        }
        return out;
    }
}
