package org.gridgov.incident;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;

/**
 * Incidents and their event log in PostgreSQL. Intake writes the incident and its first events in
 * one statement (one round trip, one commit): a 201 is sent only after that commit, so an
 * acknowledged report survives a crash.
 */
public final class IncidentStore {

    /** What intake did: the stored incident, and whether it was an idempotent replay. */
    public record Intake(Incident incident, boolean replayed) {}

    /**
     * Rows another capability writes on the new incident's transaction (its photos: media), so they
     * commit with it or not at all.
     */
    @FunctionalInterface
    public interface Attach {
        void insert(Connection c, long incidentId) throws SQLException;
    }

    // the place and facility a report names (docs/places.md), on the incident's transaction
    private static final String NAME_SUBJECTS =
            "UPDATE incident SET place_id = ?, facility_id = ? WHERE id = ?";
    private static final String SUBJECTS =
            """
            SELECT p.id, p.name, p.kind, f.id, f.code, f.kind, f.department, d.platform, d.handler_id
            FROM incident i
            LEFT JOIN place p ON p.id = i.place_id
            LEFT JOIN facility f ON f.id = i.facility_id
            LEFT JOIN department d ON d.code = f.department
            WHERE i.id = ? AND (i.place_id IS NOT NULL OR i.facility_id IS NOT NULL)""";

    private static final String INSERT =
            """
            WITH claim AS (
                -- the key names one incident (V36): a key already used claims nothing, writes nothing
                INSERT INTO incident_idempotency (key, incident_id)
                SELECT k, nextval('incident_id_seq') FROM (SELECT ?::text AS k) a WHERE k IS NOT NULL
                ON CONFLICT (key) DO NOTHING
                RETURNING incident_id
            ), new_id AS (
                SELECT incident_id AS id FROM claim
                UNION ALL
                SELECT nextval('incident_id_seq') WHERE ?::text IS NULL
            ), new_incident AS (
                INSERT INTO incident (id, status, version, category, channel, description, location, reported_at,
                                      reporter_name, reporter_phone, jurisdiction, plan_id, grid_id, community_id,
                                      platform, assignee_id, due_at, idempotency_key, request_hash, urgency, step, step_due_at)
                SELECT n.id, ?, ?, ?, ?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326), ?::timestamptz, ?, ?, ?, ?::bigint,
                       ?::bigint, ?::bigint, ?, ?::bigint, ?::timestamptz, ?, ?, ?, ?, ?::timestamptz
                FROM new_id n
                RETURNING id, received_at, updated_at
            ), events AS (
                -- staff who entered the report are its actor; the automatic transfer has none
                INSERT INTO incident_event (incident_id, at, actor_id, actor_role, type, from_status, to_status, note, data)
                SELECT n.id, n.received_at, CASE WHEN e.ord < 3 THEN ?::bigint END, CASE WHEN e.ord < 3 THEN ? END,
                       e.type, e.from_status, e.to_status, e.note, e.data::jsonb
                FROM new_incident n
                CROSS JOIN (VALUES (1, 'REPORTED', NULL, 'REPORTED', NULL, ?),
                                   (2, 'BACKDATED', 'REPORTED', 'REPORTED', ?, ?),
                                   (3, 'ESCALATED', 'REPORTED', 'ESCALATED', ?, ?))
                     AS e(ord, type, from_status, to_status, note, data)
                WHERE e.ord = 1 OR (e.ord = 2 AND ?) OR (e.ord = 3 AND ?)
                ORDER BY e.ord
            ), timer AS (
                INSERT INTO case_timer (incident_id, step, kind, fire_at, step_due_at, escalate_at)
                SELECT n.id, ?, ?, ?, ?, ? FROM new_incident n WHERE ?
            ), contact AS (
                -- before the trigger on incident_event runs (at the statement's end): it queues
                -- the "received" message for this contact (docs/notifications.md)
                INSERT INTO reporter_contact (incident_id, sms, email)
                SELECT n.id, ?, ? FROM new_incident n WHERE ?
            ), address AS (
                -- a report given by address: how it was placed (docs/addresses.md)
                INSERT INTO incident_address (incident_id, given, door_plate_id, label, score, placed_by)
                SELECT n.id, ?, ?, ?, ?, ? FROM new_incident n WHERE ?
            )
            SELECT id, received_at, updated_at FROM new_incident""";

