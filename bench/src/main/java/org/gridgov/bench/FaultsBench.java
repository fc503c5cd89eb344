package org.gridgov.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gridgov.app.Config;
import org.gridgov.db.Database;

/**
 * Faults under load against a gridgov JVM of its own on the database of GRIDGOV_DB_URL (a copy of
 * the bench database): kill -9 of the server, PostgreSQL restarted fast and immediate, MapServer
 * workers hung and killed, then the intake maximum and a soak at half of it with tiles, heatmaps
 * and SSE screens. Prints key=value figures; exits 1 when anything acknowledged was lost.
 *
 * <p>java -cp gridgov-bench.jar org.gridgov.bench.FaultsBench scripts/db kills soakMinutes
 * windowMinutes screens
 */
public final class FaultsBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String MAP =
            "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=communities&STYLES=&CRS=EPSG:4326"
                    + "&BBOX=%s,%s,%s,%s&WIDTH=256&HEIGHT=256&FORMAT=image/png";

    private FaultsBench() {}

    public static void main(String[] args) throws Exception {
        Path dbScript = Path.of(args[0]);
        int kills = Integer.parseInt(args[1]);
        double soakMinutes = Double.parseDouble(args[2]);
        double windowMinutes = Double.parseDouble(args[3]);
        int screens = Integer.parseInt(args[4]);

        Map<String, String> env = new HashMap<>(System.getenv());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        env.putIfAbsent("GRIDGOV_JWT_SECRET", HexFormat.of().formatHex(secret));
        env.put("GRIDGOV_ANONYMOUS_WRITES_PER_MINUTE", "100000000");
        env.put("GRIDGOV_LIVE_STREAMS_PER_USER", "100000"); // the soak's screens share one account
        env.put("GRIDGOV_SCHEDULER_SECONDS", "0");
        env.putIfAbsent("GRIDGOV_MAPSERVER_TIMEOUT_MS", "5000");
        Path work = Path.of(env.getOrDefault("GRIDGOV_STATE", "/tmp"), "bench");
        Path log = work.resolve("faults-server.log");
        work.toFile().mkdirs();
        // a fixed MapServer folder: the restarted server stops the workers the killed one left
        // behind
        env.put("GRIDGOV_MAPSERVER_DIR", work.resolve("faults-mapserver").toString());

        List<FaultScenarios.Outcome> outcomes = new ArrayList<>();
        int survived = 0;
        try (Database db = Database.connect(Config.fromEnvironment().db());
                ServerProcess server =
                        new ServerProcess(System.getProperty("java.class.path"), "2g", env, log)) {
            server.start(Duration.ofMinutes(5));
            double[] area = area(db);
            FaultScenarios.Target target =
                    new FaultScenarios.Target(server::base, null, category(db), area[4], area[5]);

            for (int k = 1; k <= kills; k++) {
                var o =
                        FaultScenarios.run(
                                "server_kill" + k,
                                target,
                                db.dataSource(),
                                16,
                                200,
                                server::kill,
                                null,
                                () -> server.start(Duration.ofMinutes(5)));
                o.print();
                outcomes.add(o);
                survived++;
            }
            for (String mode : List.of("stop", "crash")) {
                var o =
                        FaultScenarios.run(
                                "pg_restart_" + (mode.equals("stop") ? "fast" : "immediate"),
                                target,
                                db.dataSource(),
                                16,
                                200,
                                () -> script(dbScript, mode),
                                load ->
                                        load.statuses().getOrDefault(503, 0L) >= 3
                                                || !load.serverErrors().isEmpty(),
                                () -> script(dbScript, "start"));
                o.print();
                outcomes.add(o);
                survived++;
            }
            survived += mapServer(server, area);

            String token = login(server.base(), "operator");
            double max = intakeMaximum(target, db);
            System.out.printf("faults.intake_max_per_s=%.0f%n", max);
            var soak =
                    new Soak(
                            server.base(),
                            token,
                            new Soak.Mix(
                                    max / 2, 20, 2, screens, area[0], area[1], area[2], area[3]),
                            server.pid());
            Soak.Result r =
                    soak.run(
                            Duration.ofSeconds((long) (soakMinutes * 60)),
                            Duration.ofSeconds((long) (windowMinutes * 60)),
                            target.category(),
                            target.lon(),
                            target.lat());
            r.print("faults.soak");
        }
        long missing = outcomes.stream().mapToLong(FaultScenarios.Outcome::missing).sum();
        long duplicates = outcomes.stream().mapToLong(FaultScenarios.Outcome::duplicates).sum();
        long errors = outcomes.stream().mapToLong(o -> o.serverErrors().size()).sum();
        System.out.printf(
                "faults.survived=%d%nfaults.acknowledged_missing=%d%nfaults.duplicates=%d%nfaults.server_errors=%d%n",
                survived, missing, duplicates, errors);
        outcomes.stream()
                .filter(o -> o.name().startsWith("pg_restart"))
                .forEach(
                        o ->
                                System.out.printf(
                                        "faults.%s.recovery_s=%.1f%n",
                                        o.name(), o.recoveryMs() / 1000));
        if (missing + duplicates > 0) System.exit(1);
    }

    /**
     * Hangs every MapServer worker (SIGSTOP), then kills one (SIGKILL): maps answer 503 within the
     * timeout, tiles keep serving, maps come back. Returns the faults survived.
     */
    private static int mapServer(ServerProcess server, double[] area) throws Exception {
        String map = MAP.formatted(area[1], area[0], area[3], area[2]);
        String tile =
                "/tiles/grids/14/"
                        + org.gridgov.geo.TileScheme.x(14, (area[0] + area[2]) / 2)
                        + "/"
                        + org.gridgov.geo.TileScheme.y(14, (area[1] + area[3]) / 2)
                        + ".mvt";
        FaultScenarios.waitFor(
                () -> status(server.base() + map) == 200,
                Duration.ofMinutes(2),
                "maps before the MapServer faults");
        List<ProcessHandle> workers =
                ProcessHandle.of(server.pid())
                        .orElseThrow()
                        .descendants()
                        .filter(h -> h.info().command().orElse("").endsWith("mapserv"))
                        .toList();
        workers.forEach(h -> signal("STOP", h));
        long t0 = System.nanoTime();
        int hungMap;
        int tileWhileHung;
        try {
            hungMap = status(server.base() + map);
            System.out.printf(
                    "faults.mapserver_hang.map_status=%d%nfaults.mapserver_hang.answer_s=%.1f%n",
                    hungMap, (System.nanoTime() - t0) / 1e9);
            tileWhileHung = status(server.base() + tile);
            System.out.printf("faults.mapserver_hang.tile_status=%d%n", tileWhileHung);
        } finally {
            workers.stream().filter(ProcessHandle::isAlive).forEach(h -> signal("CONT", h));
        }
        long t1 = System.nanoTime();
        FaultScenarios.waitFor(
                () -> status(server.base() + map) == 200,
                Duration.ofMinutes(2),
                "maps after the hang");
        System.out.printf(
                "faults.mapserver_hang.recovery_s=%.1f%n", (System.nanoTime() - t1) / 1e9);
        List<ProcessHandle> now =
                ProcessHandle.of(server.pid())
                        .orElseThrow()
                        .descendants()
                        .filter(h -> h.info().command().orElse("").endsWith("mapserv"))
                        .toList();
        if (!now.isEmpty()) now.get(0).destroyForcibly();
        long t2 = System.nanoTime();
        int killedMap = status(server.base() + map);
        FaultScenarios.waitFor(
                () -> status(server.base() + map) == 200,
                Duration.ofMinutes(2),
                "maps after a worker was killed");
        System.out.printf(
                "faults.mapserver_kill.first_status=%d%nfaults.mapserver_kill.recovery_s=%.1f%n",
                killedMap, (System.nanoTime() - t2) / 1e9);
        return (hungMap == 503 && tileWhileHung == 200 ? 1 : 0)
                + (killedMap == 200 || killedMap == 503 ? 1 : 0);
    }

    /** Reports per second with 32 clients as fast as they go, over 20 s after a 5 s warm-up. */
    private static double intakeMaximum(FaultScenarios.Target t, Database db) throws Exception {
        IntakeLoad warm =
                new IntakeLoad(
                                t.base(),
                                null,
                                t.category(),
                                t.lon(),
                                t.lat(),
                                "faults-warm-" + System.nanoTime(),
                                0)
                        .start(32);
        Thread.sleep(5_000);
        warm.stop();
        IntakeLoad load =
                new IntakeLoad(
                                t.base(),
                                null,
                                t.category(),
                                t.lon(),
                                t.lat(),
                                "faults-max-" + System.nanoTime(),
                                0)
                        .start(32);
        long before = load.acknowledgedCount();
        Thread.sleep(20_000);
        long after = load.acknowledgedCount();
        load.stop();
        return (after - before) / 20.0;
    }

    private static int status(String url) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(120))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void script(Path dbScript, String command) throws Exception {
        Process p = new ProcessBuilder(dbScript.toString(), command).inheritIO().start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0)
            throw new IllegalStateException("scripts/db " + command + " failed");
    }

    private static void signal(String signal, ProcessHandle h) {
        try {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(h.pid()))
                    .inheritIO()
                    .start()
                    .waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("kill -" + signal + " " + h.pid(), e);
        }
    }

    private static String login(String base, String user) throws Exception {
        HttpResponse<String> a =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/token"))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"username\":\""
                                                        + user
                                                        + "\",\"password\":\""
                                                        + DemoPassword.get()
                                                        + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (a.statusCode() != 200)
            throw new IllegalStateException(
                    "login " + user + ": " + a.statusCode() + " " + a.body());
        return JSON.readTree(a.body()).get("token").asText();
    }

    /** The subdistrict's box (minLon, minLat, maxLon, maxLat) and a point inside it (lon, lat). */
    private static double[] area(Database db) throws Exception {
        try (var c = db.connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom), ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom))
                FROM jurisdiction WHERE kind = 'SUBDISTRICT'""")) {
            rs.next();
            return new double[] {
                rs.getDouble(1),
                rs.getDouble(2),
                rs.getDouble(3),
                rs.getDouble(4),
                rs.getDouble(5),
                rs.getDouble(6)
            };
        }
    }

    private static String category(Database db) throws Exception {
        try (var c = db.connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT code FROM category WHERE authority = 'SUBDISTRICT' AND active ORDER BY code LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
