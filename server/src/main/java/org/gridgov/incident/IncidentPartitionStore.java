package org.gridgov.incident;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The monthly partitions of {@code incident} (V36) and of {@code incident_event} beside them (V39,
 * docs/partitions.md). At a month's turn the database's {@code incident_partitions_roll()} closes
 * both open partitions at the next id and opens the new month's pair; the server calls it every
 * hour ({@link #roll}), which does nothing the rest of the month. It runs on the database's clock:
 * ids follow the real time of receipt.
 */
public final class IncidentPartitionStore {

    /**
     * One month's partition: the ids {@code firstId} up to, not including, {@code lastEnd}; null
     * for the oldest's start and the open one's end.
     */
    public record Partition(String name, LocalDate month, Long firstId, Long lastEnd) {}

    private final DataSource ds;

    public IncidentPartitionStore(DataSource ds) {
        this.ds = ds;
    }

    /**
     * At a month's turn, closes the open partition and opens this month's; then validates the
     * foreign keys it put back. Returns the partitions made (0 the rest of the month).
     */
    public int roll() throws SQLException {
        int made = call("SELECT incident_partitions_roll()");
        // its own transaction, which reads the referencing tables while writes go on; also what
        // an earlier roll left unvalidated (a restart between the two)
        call("SELECT incident_partitions_validate()");
        return made;
    }

    // maintenance, not a request: the pool's statement timeout does not apply
    private int call(String sql) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL statement_timeout = 0");
                int n;
                try (ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    n = rs.getInt(1);
                }
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** The monthly partitions, oldest first. */
    public List<Partition> list() throws SQLException {
        List<Partition> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT name, month, first_id, last_end FROM incident_partitions()"
                                        + " ORDER BY month");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next())
                out.add(
                        new Partition(
                                rs.getString(1),
                                rs.getObject(2, LocalDate.class),
                                rs.getObject(3, Long.class),
                                rs.getObject(4, Long.class)));
        }
        return out;
    }
}
