package org.gridgov.incident;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Which subdistrict sent a case to the district (docs/access.md, "Cases sent to the district"): one
 * whose staff escalated it (the action {@code escalate}), or entered the report that intake then
 * transferred to the district (a point in no subdistrict, a district matter). That subdistrict
 * keeps reading the case once it is the district's: it came from them, and they tell the reporter.
 * The staff member's subdistrict is read as it is now (staff rarely move).
 */
public final class EscalationQueries {

    private static final String SENT_FROM =
            """
            SELECT EXISTS (
                SELECT 1 FROM incident_event e JOIN staff s ON s.id = e.actor_id
                WHERE e.incident_id = ? AND s.subdistrict_id = ?
                  AND (e.to_status = 'ESCALATED' OR e.type = 'REPORTED'))
               AND EXISTS (
                SELECT 1 FROM incident_event x
                WHERE x.incident_id = ? AND x.to_status = 'ESCALATED')""";

    private final DataSource ds;

    public EscalationQueries(DataSource ds) {
        this.ds = ds;
    }

    /** Whether subdistrict {@code subdistrictId} sent case {@code incidentId} to the district. */
    public boolean sentFrom(long incidentId, long subdistrictId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(SENT_FROM)) {
            ps.setLong(1, incidentId);
            ps.setLong(2, subdistrictId);
            ps.setLong(3, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
