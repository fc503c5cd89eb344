package org.gridgov.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.gridgov.api.Responses;

/**
 * The outbox (V20): claiming due rows under a lease, recording what became of them, and what the
 * administrators' views read. Rows are written by the trigger on incident_event (reporters,
 * webhooks) and by other capabilities (HOTLINE rows), never here.
 */
public final class OutboxStore {

    /**
     * Takes due rows nobody holds (SKIP LOCKED: two workers never wait on or take the same row) and
     * leases them: the attempt is counted and the row is due again only when the lease ends, so a
     * worker that dies holding it (a killed server) gives it back by doing nothing.
     */
    private static final String CLAIM =
            """
            WITH due AS (
                SELECT id FROM outbox
                WHERE state = 'PENDING' AND next_attempt_at <= now() AND channel = ANY (?)
                ORDER BY next_attempt_at, id
                LIMIT ?
                FOR UPDATE SKIP LOCKED)
            UPDATE outbox o
            SET attempts = o.attempts + 1,
                next_attempt_at = now() + make_interval(secs => ?),
                claimed_by = ?
            FROM due WHERE o.id = due.id
            RETURNING o.id, o.message_id, o.channel, o.kind, o.incident_id, o.event_id,
                      o.webhook_id, o.payload::text, o.attempts""";

    private static final String SENT =
            """
            UPDATE outbox SET state = 'SENT', sent_at = now(), last_error = NULL
            WHERE id = ? AND state = 'PENDING'""";

    /** Only while the row is still this attempt's: a later claim owns it otherwise. */
    private static final String RETRY =
            """
            UPDATE outbox SET next_attempt_at = ?, last_error = ?
            WHERE id = ? AND state = 'PENDING' AND attempts = ?""";

    private static final String DEAD =
            """
            UPDATE outbox SET state = 'DEAD', last_error = ?
            WHERE id = ? AND state = 'PENDING' AND attempts = ?""";

    private static final String REPORTER =
            """
            SELECT i.reporter_phone, c.sms, c.email, c.opted_out_at IS NOT NULL
            FROM reporter_contact c JOIN incident i ON i.id = c.incident_id
            WHERE c.incident_id = ?""";

    private static final String LIST =
            """
            SELECT id, message_id, channel, kind, incident_id, event_id, webhook_id, state, attempts,
                   next_attempt_at, last_error, created_at, sent_at
            FROM outbox WHERE (?::text IS NULL OR state = ?) AND (?::bigint IS NULL OR id < ?)
            ORDER BY id DESC LIMIT ?""";

    private static final String COUNTS =
            "SELECT state, channel, count(*) FROM outbox GROUP BY state, channel ORDER BY 1, 2";

    /** The reporter's own: every pending message of theirs goes too. */
    private static final String OPT_OUT =
            """
            WITH c AS (
                UPDATE reporter_contact SET opted_out_at = now(), opted_out_via = ?
                WHERE incident_id = ? AND opted_out_at IS NULL
                RETURNING incident_id)
            UPDATE outbox o SET state = 'CANCELLED', last_error = 'the reporter opted out'
            FROM c WHERE o.incident_id = c.incident_id AND o.state = 'PENDING'
              AND o.channel IN ('SMS', 'EMAIL')
            RETURNING o.id""";

    /** What became of an administrator's retry of a row. */
    public enum Requeued {
        REQUEUED,
        NOT_FOUND,
        NOT_DEAD
    }

