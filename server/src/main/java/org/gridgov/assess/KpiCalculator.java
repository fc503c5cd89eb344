package org.gridgov.assess;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.gridgov.assess.KpiTally.Count;
import org.gridgov.workflow.WorkingCalendar;

/**
 * Computes the assessment figures from the event log, for the cases reported in a period, grouped
 * by the assessed unit. One pass of SQL over the period's cases and their events (the incident rows
 * carry only what the events projected there); working-hour durations in Java with the working
 * calendar.
 */
public final class KpiCalculator {

    public enum By {
        WORKER,
        GRID,
        LEADER,
        PLATFORM,
        AGENCY,
        /** Where the case came from: a work order's source system (12345), else its channel. */
        SOURCE,
        /**
         * The subdistrict whose command centre owns the case, by its code (the district's own:
         * none).
         */
        SUBDISTRICT
    }

    /**
     * Per case, only the events that assessment reads (intake's and imports' are skipped early).
     */
    private static final String EVENTS =
            """
            ev AS (
                SELECT e.incident_id,
                       count(*) FILTER (WHERE e.type = 'ACCEPT') AS accepted,
                       count(*) FILTER (WHERE e.type = 'ACCEPT' AND e.data #>> '{completed,onTime}' = 'true') AS accept_on_time,
                       count(*) FILTER (WHERE e.type = 'DISPATCH' AND e.data #>> '{completed,step}' IN ('DISPATCH', 'NO_OWNER')) AS dispatched,
                       count(*) FILTER (WHERE e.type = 'DISPATCH' AND e.data #>> '{completed,step}' IN ('DISPATCH', 'NO_OWNER')
                                          AND e.data #>> '{completed,onTime}' = 'true') AS dispatch_on_time,
                       count(*) FILTER (WHERE e.type = 'REWORK') AS reworks,
                       count(*) FILTER (WHERE e.type = 'SUPERVISION_NOTICE') AS notices,
                       count(*) FILTER (WHERE e.type IN ('ESCALATE', 'ESCALATION', 'ESCALATED')) AS escalations,
                       count(*) FILTER (WHERE e.type = 'RESOLVE') AS resolves,
                       min(e.at) FILTER (WHERE e.type = 'DISPATCH') AS first_dispatch,
                       max(e.at) FILTER (WHERE e.type = 'RESOLVE') AS last_resolve,
                       (array_agg(e.data #>> '{completed,onTime}' ORDER BY e.id DESC) FILTER (WHERE e.type = 'RESOLVE'))[1] AS last_resolve_on_time
                FROM incident_event e
                WHERE e.at >= ? AND e.type IN ('ACCEPT', 'DISPATCH', 'REWORK', 'SUPERVISION_NOTICE', 'ESCALATE', 'ESCALATION', 'ESCALATED', 'RESOLVE')
                GROUP BY e.incident_id
            )""";

    /** Counts per unit and channel, in SQL: only the aggregates travel. */
    private static final String TOTALS =
            """
            WITH c AS (
                -- a "not solved" rating left a callback task (one per case, docs/tracking.md)
                SELECT i.id, i.subdistrict_id AS sd, i.channel, i.status, i.parked, i.satisfaction, %s AS unit,
                       EXISTS (SELECT 1 FROM callback_task t WHERE t.incident_id = i.id) AS not_solved,
                       ls.issued AS leader_issued, ls.met AS leader_met
                FROM incident i %s
                -- leaders' 督办, apart from the automatic notices (a small table, hashed once)
                LEFT JOIN (SELECT incident_id, count(*) AS issued, count(met_at) AS met
                           FROM case_supervision GROUP BY incident_id) ls ON ls.incident_id = i.id
                WHERE i.reported_at >= ? AND i.reported_at < ? AND (?::bigint IS NULL OR i.subdistrict_id = ?)
            ), %s
            SELECT c.sd, c.unit, c.channel, count(*),
                   count(*) FILTER (WHERE c.status = 'REJECTED'), count(*) FILTER (WHERE c.status = 'CLOSED'),
                   count(c.satisfaction), coalesce(sum(c.satisfaction), 0),
                   coalesce(sum(ev.accepted), 0), coalesce(sum(ev.accept_on_time), 0),
                   coalesce(sum(ev.dispatched), 0), coalesce(sum(ev.dispatch_on_time), 0),
                   coalesce(sum(ev.reworks), 0), count(*) FILTER (WHERE ev.notices > 0), coalesce(sum(ev.notices), 0),
                   count(*) FILTER (WHERE ev.escalations > 0),
                   count(*) FILTER (WHERE ev.resolves > 0), count(*) FILTER (WHERE ev.resolves > 0 AND ev.reworks > 0),
                   count(*) FILTER (WHERE ev.dispatched > 0 AND c.parked),
                   count(*) FILTER (WHERE ev.dispatched > 0 AND NOT c.parked),
                   count(*) FILTER (WHERE ev.dispatched > 0 AND NOT c.parked AND c.status = 'CLOSED' AND ev.last_resolve_on_time = 'true'),
                   count(*) FILTER (WHERE c.not_solved),
                   coalesce(sum(c.leader_issued), 0), coalesce(sum(c.leader_met), 0)
            FROM c LEFT JOIN ev ON ev.incident_id = c.id
            WHERE c.unit IS NOT NULL
            GROUP BY c.sd, c.unit, c.channel""";

