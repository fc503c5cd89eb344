package org.gridgov.app;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.db.Database;
import org.gridgov.demo.DemoLoader;
import org.gridgov.demo.DemoParams;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.mapserver.MapServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * java -jar gridgov.jar [serve | migrate | demo [--incidents N] [--seed S] [--households-per-grid
 * H] [--units N] [--communities N]]
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

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
                default -> {
                    System.err.println(
                            "usage: java -jar gridgov.jar [serve | migrate | demo [--incidents N] [--seed S] [--households-per-grid H] [--units N] [--communities N]]");
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
            CategoryCatalog catalog = CategoryCatalog.fromClasspath();
            catalog.sync(db.dataSource());
            log.info("schema migrated; {} categories loaded", catalog.all().size());
        }
    }

    private static void demo(Config config, String[] args) throws Exception {
        DemoParams d = DemoParams.defaults();
        long seed = d.seed();
        int incidents = d.incidents(),
                perGrid = d.householdsPerGrid(),
                units = d.units(),
                communities = d.communities();
        boolean ifEmpty = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--incidents" -> incidents = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--households-per-grid" -> perGrid = Integer.parseInt(args[++i]);
                case "--units" -> units = Integer.parseInt(args[++i]);
                case "--communities" -> communities = Integer.parseInt(args[++i]);
                case "--if-empty" -> ifEmpty = true;
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
            DemoParams p = new DemoParams(seed, incidents, perGrid, units, communities);
            long t0 = System.nanoTime();
            String password = config.secret("GRIDGOV_DEMO_PASSWORD");
            boolean generated = password == null;
            if (generated) password = randomPassword();
            var summary = DemoLoader.load(db.dataSource(), p, password);
            log.info(
                    "demo subdistrict loaded in {} s: {}",
                    (System.nanoTime() - t0) / 1_000_000_000,
                    summary);
            // said once, to whoever loaded it: it is stored nowhere but as BCrypt hashes
            if (generated)
                System.out.println(
                        "demo accounts (operator, planner, admin, …) have the password: "
                                + password);
        }
    }

    /** 16 letters and digits from a secure random source (about 95 bits). */
    static String randomPassword() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        java.security.SecureRandom r = new java.security.SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 16; i++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return b.toString();
    }
}
