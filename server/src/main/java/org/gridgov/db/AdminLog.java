package org.gridgov.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Appends an entry to the admin log (admin_log, V12 and V18) on the connection of the change it
 * records, so the entry and the change commit or roll back together: who, what kind, on what, and
 * the change as JSON. The stores of staff, reference data and rosters write through it.
 */
public final class AdminLog {

    /**
     * The kinds admin_log's CHECK allows (V18; V29: accountability = a use of the discipline
     * committee's view; V40: kpi = a month's assessment settled).
     */
    public static final List<String> KINDS =
            List.of("staff", "reference", "roster", "accountability", "kpi");

    private AdminLog() {}

    public static void append(
            Connection c, long actorStaffId, String kind, String target, String changeJson)
            throws SQLException {
        if (!KINDS.contains(kind)) throw new IllegalArgumentException(kind);
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                INSERT INTO admin_log (actor_staff_id, kind, target, change)
                VALUES (?, ?, ?, ?::jsonb)""")) {
            ps.setLong(1, actorStaffId);
            ps.setString(2, kind);
            ps.setString(3, target);
            ps.setString(4, changeJson);
            ps.executeUpdate();
        }
    }
}
