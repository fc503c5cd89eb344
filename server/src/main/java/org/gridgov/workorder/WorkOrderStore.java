package org.gridgov.workorder;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.db.Jdbc;
import org.gridgov.geocode.AddressInput;
import org.gridgov.geocode.AddressNormaliser;
import org.gridgov.geocode.GeocodeMatch;
import org.gridgov.geocode.Geocoder;
import org.gridgov.incident.AddressPlacement;
import org.gridgov.incident.EnteredBy;
import org.gridgov.incident.IncidentStore;
import org.gridgov.workflow.Duplicates;

/**
 * The work_order table (V21). A batch is written in one transaction with the cases it creates
 * (incident/IncidentStore on the same connection): all of it, or — when any order is refused —
 * nothing. The numbers of a batch are locked (advisory, in sorted order) before they are looked up,
 * so two batches naming the same number cannot both create it.
 */
public final class WorkOrderStore {

    /** A stored order as answered: what it became, and whether this request replayed it. */
    public record Stored(
            long index,
            long id,
            String sourceSystem,
            String externalNo,
            String state,
            Long incidentId,
            List<Long> proposedDuplicates,
            boolean replayed) {}

    /** An order waiting in the list, or one read back. */
    public record Row(
            long id,
            String sourceSystem,
            String externalNo,
            String externalCategory,
            String category,
            String text,
            String address,
            Double lon,
            Double lat,
            OffsetDateTime reportedAt,
            OffsetDateTime signDueAt,
            OffsetDateTime completeDueAt,
            String callerName,
            String callerPhone,
            String state,
            Long incidentId,
            List<Long> proposedDuplicates,
            OffsetDateTime receivedAt) {}

    /** The batch was refused: nothing was written. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient List<BadItem> bad;

        Refused(List<BadItem> bad) {
            super(bad.size() + " work orders refused", null, false, false);
            this.bad = bad;
        }
    }

    private static final String COLUMNS =
            """
            id, source_system, external_no, external_category, category, body, address,
            ST_X(location), ST_Y(location), reported_at, sign_due_at, complete_due_at,
            caller_name, caller_phone, state, incident_id, proposed_duplicates, received_at, request_hash""";

    private static final String INSERT =
            """
            INSERT INTO work_order (source_system, external_no, request_hash, external_category, category, body,
                                    address, location, reported_at, sign_due_at, complete_due_at, caller_name,
                                    caller_phone, state, incident_id, proposed_duplicates, received_by, placed_at, placed_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, CASE WHEN ?::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(?, ?), 4326) END,
                    ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? IS NOT NULL THEN now() END, ?)
            RETURNING id""";

    private final DataSource ds;
    private final IncidentStore incidents;
    private final Geocoder geocoder;
    private final double threshold;

    public WorkOrderStore(DataSource ds, IncidentStore incidents) {
        this(ds, incidents, null, Double.POSITIVE_INFINITY);
    }

    /**
     * @param geocoder places an order given only by address at its best match; null: never
     * @param threshold the least score that places it (intake's, Config.geocodeThreshold)
     */
    public WorkOrderStore(
            DataSource ds, IncidentStore incidents, Geocoder geocoder, double threshold) {
        this.ds = ds;
        this.incidents = incidents;
        this.geocoder = geocoder;
        this.threshold = threshold;
    }

    /** An address-only order's match, strong enough to place it; or the problem of its address. */
    private record Found(AddressPlacement placed, double lon, double lat, BadItem bad) {}

    /**
     * The gazetteer's answers for the orders given only by address, before the transaction (the
     * geocoder reads on its own connection). A weak or no match leaves the order UNPLACED.
     */
    private Map<Long, Found> geocode(List<Located> batch) throws SQLException {
        Map<Long, Found> out = new HashMap<>();
        if (geocoder == null) return out;
        for (Located l : batch) {
            WorkOrder o = l.order();
            if (o.located() || o.address() == null || o.address().isBlank()) continue;
            try {
                if (geocoder.normaliser().normalise(o.address()).isEmpty()) continue;
                Optional<GeocodeMatch> best = geocoder.best(o.address());
                if (best.isEmpty() || best.get().score() < threshold) continue;
                GeocodeMatch m = best.get();
                out.put(
                        l.index(),
                        new Found(
                                new AddressPlacement(
                                        o.address(),
                                        m.plate().id(),
                                        m.plate().label(),
                                        m.score(),
                                        null),
                                m.plate().lon(),
                                m.plate().lat(),
                                null));
            } catch (AddressNormaliser.Elsewhere e) {
                out.put(
                        l.index(),
                        new Found(
                                null,
                                0,
                                0,
                                at(l, AddressInput.elsewhere(e, "/address").problem())));
            }
        }
        return out;
    }

