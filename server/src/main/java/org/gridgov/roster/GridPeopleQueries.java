package org.gridgov.roster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The SQL that reads a grid's people for {@link DutyRule}, shared by the routing index (grid's
 * PlanTimeline) and dispatch (workflow's CaseEngine) so both name the same people. A person who is
 * inactive or marked off duty is left out (null), and the rule moves on to the next.
 */
public final class GridPeopleQueries {

    private GridPeopleQueries() {}

    /**
     * Three columns — worker, backup worker, grid leader — over a grid aliased g. The worker is the
     * plan's (grid.worker_id), else a grid worker whose scope is the grid.
     */
    public static final String COLUMNS =
            """
            coalesce((SELECT s.id FROM staff s
                      WHERE s.id = g.worker_id AND s.active AND s.on_duty),
                     (SELECT s.id FROM staff s
                      WHERE s.grid_id = g.id AND s.role = 'GRID_WORKER' AND s.active AND s.on_duty
                      ORDER BY s.employment = 'FULL_TIME' DESC, s.id LIMIT 1)) AS worker,
            (SELECT s.id FROM staff s
             WHERE s.id = g.backup_worker_id AND s.active AND s.on_duty) AS backup_worker,
            (SELECT s.id FROM staff s
             WHERE s.role = 'GRID_LEADER' AND s.community_id = g.community_id
               AND s.active AND s.on_duty
             ORDER BY s.id LIMIT 1) AS grid_leader""";

    /** Reads the three columns starting at column first. */
    public static GridPeople read(ResultSet rs, int first) throws SQLException {
        return new GridPeople(id(rs, first), id(rs, first + 1), id(rs, first + 2));
    }

    /** The people of one grid; NOBODY for an unknown grid. */
    public static GridPeople of(Connection c, long gridId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + COLUMNS + " FROM grid g WHERE g.id = ?")) {
            ps.setLong(1, gridId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs, 1) : GridPeople.NOBODY;
            }
        }
    }

    private static Long id(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }
}
