package org.gridgov.people;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.db.AdminLog;

/**
 * Staff accounts as administrators manage them (POST/PATCH /api/v1/staff, password resets), each
 * change written to the append-only admin_log in the same transaction: who, when, and the changed
 * fields before and after (never a password hash).
 */
public final class StaffStore {

    /** An account as the staff API shows it. */
    public record Account(
            long id,
            String name,
            String username,
            String phone,
            Role role,
            Scope scope,
            String employment,
            boolean active,
            boolean passwordMustChange) {

        /** The fields an administrator sets, as JSON (the API's and the log's shape). */
        public ObjectNode fields() {
            ObjectNode o = Responses.JSON.createObjectNode();
            o.put("name", name);
            o.put("username", username);
            o.put("phone", phone);
            o.putArray("roles").add(role.name());
            o.set("scope", PeopleRoutes.tree(scope.toJson()));
            o.put("employment", employment);
            o.put("active", active);
            return o;
        }
    }

    /** What an administrator may change; null = unchanged (phone: clearPhone clears it). */
    public record Changes(
            String name,
            String phone,
            boolean clearPhone,
            Role role,
            Scope scope,
            String employment,
            Boolean active) {}

    /** One admin_log entry. */
    public record LogEntry(
            long id, java.time.Instant at, long actor, String kind, String target, String change) {}

    /** The scope names a grid, community or platform that does not exist. */
    public static final class MissingScope extends Exception {
        private static final long serialVersionUID = 1L;

        MissingScope(String message) {
            super(message);
        }
    }

    private static final String COLUMNS =
            "id, name, username, phone, role, scope_type, grid_id, community_id, platform,"
                    + " employment, active, password_must_change, subdistrict_id";

    private final DataSource ds;

    public StaffStore(DataSource ds) {
        this.ds = ds;
    }

