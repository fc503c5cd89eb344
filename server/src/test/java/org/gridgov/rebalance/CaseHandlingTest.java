package org.gridgov.rebalance;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The measured cases a rebalance job reads (case_handling, V32) are the ones the event log gives,
 * and they follow a case at once: closing, reopening, reclassifying, an ACCEPT appended late.
 */
@Tag("db")
class CaseHandlingTest {

    /**
     * This class edits its cases' rows without events (closing, reclassifying, reopening by SQL),
     * and the running test server's copy of the incidents follows the event log: a row the event
     * relay read before the last edit stays stale, and later classes that wait for the copy to
     * match the table (AnalyticsApiTest) never see it converge. One event per case afterwards makes
     * the relay read each row as it is now.
     */
    @AfterAll
    static void letTheRelayReadTheEditedRows() throws Exception {
        try (Connection c = TestDatabase.get().connection();
                Statement st = c.createStatement()) {
            st.execute(
                    """
                    INSERT INTO incident_event (incident_id, at, type, from_status, to_status, note)
                    SELECT id, now(), 'COMMENT', status, status, 'CaseHandlingTest edited this row'
                    FROM incident WHERE description LIKE 'case-handling-%'""");
        }
    }

    // The definition before V32: every closed case of the window with its first ACCEPT/DISPATCH.
    private static final String FROM_EVENT_LOG =
            """
            SELECT ST_X(i.location), ST_Y(i.location), i.category, c.weight,
                   EXTRACT(EPOCH FROM i.closed_at - s.start) / 3600
            FROM incident i
            JOIN category c ON c.code = i.category
            CROSS JOIN LATERAL (SELECT min(e.at) AS start FROM incident_event e
                                WHERE e.incident_id = i.id AND e.type IN ('ACCEPT', 'DISPATCH')) s
            WHERE i.closed_at IS NOT NULL AND i.reported_at >= ? AND i.reported_at < ?
              AND i.status = 'CLOSED' AND s.start IS NOT NULL AND i.closed_at > s.start""";

