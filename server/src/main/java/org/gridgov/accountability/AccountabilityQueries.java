package org.gridgov.accountability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.gridgov.api.Responses;
import org.gridgov.db.AdminLog;
import org.gridgov.db.Jdbc;

/**
 * The findings over the append-only event log (docs/accountability.md), read in the transaction
 * that writes the use to the admin log, so no finding is ever read unlogged. Each kind is one query
 * over the period's events of a few types (partial index of V29), then the case's other events by
 * (incident_id, id); names and the case's context come in two small look-ups after.
 */
public final class AccountabilityQueries {

    /**
     * One question: the period [from, to), the kinds asked for, the thresholds, and the subdistrict
     * whose cases it is about (null: every case, for district-scoped auditors; THE ISOLATION RULE).
     */
    public record Query(
            OffsetDateTime from,
            OffsetDateTime to,
            Set<FindingKind> kinds,
            Thresholds limits,
            Long subdistrictId) {}

    /**
     * Hand-overs: transfers to another platform, approved returns (to the no-owner queue, with who
     * asked), the district sending a case back, and a coordinated case's subtask reassigned within
     * its platform (the platform's piece of joint work passed on).
     */
    static final String PASSED_BACK =
            """
            SELECT e.incident_id, count(*),
                   jsonb_agg(jsonb_build_object(
                       'eventId', e.id, 'at', e.at, 'type', e.type,
                       'byId', e.actor_id, 'byRole', e.actor_role,
                       'askedById', x.requested_by, 'reason', x.reason,
                       'fromPlatform', CASE e.type WHEN 'SUBTASK_REASSIGNED' THEN e.data->>'platform'
                                                   ELSE e.data->>'fromPlatform' END,
                       'toPlatform', e.data->>'platform', 'subtaskId', e.data->'subtaskId',
                       'fromAssigneeId', e.data->'fromAssigneeId', 'toAssigneeId', e.data->'assigneeId',
                       'outcome', e.data->>'outcome') ORDER BY e.id)
            FROM incident_event e
            LEFT JOIN case_exception x
                   ON e.type = 'RETURN_APPROVED' AND x.id = (e.data->>'exceptionId')::bigint
            WHERE e.type IN ('TRANSFER', 'RETURN_APPROVED', 'DISTRICT_REPLY', 'SUBTASK_REASSIGNED')
              AND e.at >= ? AND e.at < ?
              AND (e.type <> 'DISTRICT_REPLY' OR e.data->>'outcome' = 'RETURNED')
            GROUP BY e.incident_id
            HAVING count(*) >= ?""";

    /** Extension requests, with how each was decided and by whom. */
    static final String REPEATED_EXTENSION =
            """
            SELECT e.incident_id, count(*),
                   jsonb_agg(jsonb_build_object(
                       'eventId', e.id, 'at', e.at, 'type', e.type,
                       'byId', e.actor_id, 'byRole', e.actor_role,
                       'extraHours', x.extra_hours, 'reason', x.reason,
                       'decision', x.status, 'decidedById', x.decided_by) ORDER BY e.id)
            FROM incident_event e
            LEFT JOIN case_exception x ON x.id = (e.data->>'exceptionId')::bigint
            WHERE e.type = 'EXTENSION_REQUESTED' AND e.at >= ? AND e.at < ?
            GROUP BY e.incident_id
            HAVING count(*) >= ?""";

    /**
     * Spells with no owner: from an acceptance (not yet dispatched) or an approved return (the
     * no-owner queue) to the next dispatch or the case leaving ACCEPTED; a spell still open runs to
     * now. Spells that begin in the period.
     */
    static final String NO_OWNER =
            """
            WITH s AS (
                SELECT e.id, e.incident_id, e.at, e.type, e.actor_id, e.actor_role
                FROM incident_event e
                WHERE e.type IN ('ACCEPT', 'RETURN_APPROVED') AND e.at >= ? AND e.at < ?
            ), spans AS (
                SELECT s.*, n.id AS end_id, n.at AS end_at, n.type AS end_type,
                       n.actor_id AS end_by, n.actor_role AS end_role,
                       extract(epoch FROM coalesce(n.at, now()) - s.at) / 3600.0 AS hours
                FROM s
                LEFT JOIN LATERAL (
                    SELECT n.id, n.at, n.type, n.actor_id, n.actor_role FROM incident_event n
                    WHERE n.incident_id = s.incident_id AND n.id > s.id
                      AND (n.type = 'DISPATCH' OR n.to_status <> 'ACCEPTED')
                    ORDER BY n.id LIMIT 1) n ON true
            )
            SELECT incident_id, round(sum(hours)::numeric, 2),
                   jsonb_agg(jsonb_build_object(
                       'eventId', id, 'at', at, 'type', type, 'byId', actor_id, 'byRole', actor_role,
                       'endEventId', end_id, 'endAt', end_at, 'endType', end_type,
                       'endById', end_by, 'endByRole', end_role, 'open', end_id IS NULL,
                       'hours', round(hours::numeric, 2)) ORDER BY id)
            FROM spans WHERE hours > ?
            GROUP BY incident_id""";

