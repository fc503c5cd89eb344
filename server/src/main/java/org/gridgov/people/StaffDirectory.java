package org.gridgov.people;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Staff accounts in PostgreSQL: login look-ups and the staff list. */
public final class StaffDirectory {

    /**
     * A login: who, with what hash; active = may log in; authVersion = the stamp its tokens carry;
     * mustChangePassword = the password is a one-time one (admin create-user): no token until a new
     * one is set.
     */
    public record Account(
            Staff staff,
            String passwordHash,
            boolean active,
            int authVersion,
            boolean mustChangePassword) {}

    /** A new account, as `admin create-user` makes it. */
    public record NewAccount(String username, String name, Role role, Scope scope) {}

    /** A row of the staff list: the member of staff and whether the account may log in. */
    public record Listed(Staff staff, boolean active) {}

    /** What a token's stamp is checked against (see Sessions). */
    public record Stamp(int authVersion, boolean active) {}

    private static final String COLUMNS =
            "id, name, username, role, employment, scope_type, grid_id, community_id, platform, on_duty,"
                    + " subdistrict_id";

    private final DataSource ds;

    // staff.username's CHECK (migration V2), checked first for a clear message
    private static final java.util.regex.Pattern USERNAME =
            java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");

    public static boolean validUsername(String username) {
        return USERNAME.matcher(username).matches();
    }

    public StaffDirectory(DataSource ds) {
        this.ds = ds;
    }

    public Optional<Account> account(String username) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + ", password_hash, active, auth_version, password_must_change"
                                        + " FROM staff WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(
                                new Account(
                                        read(rs),
                                        rs.getString(12),
                                        rs.getBoolean(13),
                                        rs.getInt(14),
                                        rs.getBoolean(15)))
                        : Optional.empty();
            }
        }
    }

    /**
     * Inserts the account with a one-time password hash, flagged to be changed at first login.
     *
     * @return the new id; empty when the username is taken
     */
    public Optional<Long> create(NewAccount a, String oneTimeHash) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                INSERT INTO staff (name, role, scope_type, grid_id, community_id, platform,
                                   username, password_hash, password_must_change)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, true)
                ON CONFLICT (username) DO NOTHING
                RETURNING id""")) {
            ps.setString(1, a.name());
            ps.setString(2, a.role().name());
            ps.setString(3, a.scope().type());
            ps.setObject(4, a.scope().gridId());
            ps.setObject(5, a.scope().communityId());
            ps.setString(6, a.scope().platform());
            ps.setString(7, a.username());
            ps.setString(8, oneTimeHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /**
     * Sets a new password hash and clears the must-change flag, if the row still has the hash the
     * caller checked the current password against (two changes at once: one wins). The V9 trigger
     * bumps auth_version, so every token issued before stops working.
     *
     * @return whether the row was changed
     */
    public boolean changePassword(long staffId, String checkedHash, String newHash)
            throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                UPDATE staff SET password_hash = ?, password_must_change = false,
                                 password_changed_at = now()
                WHERE id = ? AND password_hash = ?""")) {
            ps.setString(1, newHash);
            ps.setLong(2, staffId);
            ps.setString(3, checkedHash);
            return ps.executeUpdate() == 1;
        }
    }

    /** The staff member's current stamp; empty when the row is gone. */
    public Optional<Stamp> stamp(long staffId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT auth_version, active FROM staff WHERE id = ?")) {
            ps.setLong(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Stamp(rs.getInt(1), rs.getBoolean(2)))
                        : Optional.empty();
            }
        }
    }

    public List<Listed> list(Role role, String platform, Long gridId, int limit, long afterId)
            throws SQLException {
        return list(null, role, platform, gridId, limit, afterId);
    }

    /**
     * The staff list; of one subdistrict when {@code subdistrictId} is given (the isolation rule: a
     * reader inside one subdistrict sees its staff only), else of the whole district.
     */
    public List<Listed> list(
            Long subdistrictId, Role role, String platform, Long gridId, int limit, long afterId)
            throws SQLException {
        StringBuilder sql =
                new StringBuilder("SELECT " + COLUMNS + ", active FROM staff WHERE id > ?");
        List<Object> args = new ArrayList<>(List.of(afterId));
        if (subdistrictId != null) {
            sql.append(" AND subdistrict_id = ?");
            args.add(subdistrictId);
        }
        if (role != null) {
            sql.append(" AND role = ?");
            args.add(role.name());
        }
        if (platform != null) {
            sql.append(" AND platform = ?");
            args.add(platform);
        }
        if (gridId != null) {
            sql.append(" AND grid_id = ?");
            args.add(gridId);
        }
        sql.append(" ORDER BY id LIMIT ?");
        args.add(limit);
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                List<Listed> out = new ArrayList<>();
                while (rs.next()) out.add(new Listed(read(rs), rs.getBoolean(12)));
                return out;
            }
        }
    }

    static Staff read(ResultSet rs) throws SQLException {
        long grid = rs.getLong(7);
        Long gridId = rs.wasNull() ? null : grid;
        long community = rs.getLong(8);
        Long communityId = rs.wasNull() ? null : community;
        return new Staff(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                Role.valueOf(rs.getString(4)),
                rs.getString(5),
                new Scope(
                        rs.getString(6),
                        gridId,
                        communityId,
                        rs.getString(9),
                        rs.getObject(11, Long.class)),
                rs.getBoolean(10));
    }
}
