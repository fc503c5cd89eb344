package org.gridgov.testing;

import java.sql.ResultSet;
import java.util.Map;

/**
 * What a test that waited in vain for the live relay says about it: where every relay thread is,
 * and which transactions of the test database hold a transaction id (the relay waits for those).
 */
public final class RelayDiagnosis {

    private RelayDiagnosis() {}

    public static String describe() {
        StringBuilder out = new StringBuilder("\nrelay threads:");
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (!e.getKey().getName().startsWith("gridgov-event-relay")) continue;
            out.append("\n  ")
                    .append(e.getKey().getName())
                    .append(' ')
                    .append(e.getKey().getState());
            for (int i = 0; i < Math.min(8, e.getValue().length); i++)
                out.append("\n    at ").append(e.getValue()[i]);
        }
        out.append("\ntransactions of this database holding an id:");
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                                SELECT pid, usename, backend_xid, now() - xact_start, state, left(query, 200)
                                FROM pg_stat_activity
                                WHERE datname = current_database() AND backend_xid IS NOT NULL""")) {
            while (rs.next())
                out.append("\n  pid ")
                        .append(rs.getInt(1))
                        .append(' ')
                        .append(rs.getString(2))
                        .append(" xid ")
                        .append(rs.getString(3))
                        .append(" for ")
                        .append(rs.getString(4))
                        .append(' ')
                        .append(rs.getString(5))
                        .append(": ")
                        .append(rs.getString(6));
            try (var s2 = c.createStatement();
                    var r2 =
                            s2.executeQuery(
                                    "SELECT pg_current_snapshot()::text, (SELECT max(id) FROM incident_event)")) {
                r2.next();
                out.append("\nsnapshot ")
                        .append(r2.getString(1))
                        .append(", newest event ")
                        .append(r2.getLong(2));
            }
        } catch (Exception e) {
            out.append(" (could not ask: ").append(e.getMessage()).append(')');
        }
        return out.toString();
    }
}