    /**
     * Intake of several reports in one statement (IntakeBatcher): each column as an array, one row
     * per report. The ids are drawn first so that each returned row maps back to its report; the
     * incident rows are written before their events (the live relay's invariant, docs/live.md) and
     * the events in report order. A report whose key exists already writes nothing and is answered
     * as a replay, as alone.
     */
    private static final String INSERT_MANY =
            """
            WITH input AS MATERIALIZED (
                SELECT t.*, nextval('incident_id_seq') AS id
                FROM unnest(?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::float8[], ?::float8[],
                            ?::text[]::timestamptz[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::int8[],
                            ?::int8[], ?::text[], ?::int8[], ?::text[]::timestamptz[], ?::text[], ?::text[],
                            ?::text[], ?::text[], ?::text[]::timestamptz[],
                            ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::bool[], ?::bool[],
                            ?::text[], ?::text[], ?::text[]::timestamptz[], ?::text[]::timestamptz[],
                            ?::text[]::timestamptz[], ?::bool[], ?::bool[], ?::text[], ?::bool[])
                     WITH ORDINALITY
                     AS t(status, version, category, channel, description, lon, lat, reported_at,
                          reporter_name, reporter_phone, jurisdiction, plan_id, grid_id, community_id,
                          platform, assignee_id, due_at, idempotency_key, request_hash, urgency, step,
                          step_due_at, actor_id, actor_role, reported_data, backdated_note,
                          backdated_data, escalated_note, escalated_data, backdated, escalated,
                          timer_step, timer_kind, fire_at, timer_due_at, escalate_at, arm,
                          sms, email, notify, ord)
            ), claim AS (
                -- the keys not used before (V36); a report whose key was used writes nothing
                INSERT INTO incident_idempotency (key, incident_id)
                SELECT idempotency_key, id FROM input WHERE idempotency_key IS NOT NULL ORDER BY ord
                ON CONFLICT (key) DO NOTHING
                RETURNING incident_id
            ), new_incident AS (
                INSERT INTO incident (id, status, version, category, channel, description, location, reported_at,
                                      reporter_name, reporter_phone, jurisdiction, plan_id, grid_id, community_id,
                                      platform, assignee_id, due_at, idempotency_key, request_hash, urgency, step, step_due_at)
                SELECT id, status, version, category, channel, description, ST_SetSRID(ST_MakePoint(lon, lat), 4326),
                       reported_at, reporter_name, reporter_phone, jurisdiction, plan_id, grid_id, community_id,
                       platform, assignee_id, due_at, idempotency_key, request_hash, urgency, step, step_due_at
                FROM input
                WHERE idempotency_key IS NULL OR id IN (SELECT incident_id FROM claim)
                ORDER BY ord
                RETURNING id, received_at, updated_at
            ), events AS (
                INSERT INTO incident_event (incident_id, at, actor_id, actor_role, type, from_status, to_status, note, data)
                SELECT n.id, n.received_at, CASE WHEN e.ord < 3 THEN i.actor_id END,
                       CASE WHEN e.ord < 3 THEN i.actor_role END,
                       e.type, e.from_status, e.to_status, e.note, e.data::jsonb
                FROM new_incident n
                JOIN input i ON i.id = n.id
                CROSS JOIN LATERAL (VALUES (1, 'REPORTED', NULL, 'REPORTED', NULL, i.reported_data),
                                           (2, 'BACKDATED', 'REPORTED', 'REPORTED', i.backdated_note, i.backdated_data),
                                           (3, 'ESCALATED', 'REPORTED', 'ESCALATED', i.escalated_note, i.escalated_data))
                     AS e(ord, type, from_status, to_status, note, data)
                WHERE e.ord = 1 OR (e.ord = 2 AND i.backdated) OR (e.ord = 3 AND i.escalated)
                ORDER BY i.ord, e.ord
            ), timer AS (
                INSERT INTO case_timer (incident_id, step, kind, fire_at, step_due_at, escalate_at)
                SELECT n.id, i.timer_step, i.timer_kind, i.fire_at, i.timer_due_at, i.escalate_at
                FROM new_incident n JOIN input i ON i.id = n.id WHERE i.arm
            ), contact AS (
                -- before the trigger on incident_event runs (at the statement's end)
                INSERT INTO reporter_contact (incident_id, sms, email)
                SELECT n.id, i.sms, i.email FROM new_incident n JOIN input i ON i.id = n.id WHERE i.notify
            )
            SELECT i.ord, n.id, n.received_at, n.updated_at FROM new_incident n JOIN input i ON i.id = n.id""";

    private static final String COLUMNS =
            """
            i.id, i.version, i.status, i.category, i.channel, i.description, ST_X(i.location), ST_Y(i.location),
            i.reported_at, i.received_at, i.updated_at, i.plan_id, i.grid_id, g.code, i.community_id, i.platform,
            i.assignee_id, i.due_at, i.jurisdiction, i.request_hash,
            (SELECT e.note FROM incident_event e WHERE e.incident_id = i.id AND e.to_status = 'ESCALATED' ORDER BY e.id LIMIT 1),
            i.step, i.step_due_at, i.urgency, i.supervised, i.parked, i.no_owner, i.duplicate_of, i.satisfaction, i.closed_at,
            i.reporter_name, i.reporter_phone, i.subdistrict_id
            """;

    private static final String BY_ID =
            "SELECT "
                    + COLUMNS
                    + " FROM incident i LEFT JOIN grid g ON g.id = i.grid_id WHERE i.id = ?";
    private static final String BY_KEY =
            "SELECT "
                    + COLUMNS
                    + " FROM incident_idempotency k JOIN incident i ON i.id = k.incident_id"
                    + " LEFT JOIN grid g ON g.id = i.grid_id WHERE k.key = ?";