    /**
     * Stores a batch: a replay (same number, same content) answers what it became; the same number
     * with other content refuses the batch (409); an order that cannot be routed refuses it (422).
     * A located order becomes a case, with the open cases it may duplicate proposed; one without a
     * point waits, UNPLACED.
     */
    List<Stored> intake(List<Located> batch, CasePlan.Planner planner, EnteredBy by)
            throws SQLException {
        Map<Long, Found> found = geocode(batch);
        return Jdbc.inTransaction(
                ds,
                c -> {
                    lock(c, batch);
                    Map<String, Existing> existing = existing(c, batch);
                    List<BadItem> bad = new ArrayList<>();
                    List<CasePlan> plans = new ArrayList<>();
                    for (Located l : batch) {
                        WorkOrder o = l.order();
                        Existing old = existing.get(key(o.sourceSystem(), o.externalNo()));
                        plans.add(null);
                        if (old != null) {
                            if (!old.hash.equals(o.hash())) bad.add(conflict(l, old));
                            continue;
                        }
                        // an address-only order: placed at the gazetteer's best match when it
                        // reaches the threshold (docs/workorders.md), else it waits UNPLACED
                        Found f = o.located() ? null : found.get(l.index());
                        if (f != null && f.bad() != null) {
                            bad.add(f.bad());
                            continue;
                        }
                        if (!o.located() && f == null) continue;
                        try {
                            CasePlan p =
                                    f == null
                                            ? planner.plan(o, o.lon(), o.lat())
                                            : planner.plan(o, f.lon(), f.lat()).placed(f.placed());
                            plans.set(plans.size() - 1, p);
                        } catch (ProblemException e) {
                            bad.add(at(l, e.problem()));
                        }
                    }
                    if (!bad.isEmpty()) throw new Refused(bad);
                    List<Stored> out = new ArrayList<>();
                    for (int k = 0; k < batch.size(); k++) {
                        Located l = batch.get(k);
                        WorkOrder o = l.order();
                        Existing old = existing.get(key(o.sourceSystem(), o.externalNo()));
                        if (old != null) {
                            out.add(stored(l.index(), old.row, true));
                            continue;
                        }
                        out.add(create(c, l, plans.get(k), by));
                    }
                    return out;
                });
    }

