package org.gridgov.workflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.gridgov.api.Responses;

/**
 * The per-platform subtasks of coordinated cases (case_subtask), inside the engine's transaction.
 */
public final class Subtasks {

    /** One subtask row. */
    record Subtask(
            long id,
            long incidentId,
            String platform,
            Long assigneeId,
            SubtaskState state,
            OffsetDateTime dueAt) {}

    private final DataSource ds;

    public Subtasks(DataSource ds) {
        this.ds = ds;
    }

    /**
     * One subtask per platform; a platform coordinated again (after a rework) gets its subtask
     * back, open.
     */
    static long upsert(
            Connection c, long incidentId, String platform, Long assignee, Instant due, Instant now)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                INSERT INTO case_subtask (incident_id, platform, assignee_id, due_at, created_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (incident_id, platform) DO UPDATE SET assignee_id = EXCLUDED.assignee_id,
                    due_at = EXCLUDED.due_at, state = 'OPEN', started_at = NULL, done_at = NULL
                RETURNING id""")) {
            ps.setLong(1, incidentId);
            ps.setString(2, platform);
            CaseEngine.setLong(ps, 3, assignee);
            ps.setObject(4, due.atOffset(ZoneOffset.UTC));
            ps.setObject(5, now.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The case's subtask {@code sid}, locked; null when the case has none of that id. */
    static Subtask find(Connection c, long incidentId, long sid) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                SELECT id, incident_id, platform, assignee_id, state, due_at FROM case_subtask
                WHERE id = ? AND incident_id = ? FOR UPDATE""")) {
            ps.setLong(1, sid);
            ps.setLong(2, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                return new Subtask(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        CaseEngine.getLong(rs, 4),
                        SubtaskState.valueOf(rs.getString(5)),
                        rs.getObject(6, OffsetDateTime.class));
            }
        }
    }

    /** The case's subtasks, in order of creation. */
    static List<Subtask> all(Connection c, long incidentId) throws SQLException {
        List<Subtask> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                SELECT id, incident_id, platform, assignee_id, state, due_at FROM case_subtask
                WHERE incident_id = ? ORDER BY id""")) {
            ps.setLong(1, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(
                            new Subtask(
                                    rs.getLong(1),
                                    rs.getLong(2),
                                    rs.getString(3),
                                    CaseEngine.getLong(rs, 4),
                                    SubtaskState.valueOf(rs.getString(5)),
                                    rs.getObject(6, OffsetDateTime.class)));
            }
        }
        return out;
    }

    /** The platforms whose subtasks are not done, with their ids, e.g. "URBAN (subtask 4)". */
    static List<String> open(Connection c, long incidentId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                SELECT id, platform, state FROM case_subtask
                WHERE incident_id = ? AND state <> 'DONE' ORDER BY due_at, id""")) {
            ps.setLong(1, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(
                            rs.getString(2)
                                    + " (subtask "
                                    + rs.getLong(1)
                                    + ", "
                                    + rs.getString(3)
                                    + ")");
            }
        }
        return out;
    }

    static void update(Connection c, long sid, SubtaskState state, Long assignee, Instant now)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                UPDATE case_subtask SET state = ?, assignee_id = ?,
                    started_at = CASE WHEN ? = 'STARTED' THEN ? ELSE started_at END,
                    done_at = CASE WHEN ? = 'DONE' THEN ? END
                WHERE id = ?""")) {
            OffsetDateTime t = now.atOffset(ZoneOffset.UTC);
            ps.setString(1, state.name());
            CaseEngine.setLong(ps, 2, assignee);
            ps.setString(3, state.name());
            ps.setObject(4, t);
            ps.setString(5, state.name());
            ps.setObject(6, t);
            ps.setLong(7, sid);
            ps.executeUpdate();
        }
    }

    /**
     * GET /api/v1/subtasks?assignee=me: the person's subtasks not done, on cases still being
     * coordinated, overdue first then by deadline.
     */
    public ObjectNode mine(long staffId, Instant now) throws SQLException {
        ObjectNode n = Responses.JSON.createObjectNode();
        ArrayNode arr = n.putArray("subtasks");
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                SELECT s.id, s.incident_id, s.platform, s.assignee_id, s.due_at, s.state, s.done_at,
                       i.category, i.status, i.version
                FROM case_subtask s JOIN incident i ON i.id = s.incident_id
                WHERE s.assignee_id = ? AND s.state <> 'DONE' AND i.status = 'COORDINATION'
                ORDER BY s.due_at, s.id LIMIT 500""")) {
            ps.setLong(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime due = rs.getObject(5, OffsetDateTime.class);
                    ObjectNode o = arr.addObject();
                    o.put("id", rs.getLong(1))
                            .put("incidentId", rs.getLong(2))
                            .put("platform", rs.getString(3))
                            .put("assigneeId", rs.getLong(4))
                            .put("dueAt", due.toInstant().toString())
                            .put("state", rs.getString(6))
                            .putNull("doneAt");
                    o.put("overdue", now.isAfter(due.toInstant()))
                            .put("category", rs.getString(8))
                            .put("caseStatus", rs.getString(9))
                            .put("caseVersion", rs.getInt(10));
                }
            }
        }
        return n;
    }
}
