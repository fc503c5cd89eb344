package org.gridgov.testing;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gridgov.app.Config;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.db.Database;
import org.gridgov.db.DbSettings;
import org.gridgov.db.Grants;
import org.gridgov.demo.DemoLoader;
import org.gridgov.demo.DemoParams;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.mapserver.MapServerConfig;

/**
 * The PostGIS database the tests run against, found in this order:
 *
 * <ol>
 *   <li>GRIDGOV_TEST_DB_URL (with GRIDGOV_TEST_DB_USER / GRIDGOV_TEST_DB_PASSWORD): any PostGIS;
 *       the tests create and drop a database {@code gridgov_test} beside the one named, and use
 *       that one account for everything (it must be allowed to create databases and extensions);
 *   <li>the project's private cluster (scripts/db start, GRIDGOV_STATE, GRIDGOV_PG_PORT), started
 *       if it is not running; the database is provisioned as in production (scripts/db provision:
 *       owned by the owner role, extensions by the superuser), migrated as the owner, and the
 *       server under test connects as the server's role, MapServer as its read-only role
 *       (docs/deployment.md);
 *   <li>Testcontainers with the postgis/postgis image, when a Docker engine answers (one account);
 *   <li>else the tests fail, saying what to install.
 * </ol>
 *
 * The database is created once per test run, migrated, and filled with the small demo area.
 * Fixtures ({@link #get()}, {@link #settings()}, {@link #queryLong}) use the owner's account, so
 * they may write freely.
 *
 * <p>{@link #district()} is a second database beside it, {@code <name>_district}, made on first use
 * the same way and filled with a demo district of {@value #DISTRICT_SUBDISTRICTS} subdistricts
 * ({@code demo --subdistricts 3}: small subdistricts, the same {@link #DISTRICT_INCIDENTS}
 * incidents in all, the same anchor as {@link #demoAnchor()}, the same password); {@link
 * #districtServerConfig()} runs a server on it. Subdistrict k is jurisdiction k (code 33010800k),
 * its plan is plan k, the district is jurisdiction 4; subdistrict 1's accounts are named as in the
 * single demo ({@code chief}, {@code operator}), subdistrict k's {@code sk.chief}, and the
 * district's {@code doperator} and {@code dcommander} (docs/demo-data.md).
 */
public final class TestDatabase {

    /** GRIDGOV_TEST_DB_NAME lets several checkouts share one PostgreSQL server. */
    /**
     * The test fixture's password for every demo account (the tests log in with it; no install has
     * it).
     */
    public static final String DEMO_PASSWORD = "demo";

    public static final String NAME =
            System.getenv().getOrDefault("GRIDGOV_TEST_DB_NAME", "gridgov_test")
                    // the tests tagged second-subdistrict run apart, on a database of their own
                    // (server/pom.xml)
                    + System.getProperty("gridgov.test.db.suffix", "");

    /** The accounts: owner (fixtures, migrations), the server's role, MapServer's role. */
    public record Accounts(DbSettings owner, DbSettings server, DbSettings map) {}

    /** The district test database's subdistricts and incidents (all of them together). */
    public static final int DISTRICT_SUBDISTRICTS = 3;

    public static final int DISTRICT_INCIDENTS = 2_000;

    private static Accounts accounts;
    private static Database district;
    private static String districtUrl;
    private static Instant demoAnchor;
    private static Database database;
    private static Database serverDatabase;

    private TestDatabase() {}

    public static synchronized Database get() {
        if (database == null) {
            try {
                accounts = provision();
                database = Database.connect(accounts.owner());
                database.migrate(
                        new Grants(
                                accounts.server().user(),
                                accounts.map().user(),
                                MapServerConfig.tablesRead(LayerCatalog.load(null))));
                CategoryCatalog.fromClasspath().sync(database.dataSource());
                DemoLoader.load(
                        database.dataSource(),
                        DemoParams.small().withAnchor(anchor()),
                        DEMO_PASSWORD);
            } catch (Exception e) {
                throw new IllegalStateException(
                        "test database set-up failed: " + e.getMessage(), e);
            }
        }
        return database;
    }