    /**
     * Handling durations, only for cases both dispatched and resolved (few): working hours are
     * counted in Java.
     */
    private static final String DURATIONS =
            """
            WITH %s
            SELECT i.subdistrict_id, %s, ev.first_dispatch, ev.last_resolve
            FROM ev JOIN incident i ON i.id = ev.incident_id %s
            WHERE i.reported_at >= ? AND i.reported_at < ? AND ev.first_dispatch IS NOT NULL AND ev.last_resolve IS NOT NULL
              AND (?::bigint IS NULL OR i.subdistrict_id = ?)""";

    private final DataSource ds;
    private final java.util.function.Supplier<WorkingCalendar> calendar;

    /** {@code calendar}: the working calendar in force (read at each computation). */
    public KpiCalculator(DataSource ds, java.util.function.Supplier<WorkingCalendar> calendar) {
        this.ds = ds;
        this.calendar = calendar;
    }

    /** The unit's expression and the join that provides it (small derived tables, hashed once). */
    private static String[] unit(By by) {
        return switch (by) {
            case GRID -> new String[] {"g.code", "LEFT JOIN grid g ON g.id = i.grid_id"};
            case PLATFORM -> new String[] {"i.platform", ""};
            // subdistricts compared on the same scheme (docs/district.md)
            case SUBDISTRICT ->
                    new String[] {
                        "sd.code", "LEFT JOIN jurisdiction sd ON sd.id = i.subdistrict_id"
                    };
            // the grid leader answers for their community
            case LEADER ->
                    new String[] {
                        "l.username",
                        """
                    LEFT JOIN (SELECT DISTINCT ON (community_id) community_id, username FROM staff
                               WHERE role = 'GRID_LEADER' ORDER BY community_id, id) l ON l.community_id = i.community_id"""
                    };
            // the grid's full-time worker answers for the grid: collection, verification, small
            // matters
            case WORKER ->
                    new String[] {
                        "w.username",
                        """
                    LEFT JOIN (SELECT DISTINCT ON (grid_id) grid_id, username FROM staff
                               WHERE role = 'GRID_WORKER' ORDER BY grid_id, employment = 'FULL_TIME' DESC, id) w ON w.grid_id = i.grid_id"""
                    };
            // a hotline work order's source system (docs/workorders.md), else the channel
            case SOURCE ->
                    new String[] {
                        "coalesce(wo.source_system, i.channel)",
                        "LEFT JOIN work_order wo ON wo.incident_id = i.id"
                    };
            // district agencies' stationed staff: the platform handler the case was last dispatched
            // to
            case AGENCY ->
                    new String[] {
                        "s.username",
                        "LEFT JOIN staff s ON s.id = i.assignee_id AND s.role = 'PLATFORM_HANDLER'"
                    };
        };
    }

    /** A unit among one subdistrict's cases (null: the district's own). */
    record Slice(Long subdistrictId, String unit) {}

