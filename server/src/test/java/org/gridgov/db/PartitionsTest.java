package org.gridgov.db;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gridgov.testing.AdminScript;
import org.gridgov.testing.AdminScript.Run;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * staff_position by month (V35, docs/partitions.md): rows land in their month, the upkeep keeps the
 * next months ready as the server's role and moves strays out of DEFAULT, and a month goes to the
 * archive and comes back through scripts/admin. Its rows are in 1990-2001, far before the demo's,
 * and are removed after each test with the partitions it made.
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class PartitionsTest {

    private static final String MINE =
            "recorded_at < '2002-01-01 00:00+00' OR recorded_at >= now() + interval '1 year'";

    @AfterEach
    void removeMine() throws Exception {
        try (Connection c = TestDatabase.get().connection();
                Statement st = c.createStatement()) {
            st.execute("DELETE FROM staff_position WHERE " + MINE);
            for (String t :
                    strings(
                            st,
                            "SELECT relname FROM pg_class WHERE relkind = 'r'"
                                    + " AND relname ~ '^staff_position_y(19|200[0-1])'"))
                st.execute("DROP TABLE " + t);
        }
    }

    private static List<String> strings(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private static String one(String sql) throws SQLException {
        try (Connection c = TestDatabase.get().connection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), "no row from: " + sql);
            return rs.getString(1);
        }
    }

    private static void exec(String sql) throws SQLException {
        try (Connection c = TestDatabase.get().connection();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Inserts a position at the time given (SQL), as the server's role, as PatrolStore does. */
    private static void position(String at) throws SQLException {
        try (Connection c = TestDatabase.server().connection();
                Statement st = c.createStatement()) {
            st.execute(
                    "INSERT INTO staff_position (staff_id, recorded_at, geom) SELECT min(id), "
                            + at
                            + ", ST_SetSRID(ST_MakePoint(120.1, 30.2), 4326) FROM staff"
                            + " ON CONFLICT (staff_id, recorded_at) DO NOTHING");
        }
    }

    /** The partition holding the position at that time. */
    private static String partitionOf(String at) throws SQLException {
        return one("SELECT tableoid::regclass::text FROM staff_position WHERE recorded_at = " + at);
    }

    private static String name(LocalDate month) {
        return "staff_position_y%04dm%02d".formatted(month.getYear(), month.getMonthValue());
    }

    private static List<String> partitions() throws SQLException {
        try (Connection c = TestDatabase.get().connection();
                Statement st = c.createStatement()) {
            return strings(
                    st,
                    "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                            + " WHERE i.inhparent = 'staff_position'::regclass ORDER BY 1");
        }
    }

    @Test
    void rowsAreInTheirMonthsAndTheNextMonthsAreReady() throws Exception {
        assertEquals("p", one("SELECT relkind FROM pg_class WHERE relname = 'staff_position'"));
        // every row outside DEFAULT is in the partition of its UTC month
        assertEquals(
                "0",
                one(
                        """
                SELECT count(*) FROM staff_position WHERE tableoid <> 'staff_position_default'::regclass
                  AND tableoid::regclass::text <> 'staff_position_' || to_char(recorded_at AT TIME ZONE 'UTC', '"y"YYYY"m"MM')"""));
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        List<String> parts = partitions();
        assertTrue(parts.contains("staff_position_default"), parts.toString());
        for (int k = 0; k <= Partitions.MONTHS_AHEAD; k++)
            assertTrue(parts.contains(name(month.plusMonths(k))), name(month.plusMonths(k)));
        // the keys and indexes of V5 are on the root, so on every month
        assertEquals(
                "3",
                one(
                        "SELECT count(*) FROM pg_index WHERE indrelid = 'staff_position'::regclass"
                                + " AND indexrelid::regclass::text IN ('staff_position_pkey',"
                                + " 'staff_position_geom_gix', 'staff_position_time_idx')"));
        // a point lands in its month; a re-sent one is still a no-op (the key holds on the root)
        exec("SELECT staff_position_ensure_month('2001-05-17')");
        position("'2001-05-03 10:00+00'");
        position("'2001-05-03 10:00+00'");
        assertEquals(
                "1",
                one(
                        "SELECT count(*) FROM staff_position WHERE recorded_at = '2001-05-03 10:00+00'"));
        assertEquals("staff_position_y2001m05", partitionOf("'2001-05-03 10:00+00'"));
        position("'2001-04-30 23:59:59+00'"); // the month before has no partition
        assertEquals("staff_position_default", partitionOf("'2001-04-30 23:59:59+00'"));
    }

    @Test
    void theUpkeepCreatesTheMissingMonthsOnceAsTheServersRole() throws Exception {
        LocalDate last =
                LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(Partitions.MONTHS_AHEAD);
        // the furthest month ready is empty (no data that far ahead): take it away
        assertEquals("0", one("SELECT count(*) FROM " + name(last)));
        exec("DROP TABLE " + name(last));
        assertFalse(partitions().contains(name(last)));

        Partitions upkeep = new Partitions(TestDatabase.server().dataSource());
        var first = upkeep.maintain();
        assertEquals(1, first.size());
        assertEquals(List.of(name(last)), first.get(0).created());
        assertTrue(partitions().contains(name(last)));
        // indexes come with the attach: the month answers like the others
        assertEquals(
                "3",
                one(
                        "SELECT count(*) FROM pg_index WHERE indrelid = '"
                                + name(last)
                                + "'::regclass"));
        assertEquals(List.of(), upkeep.maintain().get(0).created(), "a second run changes nothing");
    }

    @Test
    void strayPositionsWaitInDefaultOrMoveToTheirMonth() throws Exception {
        exec("SELECT staff_position_ensure_month('2001-01-01')"); // now the oldest month
        position(
                "'2001-03-15 08:00+00'"); // a month between the oldest and now, without a partition
        position("'1990-05-01 08:00+00'"); // before the oldest: an archived month, a clock reset
        position("now() + interval '2 years'"); // beyond the months kept ready
        assertEquals("staff_position_default", partitionOf("'2001-03-15 08:00+00'"));
        assertEquals("staff_position_default", partitionOf("'1990-05-01 08:00+00'"));

        var done = new Partitions(TestDatabase.server().dataSource()).maintain().get(0);

        assertEquals(List.of("staff_position_y2001m03"), done.created());
        assertEquals("staff_position_y2001m03", partitionOf("'2001-03-15 08:00+00'"));
        assertEquals("staff_position_default", partitionOf("'1990-05-01 08:00+00'"));
        assertEquals(
                "staff_position_default",
                one(
                        "SELECT tableoid::regclass::text FROM staff_position"
                                + " WHERE recorded_at >= now() + interval '1 year'"));
        assertTrue(done.leftInDefault() >= 2, "the two strays stay: " + done.leftInDefault());
    }

    @Test
    void aMonthGoesToTheArchiveAndComesBack() throws Exception {
        assumeTrue(
                TestDatabase.privateCluster(), "scripts/admin archive needs the private cluster");
        Path dir = Files.createTempDirectory("gridgov-archive");
        exec("SELECT staff_position_ensure_month('2000-01-01')");
        for (int k = 1; k <= 40; k++)
            position("'2000-01-01 00:00+00'::timestamptz + interval '" + k + " hours'");

        Run archived = admin(dir, "archive", "--before", "2000-02", "--db", TestDatabase.NAME);

        assertEquals(0, archived.code(), archived.out());
        assertEquals("t", one("SELECT to_regclass('staff_position_y2000m01') IS NULL"));
        assertEquals(
                "0",
                one(
                        "SELECT count(*) FROM staff_position WHERE recorded_at < '2000-02-01 00:00+00'"));
        for (String f : List.of(".dump", ".dump.sha256", ".bound"))
            assertTrue(Files.isRegularFile(dir.resolve("staff_position_y2000m01" + f)), f);
        assertTrue(archived.out().contains("40 rows"), archived.out());

        // a late upload for the archived month waits in DEFAULT, and joins it on its return
        position("'2000-01-20 12:00+00'");
        Run restored = admin(dir, "archive-restore", "2000-01", "--db", TestDatabase.NAME);

        assertEquals(0, restored.code(), restored.out());
        assertEquals("staff_position_y2000m01", partitionOf("'2000-01-20 12:00+00'"));
        assertEquals(
                "41",
                one(
                        "SELECT count(*) FROM staff_position WHERE recorded_at < '2000-02-01 00:00+00'"
                                + " AND tableoid = 'staff_position_y2000m01'::regclass"));
        // attached again with its bounds: a query on the month prunes to it
        assertEquals(
                "t",
                one(
                        "SELECT relispartition FROM pg_class WHERE relname ="
                                + " 'staff_position_y2000m01'"));
        assertEquals(
                "staff_position_y2000m01",
                partitionOf("'2000-01-01 00:00+00'::timestamptz + interval '1 hours'"));
    }

    @Test
    void badArchiveRequestsChangeNothing() throws Exception {
        assumeTrue(
                TestDatabase.privateCluster(), "scripts/admin archive needs the private cluster");
        Path dir = Files.createTempDirectory("gridgov-archive");
        List<String> before = partitions();
        String current = LocalDate.now(ZoneOffset.UTC).toString().substring(0, 7);
        Map<List<String>, String> cases =
                Map.of(
                        List.of("archive", "--before", current),
                        "must be a month before the current one",
                        List.of("archive", "--before", "2999-01"),
                        "must be a month before the current one",
                        List.of("archive", "--before", "2026-13"),
                        "must be YYYY-MM",
                        List.of("archive", "--before", "last-month"),
                        "must be YYYY-MM",
                        List.of("archive-restore", "1999-01"),
                        "no archived month 1999-01");
        for (var e : cases.entrySet()) {
            List<String> args = new ArrayList<>(e.getKey());
            args.addAll(List.of("--db", TestDatabase.NAME));
            Run r = admin(dir, args.toArray(String[]::new));
            assertNotEquals(0, r.code(), e.getKey().toString());
            assertTrue(r.out().contains(e.getValue()), e.getKey() + ": " + r.out());
        }
        assertEquals(before, partitions());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing written");
        }
    }

    private static Run admin(Path archiveDir, String... args) throws Exception {
        return AdminScript.run("admin", Map.of("GRIDGOV_ARCHIVE_DIR", archiveDir.toString()), args);
    }
}
