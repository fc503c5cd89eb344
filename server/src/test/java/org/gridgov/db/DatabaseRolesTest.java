package org.gridgov.db;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gridgov.app.Config;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database roles (docs/deployment.md): the server's role reads and writes rows but cannot
 * rewrite the audit trail, change the schema or switch triggers off; MapServer's role reads only
 * what the layers publish; no login without a password; the superuser only by peer over the socket.
 * Before the split, the server logged in as a superuser and every statement here succeeded.
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class DatabaseRolesTest {

    private static TestDatabase.Accounts accounts;

    @BeforeAll
    static void separateRoles() {
        accounts = TestDatabase.accounts();
        // One account for everything (GRIDGOV_TEST_DB_URL, Testcontainers): there are no roles to
        // test.
        assumeTrue(
                !accounts.owner().user().equals(accounts.server().user()),
                "the test database has a single account");
    }

    private static Connection as(DbSettings s) throws SQLException {
        return DriverManager.getConnection(s.url(), s.user(), s.password());
    }

    /** The statement fails with 42501 insufficient_privilege (or the code given). */
    private static void refused(Connection c, String sql, String... states) {
        List<String> expected = states.length == 0 ? List.of("42501") : List.of(states);
        SQLException e =
                assertThrows(
                        SQLException.class,
                        () -> {
                            try (Statement st = c.createStatement()) {
                                st.execute(sql);
                            }
                        },
                        "allowed: " + sql);
        assertTrue(
                expected.contains(e.getSQLState()),
                sql + " → " + e.getSQLState() + " " + e.getMessage());
    }

    @Test
    void theServerRoleAppendsToTheAuditTrailButCannotRewriteIt() throws Exception {
        try (Connection c = as(accounts.server());
                Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try (var rs = st.executeQuery("SELECT count(*) FROM incident_event")) {
                assertTrue(rs.next() && rs.getLong(1) > 0, "it reads the trail");
            }
            assertEquals(
                    1,
                    st.executeUpdate(
                            """
                    INSERT INTO incident_event (incident_id, type, from_status, to_status, note)
                    SELECT id, 'NOTE', status, status, 'roles test' FROM incident ORDER BY id LIMIT 1"""),
                    "it appends");
            c.rollback();
            c.setAutoCommit(true);
            refused(
                    c,
                    "UPDATE incident_event SET note = 'rewritten' WHERE id = (SELECT min(id) FROM incident_event)");
            refused(
                    c,
                    "DELETE FROM incident_event WHERE id = (SELECT min(id) FROM incident_event)");
            refused(c, "TRUNCATE incident_event");
            refused(c, "TRUNCATE incident CASCADE");
        }
    }

    @Test
    void theServerRoleReachesIncidentsOnlyThroughThePartitionedTable() throws Exception {
        String partition;
        try (Connection c = as(accounts.owner());
                Statement st = c.createStatement();
                var rs =
                        st.executeQuery(
                                "SELECT name FROM incident_partitions() WHERE last_end IS NULL")) {
            assertTrue(rs.next(), "incident has an open partition (V36)");
            partition = rs.getString(1);
        }
        try (Connection c = as(accounts.server());
                Statement st = c.createStatement()) {
            try (var rs = st.executeQuery("SELECT count(*) FROM incident")) {
                assertTrue(rs.next() && rs.getLong(1) > 0, "it reads incidents");
            }
            refused(c, "SELECT count(*) FROM " + partition);
            refused(c, "ALTER TABLE incident DETACH PARTITION " + partition);
        }
    }

    @Test
    void theServerRoleAppendsToTheAdminLogButCannotRewriteIt() throws Exception {
        try (Connection c = as(accounts.server());
                Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            assertEquals(
                    1,
                    st.executeUpdate(
                            """
                    INSERT INTO admin_log (actor_staff_id, kind, target, change)
                    SELECT id, 'staff', 'staff/' || id, '{"name": {}}' FROM staff ORDER BY id LIMIT 1"""),
                    "it appends");
            try (var rs = st.executeQuery("SELECT count(*) FROM admin_log")) {
                assertTrue(rs.next() && rs.getLong(1) > 0, "it reads the log");
            }
            c.commit();
            c.setAutoCommit(true);
            refused(c, "UPDATE admin_log SET target = 'rewritten'");
            refused(c, "DELETE FROM admin_log");
            refused(c, "TRUNCATE admin_log");
            refused(c, "ALTER TABLE admin_log DISABLE TRIGGER admin_log_append_only");
        }
        // even the owner cannot rewrite it: the triggers refuse
        try (Connection c = as(accounts.owner())) {
            refused(c, "UPDATE admin_log SET target = 'rewritten'", "23001");
            refused(c, "DELETE FROM admin_log", "23001");
        }
    }

    @Test
    void theReferenceDataHistoryCannotBeRewritten() throws Exception {
        try (Connection c = as(accounts.server())) {
            refused(c, "UPDATE reference_version SET note = 'rewritten'");
            refused(c, "DELETE FROM reference_version");
            refused(c, "TRUNCATE reference_version");
        }
        try (Connection c = as(accounts.owner())) {
            refused(c, "UPDATE reference_version SET note = 'rewritten'", "23001");
            refused(c, "DELETE FROM reference_version", "23001");
        }
    }

    @Test
    void theServerRoleCannotChangeTheSchemaNorSwitchTriggersOff() throws Exception {
        try (Connection c = as(accounts.server())) {
            refused(c, "ALTER TABLE incident ADD COLUMN roles_test integer");
            refused(c, "ALTER TABLE incident_event DISABLE TRIGGER incident_event_append_only");
            refused(c, "DROP TABLE incident_event");
            refused(c, "CREATE TABLE roles_test (x integer)");
            refused(c, "CREATE FUNCTION roles_test() RETURNS int LANGUAGE sql AS 'SELECT 1'");
            refused(c, "SET session_replication_role = replica");
            refused(c, "DELETE FROM flyway_schema_history");
            try (Statement st = c.createStatement();
                    var rs =
                            st.executeQuery(
                                    "SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = current_user")) {
                assertTrue(rs.next());
                assertFalse(rs.getBoolean(1), "no superuser, role or database creation");
            }
        }
    }

    @Test
    void mapServersRoleReadsOnlyWhatTheLayersPublish() throws Exception {
        try (Connection c = as(accounts.map());
                Statement st = c.createStatement()) {
            for (String sql :
                    List.of(
                            "SELECT count(*) FROM community",
                            "SELECT count(*) FROM grid",
                            "SELECT count(*) FROM base_unit",
                            "SELECT count(*) FROM road_edge",
                            "SELECT count(*) FROM jurisdiction",
                            "SELECT count(id), count(location), count(category), count(reported_at) FROM incident")) {
                try (var rs = st.executeQuery(sql)) {
                    assertTrue(rs.next(), sql);
                }
            }
            refused(c, "SELECT reporter_name FROM incident LIMIT 1");
            refused(c, "SELECT reporter_phone FROM incident LIMIT 1");
            refused(c, "SELECT description FROM incident LIMIT 1");
            refused(c, "SELECT * FROM incident LIMIT 1");
            refused(c, "SELECT * FROM staff LIMIT 1");
            refused(c, "SELECT * FROM incident_event LIMIT 1");
            refused(c, "UPDATE community SET name = name");
            refused(c, "INSERT INTO grid_plan (name, status) VALUES ('x', 'DRAFT')");
        }
    }

    @Test
    void noLoginWithoutTheRightPassword() {
        DbSettings s = accounts.server();
        for (String[] login :
                List.of(
                        new String[] {s.user(), null},
                        new String[] {s.user(), ""},
                        new String[] {s.user(), "gridgov"},
                        new String[] {accounts.map().user(), "gridgov"},
                        new String[] {"postgres", ""},
                        new String[] {"postgres", "postgres"})) {
            SQLException e =
                    assertThrows(
                            SQLException.class,
                            () -> DriverManager.getConnection(s.url(), login[0], login[1]).close(),
                            "logged in as " + login[0] + " with password " + login[1]);
            // 28P01 wrong password, 28000 refused by pg_hba.conf, 08004 no password given
            assertTrue(
                    List.of("28P01", "28000", "08004").contains(e.getSQLState()),
                    e.getSQLState() + " " + e.getMessage());
        }
    }

    /**
     * Over the Unix socket too: a password for the roles, peer (the cluster's OS user only) for the
     * superuser.
     */
    @Test
    void theSocketAsksForAPasswordAndKeepsTheSuperuserToItsOsUser() throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "the superuser peer check needs an OS user other than the cluster's (root runs it as postgres)");
        Path socketDir = stateDir().resolve("run");
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(socketDir)));
        for (String user : List.of(accounts.server().user(), "postgres")) {
            ProcessBuilder pb =
                    new ProcessBuilder(
                                    "/usr/lib/postgresql/15/bin/psql",
                                    "-X",
                                    "-w",
                                    "-h",
                                    socketDir.toString(),
                                    "-p",
                                    port(),
                                    "-U",
                                    user,
                                    "-d",
                                    "postgres",
                                    "-c",
                                    "SELECT 1")
                            .redirectErrorStream(true);
            pb.environment().remove("PGPASSWORD");
            pb.environment().put("PGPASSFILE", "/dev/null");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertNotEquals(
                    0,
                    p.exitValue(),
                    user + " logged in over the socket without a password: " + out);
            assertTrue(
                    out.contains("no password supplied")
                            || out.contains("Peer authentication failed"),
                    out);
        }
    }

    @Test
    void passwordsAreSecretFilesOnly() throws Exception {
        Path secrets = stateDir().resolve("secrets");
        assertEquals(
                "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
        for (String f : List.of("db-password", "db-owner-password", "db-map-password")) {
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(secrets.resolve(f))),
                    f);
            assertTrue(
                    Files.readString(secrets.resolve(f)).strip().length() >= 32,
                    f + " is long and random");
        }
    }

    @Test
    void theServersStatementsAreBoundedByATimeout() throws Exception {
        try (Connection c = TestDatabase.server().connection();
                Statement st = c.createStatement();
                var rs = st.executeQuery("SHOW statement_timeout")) {
            rs.next();
            assertEquals(
                    "30s",
                    rs.getString(1),
                    "GRIDGOV_DB_STATEMENT_TIMEOUT_MS defaults to 30 s on the server's pool");
        }
        try (Connection c = TestDatabase.get().connection();
                Statement st = c.createStatement();
                var rs = st.executeQuery("SHOW statement_timeout")) {
            rs.next();
            assertEquals("0", rs.getString(1), "none for the owner (migrations, demo loader)");
        }
        var settings = new HashMap<>(TestDatabase.serverConfig());
        settings.put("GRIDGOV_DB_STATEMENT_TIMEOUT_MS", "100");
        settings.put("GRIDGOV_DB_POOL", "1");
        try (Database db = Database.connect(Config.of(settings).db());
                Connection c = db.connection();
                Statement st = c.createStatement()) {
            SQLException e =
                    assertThrows(SQLException.class, () -> st.execute("SELECT pg_sleep(600)"));
            assertEquals("57014", e.getSQLState(), e.getMessage());
        }
    }

    private static Path stateDir() {
        String s = System.getenv("GRIDGOV_STATE");
        return s != null && !s.isBlank()
                ? Path.of(s)
                : TestDatabase.projectRoot().resolve(".gridgov");
    }

    private static String port() {
        return System.getenv().getOrDefault("GRIDGOV_PG_PORT", "54329");
    }
}
