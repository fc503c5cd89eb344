package org.gridgov.grid;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.gridgov.roster.GridPeopleQueries;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;

/**
 * Which grid plan was in effect when, and the routing index of each. Each subdistrict has its own
 * plans, one in effect at a time; {@link #indexAt} holds every subdistrict's plan in effect at an
 * instant in one index. A report is routed under the plans in effect at its report time, which
 * after a re-division may be an older plan. {@link #refreshIfChanged} re-reads the plan table when
 * it changed (called on a timer, and by whoever adopts a plan), so several server instances
 * converge on the same plans.
 */
public final class PlanTimeline {

    /**
     * An adopted plan's period of effect: [from, to), to = null while it is current; the
     * subdistrict whose plan it is (null: a plan made before there was a boundary).
     */
    public record Period(long planId, Instant from, Instant to, Long subdistrictId) {
        boolean contains(Instant t) {
            return !t.isBefore(from) && (to == null || t.isBefore(to));
        }
    }

    private static final String PERIODS =
            """
            SELECT p.id, p.effective_from, p.effective_to, p.subdistrict_id, j.code FROM grid_plan p
            LEFT JOIN jurisdiction j ON j.id = p.subdistrict_id
            WHERE p.status <> 'DRAFT' ORDER BY p.effective_from, j.code NULLS FIRST""";

    // Changes whenever a plan is adopted, retired or edited, or a person the routing index names
    // changes role, scope, active or on-duty flag (a disabled worker must stop getting reports).
    private static final String FINGERPRINT =
            """
            SELECT count(*) || ':' || coalesce(sum(id * 31 + version), 0) || ':' || coalesce(max(effective_to)::text, '')
                   || ':' || string_agg(status, '' ORDER BY id)
                   || ':' || (SELECT md5(coalesce(string_agg(
                                  concat_ws('/', id, role, grid_id, community_id, active, on_duty),
                                  ',' ORDER BY id), ''))
                              FROM staff)
            FROM grid_plan WHERE status <> 'DRAFT'""";

    // The people the on-duty rule picks from (roster/GridPeopleQueries, shared with dispatch).
    private static final String GRIDS =
            "SELECT g.id, g.code, g.community_id, ST_AsBinary(g.geom), "
                    + GridPeopleQueries.COLUMNS
                    + " FROM grid g WHERE g.plan_id = ? ORDER BY g.id";

    private final DataSource ds;
    private volatile List<Period> periods = List.of();
    private volatile String fingerprint = "";
    // plan id → its subdistrict's code ("" for none): the order of periodsAt and of the union
    private volatile Map<Long, String> subdistrictCodes = Map.of();
    private final Map<Long, GridIndex> indexes = new ConcurrentHashMap<>();
    // the union of the plans in effect together, by their ids: the routing index at an instant
    private final Map<List<Long>, GridIndex> unions = new ConcurrentHashMap<>();

    public PlanTimeline(DataSource ds) {
        this.ds = ds;
    }

    public static PlanTimeline load(DataSource ds) throws SQLException {
        PlanTimeline t = new PlanTimeline(ds);
        t.refreshIfChanged();
        return t;
    }

    /**
     * A plan in effect at t: with one subdistrict, the plan; with several, the first subdistrict's
     * (lowest code; callers that mean one subdistrict use {@link #periodAt(Instant, Long)}, callers
     * that mean "any grid" {@link #indexAt}).
     */
    public Optional<Period> periodAt(Instant t) {
        List<Period> all = periodsAt(t);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** The plan in effect at t in one subdistrict (null: the plans without a subdistrict). */
    public Optional<Period> periodAt(Instant t, Long subdistrictId) {
        for (Period p : periods)
            if (p.contains(t) && java.util.Objects.equals(p.subdistrictId(), subdistrictId))
                return Optional.of(p);
        return Optional.empty();
    }

    /** Every subdistrict's plan in effect at t, in the order of the subdistricts' codes. */
    public List<Period> periodsAt(Instant t) {
        List<Period> out = new ArrayList<>();
        for (Period p : periods) if (p.contains(t)) out.add(p);
        Map<Long, String> codes = subdistrictCodes;
        out.sort(
                java.util.Comparator.comparing(
                        (Period p) -> codes.getOrDefault(p.planId(), ""),
                        java.util.Comparator.naturalOrder()));
        return out;
    }

    /**
     * The routing index over every plan in effect at t (empty when none is), built on first use and
     * dropped when any subdistrict adopts or changes a plan.
     */
    public GridIndex indexAt(Instant t) {
        List<Long> ids = new ArrayList<>();
        for (Period p : periodsAt(t)) ids.add(p.planId());
        if (ids.size() == 1) return index(ids.get(0));
        return unions.computeIfAbsent(
                List.copyOf(ids),
                k -> {
                    List<GridIndex> parts = new ArrayList<>();
                    for (long id : k) parts.add(index(id));
                    return GridIndex.union(parts);
                });
    }

    public List<Period> periods() {
        return periods;
    }

    /** The routing index of a plan, built on first use. */
    public GridIndex index(long planId) {
        return indexes.computeIfAbsent(
                planId,
                id -> {
                    try {
                        return loadIndex(id);
                    } catch (SQLException e) {
                        throw new IllegalStateException(
                                "cannot load grid plan " + id + ": " + e.getMessage(), e);
                    }
                });
    }

    /** Re-reads plans and drops cached indexes when anything about adopted plans changed. */
    public synchronized boolean refreshIfChanged() throws SQLException {
        try (Connection c = ds.getConnection()) {
            String now;
            try (PreparedStatement ps = c.prepareStatement(FINGERPRINT);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                now = String.valueOf(rs.getString(1));
            }
            if (now.equals(fingerprint)) return false;
            List<Period> list = new ArrayList<>();
            Map<Long, String> codes = new java.util.HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(PERIODS);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp to = rs.getTimestamp(3);
                    long sid = rs.getLong(4);
                    list.add(
                            new Period(
                                    rs.getLong(1),
                                    rs.getTimestamp(2).toInstant(),
                                    to == null ? null : to.toInstant(),
                                    rs.wasNull() ? null : sid));
                    String code = rs.getString(5);
                    codes.put(rs.getLong(1), code == null ? "" : code);
                }
            }
            subdistrictCodes = Map.copyOf(codes);
            periods = List.copyOf(list);
            indexes.clear();
            unions.clear();
            fingerprint = now;
            return true;
        }
    }

    private GridIndex loadIndex(long planId) throws SQLException {
        List<GridCell> cells = new ArrayList<>();
        List<Geometry> shapes = new ArrayList<>();
        WKBReader wkb = new WKBReader();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(GRIDS)) {
            ps.setLong(1, planId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cells.add(
                            new GridCell(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getLong(3),
                                    GridPeopleQueries.read(rs, 5)));
                    shapes.add(wkb.read(rs.getBytes(4)));
                }
            }
        } catch (ParseException e) {
            throw new SQLException("unreadable grid geometry in plan " + planId, e);
        }
        return new GridIndex(planId, cells, shapes);
    }
}
