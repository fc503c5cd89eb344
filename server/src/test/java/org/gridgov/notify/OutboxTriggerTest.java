package org.gridgov.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The trigger on incident_event queues reporters' messages in the event's own transaction: only for
 * a contact that did not opt out, only on the four events a reporter hears of, and nothing when the
 * event's transaction rolls back.
 */
@Tag("db")
class OutboxTriggerTest {

    private static long oneIncident(Statement st) throws Exception {
        try (var rs =
                st.executeQuery(
                        "SELECT id FROM incident WHERE NOT EXISTS (SELECT 1 FROM reporter_contact c"
                                + " WHERE c.incident_id = incident.id)"
                                // nor outbox rows of its own (a work order's feedback, V21)
                                + " AND NOT EXISTS (SELECT 1 FROM outbox o"
                                + " WHERE o.incident_id = incident.id) ORDER BY id DESC LIMIT 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(Statement st, String sql) throws Exception {
        try (var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void event(Statement st, long id, String type, String from, String to)
            throws Exception {
        st.execute(
                "INSERT INTO incident_event (incident_id, type, from_status, to_status) VALUES ("
                        + id
                        + ", '"
                        + type
                        + "', "
                        + (from == null ? "NULL" : "'" + from + "'")
                        + ", '"
                        + to
                        + "')");
    }

    @Test
    void queuesTheReportersMessagesWithTheEvent() throws Exception {
        try (Connection c = TestDatabase.get().connection();
                Statement st = c.createStatement()) {
            // the demo data produced none: the demo loader writes no contacts
            assertEquals(
                    0,
                    count(
                            st,
                            "SELECT count(*) FROM outbox o JOIN incident_event e ON e.id ="
                                    + " o.event_id WHERE e.type = 'IMPORTED'"));
            long id = oneIncident(st);
            st.execute(
                    "INSERT INTO reporter_contact (incident_id, sms, email) VALUES ("
                            + id
                            + ", true, 'a@example.org')");
            String mine =
                    "SELECT count(*) FROM outbox WHERE channel IN ('SMS', 'EMAIL')"
                            + " AND incident_id = "
                            + id;
            event(st, id, "REPORTED", null, "REPORTED");
            assertEquals(2, count(st, mine), "received: an SMS and an e-mail");
            event(st, id, "ACCEPTED", "REPORTED", "ACCEPTED");
            assertEquals(2, count(st, mine), "accepting is not news for the reporter");
            event(st, id, "DISPATCHED", "ACCEPTED", "DISPATCHED");
            event(st, id, "TRANSFERRED", "IN_PROGRESS", "DISPATCHED");
            assertEquals(4, count(st, mine), "the first dispatch only");
            c.setAutoCommit(false);
            event(st, id, "RESOLVED", "IN_PROGRESS", "RESOLVED");
            assertEquals(6, count(st, mine));
            c.rollback();
            c.setAutoCommit(true);
            assertEquals(4, count(st, mine), "rolled back with its event");
            st.execute(
                    "UPDATE reporter_contact SET opted_out_at = now(), opted_out_via = 'LINK'"
                            + " WHERE incident_id = "
                            + id);
            event(st, id, "CLOSED", "RESOLVED", "CLOSED");
            assertEquals(4, count(st, mine), "nothing after an opt-out");
            assertEquals(
                    "RECEIVED,RECEIVED,DISPATCHED,DISPATCHED",
                    String.join(
                            ",",
                            TestDatabaseRows.strings(
                                    st,
                                    "SELECT kind FROM outbox WHERE channel IN ('SMS', 'EMAIL')"
                                            + " AND incident_id = "
                                            + id
                                            + " ORDER BY id")));
        }
    }
}
