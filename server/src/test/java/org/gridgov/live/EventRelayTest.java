package org.gridgov.live;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gridgov.db.DbSettings;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.RelayDiagnosis;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which open transactions the relay waits for: those of its own database (they may hold an event id
 * not yet committed), never those of another database in the same cluster (transaction ids are
 * cluster-wide, so a snapshot's own xmin would wait for them too).
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class EventRelayTest {

    @Test
    void aTransactionInAnotherDatabaseDoesNotHoldTheFeed() throws Exception {
        DbSettings owner = TestDatabase.settings();
        String otherDb = owner.url().replaceFirst("/[^/?]+(\\?|$)", "/postgres$1");
        try (Connection other =
                        DriverManager.getConnection(otherDb, owner.user(), owner.password());
                EventRelay relay = relay()) {
            holdTransactionId(other);
            List<Change> seen = listen(relay);
            relay.start().awaitStart(10_000);

            long event = reportAndItsEvent();
            awaitHeard(seen, event); // while another database holds a transaction
            other.rollback();
        }
    }

    @Test
    void aTransactionInThisDatabaseHoldsLaterEventsUntilItEnds() throws Exception {
        try (Connection here = TestDatabase.get().connection();
                EventRelay relay = relay()) {
            List<Change> seen = listen(relay);
            relay.start().awaitStart(10_000);
            TestServer.base(); // started now: its own relay would wait for the held transaction too
            holdTransactionId(here);

            // Committed, but a transaction that began before it could still commit a lower id.
            long event = reportAndItsEvent();
            Thread.sleep(5 * EventRelay.IDLE_POLL_MS);
            assertTrue(
                    relay.delivered() < event,
                    "the relay passed event "
                            + event
                            + " on while an older transaction of its database was open");
            assertTrue(seen.stream().noneMatch(c -> c.eventId() == event));

            here.rollback();
            awaitHeard(seen, event);
        }
    }

    /**
     * An event drawn in a transaction whose id is newer than every finished one: a snapshot does
     * not list such a transaction (it lists only ids below latestCompletedXid + 1), so a relay that
     * judged marks by snapshots passed the event's id on while it was still uncommitted, and never
     * delivered it.
     */
    @Test
    void anEventOfTheNewestOpenTransactionIsDeliveredWhenItCommits() throws Exception {
        long incident =
                TestDatabase.queryLong(
                        "SELECT incident_id FROM incident_event WHERE id = " + reportAndItsEvent());
        try (Connection here = TestDatabase.get().connection();
                EventRelay relay = relay()) {
            List<Change> seen = listen(relay);
            relay.start().awaitStart(10_000);
            here.setAutoCommit(false);
            long event;
            try (Statement st = here.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "INSERT INTO incident_event"
                                            + " (incident_id, type, from_status, to_status, note)"
                                            + " VALUES ("
                                            + incident
                                            + ", 'NOTE', 'REPORTED', 'REPORTED', 'relay test')"
                                            + " RETURNING id")) {
                rs.next();
                event = rs.getLong(1);
            }
            Thread.sleep(5 * EventRelay.IDLE_POLL_MS); // polls while it is open
            assertTrue(seen.stream().noneMatch(c -> c.eventId() == event));
            assertTrue(
                    relay.delivered() < event,
                    "the relay passed event " + event + " on while it was uncommitted");
            here.commit();
            awaitHeard(seen, event);
        }
    }

    private static EventRelay relay() {
        return new EventRelay(TestDatabase.server().dataSource(), 3857);
    }

    private static List<Change> listen(EventRelay relay) {
        List<Change> seen = new CopyOnWriteArrayList<>();
        relay.listen(seen::addAll);
        return seen;
    }

    /** Begins a transaction on c and makes it take a transaction id, then leaves it open. */
    private static void holdTransactionId(Connection c) throws Exception {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_current_xact_id()");
        }
    }

    private static long reportAndItsEvent() throws Exception {
        long incident = LiveFeedTest.report(TestServer.base(), DemoFixture.subdistrictCategory());
        return TestDatabase.queryLong(
                "SELECT max(id) FROM incident_event WHERE incident_id = " + incident);
    }

    /** Until the listener has the event (the relay advances delivered() just before it tells). */
    private static void awaitHeard(List<Change> seen, long event) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (seen.stream().noneMatch(c -> c.eventId() == event)) {
            if (System.nanoTime() > deadline)
                fail(
                        "the relay did not pass event "
                                + event
                                + " on within 15 s"
                                + RelayDiagnosis.describe());
            Thread.sleep(20);
        }
    }
}
