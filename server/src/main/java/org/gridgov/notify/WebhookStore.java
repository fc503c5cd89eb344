package org.gridgov.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.gridgov.api.Responses;

/** Webhook subscriptions (V20): who is sent the case events, and with which secret. */
public final class WebhookStore {

    /** A subscription as the webhook channel needs it. */
    public record Hook(long id, String url, String secret, boolean deleted) {}

    private final DataSource ds;

    public WebhookStore(DataSource ds) {
        this.ds = ds;
    }

    public long create(String url, String secret, String description, String by)
            throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO webhook (url, secret, description, created_by)"
                                        + " VALUES (?, ?, ?, ?) RETURNING id")) {
            ps.setString(1, url);
            ps.setString(2, secret);
            ps.setString(3, description);
            ps.setString(4, by);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public Optional<Hook> find(long id) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT url, secret, deleted_at IS NOT NULL FROM webhook WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(
                        new Hook(id, rs.getString(1), rs.getString(2), rs.getBoolean(3)));
            }
        }
    }

    /** The active subscriptions, without their secrets (shown once, when created). */
    public ArrayNode list() throws SQLException {
        ArrayNode out = Responses.JSON.createArrayNode();
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                                SELECT w.id, w.url, w.description, w.created_at, w.created_by,
                                       (SELECT count(*) FROM outbox o
                                        WHERE o.webhook_id = w.id AND o.state = 'PENDING'),
                                       (SELECT count(*) FROM outbox o
                                        WHERE o.webhook_id = w.id AND o.state = 'DEAD')
                                FROM webhook w WHERE w.deleted_at IS NULL ORDER BY w.id""");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ObjectNode n = out.addObject();
                n.put("id", rs.getLong(1));
                n.put("url", rs.getString(2));
                n.put("description", rs.getString(3));
                n.put("createdAt", rs.getTimestamp(4).toInstant().toString());
                n.put("createdBy", rs.getString(5));
                n.put("pending", rs.getLong(6));
                n.put("dead", rs.getLong(7));
            }
        }
        return out;
    }

    /**
     * Ends a subscription; what is still queued for it is cancelled.
     *
     * @return false when there was no active subscription of that id
     */
    public boolean delete(long id) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                                WITH w AS (
                                    UPDATE webhook SET deleted_at = now()
                                    WHERE id = ? AND deleted_at IS NULL RETURNING id),
                                o AS (
                                    UPDATE outbox SET state = 'CANCELLED',
                                                      last_error = 'the webhook was deleted'
                                    WHERE webhook_id IN (SELECT id FROM w) AND state = 'PENDING')
                                SELECT count(*) FROM w""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 1;
            }
        }
    }
}
