package org.gridgov.incident;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.db.Database;
import org.gridgov.db.DbSettings;
import org.gridgov.testing.AdminScript;
import org.gridgov.testing.AdminScript.Run;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * incident partitioned by month of receipt (V36) and incident_event beside it (V39,
 * docs/partitions.md). The migrations and the roll run on a database of this class's own (the roll
 * moves the id sequence, which no transaction takes back); the foreign keys are checked on the
 * shared test database, in transactions rolled back.
 */
@Tag("db")
class IncidentPartitionTest {

    static Database db;

    /**
     * Three cases received in three months before V36 ran, one of them with a key; each with a
     * REPORTED event, and the last with a 12345 feedback row citing the first case's event (as a
     * work order merged into another case has).
     */
    static final List<OffsetDateTime> RECEIVED =
            List.of(
                    OffsetDateTime.of(2026, 9, 14, 23, 0, 0, 0, ZoneOffset.UTC),
                    OffsetDateTime.of(2026, 10, 15, 8, 0, 0, 0, ZoneOffset.UTC),
                    OffsetDateTime.of(2026, 11, 2, 9, 30, 0, 0, ZoneOffset.UTC));

    @BeforeAll
    static void migrateWithRows() throws Exception {
        DbSettings owner = TestDatabase.settings();
        String url = TestDatabase.createEmpty(TestDatabase.NAME + "_partitions");
        db = Database.connect(new DbSettings(url, owner.user(), owner.password(), 2));
        Flyway.configure()
                .dataSource(db.dataSource())
                .locations(Database.LOCATION)
                .target("34")
                .load()
                .migrate();
        CategoryCatalog.fromClasspath().sync(db.dataSource());
        try (Connection c = db.connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                                INSERT INTO incident (status, category, channel, location, reported_at, received_at,
                                                      jurisdiction, platform, due_at, idempotency_key, request_hash)
                                SELECT 'REPORTED', (SELECT code FROM category ORDER BY code LIMIT 1), 'HOTLINE',
                                       ST_SetSRID(ST_MakePoint(120.1, 30.2), 4326), ?, ?, 'SUBDISTRICT',
                                       (SELECT code FROM platform ORDER BY code LIMIT 1), ?, ?, ?""")) {
            for (int k = 0; k < RECEIVED.size(); k++) {
                OffsetDateTime at = RECEIVED.get(k);
                ps.setObject(1, at);
                ps.setObject(2, at);
                ps.setObject(3, at.plusDays(1));
                ps.setString(4, k == 1 ? "partition-test-key" : null);
                ps.setString(5, k == 1 ? "partition-test-hash" : null);
                ps.executeUpdate();
            }
            try (Statement st = c.createStatement()) {
                st.execute(
                        """
                        INSERT INTO incident_event (incident_id, at, type, to_status)
                        SELECT id, received_at, 'REPORTED', 'REPORTED' FROM incident ORDER BY id""");
                st.execute(
                        """
                        INSERT INTO outbox (channel, kind, incident_id, event_id, payload)
                        SELECT 'HOTLINE', 'FINISH', max(incident_id), min(id), '{}'::jsonb
                        FROM incident_event""");
            }
        }
        db.migrate();
    }

    @AfterAll
    static void close() {
        if (db != null) db.close();
    }

    static String partitionOf(Connection c, String where) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT tableoid::regclass::text FROM incident " + where)) {
            assertTrue(rs.next(), "a row " + where);
            return rs.getString(1);
        }
    }

    static long query(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theRowsOfEachMonthLandInThatMonthsPartition() throws Exception {
        try (Connection c = db.connection()) {
            assertEquals(
                    3,
                    query(c, "SELECT count(*) FROM incident WHERE received_at < '2026-12-01'"),
                    "every row moved");
            assertEquals(
                    List.of("incident_2026_09", "incident_2026_10", "incident_2026_11"),
                    List.of(
                            partitionOf(c, "WHERE received_at = '2026-09-14T23:00Z'"),
                            partitionOf(c, "WHERE received_at = '2026-10-15T08:00Z'"),
                            partitionOf(c, "WHERE received_at = '2026-11-02T09:30Z'")));
            assertEquals(
                    query(
                            c,
                            "SELECT id FROM incident WHERE idempotency_key = 'partition-test-key'"),
                    query(
                            c,
                            "SELECT incident_id FROM incident_idempotency"
                                    + " WHERE key = 'partition-test-key'"),
                    "the key names its incident in the side table");
            List<String> names =
                    new IncidentPartitionStore(db.dataSource())
                            .list().stream().map(IncidentPartitionStore.Partition::name).toList();
            String month = monthName("now()");
            assertTrue(names.contains(month), "this month has a partition: " + names);
        }
    }

    @Test
    void eachCasesEventsLiveBesideItAndTheOutboxNamesTheirCase() throws Exception {
        try (Connection c = db.connection()) {
            assertEquals(
                    3,
                    query(c, "SELECT count(*) FROM incident_event WHERE at < '2026-12-01'"),
                    "every event moved");
            try (Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    """
                                    SELECT i.tableoid::regclass::text, e.tableoid::regclass::text
                                    FROM incident i JOIN incident_event e ON e.incident_id = i.id
                                    WHERE e.at < '2026-12-01'""")) {
                int n = 0;
                while (rs.next()) {
                    assertEquals(
                            rs.getString(1).replace("incident_", "incident_event_"),
                            rs.getString(2),
                            "the event is in the partition of its case's month");
                    n++;
                }
                assertEquals(3, n);
            }
            assertEquals(
                    query(c, "SELECT min(incident_id) FROM incident_event"),
                    query(c, "SELECT event_incident_id FROM outbox WHERE kind = 'FINISH'"),
                    "the feedback row names the case of the event it cites, not its own");
            assertEquals(
                    "(incident_id, id)",
                    partitionKeyColumns(c),
                    "the primary key holds the partition key");
        }
    }

    static String partitionKeyColumns(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT substring(pg_get_constraintdef(oid) from '\\(.*\\)')"
                                        + " FROM pg_constraint WHERE conname = 'incident_event_pkey'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void anOutboxRowCitesAnEventOfAnyCaseButNoneThatIsNot() throws Exception {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                long first = query(c, "SELECT min(incident_id) FROM incident_event");
                long last = query(c, "SELECT max(incident_id) FROM incident_event");
                long event = query(c, "SELECT min(id) FROM incident_event");
                st.execute(
                        "INSERT INTO outbox (channel, kind, incident_id, event_id, payload) VALUES"
                                + " ('HOTLINE', 'SIGN', "
                                + last
                                + ", "
                                + event
                                + ", '{}')");
                assertEquals(
                        first,
                        query(c, "SELECT event_incident_id FROM outbox WHERE kind = 'SIGN'"),
                        "filled from the event");
                SQLException e =
                        refused(
                                st,
                                "INSERT INTO outbox (channel, kind, incident_id, event_id)"
                                        + " VALUES ('HOTLINE', 'SIGN', "
                                        + last
                                        + ", -5)");
                assertEquals("23514", e.getSQLState(), "no such event: " + e.getMessage());
                e =
                        refused(
                                st,
                                "INSERT INTO outbox (channel, kind, incident_id, event_id,"
                                        + " event_incident_id) VALUES ('SMS', 'RECEIVED', "
                                        + last
                                        + ", "
                                        + event
                                        + ", "
                                        + last
                                        + ")");
                assertEquals("23503", e.getSQLState(), "a wrong case: " + e.getMessage());
                e = refused(st, "UPDATE incident_event SET note = 'x' WHERE id = " + event);
                assertTrue(e.getMessage().contains("append-only"), e.getMessage());
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    /** Runs SQL that must fail, in a savepoint rolled back after; the error. */
    static SQLException refused(Statement st, String sql) throws SQLException {
        st.execute("SAVEPOINT refused");
        SQLException e = assertThrows(SQLException.class, () -> st.execute(sql), sql);
        st.execute("ROLLBACK TO SAVEPOINT refused");
        return e;
    }

    static final String INSERT_NOW =
            """
            INSERT INTO incident (status, category, channel, location, reported_at,
                                  jurisdiction, platform, due_at)
            SELECT 'REPORTED', (SELECT code FROM category ORDER BY code LIMIT 1), 'HOTLINE',
                   ST_SetSRID(ST_MakePoint(120.1, 30.2), 4326), now(), 'SUBDISTRICT',
                   (SELECT code FROM platform ORDER BY code LIMIT 1), now()
            RETURNING tableoid::regclass::text""";

    /** Inserts a case as intake would (the id from the sequence); the partition it landed in. */
    static String insertNow(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(INSERT_NOW)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The name of the partition of the month of {@code at} (an SQL expression). */
    String monthName(String at) throws SQLException {
        try (Connection c = db.connection()) {
            return "incident_"
                    + query(c, "SELECT to_char(" + at + ", 'YYYY')")
                    + "_"
                    + String.format("%02d", query(c, "SELECT to_char(" + at + ", 'MM')::int"));
        }
    }

    /** The foreign keys to incident and incident_event the roll drops and puts back. */
    static final String FKS =
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
                    + " AND confrelid IN ('incident'::regclass, 'incident_event'::regclass)"
                    + " AND conparentid = 0";

    /** Adds a REPORTED event to the newest case; the partition it landed in. */
    static String eventOfNewest(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "INSERT INTO incident_event (incident_id, type, to_status)"
                                        + " SELECT max(id), 'REPORTED', 'REPORTED' FROM incident"
                                        + " RETURNING tableoid::regclass::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theRollClosesTheMonthOnceAndTheNextCasesLandInTheNewOne() throws Exception {
        try (Connection c = db.connection()) {
            assertEquals(
                    monthName("now()"),
                    insertNow(c),
                    "a case received now lands in this month's partition");
            assertEquals(
                    monthName("now()").replace("incident_", "incident_event_"),
                    eventOfNewest(c),
                    "its event beside it");
            long fks = query(c, FKS);
            String later = "now() + interval '5 months'";
            assertEquals(1, query(c, "SELECT incident_partitions_roll(" + later + ")"));
            long start =
                    query(c, "SELECT first_id FROM incident_partitions() WHERE last_end IS NULL");
            assertEquals(
                    start,
                    query(c, "SELECT nextval('incident_id_seq')"),
                    "the new month's range starts at the next id: ids stay dense");
            assertEquals(
                    start,
                    query(
                            c,
                            "SELECT last_end FROM incident_partitions() WHERE month ="
                                    + " date_trunc('month', now())::date"),
                    "this month's partition is closed there");
            assertEquals(
                    monthName(later),
                    insertNow(c),
                    "after the month's turn, a new case lands in the new month's partition");
            assertEquals(
                    monthName(later).replace("incident_", "incident_event_"),
                    eventOfNewest(c),
                    "and its events in the new month's event partition");
            assertEquals(
                    1,
                    query(
                            c,
                            "SELECT count(*) FROM incident_event WHERE incident_id < "
                                    + start
                                    + " AND tableoid = to_regclass('"
                                    + monthName("now()").replace("incident_", "incident_event_")
                                    + "')"),
                    "this month's events stay in this month's event partition");
            long partitions =
                    query(
                            c,
                            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'incident'::regclass");
            assertEquals(0, query(c, "SELECT incident_partitions_roll(" + later + ")"));
            assertEquals(0, query(c, "SELECT incident_partitions_roll()"), "nothing for now");
            assertEquals(
                    0,
                    query(c, "SELECT incident_partitions_roll(now() - interval '1 year')"),
                    "a month before the newest is left alone");
            assertEquals(
                    partitions,
                    query(
                            c,
                            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'incident'::regclass"),
                    "the roll is idempotent");

            // the foreign keys came back, enforced at once, and validate
            assertEquals(
                    fks + 1,
                    query(c, FKS),
                    "every foreign key to incident and incident_event is back, and the new"
                            + " event partition has its own");
            try (Statement st = c.createStatement()) {
                SQLException e =
                        assertThrows(
                                SQLException.class,
                                () ->
                                        st.execute(
                                                "INSERT INTO incident_event (incident_id, type, to_status)"
                                                        + " VALUES (-1, 'NOTE', 'REPORTED')"));
                assertEquals("23503", e.getSQLState(), e.getMessage());
            }
            assertTrue(query(c, "SELECT incident_partitions_validate()") > 0);
            assertEquals(0, query(c, FKS + " AND NOT convalidated"), "all valid again");

            // a month without a case: the open partition is only renamed
            String empty = "now() + interval '7 months'";
            assertEquals(1, query(c, "SELECT incident_partitions_roll(" + empty + ")"));
            String next = "now() + interval '8 months'";
            assertEquals(0, query(c, "SELECT incident_partitions_roll(" + next + ")"));
            List<String> names =
                    new IncidentPartitionStore(db.dataSource())
                            .list().stream().map(IncidentPartitionStore.Partition::name).toList();
            assertTrue(names.contains(monthName(next)), names.toString());
            assertFalse(names.contains(monthName(empty)), names.toString());
            assertEquals(
                    1,
                    query(
                            c,
                            "SELECT count(*) FROM pg_inherits WHERE inhparent ="
                                    + " 'incident_event'::regclass AND inhrelid = to_regclass('"
                                    + monthName(next).replace("incident_", "incident_event_")
                                    + "')"),
                    "the event partition is renamed with it");
            assertEquals(
                    query(
                            c,
                            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'incident'::regclass"),
                    query(
                            c,
                            "SELECT count(*) FROM pg_inherits WHERE inhparent ="
                                    + " 'incident_event'::regclass"),
                    "a partition of events for every partition of cases");
        }
    }

    static String tablespaceOf(Connection c, String relation) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT coalesce(t.spcname, '') FROM pg_class r LEFT JOIN"
                                        + " pg_tablespace t ON t.oid = r.reltablespace WHERE r.oid ="
                                        + " '"
                                        + relation
                                        + "'::regclass")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void closedMonthsOfCasesMoveToTheArchiveTablespaceAndBack() throws Exception {
        assumeTrue(TestDatabase.privateCluster(), "scripts/admin needs the private cluster");
        String name = TestDatabase.NAME + "_partitions";
        String space = "gridgov_case_archive_test_" + ProcessHandle.current().pid();
        Path dumps = Files.createTempDirectory("gridgov-archive");
        Map<String, String> env =
                Map.of(
                        "GRIDGOV_ARCHIVE_DIR", dumps.toString(),
                        "GRIDGOV_CASE_ARCHIVE_DIR",
                                Files.createTempDirectory("gridgov-case-archive").toString(),
                        "GRIDGOV_CASE_ARCHIVE_TABLESPACE", space);
        try (Connection c = db.connection()) {
            String counts =
                    "SELECT (SELECT count(*) FROM incident) * 1000000"
                            + " + (SELECT count(*) FROM incident_event)";
            long before = query(c, counts);
            String current = LocalDate.now(ZoneOffset.UTC).toString().substring(0, 7);
            Map<List<String>, String> bad =
                    Map.of(
                            List.of("archive-cases", "--before", current),
                            "must be a month before the current one",
                            List.of("archive-cases", "--before", "2026-13"),
                            "must be YYYY-MM",
                            List.of("archive-cases-restore", "2026-11"),
                            "not in the archive tablespace");
            for (var e : bad.entrySet()) {
                List<String> args = new ArrayList<>(e.getKey());
                args.addAll(List.of("--db", name));
                Run r = AdminScript.run("admin", env, args.toArray(String[]::new));
                assertNotEquals(0, r.code(), e.getKey().toString());
                assertTrue(r.out().contains(e.getValue()), e.getKey() + ": " + r.out());
            }
            try (var files = Files.list(dumps)) {
                assertEquals(0, files.count(), "a refused request writes nothing");
            }

            try {
                Run archived =
                        AdminScript.run(
                                "admin", env, "archive-cases", "--before", "2026-11", "--db", name);
                assertEquals(0, archived.code(), archived.out());
                assertTrue(archived.out().contains("2 month(s)"), archived.out());
                for (String m : List.of("2026_09", "2026_10")) {
                    for (String rel :
                            List.of(
                                    "incident_" + m,
                                    "incident_event_" + m,
                                    "incident_" + m + "_pkey",
                                    "incident_event_" + m + "_pkey"))
                        assertEquals(space, tablespaceOf(c, rel), rel + " archived");
                    assertTrue(Files.isRegularFile(dumps.resolve("cases_" + m + ".dump")));
                    assertTrue(Files.isRegularFile(dumps.resolve("cases_" + m + ".dump.sha256")));
                }
                assertEquals("", tablespaceOf(c, "incident_2026_11"), "November stays");
                assertEquals(before, query(c, counts), "nothing is dropped: cases are records");
                assertEquals(
                        1,
                        query(
                                c,
                                "SELECT count(*) FROM incident i JOIN incident_event e ON"
                                        + " e.incident_id = i.id WHERE i.received_at ="
                                        + " '2026-09-14T23:00Z'"),
                        "an archived case and its history read as before");
                Run again =
                        AdminScript.run(
                                "admin", env, "archive-cases", "--before", "2026-11", "--db", name);
                assertTrue(again.out().contains("0 month(s)"), "idempotent: " + again.out());

                Run back =
                        AdminScript.run(
                                "admin", env, "archive-cases-restore", "2026-10", "--db", name);
                assertEquals(0, back.code(), back.out());
                assertEquals("", tablespaceOf(c, "incident_event_2026_10_pkey"));
                assertEquals(space, tablespaceOf(c, "incident_event_2026_09"));
            } finally {
                AdminScript.run("admin", env, "archive-cases-restore", "2026-09", "--db", name);
                AdminScript.run("admin", env, "archive-cases-restore", "2026-10", "--db", name);
                Run dropped =
                        AdminScript.run(
                                "db",
                                Map.of(),
                                "psql",
                                "-d",
                                "postgres",
                                "-c",
                                "DROP TABLESPACE IF EXISTS " + space);
                assertEquals(
                        0,
                        dropped.code(),
                        "the test's tablespace is empty again: " + dropped.out());
            }
        }
    }

    @Test
    void theForeignKeysToIncidentAreStillEnforced() throws Exception {
        try (Connection c = TestDatabase.get().connection()) {
            c.setAutoCommit(false);
            try {
                for (String sql :
                        List.of(
                                "INSERT INTO incident_event (incident_id, type, to_status)"
                                        + " VALUES (-1, 'NOTE', 'REPORTED')",
                                "INSERT INTO case_timer (incident_id, step, kind, fire_at, step_due_at)"
                                        + " VALUES (-1, 'ACCEPT', 'OVERDUE', now(), now())",
                                "UPDATE incident SET duplicate_of = -1"
                                        + " WHERE id = (SELECT min(id) FROM incident)",
                                "DELETE FROM incident WHERE id = (SELECT min(incident_id)"
                                        + " FROM incident_event)")) {
                    try (Statement st = c.createStatement()) {
                        SQLException e = refused(st, sql);
                        assertEquals("23503", e.getSQLState(), sql + ": " + e.getMessage());
                    }
                }
            } finally {
                c.rollback();
            }
        }
    }
}
