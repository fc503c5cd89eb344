package org.gridgov.assess;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.gridgov.api.Responses;
import org.gridgov.assess.KpiCalculator.By;
import org.gridgov.assess.KpiCalculator.Slice;
import org.gridgov.db.AdminLog;

/**
 * Settled months of assessment (V40, docs/assessment.md "Settled months"): each month's tallies,
 * per kind of unit, subdistrict and unit, computed once by {@link KpiCalculator} and kept.
 */
public final class KpiSettlementStore {

    /** A settled month: how many cases were reported in it, and when it was settled. */
    public record Settled(YearMonth month, long cases, Instant settledAt) {}

    // one settlement at a time in the whole deployment, whatever instance runs it
    private static final String LOCK =
            "SELECT pg_try_advisory_xact_lock(hashtext('gridgov.kpi_settlement'))";

    private final DataSource ds;
    private final KpiCalculator calculator;
    private final ZoneId zone;

    /** {@code zone}: the assessment's time zone, which a month's bounds are taken in. */
    public KpiSettlementStore(DataSource ds, KpiCalculator calculator, ZoneId zone) {
        this.ds = ds;
        this.calculator = calculator;
        this.zone = zone;
    }

    ZoneId zone() {
        return zone;
    }

    /** Every month settled in this zone, oldest first. */
    public List<Settled> list() throws SQLException {
        List<Settled> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT month, cases, settled_at FROM kpi_settled_month WHERE zone"
                                        + " = ? ORDER BY month")) {
            ps.setString(1, zone.getId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(
                            new Settled(
                                    YearMonth.from(rs.getObject(1, LocalDate.class)),
                                    rs.getLong(2),
                                    rs.getObject(3, OffsetDateTime.class).toInstant()));
            }
        }
        return out;
    }

    /** The months of [from, to] settled in this zone (a small table: read whole). */
    TreeSet<YearMonth> settled(YearMonth from, YearMonth to) throws SQLException {
        TreeSet<YearMonth> out = new TreeSet<>();
        for (Settled s : list())
            if (!s.month().isBefore(from) && !s.month().isAfter(to)) out.add(s.month());
        return out;
    }

    /** The settled tallies of the months, summed over the months; one subdistrict's, or all. */
    Map<Slice, KpiTally> load(By by, Collection<YearMonth> months, Long subdistrict)
            throws SQLException {
        Map<Slice, KpiTally> out = new HashMap<>();
        if (months.isEmpty()) return out;
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                        SELECT subdistrict_id, unit, tally FROM kpi_settlement
                        WHERE unit_kind = ? AND month = ANY (?)
                          AND (?::bigint IS NULL OR subdistrict_id = ?)""")) {
            ps.setString(1, by.name());
            ps.setArray(2, c.createArrayOf("date", months.stream().map(m -> m.atDay(1)).toArray()));
            ps.setObject(3, subdistrict, java.sql.Types.BIGINT);
            ps.setObject(4, subdistrict, java.sql.Types.BIGINT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    KpiTally t = KpiTally.fromJson(Responses.JSON.readTree(rs.getString(3)));
                    out.merge(
                            new Slice(rs.getObject(1, Long.class), rs.getString(2)),
                            t,
                            KpiTally::merge);
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SQLException("a settled tally is not JSON: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * Settles a month (again, if it was): computes every kind of unit's tallies in one snapshot and
     * replaces what was kept, in one transaction. Empty when another settlement is running. {@code
     * actorStaffId}: who asked (kept in the admin log), or null for the automatic one.
     */
    public Optional<Settled> settle(YearMonth month, Long actorStaffId, Instant now)
            throws SQLException {
        Period bounds = Period.month(month, zone);
        OffsetDateTime from = bounds.from(), to = bounds.to();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery(LOCK)) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        c.rollback();
                        return Optional.empty();
                    }
                    // a district's month is minutes of work, not a request's seconds
                    st.execute("SET LOCAL statement_timeout = 0");
                }
                long cases;
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*) FROM incident WHERE reported_at >= ? AND"
                                        + " reported_at < ?")) {
                    ps.setObject(1, from);
                    ps.setObject(2, to);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        cases = rs.getLong(1);
                    }
                }
                try (PreparedStatement ps =
                        c.prepareStatement("DELETE FROM kpi_settled_month WHERE month = ?")) {
                    ps.setObject(1, month.atDay(1));
                    ps.executeUpdate();
                }
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO kpi_settled_month (month, zone, cases, settled_at)"
                                        + " VALUES (?, ?, ?, ?)")) {
                    ps.setObject(1, month.atDay(1));
                    ps.setString(2, zone.getId());
                    ps.setLong(3, cases);
                    ps.setObject(4, OffsetDateTime.ofInstant(now, zone));
                    ps.executeUpdate();
                }
                try (PreparedStatement ps =
                        c.prepareStatement(
                                """
                        INSERT INTO kpi_settlement (month, unit_kind, subdistrict_id, unit, tally)
                        VALUES (?, ?, ?, ?, ?::jsonb)""")) {
                    var all =
                            calculator.tally(c, java.util.EnumSet.allOf(By.class), from, to, null);
                    for (var kind : all.entrySet()) {
                        for (var e : kind.getValue().entrySet()) {
                            ps.setObject(1, month.atDay(1));
                            ps.setString(2, kind.getKey().name());
                            ps.setObject(3, e.getKey().subdistrictId(), java.sql.Types.BIGINT);
                            ps.setString(4, e.getKey().unit());
                            ps.setString(5, e.getValue().toJson().toString());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                if (actorStaffId != null)
                    AdminLog.append(
                            c,
                            actorStaffId,
                            "kpi",
                            "kpis/" + month,
                            Responses.JSON
                                    .createObjectNode()
                                    .put("settled", month.toString())
                                    .put("cases", cases)
                                    .toString());
                c.commit();
                return Optional.of(new Settled(month, cases, now));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * The automatic settlement: every month over for at least {@code afterDays} days, from the
     * month of the first case, that is not settled in this zone yet, oldest first. Stops when
     * another instance is settling. Returns the months settled.
     */
    public List<YearMonth> settleDue(int afterDays, Instant now) throws SQLException {
        YearMonth last = YearMonth.from(now.atZone(zone).minusDays(afterDays)).minusMonths(1);
        OffsetDateTime first;
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT min(reported_at) FROM incident")) {
            rs.next();
            first = rs.getObject(1, OffsetDateTime.class);
        }
        List<YearMonth> done = new ArrayList<>();
        if (first == null) return done;
        YearMonth m = YearMonth.from(first.atZoneSameInstant(zone));
        TreeSet<YearMonth> settled = settled(m, last);
        for (; !m.isAfter(last); m = m.plusMonths(1)) {
            if (settled.contains(m)) continue;
            if (settle(m, null, now).isEmpty()) break;
            done.add(m);
        }
        return done;
    }
}
