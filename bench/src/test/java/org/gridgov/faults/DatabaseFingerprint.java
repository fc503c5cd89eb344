package org.gridgov.faults;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The row count and an md5 of the contents of every table of the public schema, to prove a run of
 * refused requests wrote nothing. Tables that record the requests themselves (audit trails, login
 * attempts) and Flyway's history are left out: writing to them on a refusal is their job.
 */
final class DatabaseFingerprint {

    private static final Pattern BOOKKEEPING =
            Pattern.compile(
                    "flyway_schema_history|spatial_ref_sys|.*(audit|login|attempt|session|rate).*");

    private DatabaseFingerprint() {}

    /** table → "rows:md5". */
    static Map<String, String> of(DataSource ds) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = ds.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (var st = c.createStatement();
                    var rs =
                            st.executeQuery(
                                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")) {
                while (rs.next())
                    if (!BOOKKEEPING.matcher(rs.getString(1)).matches())
                        tables.add(rs.getString(1));
            }
            for (String t : tables) {
                try (var st = c.createStatement();
                        var rs =
                                st.executeQuery(
                                        "SELECT count(*), md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM \""
                                                + t
                                                + "\" r")) {
                    rs.next();
                    out.put(t, rs.getLong(1) + ":" + rs.getString(2));
                }
            }
        }
        return out;
    }
}