    /**
     * The district test database (see the class comment), as its owner; made and loaded on first
     * use, once per test run.
     */
    public static synchronized Database district() {
        if (district == null) {
            try {
                String url = createEmpty(NAME + "_district");
                DbSettings o = accounts.owner();
                Database db = Database.connect(new DbSettings(url, o.user(), o.password(), 8));
                district = db;
                districtUrl = url;
                db.migrate(
                        new Grants(
                                accounts.server().user(),
                                accounts.map().user(),
                                MapServerConfig.tablesRead(LayerCatalog.load(null))));
                CategoryCatalog.fromClasspath().sync(db.dataSource());
                DemoParams small = DemoParams.small();
                DemoLoader.load(
                        db.dataSource(),
                        new DemoParams(
                                small.seed(),
                                DISTRICT_INCIDENTS,
                                small.householdsPerGrid(),
                                small.units(),
                                small.communities(),
                                anchor()),
                        DISTRICT_SUBDISTRICTS,
                        DEMO_PASSWORD);
            } catch (Exception e) {
                district = null;
                throw new IllegalStateException(
                        "district test database set-up failed: " + e.getMessage(), e);
            }
        }
        return district;
    }

    /** The settings a server under test runs with on the district database (as serverConfig). */
    public static Map<String, String> districtServerConfig() {
        district();
        Map<String, String> m = serverConfig();
        m.put("GRIDGOV_DB_URL", districtUrl);
        return m;
    }

    /**
     * The end of the test area's incident history: the load time, as a demo people look at has it
     * (so "this week" and open cases within their deadline are there), or GRIDGOV_TEST_DEMO_ANCHOR
     * (ISO 8601, e.g. 2026-11-01T00:00:00+08:00) to load a failed run's data again. Tests derive
     * their date windows from it, never from a literal date.
     */
    public static synchronized Instant demoAnchor() {
        get();
        return anchor();
    }

    private static synchronized Instant anchor() {
        if (demoAnchor == null) {
            String fixed = System.getenv("GRIDGOV_TEST_DEMO_ANCHOR");
            demoAnchor =
                    fixed == null || fixed.isBlank()
                            ? Instant.now().truncatedTo(ChronoUnit.SECONDS)
                            : OffsetDateTime.parse(fixed).toInstant();
            System.out.println("test area: demo history anchored at " + demoAnchor);
        }
        return demoAnchor;
    }

    /** The single number a query answers (a count, an id), for assertions. */
    public static long queryLong(String sql) throws java.sql.SQLException {
        try (var c = get().connection();
                var st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            if (!rs.next()) throw new AssertionError("no row from: " + sql);
            return rs.getLong(1);
        }
    }

    /** The owner's account (fixtures write freely with it). */
    public static DbSettings settings() {
        get();
        return accounts.owner();
    }

    public static synchronized Accounts accounts() {
        get();
        return accounts;
    }

    /** The settings the server under test runs with: its own role and MapServer's (TestServer). */
    public static Map<String, String> serverConfig() {
        Accounts a = accounts();
        Map<String, String> m = new HashMap<>();
        m.put("GRIDGOV_DB_URL", a.server().url());
        m.put("GRIDGOV_DB_POOL", "16");
        m.put("GRIDGOV_DB_USER", a.server().user());
        if (a.server().password() != null) m.put("GRIDGOV_DB_PASSWORD", a.server().password());
        m.put("GRIDGOV_DB_MAP_USER", a.map().user());
        if (a.map().password() != null) m.put("GRIDGOV_DB_MAP_PASSWORD", a.map().password());
        m.put("GRIDGOV_MEDIA_DIR", mediaDir().toString());
        // tests change cases of past months and read their KPIs: nothing settles by itself
        // (KpiSettlementTest settles through the API)
        m.put("GRIDGOV_KPI_SETTLE_DAYS", "off");
        return m;
    }

    private static java.nio.file.Path mediaDir;

