package org.gridgov.assess;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
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
                SELECT i.id, i.channel, i.status, i.parked, i.satisfaction, %s AS unit,
                       EXISTS (SELECT 1 FROM callback_task t WHERE t.incident_id = i.id) AS not_solved,
                       ls.issued AS leader_issued, ls.met AS leader_met
                FROM incident i %s
                -- leaders' 督办, apart from the automatic notices (a small table, hashed once)
                LEFT JOIN (SELECT incident_id, count(*) AS issued, count(met_at) AS met
                           FROM case_supervision GROUP BY incident_id) ls ON ls.incident_id = i.id
                WHERE i.reported_at >= ? AND i.reported_at < ? AND (?::bigint IS NULL OR i.subdistrict_id = ?)
            ), %s
            SELECT c.unit, c.channel, count(*),
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
            GROUP BY c.unit, c.channel""";

    /**
     * Handling durations, only for cases both dispatched and resolved (few): working hours are
     * counted in Java.
     */
    private static final String DURATIONS =
            """
            WITH %s
            SELECT %s, ev.first_dispatch, ev.last_resolve
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

    private static final class Acc {
        long reports,
                rejected,
                closed,
                dueBase,
                parked,
                onTimeClosed,
                accepted,
                acceptOnTime,
                dispatched,
                dispatchOnTime,
                reworks,
                reworkedCases,
                resolvedCases,
                overdue,
                supervised,
                escalations,
                ratings,
                notSolved,
                leaderSupervisions,
                leaderSupervisionsMet;
        double satSum;
        final Map<String, Long> byChannel = new TreeMap<>();
        final List<Double> handling = new ArrayList<>();
    }

    /**
     * The figures of the cases reported in [from, to), per unit; of one subdistrict's cases when
     * {@code subdistrict} is given (the isolation rule: a subdistrict's staff assess their own),
     * else of every case.
     */
    public List<Kpi> compute(By by, OffsetDateTime from, OffsetDateTime to, Long subdistrict)
            throws SQLException {
        Map<String, Acc> units = new LinkedHashMap<>();
        String[] u = unit(by);
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(TOTALS.formatted(u[0], u[1], EVENTS))) {
                ps.setObject(1, from);
                ps.setObject(2, to);
                ps.setObject(3, subdistrict, java.sql.Types.BIGINT);
                ps.setObject(4, subdistrict, java.sql.Types.BIGINT);
                ps.setObject(5, from);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Acc a = units.computeIfAbsent(rs.getString(1), k -> new Acc());
                        int i = 3;
                        long n = rs.getLong(i++);
                        a.reports += n;
                        a.byChannel.merge(rs.getString(2), n, Long::sum);
                        a.rejected += rs.getLong(i++);
                        a.closed += rs.getLong(i++);
                        a.ratings += rs.getLong(i++);
                        a.satSum += rs.getLong(i++);
                        a.accepted += rs.getLong(i++);
                        a.acceptOnTime += rs.getLong(i++);
                        a.dispatched += rs.getLong(i++);
                        a.dispatchOnTime += rs.getLong(i++);
                        a.reworks += rs.getLong(i++);
                        a.overdue += rs.getLong(i++);
                        a.supervised += rs.getLong(i++);
                        a.escalations += rs.getLong(i++);
                        a.resolvedCases += rs.getLong(i++);
                        a.reworkedCases += rs.getLong(i++);
                        a.parked += rs.getLong(i++);
                        a.dueBase += rs.getLong(i++);
                        a.onTimeClosed += rs.getLong(i++);
                        a.notSolved += rs.getLong(i++);
                        a.leaderSupervisions += rs.getLong(i++);
                        a.leaderSupervisionsMet += rs.getLong(i);
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement(DURATIONS.formatted(EVENTS, u[0], u[1]))) {
                ps.setObject(1, from);
                ps.setObject(2, from);
                ps.setObject(3, to);
                ps.setObject(4, subdistrict, java.sql.Types.BIGINT);
                ps.setObject(5, subdistrict, java.sql.Types.BIGINT);
                WorkingCalendar cal = calendar.get();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Acc a = units.get(rs.getString(1));
                        if (a == null) continue;
                        OffsetDateTime d = rs.getObject(2, OffsetDateTime.class),
                                r = rs.getObject(3, OffsetDateTime.class);
                        a.handling.add(
                                cal.workingMinutesBetween(d.toInstant(), r.toInstant()) / 60.0);
                    }
                }
            }
        }
        List<Kpi> out = new ArrayList<>();
        for (var e : units.entrySet()) {
            Acc a = e.getValue();
            double[] h = a.handling.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            out.add(
                    new Kpi(
                            e.getKey(),
                            a.reports,
                            a.byChannel,
                            a.rejected,
                            a.closed,
                            ratio(a.closed, a.reports - a.rejected),
                            a.dueBase,
                            a.parked,
                            a.onTimeClosed,
                            ratio(a.onTimeClosed, a.dueBase),
                            ratio(a.acceptOnTime, a.accepted),
                            ratio(a.dispatchOnTime, a.dispatched),
                            h.length == 0 ? null : round(Arrays.stream(h).average().orElse(0)),
                            h.length == 0 ? null : round(p90(h)),
                            a.reworks,
                            ratio(a.reworkedCases, a.resolvedCases),
                            a.overdue,
                            a.supervised,
                            a.escalations,
                            a.ratings == 0 ? null : round(a.satSum / a.ratings),
                            a.ratings,
                            a.notSolved,
                            a.leaderSupervisions,
                            a.leaderSupervisionsMet));
        }
        out.sort((x, y) -> x.unit().compareTo(y.unit()));
        return out;
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

    /** The nearest-rank 90th percentile. */
    static double p90(double[] sorted) {
        int rank = (int) Math.ceil(0.9 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static Double ratio(long a, long b) {
        return b <= 0 ? null : round((double) a / b);
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
