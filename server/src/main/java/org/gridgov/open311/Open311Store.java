package org.gridgov.open311;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.gridgov.api.Responses;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Service requests as the public sees them: de-identified (no reporter, no staff), a merged
 * duplicate shows its original's progress.
 */
final class Open311Store {

    /** One request row: the case, or for a merged duplicate the original it follows. */
    private static final String SELECT = """
            SELECT i.id, coalesce(o.status, i.status), i.category, c.name_zh, i.description, p.name_zh,
                   i.reported_at, greatest(i.updated_at, o.updated_at), i.due_at, ST_X(i.location), ST_Y(i.location), i.duplicate_of
            FROM incident i
            JOIN category c ON c.code = i.category
            LEFT JOIN incident o ON o.id = i.duplicate_of
            JOIN platform p ON p.code = coalesce(o.platform, i.platform)
            """;

    private final DataSource ds;
    private final ZoneId zone;

    Open311Store(DataSource ds, ZoneId zone) {
        this.ds = ds;
        this.zone = zone;
    }

    List<ObjectNode> byIds(List<Long> ids) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT + " WHERE i.id = ANY (?) ORDER BY i.id")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            return read(ps);
        }
    }

    /** Newest first, at most {@code limit}; status open|closed; within a radius of a point when given. */
    List<ObjectNode> search(String category, String status, OffsetDateTime from, OffsetDateTime to, Double lon, Double lat,
                            int radiusM, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE i.reported_at >= ? AND i.reported_at < ?");
        List<Object> args = new ArrayList<>(List.of(from, to));
        if (category != null) { sql.append(" AND i.category = ?"); args.add(category); }
        if ("open".equals(status)) sql.append(" AND coalesce(o.status, i.status) NOT IN ('CLOSED', 'REJECTED')");
        if ("closed".equals(status)) sql.append(" AND coalesce(o.status, i.status) IN ('CLOSED', 'REJECTED')");
        if (lon != null) {
            sql.append(" AND i.location && ST_Expand(ST_SetSRID(ST_MakePoint(?, ?), 4326), ? / 111320.0 / cos(radians(?)) * 1.01)"
                    + " AND ST_DWithin(i.location::geography, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?) AND i.duplicate_of IS NULL");
            args.addAll(List.of(lon, lat, (double) radiusM, lat, lon, lat, (double) radiusM));
        }
        sql.append(" ORDER BY i.id DESC LIMIT ?");
        args.add(limit);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int k = 0; k < args.size(); k++) ps.setObject(k + 1, args.get(k));
            return read(ps);
        }
    }

    /** A public reporter follows an open case instead of filing a duplicate: an event on that case. */
    boolean follow(long id, String channelNote, Instant now) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE incident SET version = version + 1, updated_at = ? WHERE id = ? AND status NOT IN ('CLOSED', 'REJECTED')
                    RETURNING status""")) {
                ps.setObject(1, now.atOffset(ZoneOffset.UTC));
                ps.setLong(2, id);
                String status;
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        c.rollback();
                        return false;
                    }
                    status = rs.getString(1);
                }
                try (PreparedStatement ev = c.prepareStatement("""
                        INSERT INTO incident_event (incident_id, at, actor_role, type, from_status, to_status, note, data)
                        VALUES (?, ?, 'PUBLIC', 'FOLLOWED', ?, ?, ?, ?::jsonb)""")) {
                    ev.setLong(1, id);
                    ev.setObject(2, now.atOffset(ZoneOffset.UTC));
                    ev.setString(3, status);
                    ev.setString(4, status);
                    ev.setString(5, "another reporter follows this case instead of filing a duplicate");
                    ev.setString(6, Responses.JSON.createObjectNode().put("channel", channelNote).toString());
                    ev.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private List<ObjectNode> read(PreparedStatement ps) throws SQLException {
        List<ObjectNode> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ObjectNode o = Responses.JSON.createObjectNode();
                String status = rs.getString(2);
                boolean open = !status.equals("CLOSED") && !status.equals("REJECTED");
                long dup = rs.getLong(12);
                boolean merged = !rs.wasNull();
                o.put("service_request_id", Long.toString(rs.getLong(1)));
                o.put("status", open ? "open" : "closed");
                o.put("status_notes", notes(status, merged ? dup : null));
                o.put("service_name", rs.getString(4));
                o.put("service_code", rs.getString(3));
                o.put("description", rs.getString(5));
                o.put("agency_responsible", rs.getString(6));
                o.putNull("service_notice");
                o.put("requested_datetime", time(rs.getObject(7, OffsetDateTime.class)));
                o.put("updated_datetime", time(rs.getObject(8, OffsetDateTime.class)));
                o.put("expected_datetime", time(rs.getObject(9, OffsetDateTime.class)));
                o.putNull("address");
                o.putNull("address_id");
                o.putNull("zipcode");
                o.put("lat", rs.getDouble(11));
                o.put("long", rs.getDouble(10));
                o.putNull("media_url");
                out.add(o);
            }
        }
        return out;
    }

    /** Public wording of a state: never a staff note, never a name. */
    static String notes(String status, Long mergedInto) {
        String s = switch (status) {
            case "REPORTED" -> "已收到，等待受理 (received, awaiting acceptance)";
            case "ACCEPTED" -> "已受理，正在派遣 (accepted, being dispatched)";
            case "DISPATCHED", "IN_PROGRESS", "COORDINATION" -> "处置中 (being handled)";
            case "RESOLVED", "VERIFIED" -> "已处置，核查中 (handled, being verified)";
            case "CLOSED" -> "已办结 (closed)";
            case "ESCALATED" -> "已上报区指挥中心 (referred to the district command centre)";
            case "REJECTED" -> "不予受理 (not accepted)";
            default -> status;
        };
        return mergedInto == null ? s : s + "; 与 #" + mergedInto + " 合并 (merged into request " + mergedInto + ")";
    }

    private String time(OffsetDateTime t) {
        return t == null ? null : t.atZoneSameInstant(zone).toOffsetDateTime().toString();
    }
}
