package org.gridgov.db;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Keeps the monthly partitions of the tables partitioned by time ready before rows arrive
 * (docs/partitions.md): this month's and the next {@link #MONTHS_AHEAD} months' exist, and rows
 * that fell into a table's DEFAULT partition for a month that lacked one are moved into it. The
 * work is each table's SECURITY DEFINER function (V35), since the server's role may not create
 * tables; it takes an advisory lock and creates only what is missing, so every instance may run it
 * at start and daily, in any order.
 */
public final class Partitions {

    /**
     * Months ahead kept ready: a clock a little fast or a month's turn during an outage still finds
     * its partition.
     */
    public static final int MONTHS_AHEAD = 3;

    /** The tables partitioned by month, each with its {@code <table>_maintain(int)} (V35). */
    public static final List<String> BY_MONTH = List.of("staff_position");

    /**
     * What one run did to one table.
     *
     * @param created the partitions it created
     * @param leftInDefault rows still in DEFAULT: older than the oldest partition (an archived
     *     month) or beyond the months kept ready
     */
    public record Upkeep(String table, List<String> created, long leftInDefault) {}

    private final DataSource ds;

    public Partitions(DataSource ds) {
        this.ds = ds;
    }

    /** One run over every table, each in its own transaction. */
    public List<Upkeep> maintain() throws SQLException {
        List<Upkeep> done = new ArrayList<>();
        for (String table : BY_MONTH) done.add(Jdbc.inTransaction(ds, c -> maintain(c, table)));
        return done;
    }

    private static Upkeep maintain(Connection c, String table) throws SQLException {
        // the name comes from BY_MONTH above, never from a caller
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT created, left_in_default FROM " + table + "_maintain(?)")) {
            ps.setInt(1, MONTHS_AHEAD);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Array created = rs.getArray(1);
                return new Upkeep(table, List.of((String[]) created.getArray()), rs.getLong(2));
            }
        }
    }
}
