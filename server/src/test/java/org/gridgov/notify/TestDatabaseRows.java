package org.gridgov.notify;

import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The first column of a query's rows, for assertions. */
final class TestDatabaseRows {

    private TestDatabaseRows() {}

    static List<String> strings(Statement st, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (var rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