    /**
     * Reminders (催办), supervision notices (督办单) and leaders' 督办 (SUPERVISE, data {reason, dueAt})
     * with no answer: no event by an addressee, and no change of state by anyone, after the notice
     * and before its deadline (a reminder's step deadline, a 督办's dueAt) and the case's next notice
     * or escalation (lead() over them). A notice is judged once its window has ended: a next notice
     * exists, its deadline has passed, or (no deadline) a day has. Addressees: those the scheduler
     * notified, else the case's assignee at the time.
     */
    static final String IGNORED_NOTICE =
            """
            WITH n AS (
                SELECT e.id, e.incident_id, e.at, e.type, e.data, e.actor_id, e.actor_role
                FROM incident_event e
                WHERE e.type IN ('REMINDER', 'SUPERVISION_NOTICE', 'SUPERVISE')
                  AND e.at >= ? AND e.at < ?
            ), b AS (
                -- a next notice comes after one in the period: the notices from the period's
                -- start on, through the partial index, rather than each case's whole history
                SELECT e.id, lead(e.id) OVER (PARTITION BY e.incident_id ORDER BY e.id) AS next_id
                FROM incident_event e
                WHERE e.type IN ('REMINDER', 'SUPERVISION_NOTICE', 'SUPERVISE', 'ESCALATION')
                  AND e.at >= ?
            ), j AS (
                SELECT n.id, n.incident_id, n.at, n.type, b.next_id, n.actor_id, n.actor_role,
                       n.data->>'reason' AS reason,
                       CASE n.type WHEN 'REMINDER' THEN (n.data->>'stepDueAt')::timestamptz
                                   WHEN 'SUPERVISE' THEN (n.data->>'dueAt')::timestamptz
                       END AS deadline,
                       CASE WHEN jsonb_typeof(n.data->'notify') = 'array'
                                 AND jsonb_array_length(n.data->'notify') > 0
                            THEN ARRAY(SELECT x::bigint
                                       FROM jsonb_array_elements_text(n.data->'notify') x)
                            ELSE ARRAY(SELECT (d.data->>'assigneeId')::bigint
                                       FROM incident_event d
                                       -- RECLASSIFY: the joint slice's re-routing
                                       WHERE d.incident_id = n.incident_id AND d.id < n.id
                                         AND d.type IN ('DISPATCH', 'TRANSFER', 'RECLASSIFY')
                                         AND d.data->'assigneeId' IS NOT NULL
                                       ORDER BY d.id DESC LIMIT 1)
                       END AS addressees
                FROM n JOIN b ON b.id = n.id
            )
            SELECT j.incident_id, count(*),
                   jsonb_agg(jsonb_build_object(
                       'eventId', j.id, 'at', j.at, 'type', j.type, 'deadline', j.deadline,
                       'byId', j.actor_id, 'byRole', j.actor_role, 'reason', j.reason,
                       'nextNoticeId', j.next_id, 'addresseeIds', to_jsonb(j.addressees))
                       ORDER BY j.id)
            FROM j
            -- LIMIT 1 keeps the answer a look-up by (incident_id, id) per notice: as NOT EXISTS
            -- the planner hashes the whole event table
            LEFT JOIN LATERAL (
                SELECT a.id FROM incident_event a
                WHERE a.incident_id = j.incident_id AND a.id > j.id
                  AND (j.next_id IS NULL OR a.id < j.next_id)
                  AND (j.deadline IS NULL OR a.at <= j.deadline)
                  AND a.actor_id IS NOT NULL
                  AND (a.actor_id = ANY (j.addressees) OR a.from_status IS DISTINCT FROM a.to_status)
                LIMIT 1) answer ON true
            WHERE cardinality(j.addressees) > 0
              AND (j.next_id IS NOT NULL OR j.deadline <= now()
                   OR (j.deadline IS NULL AND j.at <= now() - interval '1 day'))
              AND answer.id IS NULL
            GROUP BY j.incident_id""";

