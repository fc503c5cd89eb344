package org.gridgov.roster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.db.AdminLog;
import org.gridgov.db.Jdbc;

/**
 * The SQL of rosters and leave (V14): shifts and leave listed, added (whole request or nothing,
 * checked against the person's existing rows first, so an overlap answers 409 and nothing is
 * written), deleted or cancelled, each change logged in the admin log (kind roster) in its
 * transaction; and the whole book for {@link DutyRoster}.
 */
public final class RosterStore {

    private static final String SHIFT_COLUMNS = "id, staff_id, starts_at, ends_at, note";
    private static final String LEAVE_COLUMNS =
            "id, staff_id, starts_at, ends_at, kind, substitute_id, note, cancelled_at";

    // Changes whenever a shift or leave is added, deleted or cancelled.
    private static final String FINGERPRINT =
            """
            SELECT (SELECT count(*) || ':' || coalesce(sum(id), 0) FROM duty_shift) || '/'
                || (SELECT count(*) || ':' || coalesce(sum(id), 0) || ':' || count(cancelled_at)
                    FROM staff_leave)""";

    private final DataSource ds;

    public RosterStore(DataSource ds) {
        this.ds = ds;
    }

    String fingerprint() throws SQLException {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(FINGERPRINT)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A time as the area's clock reads it, with its offset: what the problem texts show. */
    private static String local(java.time.Instant t, ZoneId zone) {
        return t.atZone(zone).toOffsetDateTime().toString();
    }

    DutyBook book(ZoneId zone) throws SQLException {
        try (Connection c = ds.getConnection()) {
            List<Shift> shifts = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery("SELECT " + SHIFT_COLUMNS + " FROM duty_shift")) {
                while (rs.next()) shifts.add(shift(rs));
            }
            List<Leave> leave = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT "
                                            + LEAVE_COLUMNS
                                            + " FROM staff_leave WHERE cancelled_at IS NULL")) {
                while (rs.next()) leave.add(leave(rs));
            }
            return new DutyBook(zone, shifts, leave);
        }
    }

    /** Shifts overlapping [from, to), of one person or everyone, by start. */
    List<Shift> shifts(Long staffId, Instant from, Instant to, int limit) throws SQLException {
        return shifts(null, staffId, from, to, limit);
    }

    /** As above, of the staff of one subdistrict only when {@code subdistrictId} is given. */
    List<Shift> shifts(Long subdistrictId, Long staffId, Instant from, Instant to, int limit)
            throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + SHIFT_COLUMNS
                                        + """
                                         FROM duty_shift
                                        WHERE (?::bigint IS NULL OR staff_id = ?)
                                          AND ends_at > ? AND starts_at < ?
                                          AND (?::bigint IS NULL OR staff_id IN (
                                               SELECT id FROM staff WHERE subdistrict_id = ?))
                                        ORDER BY starts_at, staff_id LIMIT ?""")) {
            nullableLong(ps, 1, staffId);
            nullableLong(ps, 2, staffId);
            ps.setTimestamp(3, Timestamp.from(from));
            ps.setTimestamp(4, Timestamp.from(to));
            nullableLong(ps, 5, subdistrictId);
            nullableLong(ps, 6, subdistrictId);
            ps.setInt(7, limit);
            List<Shift> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(shift(rs));
            }
            return out;
        }
    }

    /** Adds the shifts of one person in one transaction; 422/409 and nothing written otherwise. */
    List<Shift> addShifts(
            long actor, long staffId, List<ShiftPattern.Interval> times, String note, ZoneId zone)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                requireActive(c, staffId, "/staffId");
                lockPerson(c, staffId);
                for (ShiftPattern.Interval t : times) {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    """
                                    SELECT id, starts_at, ends_at FROM duty_shift
                                    WHERE staff_id = ? AND ends_at > ? AND starts_at < ?
                                    ORDER BY starts_at LIMIT 1""")) {
                        ps.setLong(1, staffId);
                        ps.setTimestamp(2, Timestamp.from(t.start()));
                        ps.setTimestamp(3, Timestamp.from(t.end()));
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next())
                                throw overlap(
                                        "shift-overlap",
                                        "The shifts overlap the person's roster",
                                        "the shift "
                                                + local(t.start(), zone)
                                                + " to "
                                                + local(t.end(), zone)
                                                + " overlaps shift "
                                                + rs.getLong(1)
                                                + " of staff "
                                                + staffId
                                                + " ("
                                                + local(rs.getTimestamp(2).toInstant(), zone)
                                                + " to "
                                                + local(rs.getTimestamp(3).toInstant(), zone)
                                                + ")",
                                        "/from");
                        }
                    }
                }
                List<Shift> out = new ArrayList<>();
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO duty_shift (staff_id, starts_at, ends_at, note,"
                                        + " created_by) VALUES (?, ?, ?, ?, ?) RETURNING "
                                        + SHIFT_COLUMNS)) {
                    for (ShiftPattern.Interval t : times) {
                        ps.setLong(1, staffId);
                        ps.setTimestamp(2, Timestamp.from(t.start()));
                        ps.setTimestamp(3, Timestamp.from(t.end()));
                        ps.setString(4, note);
                        ps.setLong(5, actor);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            out.add(shift(rs));
                        }
                    }
                }
                ObjectNode change = change("shiftsAdded", staffId);
                ArrayNode added = change.putArray("shifts");
                for (Shift s : out) added.add(shiftJson(s, zone));
                change.put("note", note);
                log(c, actor, staffId, change);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Deletes a shift and logs it; false when there is none with the id. */
    boolean deleteShift(long actor, long id, ZoneId zone) throws SQLException {
        return Jdbc.inTransaction(
                ds,
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "DELETE FROM duty_shift WHERE id = ? RETURNING "
                                            + SHIFT_COLUMNS)) {
                        ps.setLong(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) return false;
                            Shift s = shift(rs);
                            ObjectNode change = change("shiftDeleted", s.staffId());
                            change.set("shift", shiftJson(s, zone));
                            log(c, actor, s.staffId(), change);
                            return true;
                        }
                    }
                });
    }

    /** Leave overlapping [from, to), of one person or everyone, by start; cancelled on request. */
    List<Leave> leave(Long staffId, Instant from, Instant to, boolean cancelled, int limit)
            throws SQLException {
        return leave(null, staffId, from, to, cancelled, limit);
    }

    /** As above, of the staff of one subdistrict only when {@code subdistrictId} is given. */
    List<Leave> leave(
            Long subdistrictId,
            Long staffId,
            Instant from,
            Instant to,
            boolean cancelled,
            int limit)
            throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + LEAVE_COLUMNS
                                        + """
                                         FROM staff_leave
                                        WHERE (?::bigint IS NULL OR staff_id = ?)
                                          AND ends_at > ? AND starts_at < ?
                                          AND (? OR cancelled_at IS NULL)
                                          AND (?::bigint IS NULL OR staff_id IN (
                                               SELECT id FROM staff WHERE subdistrict_id = ?))
                                        ORDER BY starts_at, staff_id LIMIT ?""")) {
            nullableLong(ps, 1, staffId);
            nullableLong(ps, 2, staffId);
            ps.setTimestamp(3, Timestamp.from(from));
            ps.setTimestamp(4, Timestamp.from(to));
            ps.setBoolean(5, cancelled);
            nullableLong(ps, 6, subdistrictId);
            nullableLong(ps, 7, subdistrictId);
            ps.setInt(8, limit);
            List<Leave> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(leave(rs));
            }
            return out;
        }
    }

    Optional<Leave> leave(long id) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT " + LEAVE_COLUMNS + " FROM staff_leave WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(leave(rs)) : Optional.empty();
            }
        }
    }

    /** Records leave; 422 for unknown or inactive people, 409 when it overlaps their leave. */
    Leave addLeave(
            long actor,
            long staffId,
            Instant start,
            Instant end,
            LeaveKind kind,
            Long substituteId,
            String note,
            ZoneId zone)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                requireActive(c, staffId, "/staffId");
                if (substituteId != null) requireActive(c, substituteId, "/substituteId");
                lockPerson(c, staffId);
                try (PreparedStatement ps =
                        c.prepareStatement(
                                """
                                SELECT id, starts_at, ends_at FROM staff_leave
                                WHERE staff_id = ? AND cancelled_at IS NULL
                                  AND ends_at > ? AND starts_at < ?
                                ORDER BY starts_at LIMIT 1""")) {
                    ps.setLong(1, staffId);
                    ps.setTimestamp(2, Timestamp.from(start));
                    ps.setTimestamp(3, Timestamp.from(end));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next())
                            throw overlap(
                                    "leave-overlap",
                                    "The leave overlaps other leave",
                                    "staff "
                                            + staffId
                                            + " is already on leave "
                                            + rs.getLong(1)
                                            + " from "
                                            + local(rs.getTimestamp(2).toInstant(), zone)
                                            + " to "
                                            + local(rs.getTimestamp(3).toInstant(), zone),
                                    "/start");
                    }
                }
                Leave out;
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO staff_leave (staff_id, starts_at, ends_at, kind,"
                                        + " substitute_id, note, created_by)"
                                        + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING "
                                        + LEAVE_COLUMNS)) {
                    ps.setLong(1, staffId);
                    ps.setTimestamp(2, Timestamp.from(start));
                    ps.setTimestamp(3, Timestamp.from(end));
                    ps.setString(4, kind.name());
                    nullableLong(ps, 5, substituteId);
                    ps.setString(6, note);
                    ps.setLong(7, actor);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        out = leave(rs);
                    }
                }
                ObjectNode change = change("leaveRecorded", staffId);
                change.set("leave", leaveJson(out, zone));
                log(c, actor, staffId, change);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Cancels leave (the row stays, for the record) and logs it; leave cancelled before is answered
     * as it is, with no new entry. Empty when there is none with the id.
     */
    Optional<Leave> cancelLeave(long actor, long id, ZoneId zone) throws SQLException {
        return Jdbc.inTransaction(
                ds,
                c -> {
                    Leave before;
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT "
                                            + LEAVE_COLUMNS
                                            + " FROM staff_leave WHERE id = ? FOR UPDATE")) {
                        ps.setLong(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) return Optional.<Leave>empty();
                            before = leave(rs);
                        }
                    }
                    if (before.cancelledAt() != null) return Optional.of(before);
                    Leave after;
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE staff_leave SET cancelled_at = now(), cancelled_by = ?"
                                            + " WHERE id = ? RETURNING "
                                            + LEAVE_COLUMNS)) {
                        ps.setLong(1, actor);
                        ps.setLong(2, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            after = leave(rs);
                        }
                    }
                    ObjectNode change = change("leaveCancelled", after.staffId());
                    change.set("leave", leaveJson(after, zone));
                    log(c, actor, after.staffId(), change);
                    return Optional.of(after);
                });
    }

    /** The people of a grid (of any plan) for the rule; empty for an unknown grid. */
    Optional<GridPeople> gridPeople(long gridId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + GridPeopleQueries.COLUMNS
                                        + " FROM grid g WHERE g.id = ?")) {
            ps.setLong(1, gridId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(GridPeopleQueries.read(rs, 1)) : Optional.empty();
            }
        }
    }

    /**
     * 403 unless the staff member is of subdistrict {@code subdistrictId} (the isolation rule: a
     * subdistrict's roster managers manage their own subdistrict's staff); 422 when there is none.
     */
    void requireInSubdistrict(long staffId, long subdistrictId, String field) throws SQLException {
        requireStaffIn(
                staffId,
                "SELECT subdistrict_id FROM staff WHERE id = ?",
                subdistrictId,
                "is not of your subdistrict ("
                        + subdistrictId
                        + "); rosters are managed within a subdistrict",
                field);
    }

    /**
     * For a grid leader: staffId exists (else 422 unknown-staff at field) and belongs to the
     * community (scope of the community, or of one of its grids); 403 otherwise.
     */
    void requireInCommunity(long staffId, long communityId, String field) throws SQLException {
        requireStaffIn(
                staffId,
                """
                SELECT coalesce(s.community_id, g.community_id) FROM staff s
                LEFT JOIN grid g ON g.id = s.grid_id WHERE s.id = ?""",
                communityId,
                "is not of your community ("
                        + communityId
                        + "); a grid leader manages the rosters of their community",
                field);
    }

    /** 422 when the staff member does not exist; 403 unless {@code sql} gives {@code expected}. */
    private void requireStaffIn(
            long staffId, String sql, long expected, String refusal, String field)
            throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw unknownStaff(staffId, field);
                long found = rs.getLong(1);
                if (rs.wasNull() || found != expected)
                    throw new ProblemException(
                            Problem.of(
                                    403,
                                    "forbidden",
                                    "Not allowed",
                                    "staff " + staffId + " " + refusal,
                                    field));
            }
        }
    }

    /** The person a shift (table duty_shift) or leave (staff_leave) row is of; empty if none. */
    Optional<Long> personOf(String table, long id) throws SQLException {
        if (!table.equals("duty_shift") && !table.equals("staff_leave"))
            throw new IllegalArgumentException(table);
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT staff_id FROM " + table + " WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Serialises writes of one person's roster, so two overlapping requests cannot both pass. */
    private static void lockPerson(Connection c, long staffId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM staff WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, staffId);
            ps.executeQuery().close();
        }
    }

    private static void requireActive(Connection c, long staffId, String field)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT active FROM staff WHERE id = ?")) {
            ps.setLong(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw unknownStaff(staffId, field);
                if (!rs.getBoolean(1))
                    throw new ProblemException(
                            Problem.invalidField(
                                    field, "staff " + staffId + " is disabled (not active)"));
            }
        }
    }

    private static ProblemException unknownStaff(long staffId, String field) {
        return new ProblemException(
                Problem.of(
                        422,
                        "unknown-staff",
                        "No such member of staff",
                        "staff " + staffId + " does not exist",
                        field));
    }

    private static ProblemException overlap(
            String slug, String title, String detail, String field) {
        return new ProblemException(Problem.of(409, slug, title, detail, field));
    }

    // ---- the admin log: {action, staffId, ...}, target staff/ID (the person whose roster)

    private static ObjectNode change(String action, long staffId) {
        ObjectNode o = Responses.JSON.createObjectNode();
        o.put("action", action);
        o.put("staffId", staffId);
        return o;
    }

    // times with the area's offset, as the API answers them
    private static String time(Instant t, ZoneId zone) {
        return t.atZone(zone).toOffsetDateTime().toString();
    }

    private static ObjectNode shiftJson(Shift s, ZoneId zone) {
        ObjectNode o = Responses.JSON.createObjectNode();
        o.put("id", s.id());
        o.put("start", time(s.start(), zone));
        o.put("end", time(s.end(), zone));
        return o;
    }

    private static ObjectNode leaveJson(Leave l, ZoneId zone) {
        ObjectNode o = Responses.JSON.createObjectNode();
        o.put("id", l.id());
        o.put("kind", l.kind().name());
        o.put("start", time(l.start(), zone));
        o.put("end", time(l.end(), zone));
        if (l.substituteId() == null) o.putNull("substituteId");
        else o.put("substituteId", l.substituteId());
        o.put("note", l.note());
        return o;
    }

    private static void log(Connection c, long actor, long staffId, ObjectNode change)
            throws SQLException {
        AdminLog.append(c, actor, "roster", "staff/" + staffId, change.toString());
    }

    private static Shift shift(ResultSet rs) throws SQLException {
        return new Shift(
                rs.getLong(1),
                rs.getLong(2),
                rs.getTimestamp(3).toInstant(),
                rs.getTimestamp(4).toInstant(),
                rs.getString(5));
    }

    private static Leave leave(ResultSet rs) throws SQLException {
        long sub = rs.getLong(6);
        Long substitute = rs.wasNull() ? null : sub;
        Timestamp cancelled = rs.getTimestamp(8);
        return new Leave(
                rs.getLong(1),
                rs.getLong(2),
                rs.getTimestamp(3).toInstant(),
                rs.getTimestamp(4).toInstant(),
                LeaveKind.valueOf(rs.getString(5)),
                substitute,
                rs.getString(7),
                cancelled == null ? null : cancelled.toInstant());
    }

    private static void nullableLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v);
    }
}
