package org.gridgov.app;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.gridgov.assess.ScoringScheme;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.category.ReferenceData;
import org.gridgov.category.ReferenceStore;
import org.gridgov.db.Database;
import org.gridgov.demo.DemoLoader;
import org.gridgov.demo.DemoParams;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.mapserver.MapServerConfig;
import org.gridgov.people.Passwords;
import org.gridgov.people.Role;
import org.gridgov.people.Scope;
import org.gridgov.people.StaffDirectory;
import org.gridgov.workflow.DeadlineRules;
import org.gridgov.workflow.DispatchRules;
import org.gridgov.workflow.WorkingCalendar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * java -jar gridgov.jar [serve | migrate | demo [--incidents N] [--seed S] [--households-per-grid
 * H] [--units N] [--communities N] [--subdistricts N] [--anchor T] [--if-empty] | admin create-user
 * --username U --role R [--name N] [--grid ID | --community ID | --platform P]]
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private static final String USAGE =
            "usage: java -jar gridgov.jar [serve | migrate | demo [--incidents N] [--seed S]"
                    + " [--households-per-grid H] [--units N] [--communities N] [--subdistricts N]"
                    + " [--anchor T]"
                    + " [--if-empty]"
                    + " | admin create-user --username U --role R [--name N]"
                    + " [--grid ID | --community ID | --platform P]]";

    private Main() {}

    public static void main(String[] args) {
        String command = args.length == 0 ? "serve" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        try {
            Config config = Config.fromEnvironment();
            switch (command) {
                case "serve" -> serve(config);
                case "migrate" -> migrate(config);
                case "demo" -> demo(config, rest);
                case "admin" -> {
                    int code = admin(config, rest, System.out, System.err);
                    if (code != 0) System.exit(code);
                }
                default -> {
                    System.err.println(USAGE);
                    System.exit(2);
                }
            }
        } catch (Exception e) {
            System.err.println("gridgov: " + command + " failed: " + e.getMessage());
            log.debug("failure", e);
            System.exit(1);
        }
    }

    private static void serve(Config config) throws Exception {
        config.jwtSecret(); // no signing secret: fail before connecting to anything
        config.reporterRetentionDays(); // nor a bad retention setting
        config.cors(); // nor a bad list of origins
        Database db = Database.connect(config.db());
        Gridgov app = Gridgov.start(config, db);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        app.close();
                                    } catch (Exception e) {
                                        log.warn("stopping: {}", e.getMessage());
                                    }
                                    db.close();
                                    stopped.countDown();
                                },
                                "gridgov-shutdown"));
        stopped.await();
    }

    /**
     * Applies migrations as the schema owner, grants the server's and MapServer's roles what they
     * may do (docs/deployment.md), and loads the category taxonomy packaged with this build.
     */
    static void migrate(Config config) throws Exception {
        try (Database db = Database.connect(config.ownerDb())) {
            db.migrate(config.grants(MapServerConfig.tablesRead(LayerCatalog.load(null))));
            // a new database takes the gis-data files as the first version of its reference
            // data; afterwards they are edited through the API (docs/reference-data.md)
            ReferenceData reference = new ReferenceData(new ReferenceStore(db.dataSource()));
            CategoryCatalog catalog = CategoryCatalog.register(reference);
            DeadlineRules.register(reference, WorkingCalendar.register(reference), catalog);
            DispatchRules.register(reference, catalog);
            reference.register(ScoringScheme.KIND);
            org.gridgov.workorder.HotlineCategories.register(reference, catalog);
            log.info("schema migrated; {} categories in force", catalog.all().size());
        }
    }

    static void demo(Config config, String[] args) throws Exception {
        demo(config, args, Clock.systemUTC());
    }

    /**
     * Loads the demo with its history ending now ({@code clock}), so the command centre's "this
     * week" has reports and open cases are mostly within their deadline; {@code --anchor T} (ISO
     * 8601 with offset) fixes the end instead, for figures that must not move (the benchmarks).
     */
    static void demo(Config config, String[] args, Clock clock) throws Exception {
        // A production deployment says so once (GRIDGOV_DEMO=off); a stray `demo` then loads
        // nothing.
        if (!config.demo())
            throw new IllegalStateException(
                    "GRIDGOV_DEMO=off: this deployment takes no demo data (no demo accounts)");
        DemoParams d = DemoParams.defaults();
        long seed = d.seed();
        int incidents = d.incidents(),
                perGrid = d.householdsPerGrid(),
                units = d.units(),
                communities = d.communities();
        boolean ifEmpty = false;
        int subdistricts = 1;
        Instant anchor = clock.instant();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--incidents" -> incidents = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--households-per-grid" -> perGrid = Integer.parseInt(args[++i]);
                case "--units" -> units = Integer.parseInt(args[++i]);
                case "--communities" -> communities = Integer.parseInt(args[++i]);
                case "--anchor" -> anchor = anchor(args[++i]);
                case "--if-empty" -> ifEmpty = true;
                case "--subdistricts" -> subdistricts = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown demo option " + args[i]);
            }
        }
        try (Database db =
                Database.connect(
                        config.ownerDb())) { // the loader writes freely (audit trail, sequences)
            db.requireMigrated();
            if (DemoLoader.isLoaded(db.dataSource())) {
                if (ifEmpty) {
                    log.info("an area is already loaded; demo not generated");
                    return;
                }
                throw new IllegalStateException(
                        "an area is already loaded in this database; demo data goes into an empty one");
            }
            DemoParams p = new DemoParams(seed, incidents, perGrid, units, communities, anchor);
            long t0 = System.nanoTime();
            String password = config.secret("GRIDGOV_DEMO_PASSWORD");
            boolean generated = password == null;
            if (generated) password = org.gridgov.people.Passwords.oneTime();
            var summary = DemoLoader.load(db.dataSource(), p, subdistricts, password);
            log.info(
                    "demo district of {} subdistrict(s) loaded in {} s: {}",
                    subdistricts,
                    (System.nanoTime() - t0) / 1_000_000_000,
                    summary);
            // said once, to whoever loaded it: it is stored nowhere but as BCrypt hashes
            if (generated)
                System.out.println(
                        "demo accounts (operator, planner, admin, …) have the password: "
                                + password);
        }
    }

    static Instant anchor(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--anchor needs a time with its offset, e.g. 2026-11-01T00:00+08:00: '"
                            + text
                            + "'");
        }
    }

    /**
     * {@code admin create-user}: makes a staff account with a one-time password, printed once
     * (stored only as a BCrypt hash); its first login must set a password of its own. Bad
     * arguments, an unknown role or a taken username exit 2 with a message and change nothing.
     *
     * @return the exit code
     */
    public static int admin(Config config, String[] args, PrintStream out, PrintStream err)
            throws Exception {
        if (args.length == 0 || !args[0].equals("create-user")) {
            err.println(USAGE);
            return 2;
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!List.of("--username", "--role", "--name", "--grid", "--community", "--platform")
                    .contains(a)) {
                err.println("gridgov: unknown create-user option '" + a + "'\n" + USAGE);
                return 2;
            }
            if (i + 1 >= args.length || opts.put(a, args[++i]) != null) {
                err.println("gridgov: " + a + " needs one value, given once\n" + USAGE);
                return 2;
            }
        }
        String username = opts.get("--username");
        String roleText = opts.get("--role");
        if (username == null || roleText == null) {
            err.println("gridgov: create-user needs --username and --role\n" + USAGE);
            return 2;
        }
        if (!StaffDirectory.validUsername(username)) {
            err.println(
                    "gridgov: '"
                            + username
                            + "' is not a valid username: 2 to 64 of a-z, 0-9, '.', '_', '-',"
                            + " starting with a letter or digit");
            return 2;
        }
        Role role = Role.parse(roleText);
        if (role == null) {
            err.println(
                    "gridgov: unknown role '"
                            + roleText
                            + "'; one of "
                            + Arrays.toString(Role.values()));
            return 2;
        }
        Scope scope;
        try {
            scope = scope(opts);
        } catch (IllegalArgumentException e) {
            err.println("gridgov: " + e.getMessage());
            return 2;
        }
        String name = opts.getOrDefault("--name", username);
        String password = org.gridgov.people.Passwords.oneTime();
        try (Database db = Database.connect(config.db())) {
            db.requireMigrated();
            var created =
                    new StaffDirectory(db.dataSource())
                            .create(
                                    new StaffDirectory.NewAccount(username, name, role, scope),
                                    Passwords.hash(password));
            if (created.isEmpty()) {
                err.println("gridgov: the username '" + username + "' is taken; nothing changed");
                return 2;
            }
            out.println(
                    "created "
                            + username
                            + " ("
                            + role
                            + ", staff id "
                            + created.get()
                            + ") with the one-time password: "
                            + password);
            out.println(
                    "it must be changed at the first login (POST /api/v1/auth/password); it is"
                            + " shown only now");
            return 0;
        } catch (java.sql.SQLException e) {
            if ("23503".equals(e.getSQLState())) { // foreign key: no such grid/community/platform
                err.println("gridgov: the scope does not exist: " + e.getMessage());
                return 2;
            }
            throw e;
        }
    }

    private static Scope scope(Map<String, String> opts) {
        int given = 0;
        Scope scope = Scope.SUBDISTRICT;
        if (opts.containsKey("--grid")) {
            given++;
            scope = new Scope("GRID", id(opts.get("--grid"), "--grid"), null, null);
        }
        if (opts.containsKey("--community")) {
            given++;
            scope = new Scope("COMMUNITY", null, id(opts.get("--community"), "--community"), null);
        }
        if (opts.containsKey("--platform")) {
            given++;
            scope = new Scope("PLATFORM", null, null, opts.get("--platform"));
        }
        if (given > 1)
            throw new IllegalArgumentException(
                    "give at most one of --grid, --community, --platform (none: the whole"
                            + " subdistrict)");
        return scope;
    }

    private static long id(String v, String option) {
        try {
            long id = Long.parseLong(v);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(option + " needs a positive id, got '" + v + "'");
    }
}
