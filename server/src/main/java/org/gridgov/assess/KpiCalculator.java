package org.gridgov.assess;

import org.gridgov.workflow.WorkingCalendar;

import javax.sql.DataSource;
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

/**
 * Computes the assessment figures from the event log, for the cases reported in a period,
 * grouped by the assessed unit. One pass of SQL over the period's cases and their events (the
 * incident rows carry only what the events projected there); working-hour durations in Java
 * with the working calendar.
 */
public final class KpiCalculator {

    public enum By { WORKER, GRID, LEADER, PLATFORM, AGENCY }

    private static final String CASES = """
            WITH c AS (
                SELECT i.id, i.channel, i.status, i.parked, i.satisfaction, %s AS unit
                FROM incident i
                WHERE i.reported_at >= ? AND i.reported_at < ?
            ), ev AS (
                SELECT e.incident_id,
                       count(*) FILTER (WHERE e.type = 'ACCEPT') AS accepted,
                       count(*) FILTER (WHERE e.type = 'ACCEPT' AND e.data #>> '{completed,onTime}' = 'true') AS accept_on_time,
                       count(*) FILTER (WHERE e.type = 'DISPATCH' AND e.data #>> '{completed,step}' IN ('DISPATCH', 'NO_OWNER')) AS dispatched,
                       count(*) FILTER (WHERE e.type = 'DISPATCH' AND e.data #>> '{completed,step}' IN ('DISPATCH', 'NO_OWNER')
                                          AND e.data #>> '{completed,onTime}' = 'true') AS dispatch_on_time,
                       count(*) FILTER (WHERE e.type = 'REWORK') AS reworks,
                       count(*) FILTER (WHERE e.type = 'SUPERVISION_NOTICE') AS notices,
                       count(*) FILTER (WHERE e.type IN ('ESCALATE', 'ESCALATION')) AS escalations,
                       count(*) FILTER (WHERE e.type = 'RESOLVE') AS resolves,
                       min(e.at) FILTER (WHERE e.type = 'DISPATCH') AS first_dispatch,
                       max(e.at) FILTER (WHERE e.type = 'RESOLVE') AS last_resolve,
                       (array_agg(e.data #>> '{completed,onTime}' ORDER BY e.id DESC) FILTER (WHERE e.type = 'RESOLVE'))[1] AS last_resolve_on_time
                FROM incident_event e JOIN c ON c.id = e.incident_id
                GROUP BY e.incident_id
            )
            SELECT c.unit, c.channel, c.status, c.parked, c.satisfaction,
                   coalesce(ev.accepted, 0), coalesce(ev.accept_on_time, 0), coalesce(ev.dispatched, 0), coalesce(ev.dispatch_on_time, 0),
                   coalesce(ev.reworks, 0), coalesce(ev.notices, 0), coalesce(ev.escalations, 0), coalesce(ev.resolves, 0),
                   ev.first_dispatch, ev.last_resolve, ev.last_resolve_on_time
            FROM c LEFT JOIN ev ON ev.incident_id = c.id
            WHERE c.unit IS NOT NULL""";

    private final DataSource ds;
    private final WorkingCalendar calendar;

    public KpiCalculator(DataSource ds, WorkingCalendar calendar) {
        this.ds = ds;
        this.calendar = calendar;
    }

    private static String unitExpr(By by) {
        return switch (by) {
            case GRID -> "(SELECT g.code FROM grid g WHERE g.id = i.grid_id)";
            case PLATFORM -> "i.platform";
            // the grid leader answers for their community
            case LEADER -> "(SELECT s.username FROM staff s WHERE s.community_id = i.community_id AND s.role = 'GRID_LEADER' ORDER BY s.id LIMIT 1)";
            // the grid's full-time worker answers for the grid: collection, verification, small matters
            case WORKER -> "(SELECT s.username FROM staff s WHERE s.grid_id = i.grid_id AND s.role = 'GRID_WORKER' ORDER BY s.employment = 'FULL_TIME' DESC, s.id LIMIT 1)";
            // district agencies' stationed staff: the platform handler the case was last dispatched to
            case AGENCY -> "(SELECT s.username FROM staff s WHERE s.id = i.assignee_id AND s.role = 'PLATFORM_HANDLER')";
        };
    }

