package org.gridgov.testing;

import org.gridgov.category.CategoryCatalog;
import org.gridgov.db.Database;
import org.gridgov.db.DbSettings;
import org.gridgov.demo.DemoLoader;
import org.gridgov.demo.DemoParams;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * The PostGIS database the tests run against, found in this order:
 * <ol>
 * <li>GRIDGOV_TEST_DB_URL (with GRIDGOV_TEST_DB_USER / GRIDGOV_TEST_DB_PASSWORD): any PostGIS;
 *     the tests create and drop a database {@code gridgov_test} beside the one named;</li>
 * <li>the project's private cluster (scripts/db start), started if it is not running;</li>
 * <li>Testcontainers with the postgis/postgis image, when a Docker engine answers;</li>
 * <li>else the tests fail, saying what to install.</li>
 * </ol>
 * The database is created once per test run, migrated, and filled with the small demo area.
 */
public final class TestDatabase {

    /** GRIDGOV_TEST_DB_NAME lets several checkouts share one PostgreSQL server. */
    public static final String NAME = System.getenv().getOrDefault("GRIDGOV_TEST_DB_NAME", "gridgov_test");
    private static DbSettings settings;
    private static Database database;

    private TestDatabase() {
    }

    public static synchronized Database get() {
        if (database == null) {
            try {
                settings = provision();
                database = Database.connect(settings);
                database.migrate();
                CategoryCatalog.fromClasspath().sync(database.dataSource());
                DemoLoader.load(database.dataSource(), DemoParams.small());
            } catch (Exception e) {
                throw new IllegalStateException("test database set-up failed: " + e.getMessage(), e);
            }
        }
        return database;
    }

    /** The single number a query answers (a count, an id), for assertions. */
    public static long queryLong(String sql) throws java.sql.SQLException {
        try (var c = get().connection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            if (!rs.next()) throw new AssertionError("no row from: " + sql);
            return rs.getLong(1);
        }
    }

    public static DbSettings settings() {
        get();
        return settings;
    }

    private static DbSettings provision() throws Exception {
        String url = System.getenv("GRIDGOV_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            String user = System.getenv().getOrDefault("GRIDGOV_TEST_DB_USER", "gridgov");
            String password = System.getenv().getOrDefault("GRIDGOV_TEST_DB_PASSWORD", "gridgov");
            return recreate(url, user, password);
        }
        int port = Integer.parseInt(System.getenv().getOrDefault("GRIDGOV_PG_PORT", "54329"));
        if (!listening(port)) startPrivateCluster();
        if (listening(port)) return recreate("jdbc:postgresql://127.0.0.1:" + port + "/gridgov", "gridgov", "gridgov");
        if (dockerAvailable()) return Containers.postgis();
        throw new IllegalStateException("no PostGIS for the tests: set GRIDGOV_TEST_DB_URL, or install PostgreSQL 15 with "
                + "PostGIS and pgRouting (apt-get install postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting) "
                + "so scripts/db can start the private cluster, or run a Docker engine for Testcontainers");
    }

    /** Drops and creates gridgov_test on the server of the given URL: every run starts clean. */
    private static DbSettings recreate(String url, String user, String password) throws Exception {
        String admin = url.replaceFirst("/[^/?]+(\\?|$)", "/postgres$1");
        try (Connection c = DriverManager.getConnection(admin, user, password); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + NAME);
        }
        return new DbSettings(url.replaceFirst("/[^/?]+(\\?|$)", "/" + NAME + "$1"), user, password, 16);
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void startPrivateCluster() throws Exception {
        Path script = projectRoot().resolve("scripts/db");
        if (!Files.isExecutable(script)) return;
        Process p = new ProcessBuilder(script.toString(), "start").inheritIO().start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) p.destroyForcibly();
    }

    public static Path projectRoot() {
        Path d = new File("").getAbsoluteFile().toPath();
        while (d != null && !Files.exists(d.resolve("scripts/db"))) d = d.getParent();
        if (d == null) throw new IllegalStateException("cannot find the project root (a folder with scripts/db) above " + new File("").getAbsolutePath());
        return d;
    }

    private static boolean dockerAvailable() {
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }
}
