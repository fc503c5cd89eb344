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
     * A login: who, with what hash; active = may log in; authVersion = the stamp its tokens carry.
     */
    public record Account(Staff staff, String passwordHash, boolean active, int authVersion) {}

    /** What a token's stamp is checked against (see Sessions). */
    public record Stamp(int authVersion, boolean active) {}

    private static final String COLUMNS =
            "id, name, username, role, employment, scope_type, grid_id, community_id, platform, on_duty";

    private final DataSource ds;

    public StaffDirectory(DataSource ds) {
        this.ds = ds;
    }

    public Optional<Account> account(String username) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + ", password_hash, active, auth_version FROM staff WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(
                                new Account(
                                        read(rs),
                                        rs.getString(11),
                                        rs.getBoolean(12),
                                        rs.getInt(13)))
                        : Optional.empty();
            }
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

    public List<Staff> list(Role role, String platform, Long gridId, int limit, long afterId)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM staff WHERE id > ?");
        List<Object> args = new ArrayList<>(List.of(afterId));
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
                List<Staff> out = new ArrayList<>();
                while (rs.next()) out.add(read(rs));
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
                new Scope(rs.getString(6), gridId, communityId, rs.getString(9)),
                rs.getBoolean(10));
    }
}
