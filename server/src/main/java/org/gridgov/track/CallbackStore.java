package org.gridgov.track;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.db.Jdbc;

/**
 * The command centre's callback tasks (二次回访): one per "not solved" rating. Listed without the
 * reporter's details (lists are masked; the case itself shows them by the personal-data rule);
 * marking one done records the outcome on the task and as a CALLBACK event in the case's history.
 */
public final class CallbackStore {

    private static final String LIST =
            """
            SELECT t.id, t.incident_id, t.created_at, t.satisfaction, t.comment, t.status,
                   t.done_at, s.username, t.outcome, i.status
            FROM callback_task t
            JOIN incident i ON i.id = t.incident_id
            LEFT JOIN staff s ON s.id = t.done_by
            WHERE (? = 'all' OR t.status = upper(?))
            ORDER BY t.created_at, t.id
            LIMIT ?""";

    private static final String DONE =
            """
            UPDATE callback_task SET status = 'DONE', done_at = ?, done_by = ?, outcome = ?
            WHERE id = ? AND status = 'OPEN'
            RETURNING incident_id""";

    private static final String TOUCH =
            """
            UPDATE incident SET version = version + 1, updated_at = ? WHERE id = ?
            RETURNING status""";

    private static final String EVENT =
            """
            INSERT INTO incident_event (incident_id, at, actor_id, actor_role, type, from_status, to_status, note, data)
            VALUES (?, ?, ?, ?, 'CALLBACK', ?, ?, ?, ?::jsonb)""";

    private final DataSource ds;
    private final Clock clock;

    public CallbackStore(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /** Tasks by status ("open", "done", "all"), oldest first. */
    ObjectNode list(String status, int limit) throws SQLException {
        ObjectNode n = Responses.JSON.createObjectNode();
        ArrayNode arr = n.putArray("callbacks");
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(LIST)) {
            ps.setString(1, status);
            ps.setString(2, status);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) arr.add(row(rs));
            }
        }
        return n;
    }

    /** One task, as listed. */
    private ObjectNode one(Connection c, long id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        LIST.replace("WHERE (? = 'all' OR t.status = upper(?))", "WHERE t.id = ?")
                                .replace("LIMIT ?", ""))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    private static ObjectNode row(ResultSet rs) throws SQLException {
        ObjectNode o = Responses.JSON.createObjectNode();
        o.put("id", rs.getLong(1))
                .put("incidentId", rs.getLong(2))
                .put("createdAt", rs.getObject(3, OffsetDateTime.class).toInstant().toString())
                .put("satisfaction", rs.getInt(4))
                .put("comment", rs.getString(5))
                .put("status", rs.getString(6));
        OffsetDateTime done = rs.getObject(7, OffsetDateTime.class);
        o.put("doneAt", done == null ? null : done.toInstant().toString())
                .put("doneBy", rs.getString(8))
                .put("outcome", rs.getString(9))
                .put("caseStatus", rs.getString(10));
        return o;
    }

    /**
     * Marks an open task done with the outcome of the call, and writes it into the case's history
     * (event CALLBACK, the case's state unchanged), in one transaction. 404 for no such task, 409
     * when it is done already.
     */
    ObjectNode done(long id, long staffId, String role, String outcome) throws SQLException {
        return Jdbc.inTransaction(
                ds,
                c -> {
                    OffsetDateTime now =
                            clock.instant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
                    Long incident = null;
                    try (PreparedStatement ps = c.prepareStatement(DONE)) {
                        ps.setObject(1, now);
                        ps.setLong(2, staffId);
                        ps.setString(3, outcome);
                        ps.setLong(4, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) incident = rs.getLong(1);
                        }
                    }
                    if (incident == null) {
                        ObjectNode existing = one(c, id);
                        if (existing == null)
                            throw new ProblemException(Problem.notFound("no callback task " + id));
                        throw new ProblemException(
                                Problem.of(
                                        409,
                                        "callback-done",
                                        "Already done",
                                        "callback task "
                                                + id
                                                + " was done at "
                                                + existing.get("doneAt").asText()
                                                + " by "
                                                + existing.get("doneBy").asText(),
                                        null));
                    }
                    String status;
                    try (PreparedStatement ps = c.prepareStatement(TOUCH)) {
                        ps.setObject(1, now);
                        ps.setLong(2, incident);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            status = rs.getString(1);
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement(EVENT)) {
                        ps.setLong(1, incident);
                        ps.setObject(2, now);
                        ps.setLong(3, staffId);
                        ps.setString(4, role);
                        ps.setString(5, status);
                        ps.setString(6, status);
                        ps.setString(7, outcome);
                        ps.setString(8, "{\"callbackId\":" + id + "}");
                        ps.executeUpdate();
                    }
                    return one(c, id);
                });
    }
}