    /**
     * Gives a dead row its attempts again (the receiver was fixed, the address corrected): the same
     * row and message id, due now.
     */
    public Requeued requeue(long id) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                                WITH r AS (
                                    UPDATE outbox SET state = 'PENDING', attempts = 0,
                                           next_attempt_at = now(),
                                           last_error = 'requeued by an administrator: '
                                                        || coalesce(last_error, '')
                                    WHERE id = ? AND state = 'DEAD' RETURNING id)
                                SELECT (SELECT count(*) FROM r),
                                       (SELECT count(*) FROM outbox WHERE id = ?)""")) {
            ps.setLong(1, id);
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 1) return Requeued.REQUEUED;
                return rs.getLong(2) == 0 ? Requeued.NOT_FOUND : Requeued.NOT_DEAD;
            }
        }
    }

    /** A reporter as a message to them needs them: the phone stays on the incident. */
    public record Reporter(String phone, boolean sms, String email, boolean optedOut) {}

    private final DataSource ds;

    public OutboxStore(DataSource ds) {
        this.ds = ds;
    }

    /** Leases up to limit due rows of the given channels for lease. */
    public List<Message> claim(String worker, Set<Channel> channels, int limit, Duration lease)
            throws SQLException {
        if (channels.isEmpty()) return List.of();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setArray(
                    1,
                    c.createArrayOf(
                            "text", channels.stream().map(Channel::name).toArray(Object[]::new)));
            ps.setInt(2, limit);
            ps.setDouble(3, lease.toMillis() / 1000.0);
            ps.setString(4, worker);
            List<Message> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(
                            new Message(
                                    rs.getLong(1),
                                    rs.getObject(2, UUID.class),
                                    Channel.valueOf(rs.getString(3)),
                                    rs.getString(4),
                                    nullableLong(rs, 5),
                                    nullableLong(rs, 6),
                                    nullableLong(rs, 7),
                                    rs.getString(8),
                                    rs.getInt(9)));
            }
            out.sort(java.util.Comparator.comparingLong(Message::id));
            return out;
        }
    }

    /** The receiver accepted it. False: the row was no longer pending (cancelled meanwhile). */
    public boolean markSent(long id) throws SQLException {
        return update(SENT, ps -> ps.setLong(1, id)) == 1;
    }

    public boolean retryAt(Message m, Instant at, String error) throws SQLException {
        return update(
                        RETRY,
                        ps -> {
                            ps.setTimestamp(1, Timestamp.from(at));
                            ps.setString(2, clip(error));
                            ps.setLong(3, m.id());
                            ps.setInt(4, m.attempts());
                        })
                == 1;
    }

    public boolean markDead(Message m, String error) throws SQLException {
        return update(
                        DEAD,
                        ps -> {
                            ps.setString(1, clip(error));
                            ps.setLong(2, m.id());
                            ps.setInt(3, m.attempts());
                        })
                == 1;
    }

    public Optional<Reporter> reporter(long incidentId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(REPORTER)) {
            ps.setLong(1, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(
                        new Reporter(
                                rs.getString(1),
                                rs.getBoolean(2),
                                rs.getString(3),
                                rs.getBoolean(4)));
            }
        }
    }

    /**
     * Records the reporter's opt-out and cancels what is still queued for them.
     *
     * @return whether there was a contact that had not opted out yet
     */
    public Optional<Integer> optOut(long incidentId, String via) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean active;
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT opted_out_at IS NULL FROM reporter_contact"
                                        + " WHERE incident_id = ? FOR UPDATE")) {
                    ps.setLong(1, incidentId);
                    try (ResultSet rs = ps.executeQuery()) {
                        active = rs.next() && rs.getBoolean(1);
                    }
                }
                int cancelled = 0;
                if (active) {
                    try (PreparedStatement ps = c.prepareStatement(OPT_OUT)) {
                        ps.setString(1, via);
                        ps.setLong(2, incidentId);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) cancelled++;
                        }
                    }
                }
                c.commit();
                return active ? Optional.of(cancelled) : Optional.empty();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Newest first; state null: every state. */
    public ArrayNode list(OutboxState state, Long beforeId, int limit) throws SQLException {
        ArrayNode out = Responses.JSON.createArrayNode();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(LIST)) {
            String s = state == null ? null : state.name();
            ps.setString(1, s);
            ps.setString(2, s);
            if (beforeId == null) {
                ps.setNull(3, Types.BIGINT);
                ps.setNull(4, Types.BIGINT);
            } else {
                ps.setLong(3, beforeId);
                ps.setLong(4, beforeId);
            }
            ps.setInt(5, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode n = out.addObject();
                    n.put("id", rs.getLong(1));
                    n.put("messageId", rs.getString(2));
                    n.put("channel", rs.getString(3));
                    n.put("kind", rs.getString(4));
                    putLong(n, "incident", rs, 5);
                    putLong(n, "event", rs, 6);
                    putLong(n, "webhook", rs, 7);
                    n.put("state", rs.getString(8));
                    n.put("attempts", rs.getInt(9));
                    n.put("nextAttemptAt", instant(rs, 10));
                    n.put("lastError", rs.getString(11));
                    n.put("createdAt", instant(rs, 12));
                    n.put("sentAt", instant(rs, 13));
                }
            }
        }
        return out;
    }

    /** Rows by state and channel, every state present (0 when none). */
    public ObjectNode counts() throws SQLException {
        ObjectNode byState = Responses.JSON.createObjectNode();
        for (OutboxState s : OutboxState.values()) {
            ObjectNode n = byState.putObject(s.name());
            n.put("total", 0);
            n.putObject("byChannel");
        }
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(COUNTS);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ObjectNode n = (ObjectNode) byState.get(rs.getString(1));
                n.put("total", n.get("total").asLong() + rs.getLong(3));
                ((ObjectNode) n.get("byChannel")).put(rs.getString(2), rs.getLong(3));
            }
        }
        return byState;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int update(String sql, Binder b) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            b.bind(ps);
            return ps.executeUpdate();
        }
    }

    static String clip(String error) {
        if (error == null) return null;
        return error.length() <= 500 ? error : error.substring(0, 500) + "…";
    }

    private static Long nullableLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static void putLong(ObjectNode n, String name, ResultSet rs, int i)
            throws SQLException {
        Long v = nullableLong(rs, i);
        if (v == null) n.putNull(name);
        else n.put(name, v);
    }

    private static String instant(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant().toString();
    }
}