    /**
     * The tallies of the cases reported in [from, to), per subdistrict and unit; of one
     * subdistrict's cases when {@code subdistrict} is given (the isolation rule: a subdistrict's
     * staff assess their own), else of every case. Reads on {@code c}, so a settlement's two
     * statements see one snapshot (its transaction's).
     */
    Map<Slice, KpiTally> tally(
            Connection c, By by, OffsetDateTime from, OffsetDateTime to, Long subdistrict)
            throws SQLException {
        Map<Slice, KpiTally> units = new LinkedHashMap<>();
        String[] u = unit(by);
        try (PreparedStatement ps = c.prepareStatement(TOTALS.formatted(u[0], u[1], EVENTS))) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            ps.setObject(3, subdistrict, java.sql.Types.BIGINT);
            ps.setObject(4, subdistrict, java.sql.Types.BIGINT);
            ps.setObject(5, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    KpiTally a =
                            units.computeIfAbsent(
                                    new Slice(rs.getObject(1, Long.class), rs.getString(2)),
                                    k -> new KpiTally());
                    int i = 4;
                    long n = rs.getLong(i++);
                    a.add(Count.REPORTS, n);
                    a.addChannel(rs.getString(3), n);
                    for (Count k : TOTALS_COLUMNS) a.add(k, rs.getLong(i++));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(DURATIONS.formatted(EVENTS, u[0], u[1]))) {
            ps.setObject(1, from);
            ps.setObject(2, from);
            ps.setObject(3, to);
            ps.setObject(4, subdistrict, java.sql.Types.BIGINT);
            ps.setObject(5, subdistrict, java.sql.Types.BIGINT);
            WorkingCalendar cal = calendar.get();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    KpiTally a = units.get(new Slice(rs.getObject(1, Long.class), rs.getString(2)));
                    if (a == null) continue;
                    OffsetDateTime d = rs.getObject(3, OffsetDateTime.class),
                            r = rs.getObject(4, OffsetDateTime.class);
                    a.addHandling(cal.workingMinutesBetween(d.toInstant(), r.toInstant()));
                }
            }
        }
        return units;
    }

    /** {@link #TOTALS}' columns after the count, in order. */
    private static final List<Count> TOTALS_COLUMNS =
            List.of(
                    Count.REJECTED,
                    Count.CLOSED,
                    Count.RATINGS,
                    Count.SATISFACTION_SUM,
                    Count.ACCEPTED,
                    Count.ACCEPT_ON_TIME,
                    Count.DISPATCHED,
                    Count.DISPATCH_ON_TIME,
                    Count.REWORKS,
                    Count.OVERDUE,
                    Count.SUPERVISED,
                    Count.ESCALATIONS,
                    Count.RESOLVED_CASES,
                    Count.REWORKED_CASES,
                    Count.PARKED,
                    Count.DUE_BASE,
                    Count.ON_TIME_CLOSED,
                    Count.NOT_SOLVED,
                    Count.LEADER_SUPERVISIONS,
                    Count.LEADER_SUPERVISIONS_MET);

    /** The tallies of [from, to) computed now, on a connection of their own. */
    Map<Slice, KpiTally> tally(By by, OffsetDateTime from, OffsetDateTime to, Long subdistrict)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            return tally(c, by, from, to, subdistrict);
        }
    }

    /**
     * Field tasks due in the period (docs/tasks.md), per worker (the assignee), grid or leader (the
     * community's): outcomes, not counts — how many of those due were done by their due time, and
     * the coverage (done at all / due). Rechecks and cancelled tasks are left out. Other units:
     * none.
     */
    public record TaskFigures(
            long due, long done, long onTime, Double onTimeRate, Double coverage) {}

    /** {@code subdistrict}: the tasks of its communities only, or null for every task. */
    public Map<String, TaskFigures> tasks(
            By by, OffsetDateTime from, OffsetDateTime to, Long subdistrict) throws SQLException {
        String[] u =
                switch (by) {
                    case WORKER ->
                            new String[] {"s.username", "JOIN staff s ON s.id = t.assignee_id"};
                    case GRID -> new String[] {"g.code", "JOIN grid g ON g.id = t.grid_id"};
                    case LEADER ->
                            new String[] {
                                "l.username",
                                """
                    JOIN (SELECT DISTINCT ON (community_id) community_id, username FROM staff
                          WHERE role = 'GRID_LEADER' ORDER BY community_id, id) l ON l.community_id = t.community_id"""
                            };
                    default -> null;
                };
        Map<String, TaskFigures> out = new LinkedHashMap<>();
        if (u == null) return out;
        String sql =
                """
                SELECT %s, count(*), count(*) FILTER (WHERE t.state = 'DONE'),
                       count(*) FILTER (WHERE t.state = 'DONE' AND t.completed_at <= t.due_at)
                FROM task t %s
                WHERE t.due_at >= ? AND t.due_at < ? AND t.kind <> 'RECHECK' AND t.state <> 'CANCELLED'
                  AND (?::bigint IS NULL
                       OR t.community_id IN (SELECT id FROM community WHERE subdistrict_id = ?))
                GROUP BY 1"""
                        .formatted(u[0], u[1]);
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            ps.setObject(3, subdistrict, java.sql.Types.BIGINT);
            ps.setObject(4, subdistrict, java.sql.Types.BIGINT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long due = rs.getLong(2), done = rs.getLong(3), onTime = rs.getLong(4);
                    out.put(
                            rs.getString(1),
                            new TaskFigures(
                                    due, done, onTime, ratio(onTime, due), ratio(done, due)));
                }
            }
        }
        return out;
    }

    private static Double ratio(long a, long b) {
        return b <= 0 ? null : KpiTally.round((double) a / b);
    }
}