    /**
     * Places an UNPLACED order at a point: it becomes a case, in one transaction; its caller moves
     * to the case's reporter. {@code order} makes the stored row an order again (its category).
     */
    Stored place(
            long id,
            double lon,
            double lat,
            Function<Row, WorkOrder> order,
            CasePlan.Planner planner,
            EnteredBy by)
            throws SQLException {
        return Jdbc.inTransaction(
                ds,
                c -> {
                    Row row =
                            find(c, id, true)
                                    .orElseThrow(
                                            () ->
                                                    new ProblemException(
                                                            Problem.notFound(
                                                                    "work order "
                                                                            + id
                                                                            + " does not exist")));
                    if (!row.state().equals("UNPLACED"))
                        throw new ProblemException(
                                Problem.of(
                                        409,
                                        "work-order-placed",
                                        "The work order is placed already",
                                        "work order " + id + " became incident " + row.incidentId(),
                                        null));
                    WorkOrder o = order.apply(row);
                    CasePlan plan = planner.plan(o, lon, lat);
                    long incidentId =
                            incidents
                                    .insert(
                                            c,
                                            plan.report(),
                                            plan.routing(),
                                            plan.first(),
                                            null,
                                            null,
                                            by)
                                    .incident()
                                    .id();
                    List<Long> dups = duplicates(c, o, lon, lat, incidentId);
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    """
                            UPDATE work_order SET state = 'CASE', incident_id = ?,
                                   location = ST_SetSRID(ST_MakePoint(?, ?), 4326),
                                   caller_name = NULL, caller_phone = NULL, proposed_duplicates = ?,
                                   placed_at = now(), placed_by = ?
                            WHERE id = ?""")) {
                        ps.setLong(1, incidentId);
                        ps.setDouble(2, lon);
                        ps.setDouble(3, lat);
                        ps.setArray(4, c.createArrayOf("bigint", dups.toArray()));
                        ps.setLong(5, by.staffId());
                        ps.setLong(6, id);
                        ps.executeUpdate();
                    }
                    return new Stored(
                            0,
                            id,
                            row.sourceSystem(),
                            row.externalNo(),
                            "CASE",
                            incidentId,
                            dups,
                            false);
                });
    }

    private Stored create(Connection c, Located l, CasePlan plan, EnteredBy by)
            throws SQLException {
        WorkOrder o = l.order();
        Long incidentId = null;
        List<Long> dups = List.of();
        if (plan != null) {
            incidentId =
                    incidents
                            .insert(
                                    c,
                                    plan.report(),
                                    plan.routing(),
                                    plan.first(),
                                    null,
                                    null,
                                    by,
                                    plan.placed())
                            .incident()
                            .id();
            // the case's point: the order's own, or one found for its address
            dups = duplicates(c, o, plan.report().lon(), plan.report().lat(), incidentId);
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            int i = 1;
            ps.setString(i++, o.sourceSystem());
            ps.setString(i++, o.externalNo());
            ps.setString(i++, o.hash());
            ps.setString(i++, o.externalCategory());
            ps.setString(i++, o.category().code());
            ps.setString(i++, o.text());
            ps.setString(i++, o.address());
            Double lon = plan == null ? o.lon() : (Double) plan.report().lon();
            Double lat = plan == null ? o.lat() : (Double) plan.report().lat();
            setDouble(ps, i++, lon);
            setDouble(ps, i++, lon);
            setDouble(ps, i++, lat);
            ps.setObject(i++, o.reportedAt());
            ps.setObject(i++, o.signDueAt());
            ps.setObject(i++, o.completeDueAt());
            // the caller goes with the case (its reporter) once there is one
            ps.setString(i++, plan == null ? o.callerName() : null);
            ps.setString(i++, plan == null ? o.callerPhone() : null);
            ps.setString(i++, plan == null ? "UNPLACED" : "CASE");
            setLong(ps, i++, incidentId);
            ps.setArray(i++, c.createArrayOf("bigint", dups.toArray()));
            setLong(ps, i++, by.staffId());
            setLong(ps, i++, plan == null ? null : by.staffId());
            setLong(ps, i, plan == null ? null : by.staffId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Stored(
                        l.index(),
                        rs.getLong(1),
                        o.sourceSystem(),
                        o.externalNo(),
                        plan == null ? "UNPLACED" : "CASE",
                        incidentId,
                        dups,
                        false);
            }
        }
    }

    /** Open cases of the category near the point, around the call's time: for the operator. */
    private static List<Long> duplicates(
            Connection c, WorkOrder o, double lon, double lat, long self) throws SQLException {
        return Duplicates.near(
                        c,
                        lon,
                        lat,
                        o.category().code(),
                        o.reportedAt().minusDays(Duplicates.DEFAULT_DAYS),
                        o.reportedAt().plusDays(Duplicates.DEFAULT_DAYS),
                        Duplicates.DEFAULT_RADIUS_M,
                        self)
                .stream()
                .map(Duplicates.Candidate::id)
                .toList();
    }

    private static void lock(Connection c, List<Located> batch) throws SQLException {
        List<String> keys =
                batch.stream()
                        .map(l -> key(l.order().sourceSystem(), l.order().externalNo()))
                        .distinct()
                        .sorted(Comparator.naturalOrder())
                        .toList();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 21))")) {
            for (String k : keys) {
                ps.setString(1, k);
                ps.executeQuery().close();
            }
        }
    }

    private record Existing(Row row, String hash) {}

    private static Map<String, Existing> existing(Connection c, List<Located> batch)
            throws SQLException {
        Map<String, Existing> out = new HashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT "
                                + COLUMNS
                                + " FROM work_order WHERE (source_system, external_no) IN"
                                + " (SELECT * FROM unnest(?::text[], ?::text[]))")) {
            ps.setArray(
                    1,
                    c.createArrayOf(
                            "text", batch.stream().map(l -> l.order().sourceSystem()).toArray()));
            ps.setArray(
                    2,
                    c.createArrayOf(
                            "text", batch.stream().map(l -> l.order().externalNo()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row r = read(rs);
                    out.put(
                            key(r.sourceSystem(), r.externalNo()),
                            new Existing(r, rs.getString(19)));
                }
            }
        }
        return out;
    }

    private static BadItem conflict(Located l, Existing old) {
        return new BadItem(
                l.index(),
                Problem.of(
                        409,
                        "work-order-conflict",
                        "The work order number is taken by another order",
                        "order "
                                + l.order().externalNo()
                                + " of "
                                + l.order().sourceSystem()
                                + " was received before (work order "
                                + old.row.id()
                                + ") with a different content; a resend must be identical",
                        l.field().apply("/externalNo")));
    }

    /** A problem of one order (its field relative to the order) placed in the batch. */
    static BadItem at(Located l, Problem p) {
        return new BadItem(
                l.index(),
                new Problem(
                        p.status(),
                        p.type(),
                        p.title(),
                        p.detail(),
                        l.field().apply(p.field() == null ? "" : p.field())));
    }

    Optional<Row> find(long id) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return find(c, id, false);
        }
    }

    private static Optional<Row> find(Connection c, long id, boolean forUpdate)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT "
                                + COLUMNS
                                + " FROM work_order WHERE id = ?"
                                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Orders in a state (null: any), of a source, or of a case (null: any), newest first, {@code
     * limit + 1} rows (one more tells that a next page exists); {@code beforeId} pages on.
     */
    List<Row> list(String state, String sourceSystem, Long incidentId, Long beforeId, int limit)
            throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + """
                         FROM work_order
                        WHERE (?::text IS NULL OR state = ?) AND (?::text IS NULL OR source_system = ?)
                          AND (?::bigint IS NULL OR incident_id = ?) AND (?::bigint IS NULL OR id < ?)
                        ORDER BY id DESC LIMIT ?""")) {
            ps.setString(1, state);
            ps.setString(2, state);
            ps.setString(3, sourceSystem);
            ps.setString(4, sourceSystem);
            setLong(ps, 5, incidentId);
            setLong(ps, 6, incidentId);
            setLong(ps, 7, beforeId);
            setLong(ps, 8, beforeId);
            ps.setInt(9, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                List<Row> out = new ArrayList<>();
                while (rs.next()) out.add(read(rs));
                return out;
            }
        }
    }

    private static Row read(ResultSet rs) throws SQLException {
        double lon = rs.getDouble(8);
        boolean noPoint = rs.wasNull();
        Array dups = rs.getArray(17);
        return new Row(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                noPoint ? null : lon,
                noPoint ? null : rs.getDouble(9),
                rs.getObject(10, OffsetDateTime.class),
                rs.getObject(11, OffsetDateTime.class),
                rs.getObject(12, OffsetDateTime.class),
                rs.getString(13),
                rs.getString(14),
                rs.getString(15),
                getLong(rs, 16),
                Arrays.stream((Long[]) dups.getArray()).toList(),
                rs.getObject(18, OffsetDateTime.class));
    }

    static Stored stored(long index, Row r, boolean replayed) {
        return new Stored(
                index,
                r.id(),
                r.sourceSystem(),
                r.externalNo(),
                r.state(),
                r.incidentId(),
                r.proposedDuplicates(),
                replayed);
    }

    static String key(String source, String no) {
        return source + '\u001f' + no;
    }

    private static Long getLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v);
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) ps.setNull(i, Types.DOUBLE);
        else ps.setDouble(i, v);
    }
}
