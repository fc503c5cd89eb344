package org.gridgov.assess;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.gridgov.assess.KpiTally.Count;
import org.gridgov.workflow.WorkingCalendar;

/**
 * Computes the assessment figures from the event log, for the cases reported in a period. One pass
 * of SQL over the period's cases and their events (the incident rows carry only what the events
 * projected there) sums them at a grain fine enough for every kind of unit ({@link Key}); each
 * kind's units are then made from those sums in Java (a grid's worker, a community's leader, …), so
 * a settlement computes every kind of unit from one pass. Working-hour durations in Java with the
 * working calendar.
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

    /** A unit among one subdistrict's cases (null: the district's own). */
    record Slice(Long subdistrictId, String unit) {}

    /**
     * What every kind of unit is made from: the case's subdistrict, grid, community, platform, the
     * staff it was last dispatched to, its source (a hotline work order's source system, else its
     * channel) and channel.
     */
    record Key(
            Long subdistrictId,
            Long gridId,
            Long communityId,
            String platform,
            Long assigneeId,
            String source,
            String channel) {

        static Key read(ResultSet rs) throws SQLException {
            return new Key(
                    rs.getObject(1, Long.class),
                    rs.getObject(2, Long.class),
                    rs.getObject(3, Long.class),
                    rs.getString(4),
                    rs.getObject(5, Long.class),
                    rs.getString(6),
                    rs.getString(7));
        }
    }

    /** The key's columns, first in the query. */
    private static final String KEY =
            """
            i.subdistrict_id, i.grid_id, i.community_id, i.platform, i.assignee_id,
            coalesce(wo.source_system, i.channel) AS source, i.channel""";

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

    /** Counts per key, in SQL: only the aggregates travel. */
    private static final String TOTALS =
            """
            WITH c AS (
                SELECT i.id, %s, i.status, i.parked, i.satisfaction,
                       cb.incident_id IS NOT NULL AS not_solved,
                       ls.issued AS leader_issued, ls.met AS leader_met
                FROM incident i
                -- a "not solved" rating left a callback task (one per case, docs/tracking.md); the
                -- cases with one are hashed once, not probed per case
                LEFT JOIN (SELECT DISTINCT incident_id FROM callback_task) cb ON cb.incident_id = i.id
                -- at most one work order per case (work_order.incident_id is unique)
                LEFT JOIN work_order wo ON wo.incident_id = i.id
                -- leaders' 督办, apart from the automatic notices (a small table, hashed once)
                LEFT JOIN (SELECT incident_id, count(*) AS issued, count(met_at) AS met
                           FROM case_supervision GROUP BY incident_id) ls ON ls.incident_id = i.id
                WHERE i.reported_at >= ? AND i.reported_at < ? AND (?::bigint IS NULL OR i.subdistrict_id = ?)
            ), %s
            SELECT c.subdistrict_id, c.grid_id, c.community_id, c.platform, c.assignee_id, c.source, c.channel,
                   count(*),
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
                   coalesce(sum(c.leader_issued), 0), coalesce(sum(c.leader_met), 0),
                   -- handling spans of the cases both dispatched and resolved, in microseconds
                   -- (exact), as [first dispatch, last resolve] pairs: working hours in Java
                   array_agg(ARRAY[(extract(epoch FROM ev.first_dispatch) * 1000000)::bigint,
                                   (extract(epoch FROM ev.last_resolve) * 1000000)::bigint])
                       FILTER (WHERE ev.first_dispatch IS NOT NULL AND ev.last_resolve IS NOT NULL)
            FROM c LEFT JOIN ev ON ev.incident_id = c.id
            GROUP BY 1, 2, 3, 4, 5, 6, 7""";

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

    /** Who answers for what, now (small tables): each kind of unit's name from a key. */
    private static final String GRID_CODES = "SELECT id, code FROM grid";

    private static final String SUBDISTRICT_CODES = "SELECT id, code FROM jurisdiction";

    // the grid's full-time worker answers for the grid: collection, verification, small matters
    private static final String WORKERS =
            """
            SELECT DISTINCT ON (grid_id) grid_id, username FROM staff
            WHERE role = 'GRID_WORKER' AND grid_id IS NOT NULL ORDER BY grid_id, employment = 'FULL_TIME' DESC, id""";

    // the grid leader answers for their community
    private static final String LEADERS =
            """
            SELECT DISTINCT ON (community_id) community_id, username FROM staff
            WHERE role = 'GRID_LEADER' AND community_id IS NOT NULL ORDER BY community_id, id""";

    // district agencies' stationed staff: the platform handler the case was last dispatched to
    private static final String HANDLERS =
            "SELECT id, username FROM staff WHERE role = 'PLATFORM_HANDLER'";

    private final DataSource ds;
    private final java.util.function.Supplier<WorkingCalendar> calendar;

    /** {@code calendar}: the working calendar in force (read at each computation). */
    public KpiCalculator(DataSource ds, java.util.function.Supplier<WorkingCalendar> calendar) {
        this.ds = ds;
        this.calendar = calendar;
    }

    /** The names each kind of unit takes from a key's ids, read once per computation. */
    private record Names(
            Map<Long, String> grids,
            Map<Long, String> subdistricts,
            Map<Long, String> workers,
            Map<Long, String> leaders,
            Map<Long, String> handlers) {

        static Names read(Connection c) throws SQLException {
            return new Names(
                    map(c, GRID_CODES),
                    map(c, SUBDISTRICT_CODES),
                    map(c, WORKERS),
                    map(c, LEADERS),
                    map(c, HANDLERS));
        }

        private static Map<Long, String> map(Connection c, String sql) throws SQLException {
            Map<Long, String> m = new HashMap<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) m.put(rs.getLong(1), rs.getString(2));
            }
            return m;
        }

        /** The unit a key's cases count for, or null when none answers for them. */
        String unit(By by, Key k) {
            return switch (by) {
                case GRID -> k.gridId() == null ? null : grids.get(k.gridId());
                case WORKER -> k.gridId() == null ? null : workers.get(k.gridId());
                case LEADER -> k.communityId() == null ? null : leaders.get(k.communityId());
                case PLATFORM -> k.platform();
                case AGENCY -> k.assigneeId() == null ? null : handlers.get(k.assigneeId());
                case SOURCE -> k.source();
                case SUBDISTRICT ->
                        k.subdistrictId() == null ? null : subdistricts.get(k.subdistrictId());
            };
        }
    }

    /**
     * The tallies of the cases reported in [from, to), for each kind of unit asked, per subdistrict
     * and unit; of one subdistrict's cases when {@code subdistrict} is given (the isolation rule: a
     * subdistrict's staff assess their own), else of every case. Reads on {@code c}, so a
     * settlement's statements see one snapshot (its transaction's).
     */
    Map<By, Map<Slice, KpiTally>> tally(
            Connection c, Set<By> kinds, OffsetDateTime from, OffsetDateTime to, Long subdistrict)
            throws SQLException {
        Map<Key, KpiTally> keys = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(TOTALS.formatted(KEY, EVENTS))) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            ps.setObject(3, subdistrict, java.sql.Types.BIGINT);
            ps.setObject(4, subdistrict, java.sql.Types.BIGINT);
            ps.setObject(5, from);
            ps.setFetchSize(1_000); // a key's spans can be thousands: stream the keys
            WorkingCalendar cal = calendar.get();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Key k = Key.read(rs);
                    KpiTally a = keys.computeIfAbsent(k, x -> new KpiTally());
                    int i = 8;
                    long n = rs.getLong(i++);
                    a.add(Count.REPORTS, n);
                    a.addChannel(k.channel(), n);
                    for (Count t : TOTALS_COLUMNS) a.add(t, rs.getLong(i++));
                    java.sql.Array spans = rs.getArray(i);
                    if (spans == null) continue;
                    for (Object span : (Object[]) spans.getArray()) {
                        Object[] ends = (Object[]) span;
                        a.addHandling(
                                cal.workingMinutesBetween(
                                        micros((Long) ends[0]), micros((Long) ends[1])));
                    }
                    spans.free();
                }
            }
        }
        Names names = Names.read(c);
        Map<By, Map<Slice, KpiTally>> out = new EnumMap<>(By.class);
        for (By by : kinds) {
            Map<Slice, KpiTally> units = new LinkedHashMap<>();
            keys.forEach(
                    (k, t) -> {
                        String u = names.unit(by, k);
                        if (u != null)
                            units.computeIfAbsent(
                                            new Slice(k.subdistrictId(), u), x -> new KpiTally())
                                    .merge(t);
                    });
            out.put(by, units);
        }
        return out;
    }

    private static java.time.Instant micros(long epochMicros) {
        return java.time.Instant.ofEpochSecond(
                Math.floorDiv(epochMicros, 1_000_000L),
                Math.floorMod(epochMicros, 1_000_000L) * 1000);
    }

    /** One kind's tallies of [from, to) computed now, on a connection of their own. */
    Map<Slice, KpiTally> tally(By by, OffsetDateTime from, OffsetDateTime to, Long subdistrict)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            // the driver streams (setFetchSize) only inside a transaction
            c.setAutoCommit(false);
            try {
                return tally(c, Set.of(by), from, to, subdistrict).get(by);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
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