    /** Failed verifications, each with who had resolved the case before it. */
    static final String REPEATED_REWORK =
            """
            SELECT e.incident_id, count(*),
                   jsonb_agg(jsonb_build_object(
                       'eventId', e.id, 'at', e.at, 'type', e.type,
                       'byId', e.actor_id, 'byRole', e.actor_role, 'note', e.note,
                       'resolvedById', r.actor_id, 'resolvedAt', r.at) ORDER BY e.id)
            FROM incident_event e
            LEFT JOIN LATERAL (
                SELECT r.actor_id, r.at FROM incident_event r
                WHERE r.incident_id = e.incident_id AND r.id < e.id AND r.type = 'RESOLVE'
                ORDER BY r.id DESC LIMIT 1) r ON true
            WHERE e.type = 'REWORK' AND e.at >= ? AND e.at < ?
            GROUP BY e.incident_id
            HAVING count(*) >= ?""";

    /**
     * The case's context: platform, grid, and its stationed agency — the platform handler it was
     * last dispatched or transferred to.
     */
    static final String CONTEXT =
            """
            SELECT i.id, i.status, i.category, i.platform, a.id, a.name, g.id, g.code, g.name
            FROM incident i
            LEFT JOIN grid g ON g.id = i.grid_id
            LEFT JOIN LATERAL (
                SELECT s.id, s.name FROM incident_event d
                JOIN staff s ON s.id = (d.data->>'assigneeId')::bigint
                            AND s.role = 'PLATFORM_HANDLER'
                WHERE d.incident_id = i.id AND d.type IN ('DISPATCH', 'TRANSFER', 'RECLASSIFY')
                  AND d.data->'assigneeId' IS NOT NULL
                ORDER BY d.id DESC LIMIT 1) a ON true
            WHERE i.id = ANY (?) AND (?::bigint IS NULL OR i.subdistrict_id = ?)""";

    static final String STAFF = "SELECT id, name, role FROM staff WHERE id = ANY (?)";

    private final DataSource ds;

    public AccountabilityQueries(DataSource ds) {
        this.ds = ds;
    }

    private record Raw(FindingKind kind, long incidentId, double measure, ArrayNode steps) {}

    private record Context(
            String status,
            String category,
            String platform,
            Long agencyId,
            String agencyName,
            Long gridId,
            String gridCode,
            String gridName) {}

    private record Staff(String name, String role) {}

    /**
     * Logs the use (admin_log kind 'accountability': who, the request, the query) and reads the
     * findings, in one transaction: a use that cannot be logged reads nothing.
     */
    public List<Finding> findings(long actorStaffId, String target, ObjectNode logged, Query q)
            throws SQLException {
        return Jdbc.inTransaction(
                ds,
                c -> {
                    AdminLog.append(c, actorStaffId, "accountability", target, logged.toString());
                    List<Raw> raw = new ArrayList<>();
                    for (FindingKind k : q.kinds()) raw.addAll(read(c, k, q));
                    return enrich(c, raw, q.subdistrictId());
                });
    }

    private static List<Raw> read(Connection c, FindingKind k, Query q) throws SQLException {
        Thresholds t = q.limits();
        String sql =
                switch (k) {
                    case PASSED_BACK -> PASSED_BACK;
                    case REPEATED_EXTENSION -> REPEATED_EXTENSION;
                    case NO_OWNER -> NO_OWNER;
                    case IGNORED_NOTICE -> IGNORED_NOTICE;
                    case REPEATED_REWORK -> REPEATED_REWORK;
                };
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, q.from());
            ps.setObject(2, q.to());
            switch (k) {
                case PASSED_BACK -> ps.setInt(3, t.minHops());
                case REPEATED_EXTENSION -> ps.setInt(3, t.minExtensions());
                case REPEATED_REWORK -> ps.setInt(3, t.minReworks());
                case NO_OWNER -> ps.setDouble(3, t.noOwnerHours());
                case IGNORED_NOTICE -> ps.setObject(3, q.from());
            }
            List<Raw> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(
                            new Raw(
                                    k,
                                    rs.getLong(1),
                                    rs.getDouble(2),
                                    (ArrayNode) Responses.JSON.readTree(rs.getString(3))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out;
        }
    }

