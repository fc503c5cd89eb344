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

    /**
     * The definition, as a condition on the case whose id is {@code %1$s} (a column of the outer
     * query, or a parameter) with one parameter, the subdistrict. Both probes read the case's own
     * partition of the event table through its primary key, which the case leads (V39).
     */
    private static final String SENT_FROM_CONDITION =
            """
            EXISTS (
                SELECT 1 FROM incident_event e JOIN staff s ON s.id = e.actor_id
                WHERE e.incident_id = %1$s AND s.subdistrict_id = ?
                  AND (e.to_status = 'ESCALATED' OR e.type = 'REPORTED'))
            AND EXISTS (
                SELECT 1 FROM incident_event x
                WHERE x.incident_id = %1$s AND x.to_status = 'ESCALATED')""";

    private static final String SENT_FROM = "SELECT " + sentFromCondition("?");

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

    /**
     * The same definition as an SQL condition on the case {@code incidentId} (e.g. {@code "i.id"}),
     * for lists of what a subdistrict sent (IncidentStore): it takes one parameter, the
     * subdistrict's id.
     */
    static String sentFromCondition(String incidentId) {
        return SENT_FROM_CONDITION.formatted(incidentId);
    }
}