    public Optional<Account> get(long id) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return get(c, id, false);
        }
    }

    /**
     * Inserts the account with a one-time password hash (to be changed at first login).
     *
     * @return the account; empty when the username is taken
     */
    public Optional<Account> create(long actor, String username, Changes a, String oneTimeHash)
            throws SQLException, MissingScope {
        return create(actor, null, username, a, oneTimeHash);
    }

    /**
     * As {@link #create(long, String, Changes, String)}, by an administrator of subdistrict {@code
     * actorSubdistrict} (null: of the whole district), who may create staff of their own
     * subdistrict only (403); the scope is checked by {@link #checkScope} (422). Nothing is written
     * when either refuses.
     */
    public Optional<Account> create(
            long actor, Long actorSubdistrict, String username, Changes a, String oneTimeHash)
            throws SQLException, MissingScope {
        return inTransaction(
                c -> {
                    checkScope(c, a.role(), a.scope());
                    long id;
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    """
                    INSERT INTO staff (name, username, phone, role, scope_type, grid_id,
                                       community_id, platform, employment, active, password_hash,
                                       password_must_change, subdistrict_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, ?)
                    ON CONFLICT (username) DO NOTHING
                    RETURNING id""")) {
                        ps.setString(1, a.name());
                        ps.setString(2, username);
                        ps.setString(3, a.phone());
                        ps.setString(4, a.role().name());
                        ps.setString(5, a.scope().type());
                        ps.setObject(6, a.scope().gridId());
                        ps.setObject(7, a.scope().communityId());
                        ps.setString(8, a.scope().platform());
                        ps.setString(9, a.employment());
                        ps.setBoolean(10, a.active());
                        ps.setString(11, oneTimeHash);
                        ps.setObject(12, a.scope().subdistrictId());
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) return Optional.empty();
                            id = rs.getLong(1);
                        }
                    }
                    Account after = get(c, id, false).orElseThrow();
                    ownSubdistrict(actorSubdistrict, after, "create");
                    ObjectNode change = Responses.JSON.createObjectNode();
                    change.set("created", after.fields());
                    log(c, actor, id, change);
                    return Optional.of(after);
                });
    }

    /**
     * Applies the changes and logs the changed fields.
     *
     * @return the account after; empty when there is no such account
     */
    public Optional<Account> update(long actor, long id, Changes ch)
            throws SQLException, MissingScope {
        return update(actor, null, id, ch);
    }

    /**
     * As {@link #update(long, long, Changes)}, by an administrator of subdistrict {@code
     * actorSubdistrict} (null: of the whole district), who may change staff of their own
     * subdistrict only, and keep them there (403); the resulting role and scope are checked by
     * {@link #checkScope} (422). Nothing is written when either refuses.
     */
    public Optional<Account> update(long actor, Long actorSubdistrict, long id, Changes ch)
            throws SQLException, MissingScope {
        return inTransaction(
                c -> {
                    Optional<Account> found = get(c, id, true);
                    if (found.isEmpty()) return Optional.empty();
                    Account b = found.get();
                    ownSubdistrict(actorSubdistrict, b, "change");
                    Scope scope = ch.scope() != null ? ch.scope() : b.scope();
                    checkScope(c, ch.role() != null ? ch.role() : b.role(), scope);
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    """
                    UPDATE staff SET name = ?, phone = ?, role = ?, scope_type = ?, grid_id = ?,
                                     community_id = ?, platform = ?, employment = ?, active = ?,
                                     subdistrict_id = ?
                    WHERE id = ?""")) {
                        ps.setString(1, ch.name() != null ? ch.name() : b.name());
                        ps.setString(
                                2,
                                ch.clearPhone()
                                        ? null
                                        : ch.phone() != null ? ch.phone() : b.phone());
                        ps.setString(3, (ch.role() != null ? ch.role() : b.role()).name());
                        ps.setString(4, scope.type());
                        ps.setObject(5, scope.gridId());
                        ps.setObject(6, scope.communityId());
                        ps.setString(7, scope.platform());
                        ps.setString(8, ch.employment() != null ? ch.employment() : b.employment());
                        ps.setBoolean(9, ch.active() != null ? ch.active() : b.active());
                        ps.setObject(10, scope.subdistrictId());
                        ps.setLong(11, id);
                        ps.executeUpdate();
                    }
                    Account after = get(c, id, false).orElseThrow();
                    ownSubdistrict(actorSubdistrict, after, "move");
                    ObjectNode diff = diff(b.fields(), after.fields());
                    if (diff.size() > 0) log(c, actor, id, diff);
                    return Optional.of(after);
                });
    }

    /**
     * Sets a new one-time password hash, flagged must-change; the V9 trigger bumps auth_version, so
     * earlier tokens stop working.
     *
     * @return the account; empty when there is no such account
     */
    public Optional<Account> resetPassword(long actor, long id, String oneTimeHash)
            throws SQLException, MissingScope {
        return resetPassword(actor, null, id, oneTimeHash);
    }

    /** As {@link #resetPassword(long, long, String)}, by an administrator of one subdistrict. */
    public Optional<Account> resetPassword(
            long actor, Long actorSubdistrict, long id, String oneTimeHash)
            throws SQLException, MissingScope {
        return inTransaction(
                c -> {
                    Optional<Account> found = get(c, id, true);
                    if (found.isEmpty()) return Optional.empty();
                    ownSubdistrict(actorSubdistrict, found.get(), "reset the password of");
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    """
                    UPDATE staff SET password_hash = ?, password_must_change = true,
                                     password_changed_at = now()
                    WHERE id = ?""")) {
                        ps.setString(1, oneTimeHash);
                        ps.setLong(2, id);
                        if (ps.executeUpdate() == 0) return Optional.empty();
                    }
                    ObjectNode change = Responses.JSON.createObjectNode();
                    change.put("passwordReset", true);
                    log(c, actor, id, change);
                    return get(c, id, false);
                });
    }

    /**
     * The isolation rule for administrators (docs/access.md): one of subdistrict {@code actor}
     * (null: district-wide, who may) manages only accounts of that subdistrict: 403 otherwise.
     */
    static void ownSubdistrict(Long actor, Account a, String verb) {
        if (actor == null || actor.equals(a.scope().subdistrictId())) return;
        throw Access.forbidden(
                "you administer subdistrict "
                        + actor
                        + " only; you may not "
                        + verb
                        + " staff member "
                        + a.id()
                        + " ("
                        + (a.scope().wholeDistrict()
                                ? "district-wide"
                                : "subdistrict " + a.scope().subdistrictId())
                        + ")");
    }

    /**
     * Whether a role may hold a scope, against the jurisdictions there are (422, docs/access.md):
     * scope DISTRICT only for Role.DISTRICT_SCOPED; a subdistrictId that is a subdistrict's; a grid
     * or community of the subdistrict given; for SUBDISTRICT and PLATFORM, a subdistrictId when the
     * district has several subdistricts.
     */
    private static void checkScope(Connection c, Role role, Scope scope) throws SQLException {
        if (scope.wholeDistrict()) {
            if (!Role.DISTRICT_SCOPED.contains(role))
                throw new ProblemException(
                        Problem.of(
                                422,
                                "scope-not-allowed",
                                "The role may not hold this scope",
                                "scope DISTRICT spans every subdistrict and is for "
                                        + Role.DISTRICT_SCOPED
                                        + " only, not "
                                        + role,
                                "/scope/type"));
            return;
        }
        Long sid = scope.subdistrictId();
        if (sid != null && one(c, SUBDISTRICT_EXISTS, sid) == null)
            throw new ProblemException(
                    Problem.of(
                            422,
                            "unknown-scope",
                            "The scope does not exist",
                            "subdistrictId " + sid + " is no subdistrict's id",
                            "/scope/subdistrictId"));
        Long holder =
                scope.gridId() != null
                        ? one(c, GRID_SUBDISTRICT, scope.gridId())
                        : scope.communityId() != null
                                ? one(c, COMMUNITY_SUBDISTRICT, scope.communityId())
                                : null;
        if (sid != null && holder != null && !holder.equals(sid))
            throw new ProblemException(
                    Problem.of(
                            422,
                            "scope-spans-subdistricts",
                            "The scope lies in another subdistrict",
                            (scope.gridId() != null
                                            ? "grid " + scope.gridId()
                                            : "community " + scope.communityId())
                                    + " lies in subdistrict "
                                    + holder
                                    + ", not in subdistrict "
                                    + sid,
                            "/scope/subdistrictId"));
        if (sid == null
                && (scope.wholeSubdistrict() || "PLATFORM".equals(scope.type()))
                && one(c, SUBDISTRICTS, null) > 1)
            throw new ProblemException(
                    Problem.of(
                            422,
                            "subdistrict-required",
                            "Which subdistrict?",
                            "the district has "
                                    + one(c, SUBDISTRICTS, null)
                                    + " subdistricts: a "
                                    + scope.type()
                                    + " scope needs 'subdistrictId'",
                            "/scope/subdistrictId"));
    }

    private static final String SUBDISTRICT_EXISTS =
            "SELECT id FROM jurisdiction WHERE kind = 'SUBDISTRICT' AND id = ?";
    private static final String GRID_SUBDISTRICT =
            "SELECT c.subdistrict_id FROM grid g JOIN community c ON c.id = g.community_id"
                    + " WHERE g.id = ?";
    private static final String COMMUNITY_SUBDISTRICT =
            "SELECT subdistrict_id FROM community WHERE id = ?";
    private static final String SUBDISTRICTS =
            "SELECT count(*) FROM jurisdiction WHERE kind = 'SUBDISTRICT'";

    /** The single number a query answers (null: no row, or NULL), with an optional id. */
    private static Long one(Connection c, String sql, Long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (id != null) ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, Long.class) : null;
            }
        }
    }

    /** The log of one kind, newest first, entries with an id below {@code before} (0: all). */
    public List<LogEntry> log(String kind, int limit, long before) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                SELECT id, at, actor_staff_id, kind, target, change::text FROM admin_log
                WHERE kind = ? AND (? = 0 OR id < ?)
                ORDER BY id DESC LIMIT ?""")) {
            ps.setString(1, kind);
            ps.setLong(2, before);
            ps.setLong(3, before);
            ps.setInt(4, limit);
            return entries(ps);
        }
    }

    /**
     * The unmasked reads of reporters' details (reporter_read), newest first, in the admin log's
     * shape: target "incident/ID", change {endpoint, role}.
     */
    public List<LogEntry> reporterReads(int limit, long before) throws SQLException {
        return reads(
                """
                SELECT id, at, staff_id, 'pii', 'incident/' || incident_id,
                       jsonb_build_object('endpoint', endpoint, 'role', role)::text
                FROM reporter_read WHERE (? = 0 OR id < ?)
                ORDER BY id DESC LIMIT ?""",
                limit,
                before);
    }

    /**
     * The unmasked reads of places' owners (place_owner_read, docs/places.md), newest first, in the
     * admin log's shape: target "place/ID", change {endpoint, role}.
     */
    public List<LogEntry> placeOwnerReads(int limit, long before) throws SQLException {
        return reads(
                """
                SELECT id, at, staff_id, 'place-owner', 'place/' || place_id,
                       jsonb_build_object('endpoint', endpoint, 'role', role)::text
                FROM place_owner_read WHERE (? = 0 OR id < ?)
                ORDER BY id DESC LIMIT ?""",
                limit,
                before);
    }

    /** A page of a personal-data read log, {@code sql} taking (before, before, limit). */
    private List<LogEntry> reads(String sql, int limit, long before) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, before);
            ps.setLong(2, before);
            ps.setInt(3, limit);
            return entries(ps);
        }
    }

    /** Rows of (id, at, actor, kind, target, change) as log entries. */
    private static List<LogEntry> entries(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<LogEntry> out = new ArrayList<>();
            while (rs.next())
                out.add(
                        new LogEntry(
                                rs.getLong(1),
                                rs.getTimestamp(2).toInstant(),
                                rs.getLong(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6)));
            return out;
        }
    }

    /** The fields whose values differ: {field: {before, after}}. */
    static ObjectNode diff(ObjectNode before, ObjectNode after) {
        ObjectNode d = Responses.JSON.createObjectNode();
        for (Iterator<String> it = after.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (before.get(f).equals(after.get(f))) continue;
            ObjectNode e = d.putObject(f);
            e.set("before", before.get(f));
            e.set("after", after.get(f));
        }
        return d;
    }

    private static void log(Connection c, long actor, long staffId, ObjectNode change)
            throws SQLException {
        AdminLog.append(c, actor, "staff", "staff/" + staffId, change.toString());
    }

    private static Optional<Account> get(Connection c, long id, boolean lock) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT "
                                + COLUMNS
                                + " FROM staff WHERE id = ?"
                                + (lock ? " FOR UPDATE" : ""))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                long grid = rs.getLong(7);
                Long gridId = rs.wasNull() ? null : grid;
                long community = rs.getLong(8);
                Long communityId = rs.wasNull() ? null : community;
                return Optional.of(
                        new Account(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                Role.valueOf(rs.getString(5)),
                                new Scope(
                                        rs.getString(6),
                                        gridId,
                                        communityId,
                                        rs.getString(9),
                                        rs.getObject(13, Long.class)),
                                rs.getString(10),
                                rs.getBoolean(11),
                                rs.getBoolean(12)));
            }
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) throws SQLException, MissingScope {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                T t = work.run(c);
                c.commit();
                return t;
            } catch (SQLException e) {
                c.rollback();
                // foreign key: no such grid, community or platform
                if ("23503".equals(e.getSQLState())) throw new MissingScope(e.getMessage());
                throw e;
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