    /** Findings of the cases of the subdistrict (null: all); a case outside it is left out. */
    private static List<Finding> enrich(Connection c, List<Raw> raw, Long subdistrictId)
            throws SQLException {
        Set<Long> ids = new LinkedHashSet<>();
        Set<Long> people = new LinkedHashSet<>();
        for (Raw r : raw) {
            ids.add(r.incidentId());
            for (JsonNode s : r.steps()) people.addAll(staffIds(s));
        }
        Map<Long, Context> context = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(CONTEXT)) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.setObject(2, subdistrictId, java.sql.Types.BIGINT);
            ps.setObject(3, subdistrictId, java.sql.Types.BIGINT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    context.put(
                            rs.getLong(1),
                            new Context(
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getObject(5, Long.class),
                                    rs.getString(6),
                                    rs.getObject(7, Long.class),
                                    rs.getString(8),
                                    rs.getString(9)));
            }
        }
        Map<Long, Staff> staff = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(STAFF)) {
            ps.setArray(1, c.createArrayOf("bigint", people.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    staff.put(rs.getLong(1), new Staff(rs.getString(2), rs.getString(3)));
            }
        }
        List<Finding> out = new ArrayList<>();
        for (Raw r : raw) {
            Context x = context.get(r.incidentId());
            if (x == null) continue;
            Map<String, Person> named = new LinkedHashMap<>();
            for (JsonNode s : r.steps()) {
                for (String[] role : roles(r.kind(), s)) {
                    JsonNode id = s.get(role[0]);
                    if (id == null || !id.canConvertToLong()) continue;
                    Staff who = staff.get(id.asLong());
                    if (who == null) continue;
                    ((ObjectNode) s).put(role[0].replace("Id", "Name"), who.name());
                    boolean answerable = role[2] != null;
                    named.merge(
                            id.asLong() + "/" + role[1],
                            new Person(id.asLong(), who.name(), who.role(), role[1], answerable),
                            (a, b) -> a);
                }
                JsonNode to = s.get("addresseeIds");
                if (to != null) {
                    ArrayNode list = ((ObjectNode) s).putArray("addressees");
                    for (JsonNode id : to) {
                        Staff who = staff.get(id.asLong());
                        if (who == null) continue;
                        list.addObject()
                                .put("id", id.asLong())
                                .put("name", who.name())
                                .put("role", who.role());
                        named.merge(
                                id.asLong() + "/addressee",
                                new Person(id.asLong(), who.name(), who.role(), "addressee", true),
                                (a, b) -> a);
                    }
                }
            }
            out.add(
                    new Finding(
                            r.kind(),
                            r.incidentId(),
                            r.measure(),
                            x.status(),
                            x.category(),
                            x.platform(),
                            x.agencyId(),
                            x.agencyName(),
                            x.gridId(),
                            x.gridCode(),
                            x.gridName(),
                            List.copyOf(named.values()),
                            r.steps()));
        }
        return out;
    }

    /** The staff ids a step names. */
    private static List<Long> staffIds(JsonNode s) {
        List<Long> ids = new ArrayList<>();
        for (String f : List.of("byId", "askedById", "decidedById", "resolvedById", "endById")) {
            JsonNode v = s.get(f);
            if (v != null && v.canConvertToLong() && !v.isNull()) ids.add(v.asLong());
        }
        JsonNode to = s.get("addresseeIds");
        if (to != null) for (JsonNode v : to) if (v.canConvertToLong()) ids.add(v.asLong());
        return ids;
    }

    /**
     * Who a step names, as {field, part, answerable-or-null}: the person a finding counts against
     * carries a non-null third entry.
     */
    private static List<String[]> roles(FindingKind k, JsonNode s) {
        String type = s.path("type").asText();
        return switch (k) {
            case PASSED_BACK ->
                    List.of(
                            new String[] {"askedById", "asked-return", "yes"},
                            new String[] {
                                "byId",
                                switch (type) {
                                    case "TRANSFER" -> "transferred";
                                    case "RETURN_APPROVED" -> "approved-return";
                                    case "SUBTASK_REASSIGNED" -> "reassigned-subtask";
                                    default -> "district-returned";
                                },
                                "yes"
                            });
            case REPEATED_EXTENSION ->
                    List.of(
                            new String[] {"byId", "requested-extension", "yes"},
                            new String[] {"decidedById", "decided-extension", null});
            case NO_OWNER ->
                    List.of(
                            new String[] {
                                "byId",
                                type.equals("ACCEPT") ? "accepted-undispatched" : "approved-return",
                                "yes"
                            },
                            new String[] {"endById", "gave-owner", null});
            // the scheduler's notices have no actor; a leader's 督办 names the leader, not answerable
            case IGNORED_NOTICE -> List.<String[]>of(new String[] {"byId", "supervised", null});
            case REPEATED_REWORK ->
                    List.of(
                            new String[] {"resolvedById", "resolved", "yes"},
                            new String[] {"byId", "failed-verification", null});
        };
    }
}