    /** This test run's photo folder (GRIDGOV_MEDIA_DIR), a fresh temporary one. */
    public static synchronized java.nio.file.Path mediaDir() {
        if (mediaDir == null) {
            try {
                mediaDir = java.nio.file.Files.createTempDirectory("gridgov-media");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return mediaDir;
    }

    /** The server's pool, as its role and with its statement timeout, as `serve` opens it. */
    public static synchronized Database server() {
        if (serverDatabase == null)
            serverDatabase = Database.connect(Config.of(serverConfig()).db());
        return serverDatabase;
    }

    /**
     * An empty database beside the test one (provisioned, not migrated), for start-up tests; its
     * URL.
     */
    public static String createEmpty(String name) throws Exception {
        get();
        if (privateCluster()) {
            provisionInPrivateCluster(name);
        } else {
            DbSettings s = accounts.owner();
            try (Connection c =
                            DriverManager.getConnection(adminUrl(s.url()), s.user(), s.password());
                    Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                st.execute("CREATE DATABASE " + name);
            }
        }
        return accounts.owner().url().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
    }

    /** The project's private cluster, with its roles (scripts/db), rather than one given by URL. */
    public static synchronized boolean privateCluster() {
        get();
        return privateClusterKnown();
    }

    private static boolean privateClusterKnown() {
        String url = System.getenv("GRIDGOV_TEST_DB_URL");
        return (url == null || url.isBlank())
                && !accounts.owner().user().equals(accounts.server().user());
    }

    private static Accounts provision() throws Exception {
        String url = System.getenv("GRIDGOV_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            String user = System.getenv().getOrDefault("GRIDGOV_TEST_DB_USER", "gridgov");
            String password = System.getenv("GRIDGOV_TEST_DB_PASSWORD");
            return single(recreate(url, user, password));
        }
        int port = pgPort();
        if (!listening(port)) startPrivateCluster();
        if (listening(port)) {
            provisionInPrivateCluster(NAME);
            String db = "jdbc:postgresql://127.0.0.1:" + port + "/" + NAME;
            Path secrets = stateDir().resolve("secrets");
            return new Accounts(
                    new DbSettings(db, "gridgov_owner", secret(secrets, "db-owner-password"), 16),
                    new DbSettings(db, "gridgov", secret(secrets, "db-password"), 16),
                    new DbSettings(db, "gridgov_map", secret(secrets, "db-map-password"), 2));
        }
        if (dockerAvailable()) return single(Containers.postgis());
        throw new IllegalStateException(
                "no PostGIS for the tests: set GRIDGOV_TEST_DB_URL, or install PostgreSQL 15 with "
                        + "PostGIS and pgRouting (apt-get install postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting) "
                        + "so scripts/db can start the private cluster, or run a Docker engine for Testcontainers");
    }

    private static Accounts single(DbSettings s) {
        return new Accounts(s, s, s);
    }

    private static int pgPort() {
        return Integer.parseInt(System.getenv().getOrDefault("GRIDGOV_PG_PORT", "54329"));
    }

    /** GRIDGOV_STATE as scripts/lib.sh reads it. */
    static Path stateDir() {
        String s = System.getenv("GRIDGOV_STATE");
        return s != null && !s.isBlank() ? Path.of(s) : projectRoot().resolve(".gridgov");
    }

    private static String secret(Path dir, String name) throws java.io.IOException {
        return Files.readString(dir.resolve(name)).strip();
    }

    /**
     * scripts/db provision --fresh: drops and creates the database, as the superuser, roles
     * included.
     */
    private static void provisionInPrivateCluster(String name) throws Exception {
        Process p =
                new ProcessBuilder(
                                projectRoot().resolve("scripts/db").toString(),
                                "provision",
                                "--fresh",
                                name)
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    "scripts/db provision " + name + " failed: " + out.strip());
        }
    }

    private static String adminUrl(String url) {
        return url.replaceFirst("/[^/?]+(\\?|$)", "/postgres$1");
    }

    /** Drops and creates gridgov_test on the server of the given URL: every run starts clean. */
    private static DbSettings recreate(String url, String user, String password) throws Exception {
        try (Connection c = DriverManager.getConnection(adminUrl(url), user, password);
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + NAME);
        }
        return new DbSettings(
                url.replaceFirst("/[^/?]+(\\?|$)", "/" + NAME + "$1"), user, password, 16);
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
        if (d == null)
            throw new IllegalStateException(
                    "cannot find the project root (a folder with scripts/db) above "
                            + new File("").getAbsolutePath());
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
