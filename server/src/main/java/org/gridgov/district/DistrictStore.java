package org.gridgov.district;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.gridgov.api.Responses;

/**
 * The SQL of the district command centre (docs/district.md): its queue of escalated cases and its
 * board per subdistrict. {@code subdistrict} null: the whole district; else only that subdistrict's
 * rows (the isolation rule, for an admin or auditor of one subdistrict).
 */
public final class DistrictStore {

    /** Escalated cases, oldest escalation first, with why and by whom they came. */
    private static final String QUEUE =
            """
            SELECT i.id, i.version, i.category, i.urgency, i.platform, i.subdistrict_id, j.code, j.name,
                   i.district_stage, i.district_department, i.assignee_id, i.step_due_at, i.due_at,
                   i.reported_at, e.at, e.note, e.actor_role, ST_X(i.location), ST_Y(i.location)
            FROM incident i
            LEFT JOIN jurisdiction j ON j.id = i.subdistrict_id
            LEFT JOIN LATERAL (
                SELECT ev.at, ev.note, ev.actor_role FROM incident_event ev
                WHERE ev.incident_id = i.id AND ev.to_status = 'ESCALATED' AND ev.from_status <> 'ESCALATED'
                ORDER BY ev.id DESC LIMIT 1) e ON true
            WHERE i.status = 'ESCALATED' AND (?::bigint IS NULL OR i.subdistrict_id = ?)
            ORDER BY coalesce(e.at, i.reported_at), i.id
            LIMIT ?""";

    /**
     * Per subdistrict (and the district's own cases, subdistrict NULL): open, overdue (a step
     * deadline passed), escalated, closed in the period and closed by the routing's promise.
     */
    private static final String BOARD =
            """
            WITH s AS (
                SELECT j.id, j.code, j.name FROM jurisdiction j
                WHERE j.kind = 'SUBDISTRICT' AND (?::bigint IS NULL OR j.id = ?)
            ), f AS (
                SELECT i.subdistrict_id AS sid,
                       count(*) FILTER (WHERE i.status NOT IN ('CLOSED', 'REJECTED')) AS open,
                       count(*) FILTER (WHERE i.status NOT IN ('CLOSED', 'REJECTED')
                                          AND i.step_due_at < ?) AS overdue,
                       count(*) FILTER (WHERE i.status = 'ESCALATED') AS escalated,
                       count(*) FILTER (WHERE i.status = 'CLOSED' AND i.closed_at >= ? AND i.closed_at < ?) AS closed,
                       count(*) FILTER (WHERE i.status = 'CLOSED' AND i.closed_at >= ? AND i.closed_at < ?
                                          AND i.closed_at <= i.due_at) AS closed_on_time
                FROM incident i
                WHERE (i.status NOT IN ('CLOSED', 'REJECTED') OR i.closed_at >= ?)
                  AND (?::bigint IS NULL OR i.subdistrict_id = ?)
                GROUP BY i.subdistrict_id
            )
            SELECT s.id, s.code, s.name, coalesce(f.open, 0), coalesce(f.overdue, 0),
                   coalesce(f.escalated, 0), coalesce(f.closed, 0), coalesce(f.closed_on_time, 0)
            FROM s LEFT JOIN f ON f.sid = s.id
            UNION ALL
            SELECT NULL, NULL, NULL, f.open, f.overdue, f.escalated, f.closed, f.closed_on_time
            FROM f WHERE f.sid IS NULL
            ORDER BY 2 NULLS LAST""";

    private final DataSource ds;

    public DistrictStore(DataSource ds) {
        this.ds = ds;
    }