    private static final String EVENTS =
            """
            SELECT id, at, actor_id, actor_role, type, from_status, to_status, note, data::text
            FROM incident_event WHERE incident_id = ? ORDER BY id""";

    private final DataSource ds;

    public IncidentStore(DataSource ds) {
        this.ds = ds;
    }

    public Intake insert(
            IncidentReport r, Routing routing, String idempotencyKey, String requestHash)
            throws SQLException {
        return insert(r, routing, null, idempotencyKey, requestHash);
    }

    public Intake insert(
            IncidentReport r,
            Routing routing,
            FirstStep first,
            String idempotencyKey,
            String requestHash)
            throws SQLException {
        return insert(r, routing, first, idempotencyKey, requestHash, null);
    }

    /**
     * @param by the member of staff who entered the report; null for the public
     */
    public Intake insert(
            IncidentReport r,
            Routing routing,
            FirstStep first,
            String idempotencyKey,
            String requestHash,
            EnteredBy by)
            throws SQLException {
        return insert(r, routing, first, idempotencyKey, requestHash, by, null, (Attach) null);
    }

    /**
     * @param placed how a report given by address was placed, kept with it; null for a point
     */
    public Intake insert(
            IncidentReport r,
            Routing routing,
            FirstStep first,
            String idempotencyKey,
            String requestHash,
            EnteredBy by,
            AddressPlacement placed)
            throws SQLException {
        return insert(r, routing, first, idempotencyKey, requestHash, by, null, placed);
    }

    /**
     * Writes the place and facility a report names with the new incident, then {@code then} (its
     * photos; null for none).
     */
    public static Attach naming(ReportSubjects.Named named, Attach then) {
        return (c, id) -> {
            try (PreparedStatement ps = c.prepareStatement(NAME_SUBJECTS)) {
                ps.setObject(1, named.placeId());
                ps.setObject(2, named.facilityId());
                ps.setLong(3, id);
                ps.executeUpdate();
            }
            if (then != null) then.insert(c, id);
        };
    }

