package org.gridgov.people;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;

/** Logged-out tokens (table revoked_token), kept until they would have expired anyway. */
final class RevocationStore {

    private final DataSource ds;

    RevocationStore(DataSource ds) {
        this.ds = ds;
    }

    void revoke(String jti, long staffId, Instant expiresAt) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO revoked_token (jti, staff_id, expires_at) VALUES (?, ?, ?) ON CONFLICT (jti) DO NOTHING")) {
            ps.setString(1, jti);
            ps.setLong(2, staffId);
            ps.setTimestamp(3, Timestamp.from(expiresAt));
            ps.executeUpdate();
        }
    }

    /**
     * The ids of revoked tokens not yet expired; expired rows (no token can use them) are deleted
     * first.
     */
    Set<String> unexpired() throws SQLException {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM revoked_token WHERE expires_at < now()")) {
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT jti FROM revoked_token");
                    ResultSet rs = ps.executeQuery()) {
                Set<String> out = new HashSet<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        }
    }
}