    /** The first {@code limit} escalated cases. */
    public ObjectNode queue(Long subdistrict, int limit, Instant now) throws SQLException {
        ObjectNode n = Responses.JSON.createObjectNode();
        ArrayNode items = n.putArray("items");
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(QUEUE)) {
            ps.setObject(1, subdistrict);
            ps.setObject(2, subdistrict);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode o = items.addObject();
                    o.put("incidentId", rs.getLong(1))
                            .put("version", rs.getInt(2))
                            .put("category", rs.getString(3))
                            .put("urgency", rs.getString(4))
                            .put("platform", rs.getString(5));
                    long sid = rs.getLong(6);
                    if (rs.wasNull()) o.putNull("subdistrict");
                    else
                        o.putObject("subdistrict")
                                .put("id", sid)
                                .put("code", rs.getString(7))
                                .put("name", rs.getString(8));
                    String stage = rs.getString(9);
                    o.put("stage", stage == null ? "WAITING" : stage);
                    o.put("department", rs.getString(10));
                    long a = rs.getLong(11);
                    if (rs.wasNull()) o.putNull("assigneeId");
                    else o.put("assigneeId", a);
                    OffsetDateTime stepDue = rs.getObject(12, OffsetDateTime.class);
                    OffsetDateTime due = rs.getObject(13, OffsetDateTime.class);
                    OffsetDateTime reported = rs.getObject(14, OffsetDateTime.class);
                    OffsetDateTime escalated = rs.getObject(15, OffsetDateTime.class);
                    // the department's deadline once assigned, else the routing's promise
                    OffsetDateTime deadline = "ASSIGNED".equals(stage) ? stepDue : due;
                    o.put("deadline", text(deadline));
                    o.put("overdue", deadline != null && deadline.toInstant().isBefore(now));
                    o.put("reportedAt", text(reported));
                    OffsetDateTime since = escalated != null ? escalated : reported;
                    o.put("escalatedAt", text(since));
                    o.put(
                            "ageHours",
                            Math.round(Duration.between(since.toInstant(), now).toMinutes() / 6.0)
                                    / 10.0);
                    o.put("reason", rs.getString(16));
                    o.put("escalatedBy", rs.getString(17));
                    o.putArray("location").add(rs.getDouble(18)).add(rs.getDouble(19));
                }
            }
        }
        n.put("count", items.size());
        return n;
    }

    /** The board: one row per subdistrict, then the district's own cases when there are any. */
    public ObjectNode board(Long subdistrict, OffsetDateTime from, OffsetDateTime to, Instant now)
            throws SQLException {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("from", from.toString()).put("to", to.toString());
        ArrayNode rows = n.putArray("subdistricts");
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(BOARD)) {
            int i = 1;
            ps.setObject(i++, subdistrict);
            ps.setObject(i++, subdistrict);
            ps.setObject(i++, now.atOffset(ZoneOffset.UTC));
            ps.setObject(i++, from);
            ps.setObject(i++, to);
            ps.setObject(i++, from);
            ps.setObject(i++, to);
            ps.setObject(i++, from);
            ps.setObject(i++, subdistrict);
            ps.setObject(i, subdistrict);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode o = rows.addObject();
                    long id = rs.getLong(1);
                    if (rs.wasNull()) {
                        // escalated beyond every subdistrict, or reported outside all of them
                        o.putNull("id").putNull("code").put("name", "district");
                        o.put("districtOwn", true);
                    } else {
                        o.put("id", id).put("code", rs.getString(2)).put("name", rs.getString(3));
                        o.put("districtOwn", false);
                    }
                    long closed = rs.getLong(7), onTime = rs.getLong(8);
                    o.put("open", rs.getLong(4))
                            .put("overdue", rs.getLong(5))
                            .put("escalated", rs.getLong(6))
                            .put("closed", closed)
                            .put("closedOnTime", onTime);
                    if (closed == 0) o.putNull("onTimeRate");
                    else o.put("onTimeRate", Math.round(10000.0 * onTime / closed) / 10000.0);
                }
            }
        }
        return n;
    }

    private static String text(OffsetDateTime t) {
        return t == null ? null : t.toInstant().toString();
    }
}