    /** The place and facility the incident names; NOTHING when it names neither. */
    public ReportSubjects.Named subjects(long incidentId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(SUBJECTS)) {
            ps.setLong(1, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return ReportSubjects.Named.NOTHING;
                return new ReportSubjects.Named(
                        rs.getObject(1, Long.class),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getObject(4, Long.class),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getObject(9, Long.class));
            }
        }
    }

    /**
     * @param extra more facts of the report for staff (an Open311 service's answers), or null
     * @param placed how a report given by address was placed, kept with it; null for a point
     */
    public Intake insert(
            IncidentReport r,
            Routing routing,
            FirstStep first,
            String idempotencyKey,
            String requestHash,
            EnteredBy by,
            ObjectNode extra,
            AddressPlacement placed)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            return insert(c, r, routing, first, idempotencyKey, requestHash, by, extra, placed);
        }
    }

    /**
     * @param extra more facts of the report for staff (e.g. the answers to an Open311 service's
     *     questions), added to the REPORTED event's data; null for none
     * @param attach rows written on the incident's transaction (photos), or null
     */
    public Intake insert(
            IncidentReport r,
            Routing routing,
            FirstStep first,
            String idempotencyKey,
            String requestHash,
            EnteredBy by,
            ObjectNode extra,
            Attach attach)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            if (attach == null)
                return insert(c, r, routing, first, idempotencyKey, requestHash, by, extra, null);
            // with attachments, one transaction; an uncommitted one is rolled back by the pool
            c.setAutoCommit(false);
            try {
                Intake in =
                        insert(c, r, routing, first, idempotencyKey, requestHash, by, extra, null);
                if (!in.replayed()) attach.insert(c, in.incident().id());
                c.commit();
                return in;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** A report waiting to be written with others in one transaction (IntakeBatcher). */
    public record Pending(
            IncidentReport report,
            Routing routing,
            FirstStep first,
            String idempotencyKey,
            String requestHash,
            EnteredBy by) {}

    /** What became of one report of a batch: its intake, or what it alone would have got. */
    public record Outcome(Intake intake, RuntimeException refused) {}

    /**
     * Writes the reports (their keys all different) in one statement and one commit: one outcome
     * per report, in order, each the answer the report would have got alone (a replay, or 422 for a
     * key reused with another body). Returns null, with nothing written, when the statement failed
     * for a reason that may be one report's (a constraint): the caller then writes them one by one.
     * Throws when the database could not be reached or the commit failed: then no report of the
     * batch is acknowledged.
     */
    public List<Outcome> insertBatch(List<Pending> rows) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            List<Outcome> written;
            try {
                Intake[] done = new Intake[rows.size()];
                try (PreparedStatement ps = c.prepareStatement(INSERT_MANY)) {
                    bindMany(c, ps, rows);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            int at = rs.getInt(1) - 1;
                            Pending p = rows.get(at);
                            done[at] =
                                    new Intake(
                                            created(
                                                    rs.getLong(2),
                                                    rs.getObject(3, OffsetDateTime.class),
                                                    rs.getObject(4, OffsetDateTime.class),
                                                    p.report(),
                                                    p.routing(),
                                                    p.first()),
                                            false);
                        }
                    }
                }
                List<Outcome> out = new ArrayList<>(rows.size());
                for (int k = 0; k < rows.size(); k++) {
                    if (done[k] != null) {
                        out.add(new Outcome(done[k], null));
                        continue;
                    }
                    Pending p = rows.get(k);
                    try {
                        out.add(new Outcome(replay(c, p.idempotencyKey(), p.requestHash()), null));
                    } catch (ProblemException e) {
                        out.add(new Outcome(null, e));
                    }
                }
                written = out;
            } catch (SQLException e) {
                rollbackQuietly(c, e);
                if (unreachable(e) || c.isClosed()) throw e;
                return null;
            }
            // a failed commit (or one whose outcome is unknown) fails the whole batch, as it
            // failed a lone report: no 201, and no second try that could write a report twice
            c.commit();
            return written;
        }
    }

    // the connection or the server is gone (class 08, 57P01-03): one by one would fail the same
    private static boolean unreachable(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private static void rollbackQuietly(Connection c, SQLException cause) {
        try {
            if (!c.isClosed()) c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void bindMany(Connection c, PreparedStatement ps, List<Pending> rows)
            throws SQLException {
        int n = rows.size();
        String[] status = new String[n], category = new String[n], channel = new String[n];
        String[] description = new String[n], reportedAt = new String[n], name = new String[n];
        String[] phone = new String[n], jurisdiction = new String[n], platform = new String[n];
        String[] dueAt = new String[n], key = new String[n], hash = new String[n];
        String[] urgency = new String[n], step = new String[n], stepDueAt = new String[n];
        String[] actorRole = new String[n], reportedData = new String[n];
        String[] backdatedNote = new String[n], backdatedData = new String[n];
        String[] escalatedNote = new String[n], escalatedData = new String[n];
        String[] timerStep = new String[n], timerKind = new String[n], fireAt = new String[n];
        String[] timerDueAt = new String[n], escalateAt = new String[n], email = new String[n];
        Integer[] version = new Integer[n];
        Double[] lon = new Double[n], lat = new Double[n];
        Long[] planId = new Long[n], gridId = new Long[n], communityId = new Long[n];
        Long[] assigneeId = new Long[n], actorId = new Long[n];
        Boolean[] backdated = new Boolean[n], escalated = new Boolean[n], arm = new Boolean[n];
        Boolean[] sms = new Boolean[n], notify = new Boolean[n];
        for (int k = 0; k < n; k++) {
            Pending p = rows.get(k);
            IncidentReport r = p.report();
            Routing routing = p.routing();
            FirstStep first = p.first();
            EnteredBy by = p.by();
            status[k] = routing.transferred() ? "ESCALATED" : "REPORTED";
            version[k] = routing.transferred() ? 2 : 1;
            category[k] = r.category().code();
            channel[k] = r.channel().name();
            description[k] = r.description();
            lon[k] = r.lon();
            lat[k] = r.lat();
            reportedAt[k] = text(r.reportedAt());
            name[k] = r.reporterName();
            phone[k] = r.reporterPhone();
            jurisdiction[k] = routing.jurisdiction();
            planId[k] = routing.planId();
            gridId[k] = routing.gridId();
            communityId[k] = routing.communityId();
            platform[k] = routing.platform();
            assigneeId[k] = routing.assigneeId();
            dueAt[k] = text(routing.dueAt());
            key[k] = p.idempotencyKey();
            hash[k] = p.requestHash();
            urgency[k] = r.category().urgency();
            step[k] = first == null ? null : first.step();
            stepDueAt[k] = first == null ? null : text(first.dueAt());
            actorId[k] = by == null ? null : by.staffId();
            actorRole[k] = by == null ? null : by.role();
            reportedData[k] = reportedEventData(r, routing, null);
            backdatedNote[k] = backdatedNote(r, by);
            backdatedData[k] = backdatedData(r, by);
            escalatedNote[k] = escalatedNote(routing);
            escalatedData[k] = escalatedData(routing);
            backdated[k] = by != null && by.backdated();
            escalated[k] = routing.transferred();
            Timer t = Timer.of(first);
            timerStep[k] = t.step();
            timerKind[k] = t.kind();
            fireAt[k] = text(t.fireAt());
            timerDueAt[k] = text(t.stepDueAt());
            escalateAt[k] = text(t.escalateAt());
            arm[k] = t.arm();
            sms[k] = r.reporterPhone() != null;
            email[k] = r.reporterEmail();
            notify[k] = r.notifyReporter();
        }
        Object[][] columns = {
            status,
            version,
            category,
            channel,
            description,
            lon,
            lat,
            reportedAt,
            name,
            phone,
            jurisdiction,
            planId,
            gridId,
            communityId,
            platform,
            assigneeId,
            dueAt,
            key,
            hash,
            urgency,
            step,
            stepDueAt,
            actorId,
            actorRole,
            reportedData,
            backdatedNote,
            backdatedData,
            escalatedNote,
            escalatedData,
            backdated,
            escalated,
            timerStep,
            timerKind,
            fireAt,
            timerDueAt,
            escalateAt,
            arm,
            sms,
            email,
            notify
        };
        for (int k = 0; k < columns.length; k++) {
            Object[] col = columns[k];
            String type =
                    col instanceof Integer[]
                            ? "int4"
                            : col instanceof Double[]
                                    ? "float8"
                                    : col instanceof Long[]
                                            ? "int8"
                                            : col instanceof Boolean[] ? "bool" : "text";
            ps.setArray(k + 1, c.createArrayOf(type, col));
        }
    }

    // times travel as ISO text in the arrays, cast to timestamptz by the statement
    private static String text(OffsetDateTime t) {
        return t == null ? null : t.toString();
    }

    /**
     * Intake on the caller's connection, inside its transaction: another store (work orders) writes
     * a case and its own rows in one commit.
     */
    public Intake insert(
            Connection c,
            IncidentReport r,
            Routing routing,
            FirstStep first,
            String idempotencyKey,
            String requestHash,
            EnteredBy by)
            throws SQLException {
        return insert(c, r, routing, first, idempotencyKey, requestHash, by, null, null);
    }

    /**
     * As above, for a case that names a place or facility (a failed check of a task at a place):
     * written with the incident as intake writes a report's, through {@link #naming}.
     */
    public Intake insert(
            Connection c,
            IncidentReport r,
            Routing routing,
            FirstStep first,
            EnteredBy by,
            ReportSubjects.Named named)
            throws SQLException {
        Intake in = insert(c, r, routing, first, null, null, by, null, null);
        if (named.any()) naming(named, null).insert(c, in.incident().id());
        return in;
    }

    /** As above, for a case placed by its address (a work order given by address). */
    public Intake insert(
            Connection c,
            IncidentReport r,
            Routing routing,
            FirstStep first,
            String idempotencyKey,
            String requestHash,
            EnteredBy by,
            AddressPlacement placed)
            throws SQLException {
        return insert(c, r, routing, first, idempotencyKey, requestHash, by, null, placed);
    }

    private Intake insert(
            Connection c,
            IncidentReport r,
            Routing routing,
            FirstStep first,
            String idempotencyKey,
            String requestHash,
            EnteredBy by,
            ObjectNode extra,
            AddressPlacement placed)
            throws SQLException {
        String status = routing.transferred() ? "ESCALATED" : "REPORTED";
        {
            Incident created = null;
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                int i = 1;
                ps.setString(i++, idempotencyKey);
                ps.setString(i++, idempotencyKey);
                ps.setString(i++, status);
                ps.setInt(i++, routing.transferred() ? 2 : 1);
                ps.setString(i++, r.category().code());
                ps.setString(i++, r.channel().name());
                ps.setString(i++, r.description());
                ps.setDouble(i++, r.lon());
                ps.setDouble(i++, r.lat());
                ps.setObject(i++, r.reportedAt());
                ps.setString(i++, r.reporterName());
                ps.setString(i++, r.reporterPhone());
                ps.setString(i++, routing.jurisdiction());
                setLong(ps, i++, routing.planId());
                setLong(ps, i++, routing.gridId());
                setLong(ps, i++, routing.communityId());
                ps.setString(i++, routing.platform());
                setLong(ps, i++, routing.assigneeId());
                ps.setObject(i++, routing.dueAt());
                ps.setString(i++, idempotencyKey);
                ps.setString(i++, requestHash);
                ps.setString(i++, r.category().urgency());
                ps.setString(i++, first == null ? null : first.step());
                ps.setObject(i++, first == null ? null : first.dueAt());
                setLong(ps, i++, by == null ? null : by.staffId());
                ps.setString(i++, by == null ? null : by.role());
                ps.setString(i++, reportedEventData(r, routing, extra));
                boolean backdated = by != null && by.backdated();
                ps.setString(i++, backdatedNote(r, by));
                ps.setString(i++, backdatedData(r, by));
                ps.setString(i++, escalatedNote(routing));
                ps.setString(i++, escalatedData(routing));
                ps.setBoolean(i++, backdated);
                ps.setBoolean(i++, routing.transferred());
                // the first step's timer: the reminder if there is one, else the overdue notice
                Timer t = Timer.of(first);
                ps.setString(i++, t.step());
                ps.setString(i++, t.kind());
                ps.setObject(i++, t.fireAt());
                ps.setObject(i++, t.stepDueAt());
                ps.setObject(i++, t.escalateAt());
                ps.setBoolean(i++, t.arm());
                ps.setBoolean(i++, r.reporterPhone() != null);
                ps.setString(i++, r.reporterEmail());
                ps.setBoolean(i++, r.notifyReporter());
                ps.setString(i++, placed == null ? null : placed.given());
                setLong(ps, i++, placed == null ? null : placed.doorPlateId());
                ps.setString(i++, placed == null ? null : placed.label());
                ps.setObject(i++, placed == null ? null : placed.score(), Types.REAL);
                setLong(ps, i++, placed == null ? null : placed.placedBy());
                ps.setBoolean(i, placed != null);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        created =
                                created(
                                        rs.getLong(1),
                                        rs.getObject(2, OffsetDateTime.class),
                                        rs.getObject(3, OffsetDateTime.class),
                                        r,
                                        routing,
                                        first);
                    }
                }
            }
            if (created != null) return new Intake(created, false);
            return replay(c, idempotencyKey, requestHash);
        }
    }

    /** The key was used before: the same request gets the same incident, another is refused. */
    private Intake replay(Connection c, String idempotencyKey, String requestHash)
            throws SQLException {
        Row existing =
                findRow(c, BY_KEY, idempotencyKey)
                        .orElseThrow(
                                () ->
                                        new SQLException(
                                                "idempotency key vanished: " + idempotencyKey));
        if (!existing.requestHash.equals(requestHash)) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "idempotency-key-reused",
                            "Idempotency-Key reused with a different request",
                            "the key '"
                                    + idempotencyKey
                                    + "' was used for incident "
                                    + existing.incident.id()
                                    + " with a different body; use a new key for a new report",
                            "Idempotency-Key"));
        }
        return new Intake(existing.incident, true);
    }

    /** The incident just written, as the answer shows it (no second read). */
    private static Incident created(
            long id,
            OffsetDateTime receivedAt,
            OffsetDateTime updatedAt,
            IncidentReport r,
            Routing routing,
            FirstStep first) {
        return new Incident(
                id,
                routing.transferred() ? 2 : 1,
                routing.transferred() ? "ESCALATED" : "REPORTED",
                r.category().code(),
                r.channel().name(),
                r.description(),
                r.lon(),
                r.lat(),
                r.reportedAt(),
                receivedAt,
                updatedAt,
                routing,
                CaseState.fresh(
                        first == null ? null : first.step(),
                        first == null ? null : first.dueAt(),
                        r.category().urgency(),
                        r.reporterName(),
                        r.reporterPhone()),
                null); // placed in its subdistrict by the community, on insert (V31)
    }

    /** The BACKDATED event's note: who gave the earlier report time. Null when not back-dated. */
    private static String backdatedNote(IncidentReport r, EnteredBy by) {
        if (by == null || !by.backdated()) return null;
        return "报告时间补录为 "
                + r.reportedAt()
                + "，录入人 "
                + by.username()
                + " (report time back-dated to "
                + r.reportedAt()
                + " by "
                + by.username()
                + ")";
    }

    private static String backdatedData(IncidentReport r, EnteredBy by) {
        if (by == null || !by.backdated()) return null;
        return Responses.JSON
                .createObjectNode()
                .put("reportedAt", r.reportedAt().toString())
                .put("by", by.username())
                .toString();
    }

    private static String escalatedNote(Routing routing) {
        return routing.transferReason() == null ? null : transferNote(routing.transferReason());
    }

    private static String escalatedData(Routing routing) {
        return routing.transferReason() == null
                ? null
                : Responses.JSON
                        .createObjectNode()
                        .put("reason", routing.transferReason())
                        .toString();
    }

    /**
     * The first step's timer: the reminder if there is one, else the overdue notice; none (arm
     * false) without a first step.
     */
    private record Timer(
            String step,
            String kind,
            OffsetDateTime fireAt,
            OffsetDateTime stepDueAt,
            OffsetDateTime escalateAt,
            boolean arm) {
        static Timer of(FirstStep first) {
            if (first == null) {
                OffsetDateTime now = OffsetDateTime.now();
                return new Timer("ACCEPT", "OVERDUE", now, now, null, false);
            }
            boolean remind = first.remindAt() != null;
            return new Timer(
                    first.step(),
                    remind ? "REMIND" : "OVERDUE",
                    remind ? first.remindAt() : first.dueAt(),
                    first.dueAt(),
                    first.escalateAt(),
                    true);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private record Row(Incident incident, String requestHash) {}

    private Optional<Incident> find(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private Optional<Row> findRow(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Row(read(rs), rs.getString(20)))
                        : Optional.empty();
            }
        }
    }

    /** Whether the person, or their platform, holds a subtask of the case. */
    boolean holdsSubtask(long id, Long staffId, String platform) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return CaseWorkQueries.holdsSubtask(c, id, staffId, platform);
        }
    }

    /**
     * Adds to each listed case with leaders' 督办 its summary, {@code case.leaderSupervision: {open,
     * missed, nextDueAt}} (the board's mark), in one query for the page.
     */
    void addLeaderSupervision(ObjectNode page) throws SQLException {
        List<Long> ids = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode f : page.path("features"))
            ids.add(f.get("id").asLong());
        if (ids.isEmpty()) return;
        java.util.Map<Long, ObjectNode> sums;
        try (Connection c = ds.getConnection()) {
            sums = CaseWorkQueries.leaderSummary(c, ids.toArray(new Long[0]));
        }
        for (com.fasterxml.jackson.databind.JsonNode f : page.path("features")) {
            ObjectNode sum = sums.get(f.get("id").asLong());
            if (sum != null && f.path("properties").get("case") instanceof ObjectNode cn)
                cn.set("leaderSupervision", sum);
        }
    }

    /** Adds the case's subtasks and leaders' 督办 to its JSON's case block (when it has one). */
    void addCaseWork(long id, ObjectNode incident) throws SQLException {
        if (!(incident.get("case") instanceof ObjectNode cn)) return;
        try (Connection c = ds.getConnection()) {
            CaseWorkQueries.fill(c, id, cn);
        }
    }

    public Optional<Incident> find(long id) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return find(c, BY_ID, ps -> ps.setLong(1, id));
        }
    }

    public List<Incident> list(IncidentFilter f) throws SQLException {
        return list(f, new Visibility(true, null, null, null, null, false));
    }

    public List<Incident> list(IncidentFilter f, Visibility v) throws SQLException {
        StringBuilder sql =
                new StringBuilder(
                        "SELECT "
                                + COLUMNS
                                + " FROM incident i LEFT JOIN grid g ON g.id = i.grid_id WHERE true");
        List<Object> args = new ArrayList<>();
        if (f.sentToDistrict()) {
            // what the reader's subdistrict sent to the district and the district holds now
            // (docs/access.md): each one the reader reads, its own or the district's. The
            // district's queue (the partial index of V34) is the few rows the probes start from.
            Long from = v.readsSentFrom();
            if (from == null)
                throw new IllegalArgumentException("reader reads no cases sent to the district");
            sql.append(" AND i.status = 'ESCALATED' AND ")
                    .append(EscalationQueries.sentFromCondition("i.id"));
            args.add(from);
        } else if (v.subdistrictId() != null) {
            // the isolation rule first: one subdistrict's cases (the district's own are NULL)
            sql.append(" AND i.subdistrict_id = ?");
            args.add(v.subdistrictId());
        }
        if (!v.all()) {
            // the reader's scope, or what was assigned to them
            String scope =
                    v.gridId() != null
                            ? "i.grid_id = ?"
                            : v.communityId() != null
                                    ? "i.community_id = ?"
                                    : v.platform() != null ? "i.platform = ?" : "false";
            sql.append(" AND (").append(scope).append(" OR i.assignee_id = ?)");
            if (v.gridId() != null) args.add(v.gridId());
            else if (v.communityId() != null) args.add(v.communityId());
            else if (v.platform() != null) args.add(v.platform());
            args.add(v.assigneeId() == null ? -1L : v.assigneeId());
        }
        if (f.bbox() != null) {
            sql.append(" AND i.location && ST_MakeEnvelope(?, ?, ?, ?, 4326)");
            args.add(f.bbox().minLon());
            args.add(f.bbox().minLat());
            args.add(f.bbox().maxLon());
            args.add(f.bbox().maxLat());
        }
        if (f.from() != null) {
            sql.append(" AND i.reported_at >= ?");
            args.add(f.from());
        }
        if (f.to() != null) {
            sql.append(" AND i.reported_at < ?");
            args.add(f.to());
        }
        if (f.category() != null) {
            sql.append(" AND i.category = ?");
            args.add(f.category());
        }
        if (f.platform() != null) {
            sql.append(" AND i.platform = ?");
            args.add(f.platform());
        }
        if (f.status() != null) {
            sql.append(" AND i.status = ANY (string_to_array(?, ','))");
            args.add(f.status());
        }
        if (f.gridId() != null) {
            sql.append(" AND i.grid_id = ?");
            args.add(f.gridId());
        }
        if (f.beforeId() != null) {
            sql.append(" AND i.id < ?");
            args.add(f.beforeId());
        }
        sql.append(" ORDER BY i.id DESC LIMIT ?");
        args.add(f.limit() + 1);
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                List<Incident> out = new ArrayList<>();
                while (rs.next()) out.add(read(rs));
                return out;
            }
        }
    }

    public List<ObjectNode> events(long incidentId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(EVENTS)) {
            ps.setLong(1, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                List<ObjectNode> out = new ArrayList<>();
                while (rs.next()) out.add(IncidentJson.event(rs));
                return out;
            }
        }
    }

    /**
     * Logs that a member of staff was shown the case's reporter unmasked (reporter_read,
     * append-only; docs/personal-data.md). Called before the answer is sent: a read that cannot be
     * logged fails.
     *
     * @param endpoint the route, e.g. "GET /api/v1/incidents/{id}"
     */
    public void logReporterRead(long staffId, String role, long incidentId, String endpoint)
            throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                INSERT INTO reporter_read (staff_id, role, incident_id, endpoint)
                VALUES (?, ?, ?, ?)""")) {
            ps.setLong(1, staffId);
            ps.setString(2, role);
            ps.setLong(3, incidentId);
            ps.setString(4, endpoint);
            ps.executeUpdate();
        }
    }

    /** Ended cases still holding reporter details: closed, or rejected, before the cut-off. */
    private static final String ENDED_WITH_REPORTER =
            """
            (reporter_name IS NOT NULL OR reporter_phone IS NOT NULL)
            AND status IN ('CLOSED', 'REJECTED')
            AND ((status = 'CLOSED' AND closed_at < ?) OR (status = 'REJECTED' AND updated_at < ?))""";

    /**
     * Erases the reporter's name and phone of cases that ended (closed; rejected: last changed)
     * before {@code endedBefore}, and the followers (phones, addresses) of those cases, in batches
     * of {@code batch} cases, each its own transaction; and the reporter of reports received before
     * then that still wait in the placement queue. Nothing else of a case changes: not its version,
     * its updated_at or its events. Returns how many cases were anonymised.
     */
    public int eraseReporters(OffsetDateTime endedBefore, int batch) throws SQLException {
        int total = 0;
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            """
                    DELETE FROM incident_follow f USING incident i
                    WHERE i.id = f.incident_id AND i.status IN ('CLOSED', 'REJECTED')
                      AND ((i.status = 'CLOSED' AND i.closed_at < ?)
                           OR (i.status = 'REJECTED' AND i.updated_at < ?))""")) {
                ps.setObject(1, endedBefore);
                ps.setObject(2, endedBefore);
                ps.executeUpdate();
            }
            // reports still waiting in the placement queue (V22) keep no reporter longer
            try (PreparedStatement ps =
                    c.prepareStatement(
                            """
                    UPDATE placement SET reporter_name = NULL, reporter_phone = NULL,
                                         reporter_email = NULL
                    WHERE incident_id IS NULL AND received_at < ?
                      AND (reporter_name IS NOT NULL OR reporter_phone IS NOT NULL
                           OR reporter_email IS NOT NULL)""")) {
                ps.setObject(1, endedBefore);
                ps.executeUpdate();
            }
            // the reporter's e-mail for messages (V20) goes with their name and phone
            try (PreparedStatement ps =
                    c.prepareStatement(
                            """
                    UPDATE reporter_contact rc SET email = NULL FROM incident i
                    WHERE i.id = rc.incident_id AND rc.email IS NOT NULL
                      AND i.status IN ('CLOSED', 'REJECTED')
                      AND ((i.status = 'CLOSED' AND i.closed_at < ?)
                           OR (i.status = 'REJECTED' AND i.updated_at < ?))""")) {
                ps.setObject(1, endedBefore);
                ps.setObject(2, endedBefore);
                ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            """
                    WITH due AS (
                        SELECT id FROM incident WHERE %s
                        ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
                    UPDATE incident i SET reporter_name = NULL, reporter_phone = NULL
                    FROM due WHERE i.id = due.id"""
                                    .formatted(ENDED_WITH_REPORTER))) {
                while (true) {
                    ps.setObject(1, endedBefore);
                    ps.setObject(2, endedBefore);
                    ps.setInt(3, batch);
                    int n = ps.executeUpdate();
                    total += n;
                    if (n < batch) return total;
                }
            }
        }
    }

    private static Incident read(ResultSet rs) throws SQLException {
        Routing routing =
                new Routing(
                        getLong(rs, 12),
                        getLong(rs, 13),
                        rs.getString(14),
                        getLong(rs, 15),
                        rs.getString(16),
                        getLong(rs, 17),
                        rs.getObject(18, OffsetDateTime.class),
                        rs.getString(19),
                        transferReason(rs.getString(21)));
        return new Incident(
                rs.getLong(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getDouble(7),
                rs.getDouble(8),
                rs.getObject(9, OffsetDateTime.class),
                rs.getObject(10, OffsetDateTime.class),
                rs.getObject(11, OffsetDateTime.class),
                routing,
                new CaseState(
                        rs.getString(22),
                        rs.getObject(23, OffsetDateTime.class),
                        rs.getString(24),
                        rs.getBoolean(25),
                        rs.getBoolean(26),
                        rs.getBoolean(27),
                        getLong(rs, 28),
                        getInt(rs, 29),
                        rs.getObject(30, OffsetDateTime.class),
                        rs.getString(31),
                        rs.getString(32)),
                getLong(rs, 33));
    }

    private static Integer getInt(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    private static String reportedEventData(IncidentReport r, Routing routing, ObjectNode extra) {
        ObjectNode d = Responses.JSON.createObjectNode();
        if (extra != null) d.setAll(extra);
        d.put("channel", r.channel().name());
        d.put("jurisdiction", routing.jurisdiction());
        if (routing.gridId() != null) d.put("gridId", routing.gridId());
        if (routing.assigneeId() != null) d.put("assigneeId", routing.assigneeId());
        d.put("platform", routing.platform());
        return d.toString();
    }

    static String transferNote(String reason) {
        return switch (reason) {
            case IncidentRouter.OUTSIDE_SUBDISTRICT -> "OUTSIDE_SUBDISTRICT: 事发地不在本街道辖区，已转区指挥中心";
            case IncidentRouter.DISTRICT_AUTHORITY -> "DISTRICT_AUTHORITY: 事项超出街道权限，已上报区指挥中心";
            default -> reason;
        };
    }

    private static String transferReason(String note) {
        if (note == null) return null;
        int colon = note.indexOf(':');
        return colon > 0 ? note.substring(0, colon) : note;
    }

    private static Long getLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v);
    }
}