    private static final class Acc {
        long reports, rejected, closed, dueBase, parked, onTimeClosed, accepted, acceptOnTime, dispatched, dispatchOnTime,
                reworks, reworkedCases, resolvedCases, overdue, supervised, escalations, ratings;
        double satSum;
        final Map<String, Long> byChannel = new TreeMap<>();
        final List<Double> handling = new ArrayList<>();
    }

    public List<Kpi> compute(By by, OffsetDateTime from, OffsetDateTime to) throws SQLException {
        Map<String, Acc> units = new LinkedHashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(CASES.formatted(unitExpr(by)))) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            ps.setFetchSize(10_000);
            c.setAutoCommit(false);   // lets the driver stream with the fetch size
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Acc a = units.computeIfAbsent(rs.getString(1), k -> new Acc());
                    String status = rs.getString(3);
                    boolean parked = rs.getBoolean(4);
                    a.reports++;
                    a.byChannel.merge(rs.getString(2), 1L, Long::sum);
                    if (status.equals("REJECTED")) a.rejected++;
                    if (status.equals("CLOSED")) a.closed++;
                    int sat = rs.getInt(5);
                    if (!rs.wasNull()) { a.ratings++; a.satSum += sat; }
                    a.accepted += rs.getLong(6);
                    a.acceptOnTime += rs.getLong(7);
                    long dispatched = rs.getLong(8);
                    a.dispatched += dispatched;
                    a.dispatchOnTime += rs.getLong(9);
                    long reworks = rs.getLong(10);
                    a.reworks += reworks;
                    long notices = rs.getLong(11);
                    if (notices > 0) a.overdue++;
                    a.supervised += notices;
                    if (rs.getLong(12) > 0) a.escalations++;
                    if (rs.getLong(13) > 0) {
                        a.resolvedCases++;
                        if (reworks > 0) a.reworkedCases++;
                    }
                    OffsetDateTime d = rs.getObject(14, OffsetDateTime.class), r = rs.getObject(15, OffsetDateTime.class);
                    if (d != null && r != null) a.handling.add(calendar.workingMinutesBetween(d.toInstant(), r.toInstant()) / 60.0);
                    // on-time closure: closed, its last resolution within the handling deadline in force
                    // (extensions move it); parked cases leave the base
                    if (dispatched > 0) {
                        if (parked) a.parked++;
                        else {
                            a.dueBase++;
                            if (status.equals("CLOSED") && "true".equals(rs.getString(16))) a.onTimeClosed++;
                        }
                    }
                }
            }
            c.commit();
        }
        List<Kpi> out = new ArrayList<>();
        for (var e : units.entrySet()) {
            Acc a = e.getValue();
            double[] h = a.handling.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            out.add(new Kpi(e.getKey(), a.reports, a.byChannel, a.rejected, a.closed, ratio(a.closed, a.reports - a.rejected),
                    a.dueBase, a.parked, a.onTimeClosed, ratio(a.onTimeClosed, a.dueBase),
                    ratio(a.acceptOnTime, a.accepted), ratio(a.dispatchOnTime, a.dispatched),
                    h.length == 0 ? null : round(Arrays.stream(h).average().orElse(0)), h.length == 0 ? null : round(p90(h)),
                    a.reworks, ratio(a.reworkedCases, a.resolvedCases), a.overdue, a.supervised, a.escalations,
                    a.ratings == 0 ? null : round(a.satSum / a.ratings), a.ratings));
        }
        out.sort((x, y) -> x.unit().compareTo(y.unit()));
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