    static HandlingTimes fromEventLog(DataSource ds, WorkloadModel m, Instant from, Instant to)
            throws SQLException {
        List<HandlingTimes.Case> cases = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(FROM_EVENT_LOG)) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    cases.add(
                            new HandlingTimes.Case(
                                    rs.getDouble(1),
                                    rs.getDouble(2),
                                    rs.getString(3),
                                    rs.getDouble(4),
                                    m.cappedHours(rs.getDouble(5))));
            }
        }
        return HandlingTimes.of(cases, m);
    }

    static void assertSame(HandlingTimes expected, HandlingTimes got) {
        Comparator<HandlingTimes.Case> order =
                Comparator.comparingDouble(HandlingTimes.Case::lon)
                        .thenComparingDouble(HandlingTimes.Case::lat)
                        .thenComparingDouble(HandlingTimes.Case::hours)
                        .thenComparing(HandlingTimes.Case::category);
        List<HandlingTimes.Case> e = new ArrayList<>(expected.cases());
        List<HandlingTimes.Case> g = new ArrayList<>(got.cases());
        e.sort(order);
        g.sort(order);
        assertEquals(e, g, "the same measured cases, hours to the last bit");
        assertEquals(expected.meanHours(), got.meanHours(), 1e-9 * expected.meanHours());
        assertEquals(expected.byCategory().keySet(), got.byCategory().keySet());
        for (var k : expected.byCategory().entrySet())
            assertEquals(k.getValue(), got.byCategory().get(k.getKey()), 1e-12, k.getKey());
    }

    // a window long before the demo's history, used by this class alone
    static final Instant FROM = Instant.parse("2016-05-01T00:00:00Z");
    static final Instant TO = Instant.parse("2016-06-01T00:00:00Z");

    /** Cases of several categories, handled in several ways, reported in May 2016. */
    static void insertCases(Connection c) throws SQLException {
        var probe = DemoFixture.probe();
        try (Statement st = c.createStatement()) {
            // n = 1..60 over up to 6 categories: closed after an ACCEPT; after a DISPATCH and a
            // later ACCEPT; closed without either (not measured); closed before its ACCEPT (not
            // measured); still open; closed, then its ACCEPT appended later (a bulk load's order)
            st.execute(
                    """
                    WITH cat AS (SELECT code, platform, row_number() OVER (ORDER BY code) AS k
                                 FROM category WHERE active ORDER BY code LIMIT 6),
                    i AS (
                      INSERT INTO incident (status, category, channel, location, reported_at,
                                            jurisdiction, platform, due_at, closed_at, description)
                      SELECT CASE WHEN n %% 6 = 4 THEN 'IN_PROGRESS' ELSE 'CLOSED' END, cat.code,
                             'GRID_PATROL', ST_SetSRID(ST_MakePoint(%1$f + n * 1e-5, %2$f), 4326), t,
                             'SUBDISTRICT', cat.platform, t + interval '3 days',
                             CASE WHEN n %% 6 = 4 THEN NULL
                                  ELSE t + make_interval(hours => 2 + (n * 37) %% 900) END,
                             'case-handling-test ' || n
                      FROM generate_series(1, 60) n
                      JOIN cat ON cat.k = 1 + n %% 6 OR (cat.k = 1 AND n > 48),
                      LATERAL (SELECT timestamptz '2016-05-02 08:00+08' + make_interval(hours => n * 7) AS t) tt
                      RETURNING id, reported_at, closed_at, description)
                    INSERT INTO incident_event (incident_id, at, type, from_status, to_status)
                    SELECT id, reported_at, 'REPORTED', NULL, 'REPORTED' FROM i
                    UNION ALL
                    SELECT id, reported_at + interval '1 hour', 'ACCEPT', 'REPORTED', 'ACCEPTED' FROM i
                    WHERE split_part(description, ' ', 2)::int %% 6 IN (0, 4)
                    UNION ALL
                    SELECT id, reported_at + interval '30 minutes', 'DISPATCH', 'REPORTED', 'DISPATCHED' FROM i
                    WHERE split_part(description, ' ', 2)::int %% 6 = 1
                    UNION ALL
                    SELECT id, reported_at + interval '5 hours', 'ACCEPT', 'DISPATCHED', 'ACCEPTED' FROM i
                    WHERE split_part(description, ' ', 2)::int %% 6 = 1
                    UNION ALL
                    SELECT id, closed_at + interval '1 hour', 'ACCEPT', 'REPORTED', 'ACCEPTED' FROM i
                    WHERE split_part(description, ' ', 2)::int %% 6 = 3
                    """
                            .formatted(probe.lon(), probe.lat()));
            st.execute(
                    """
                    INSERT INTO incident_event (incident_id, at, type, from_status, to_status)
                    SELECT id, reported_at + interval '2 hours', 'ACCEPT', 'REPORTED', 'ACCEPTED'
                    FROM incident WHERE description LIKE 'case-handling-test %'
                      AND split_part(description, ' ', 2)::int % 6 = 5""");
        }
    }

    @Test
    void theFactorsAreTheEventLogsOnTheDemoAndOnMeasuredCases() throws Exception {
        DataSource ds = TestDatabase.get().dataSource();
        WorkloadModel m = WorkloadModel.defaults();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insertCases(c);
            c.commit();
        }
        HandlingTimes mine = HandlingTimes.load(ds, m, FROM, TO, null);
        assertTrue(mine.cases().size() >= 30, "measured cases: " + mine.cases().size());
        assertTrue(mine.meanHours() > 0);
        assertFalse(mine.byCategory().isEmpty(), "categories with enough measured cases");
        assertSame(fromEventLog(ds, m, FROM, TO), mine);
        // the whole demo history (and whatever other tests added): the same both ways
        Instant all0 = Instant.parse("2000-01-01T00:00:00Z");
        Instant all1 = Instant.now().plusSeconds(86_400);
        assertSame(fromEventLog(ds, m, all0, all1), HandlingTimes.load(ds, m, all0, all1, null));
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                        SELECT count(*) FROM case_handling
                        WHERE reported_at >= '2016-05-01T00:00:00Z' AND reported_at < '2016-06-01'""")) {
            rs.next();
            assertEquals(mine.cases().size(), rs.getInt(1));
        }
    }

    @Test
    void aSubdistrictIsWeighedByItsOwnCases() throws Exception {
        DataSource ds = TestDatabase.get().dataSource();
        WorkloadModel m = WorkloadModel.defaults();
        Instant all0 = Instant.parse("2000-01-01T00:00:00Z");
        Instant all1 = Instant.now().plusSeconds(86_400);
        // V38: every row carries its case's subdistrict
        assertEquals(
                0,
                TestDatabase.queryLong(
                        """
                SELECT count(*) FROM case_handling h JOIN incident i ON i.id = h.incident_id
                WHERE h.subdistrict_id IS DISTINCT FROM i.subdistrict_id"""));
        long first = TestDatabase.queryLong("SELECT min(subdistrict_id) FROM case_handling");
        long own =
                TestDatabase.queryLong(
                        "SELECT count(*) FROM case_handling WHERE subdistrict_id = " + first);
        assertTrue(own > 0, "the demo subdistrict's measured cases");
        assertEquals(own, HandlingTimes.load(ds, m, all0, all1, first).cases().size());
        assertTrue(HandlingTimes.load(ds, m, all0, all1, -1L).cases().isEmpty(), "no such one");
    }

    /** The date (UTC) of a day some days after an instant at midnight UTC. */
    static String day(Instant midnight, int plusDays) {
        return midnight.plus(java.time.Duration.ofDays(plusDays)).toString().substring(0, 10);
    }

    static double hoursAt(DataSource ds, WorkloadModel m, Instant from, Instant to, double lon)
            throws SQLException {
        return HandlingTimes.load(ds, m, from, to, null).cases().stream()
                .filter(k -> Math.abs(k.lon() - lon) < 1e-9)
                .mapToDouble(HandlingTimes.Case::hours)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aCaseThatClosesCountsAtOnceAndLeavesWhenReopened() throws Exception {
        DataSource ds = TestDatabase.get().dataSource();
        WorkloadModel m = WorkloadModel.defaults();
        var probe = DemoFixture.probe();
        // a day of its own per run (the test database outlives a run), long before the demo
        Instant from =
                Instant.parse("2010-01-01T00:00:00Z")
                        .plus(java.time.Duration.ofDays(System.nanoTime() % 2000));
        Instant to = from.plus(java.time.Duration.ofDays(1));
        long id;
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            // five measured cases of 3 h in the same day: factors count from handlingMinCases (5)
            st.execute(
                    """
                    WITH i AS (
                      INSERT INTO incident (status, category, channel, location, reported_at,
                                            jurisdiction, platform, due_at, closed_at, description)
                      SELECT 'CLOSED', code, 'GRID_PATROL', ST_SetSRID(ST_MakePoint(%1$s, %4$s), 4326),
                             timestamptz '%2$s 01:00+00', 'SUBDISTRICT', platform,
                             timestamptz '%3$s 01:00+00', timestamptz '%2$s 05:00+00',
                             'case-handling-background'
                      FROM category, generate_series(1, 5)
                      WHERE code = (SELECT code FROM category WHERE active ORDER BY code LIMIT 1)
                      RETURNING id)
                    INSERT INTO incident_event (incident_id, at, type, from_status, to_status)
                    SELECT id, timestamptz '%2$s 02:00+00', 'ACCEPT', 'REPORTED', 'ACCEPTED'
                    FROM i"""
                            .formatted(
                                    probe.lon() + 0.001, day(from, 0), day(from, 3), probe.lat()));
            c.commit();
            assertEquals(
                    5, HandlingTimes.load(ds, m, from, to, null).cases().size(), "the background");
            try (ResultSet rs =
                    st.executeQuery(
                            """
                    INSERT INTO incident (status, category, channel, location, reported_at,
                                          jurisdiction, platform, due_at, description)
                    SELECT 'ACCEPTED', code, 'GRID_PATROL', ST_SetSRID(ST_MakePoint(%1$s, %4$s), 4326),
                           timestamptz '%2$s 09:00+00', 'SUBDISTRICT', platform,
                           timestamptz '%3$s 09:00+00', 'case-handling-close'
                    FROM category WHERE active ORDER BY code LIMIT 1 RETURNING id"""
                                    .formatted(
                                            probe.lon(),
                                            day(from, 0),
                                            day(from, 3),
                                            probe.lat()))) {
                rs.next();
                id = rs.getLong(1);
            }
            st.execute(
                    """
                    INSERT INTO incident_event (incident_id, at, type, from_status, to_status)
                    VALUES (%1$d, timestamptz '%2$s 09:00+00', 'REPORTED', NULL, 'REPORTED'),
                           (%1$d, timestamptz '%2$s 10:00+00', 'ACCEPT', 'REPORTED', 'ACCEPTED')"""
                            .formatted(id, day(from, 0)));
            c.commit();
            assertEquals(
                    5, HandlingTimes.load(ds, m, from, to, null).cases().size(), "not closed yet");

            // closing: the row is there inside the closing transaction, before it commits
            st.execute(
                    "UPDATE incident SET status = 'CLOSED', closed_at = timestamptz '%s 16:00+00'"
                                    .formatted(day(from, 0))
                            + " WHERE id = "
                            + id);
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT started_at, closed_at FROM case_handling WHERE incident_id = "
                                    + id)) {
                assertTrue(rs.next(), "measured in the closing transaction");
                assertEquals(
                        from.plus(java.time.Duration.ofHours(10)), rs.getTimestamp(1).toInstant());
            }
            c.commit();
            assertEquals(6, HandlingTimes.load(ds, m, from, to, null).cases().size());
            assertEquals(6.0, hoursAt(ds, m, from, to, probe.lon()), 1e-9, "ACCEPT 10:00 to 16:00");

            // an earlier DISPATCH appended afterwards moves the start
            st.execute(
                    """
                    INSERT INTO incident_event (incident_id, at, type, from_status, to_status)
                    VALUES (%d, timestamptz '%s 09:30+00', 'DISPATCH', 'REPORTED', 'DISPATCHED')"""
                            .formatted(id, day(from, 0)));
            c.commit();
            assertEquals(6.5, hoursAt(ds, m, from, to, probe.lon()), 1e-9, "from DISPATCH 09:30");

            // reclassified while closed: the row follows
            st.execute(
                    """
                    UPDATE incident SET category = (SELECT code FROM category WHERE active
                                                    ORDER BY code DESC LIMIT 1) WHERE id = %d"""
                            .formatted(id));
            c.commit();
            assertSame(fromEventLog(ds, m, from, to), HandlingTimes.load(ds, m, from, to, null));

            // reopened: no longer measured, at once
            st.execute("UPDATE incident SET status = 'IN_PROGRESS' WHERE id = " + id);
            c.commit();
            assertEquals(5, HandlingTimes.load(ds, m, from, to, null).cases().size(), "reopened");
            assertSame(fromEventLog(ds, m, from, to), HandlingTimes.load(ds, m, from, to, null));
        }
    }
}
