package org.gridgov.workflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import javax.sql.DataSource;
import org.gridgov.api.Responses;

/**
 * The command centre's work lists: no-owner cases, pending exception requests, supervised (督办)
 * cases: overdue ones the scheduler flagged, and those a leader put under 督办.
 */
public final class Queues {

    static final List<String> NAMES = List.of("no-owner", "exceptions", "supervised");

    private final DataSource ds;

    public Queues(DataSource ds) {
        this.ds = ds;
    }

    /** The first {@code limit} cases of one of {@link #NAMES}. */
    ObjectNode list(String queue, int limit) throws SQLException {
        return list(queue, null, limit);
    }

    /**
     * As above, of one subdistrict's cases when {@code subdistrictId} is given (the isolation rule,
     * docs/access.md), else of every case.
     */
    ObjectNode list(String queue, Long subdistrictId, int limit) throws SQLException {
        String sql =
                switch (queue) {
                    case "no-owner" ->
                            """
                    SELECT id, status, category, platform, step_due_at, NULL, NULL, NULL FROM incident
                    WHERE no_owner AND status NOT IN ('CLOSED', 'REJECTED')
                      AND (?::bigint IS NULL OR subdistrict_id = ?) ORDER BY step_due_at NULLS LAST, id LIMIT ?""";
                    case "exceptions" ->
                            """
                    SELECT i.id, i.status, i.category, i.platform, i.step_due_at, x.id, x.kind, x.reason
                    FROM case_exception x JOIN incident i ON i.id = x.incident_id
                    WHERE x.status = 'PENDING' AND (?::bigint IS NULL OR i.subdistrict_id = ?)
                    ORDER BY x.requested_at, x.id LIMIT ?""";
                    default ->
                            """
                    SELECT i.id, i.status, i.category, i.platform, i.step_due_at, NULL, NULL, NULL,
                           i.supervised, count(s.id), min(s.due_at) FILTER (WHERE s.met_at IS NULL)
                    FROM incident i LEFT JOIN case_supervision s ON s.incident_id = i.id
                    WHERE (i.supervised OR s.id IS NOT NULL) AND i.status NOT IN ('CLOSED', 'REJECTED')
                      AND (?::bigint IS NULL OR i.subdistrict_id = ?)
                    GROUP BY i.id ORDER BY i.step_due_at NULLS LAST, i.id LIMIT ?""";
                };
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("queue", queue);
        ArrayNode arr = n.putArray("items");
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, subdistrictId, java.sql.Types.BIGINT);
            ps.setObject(2, subdistrictId, java.sql.Types.BIGINT);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode o = arr.addObject();
                    o.put("incidentId", rs.getLong(1))
                            .put("status", rs.getString(2))
                            .put("category", rs.getString(3))
                            .put("platform", rs.getString(4));
                    OffsetDateTime due = rs.getObject(5, OffsetDateTime.class);
                    o.put("stepDueAt", due == null ? null : due.toInstant().toString());
                    long x = rs.getLong(6);
                    if (!rs.wasNull())
                        o.put("exceptionId", x)
                                .put("kind", rs.getString(7))
                                .put("reason", rs.getString(8));
                    if (queue.equals("supervised")) {
                        // the scheduler's automatic 督办 (overdue) and the leaders' own, apart
                        o.put("overdueNotice", rs.getBoolean(9))
                                .put("leaderSupervisions", rs.getInt(10));
                        OffsetDateTime lead = rs.getObject(11, OffsetDateTime.class);
                        o.put(
                                "supervisionDueAt",
                                lead == null ? null : lead.toInstant().toString());
                    }
                }
            }
        }
        return n;
    }
}
