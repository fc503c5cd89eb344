package org.gridgov.incident;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.geocode.GeocodeMatch;

/**
 * The placement queue: reports given by an address that matched too weakly to place them,
 * acknowledged (202) and kept whole here until an operator places them on the map
 * (docs/addresses.md). The reporter's contact moves to the case when it is placed.
 */
public final class PlacementStore {

    /** A report held in the queue; {@code replayed} when an Idempotency-Key found it there. */
    public record Held(long id, OffsetDateTime receivedAt, boolean replayed) {}

    /** A queued report as intake needs it again to make it a case. */
    record Waiting(
            long id,
            String address,
            String category,
            String channel,
            String description,
            OffsetDateTime reportedAt,
            String reporterName,
            String reporterPhone,
            String reporterEmail,
            boolean notifyReporter,
            ObjectNode extra,
            EnteredBy enteredBy,
            Long incidentId) {}

    private static final String HOLD =
            """
            INSERT INTO placement (address_given, candidate_id, candidate_label, score, category, channel,
                                   description, reported_at, reporter_name, reporter_phone, reporter_email,
                                   notify_reporter, entered_by, entered_username, entered_role,
                                   idempotency_key, request_hash, extra)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id, received_at""";

    private static final String LIST =
            """
            SELECT p.id, p.received_at, p.address_given, p.candidate_id, p.candidate_label, p.score,
                   ST_X(d.geom), ST_Y(d.geom), p.category, p.channel, p.description, p.reported_at,
                   p.placed_at, p.incident_id
            FROM placement p LEFT JOIN door_plate d ON d.id = p.candidate_id
            WHERE (p.incident_id IS NULL) = ?
            ORDER BY p.received_at, p.id LIMIT ?""";

    private final DataSource ds;

    public PlacementStore(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Keeps a report in the queue; committed before the caller answers 202.
     *
     * @param best the best match found, too weak to place it, or null
     * @param extra more facts for staff, for the case's REPORTED event when placed, or null
     */
    public Held hold(
            IncidentReport r,
            String address,
            GeocodeMatch best,
            EnteredBy by,
            String idempotencyKey,
            String requestHash,
            ObjectNode extra)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(HOLD)) {
                int i = 1;
                ps.setString(i++, address);
                setLong(ps, i++, best == null ? null : best.plate().id());
                ps.setString(i++, best == null ? null : best.plate().label());
                ps.setObject(i++, best == null ? null : (float) best.score(), Types.REAL);
                ps.setString(i++, r.category().code());
                ps.setString(i++, r.channel().name());
                ps.setString(i++, r.description());
                ps.setObject(i++, r.reportedAt());
                ps.setString(i++, r.reporterName());
                ps.setString(i++, r.reporterPhone());
                ps.setString(i++, r.reporterEmail());
                ps.setBoolean(i++, r.notifyReporter());
                setLong(ps, i++, by == null ? null : by.staffId());
                ps.setString(i++, by == null ? null : by.username());
                ps.setString(i++, by == null ? null : by.role());
                ps.setString(i++, idempotencyKey);
                ps.setString(i++, requestHash);
                ps.setString(i, extra == null || extra.isEmpty() ? null : extra.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next())
                        return new Held(
                                rs.getLong(1), rs.getObject(2, OffsetDateTime.class), false);
                }
            }
            // the key was used before: the same report gets the same answer, another is refused
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT id, received_at, request_hash FROM placement"
                                    + " WHERE idempotency_key = ?")) {
                ps.setString(1, idempotencyKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next())
                        throw new SQLException("idempotency key vanished: " + idempotencyKey);
                    if (!rs.getString(3).equals(requestHash))
                        throw new ProblemException(
                                Problem.of(
                                        422,
                                        "idempotency-key-reused",
                                        "Idempotency-Key reused with a different request",
                                        "the key '"
                                                + idempotencyKey
                                                + "' was used for another report; use a new key"
                                                + " for a new report",
                                        "Idempotency-Key"));
                    return new Held(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), true);
                }
            }
        }
    }

    /** Waiting (or placed) reports, oldest first: what an operator needs to place them. */
    public List<ObjectNode> list(boolean waiting, int limit) throws SQLException {
        List<ObjectNode> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(LIST)) {
            ps.setBoolean(1, waiting);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode o = Responses.JSON.createObjectNode();
                    o.put("id", rs.getLong(1));
                    o.put("receivedAt", rs.getObject(2, OffsetDateTime.class).toString());
                    o.put("address", rs.getString(3));
                    long cand = rs.getLong(4);
                    if (rs.wasNull()) o.putNull("candidate");
                    else {
                        ObjectNode cn =
                                o.putObject("candidate")
                                        .put("id", cand)
                                        .put("address", rs.getString(5))
                                        .put("score", Math.round(rs.getFloat(6) * 1000) / 1000.0);
                        double lon = rs.getDouble(7);
                        if (!rs.wasNull())
                            cn.putObject("location").put("lon", lon).put("lat", rs.getDouble(8));
                    }
                    o.put("category", rs.getString(9));
                    o.put("channel", rs.getString(10));
                    o.put("description", rs.getString(11));
                    o.put("reportedAt", rs.getObject(12, OffsetDateTime.class).toString());
                    OffsetDateTime placed = rs.getObject(13, OffsetDateTime.class);
                    o.put("status", placed == null ? "WAITING" : "PLACED");
                    if (placed != null) o.put("placedAt", placed.toString());
                    long incident = rs.getLong(14);
                    if (rs.wasNull()) o.putNull("incidentId");
                    else o.put("incidentId", incident);
                    out.add(o);
                }
            }
        }
        return out;
    }

    Optional<Waiting> find(long id) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                                SELECT id, address_given, category, channel, description, reported_at,
                                       reporter_name, reporter_phone, entered_by, entered_username,
                                       entered_role, incident_id, reporter_email, notify_reporter,
                                       extra::text
                                FROM placement WHERE id = ?""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                long staff = rs.getLong(9);
                EnteredBy by =
                        rs.wasNull()
                                ? null
                                : new EnteredBy(staff, rs.getString(10), rs.getString(11), false);
                long incident = rs.getLong(12);
                Long incidentId = rs.wasNull() ? null : incident;
                return Optional.of(
                        new Waiting(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getObject(6, OffsetDateTime.class),
                                rs.getString(7),
                                rs.getString(8),
                                rs.getString(13),
                                rs.getBoolean(14),
                                extra(rs.getString(15)),
                                by,
                                incidentId));
            }
        }
    }

    /**
     * The queue item points to its case now; the reporter's contact, which the case holds, is
     * erased here. A second placement of the same item changes nothing.
     */
    void placed(long id, long incidentId, long operator) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                                UPDATE placement SET incident_id = ?, placed_at = now(), placed_by = ?,
                                                     reporter_name = NULL, reporter_phone = NULL,
                                                     reporter_email = NULL
                                WHERE id = ? AND incident_id IS NULL""")) {
            ps.setLong(1, incidentId);
            ps.setLong(2, operator);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    private static ObjectNode extra(String json) throws SQLException {
        if (json == null) return null;
        try {
            return (ObjectNode) Responses.JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("placement.extra is not JSON", e);
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v);
    }
}
