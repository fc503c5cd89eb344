package org.gridgov.ogc;

import java.io.IOException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.gridgov.db.DbSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MapServer 8 as FastCGI workers behind a small lighttpd on a Unix socket, started and supervised
 * by gridgov. lighttpd spawns {@code mapserv} workers (max-procs = the configured worker count) and
 * respawns any that die; gridgov restarts lighttpd itself if it dies. The mapfiles and MapServer's
 * config file are generated here from the layer catalog at every start.
 *
 * <p>Two maps: {@code public} holds only the layers anonymous clients may see, {@code full} holds
 * all; the gateway picks one per request, so an anonymous request cannot reach a restricted layer
 * even through a path the gateway's checks missed. Nothing of it listens on TCP: lighttpd and the
 * workers answer on Unix sockets (0600) in the state folder (0700), so only gridgov's OS user can
 * reach them (docs/ogc.md, "Deployment"). MapServer logs in to PostgreSQL as its read-only role
 * with the password in a pgpass file there, not in the mapfiles.
 */
public final class MapServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MapServer.class);
    public static final String MAPSERV = "/usr/lib/cgi-bin/mapserv";
    public static final String LIGHTTPD = "/usr/sbin/lighttpd";
    private static final String CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

    /** Tables with private columns: MapServer's role may read only the published ones (Grants). */
    static final Map<String, List<String>> PUBLISHED_COLUMNS =
            Map.of(
                    "incident",
                    List.of(
                            "id",
                            "category",
                            "platform",
                            "channel",
                            "status",
                            "reported_at",
                            "grid_id",
                            "community_id",
                            "location"));

    private final Path dir;
    private final int workers;
    private final String externalUrl;

    /**
     * true: gridgov runs the mapserv workers itself (spawn-fcgi -n, one Unix socket each) and talks
     * FastCGI to them.
     */
    private final boolean fastcgi;

    private final Process[] fcgiWorkers;
    private volatile Process lighttpd;
    private volatile boolean closed;
    private Thread shutdownHook;

    /**
     * Workers seen at the last check: a dead lighttpd's children are re-parented, not its
     * descendants any more.
     */
    private volatile List<ProcessHandle> lastWorkers = List.of();

    private MapServer(Path dir, int workers, String externalUrl, boolean fastcgi) {
        this.dir = dir;
        this.workers = workers;
        this.externalUrl = externalUrl;
        this.fastcgi = fastcgi && externalUrl == null;
        this.fcgiWorkers = new Process[workers];
    }

    /**
     * Generates the configuration and starts lighttpd + mapserv, or points at an external
     * MapServer.
     */
    public static MapServer start(OgcSettings s, LayerCatalog catalog, DbSettings db, DataSource ds)
            throws Exception {
        if (s.mapserverUrl() != null)
            return new MapServer(null, s.workers(), s.mapserverUrl(), false);
        Path dir = s.stateDir() != null ? s.stateDir() : Files.createTempDirectory("gridgov-ms");
        Files.createDirectories(dir);
        privateDir(dir); // before anything is written: the pgpass file and sockets are in it
        killStale(dir);
        MapServer ms = new MapServer(dir, Math.max(1, s.workers()), null, s.fastcgi());
        ms.writeFiles(catalog, db, extent(ds));
        if (ms.fastcgi) ms.launchWorkers();
        else ms.launch();
        // lighttpd and its workers outlive a JVM that exits without close(): stop them on exit.
        ms.shutdownHook = new Thread(ms::close, "mapserver-stop");
        Runtime.getRuntime().addShutdownHook(ms.shutdownHook);
        return ms;
    }

    /**
     * The base URL requests are sent to (query string appended); for our own lighttpd, over {@link
     * #httpSocket()}.
     */
    public URI endpoint() {
        return URI.create(externalUrl != null ? externalUrl : "http://localhost:80/mapserv");
    }

    /** lighttpd's Unix socket; empty when MapServer is external. */
    public Optional<Path> httpSocket() {
        return externalUrl != null || dir == null
                ? Optional.empty()
                : Optional.of(dir.resolve("lighttpd.sock"));
    }

    /**
     * The gateway's way to MapServer: FastCGI straight to the workers, or HTTP to lighttpd / an
     * external server.
     */
    public MapServerTransport transport(io.vertx.core.Vertx vertx, int timeoutMs) {
        if (!fastcgi)
            return new LighttpdTransport(
                    vertx, endpoint(), httpSocket().orElse(null), workers, timeoutMs);
        List<Path> sockets = new ArrayList<>();
        for (int i = 0; i < workers; i++) sockets.add(socket(i));
        return new FastCgiTransport(
                vertx,
                sockets,
                timeoutMs,
                this::killWorker,
                java.util.Map.of("PGPASSFILE", dir.resolve("pgpass").toString()));
    }

    public boolean fastcgi() {
        return fastcgi;
    }

    /**
     * The mapserv worker processes gridgov runs itself (FastCGI transport), for supervision tests.
     */
    public List<ProcessHandle> workerProcesses() {
        List<ProcessHandle> out = new ArrayList<>();
        for (Process p : fcgiWorkers) if (p != null && p.isAlive()) out.add(p.toHandle());
        return out;
    }

    private Path socket(int i) {
        return dir.resolve("fcgi-" + i + ".sock");
    }

    /** Stops a hung worker (no data within the timeout); onExit restarts it. */
    private void killWorker(int i) {
        Process p = fcgiWorkers[i];
        if (p != null) p.destroyForcibly();
    }

    /**
     * Starts worker i: spawn-fcgi binds its socket and execs mapserv in its place (-n), so the
     * Process is mapserv.
     */
    private synchronized void startWorker(int i) {
        if (closed) return;
        Process old = fcgiWorkers[i];
        if (old != null && old.isAlive()) return;
        try {
            Files.deleteIfExists(socket(i));
            ProcessBuilder pb =
                    new ProcessBuilder(
                                    "/usr/bin/spawn-fcgi",
                                    "-n",
                                    "-s",
                                    socket(i).toString(),
                                    "-M",
                                    "0600",
                                    "--",
                                    MAPSERV)
                            .redirectErrorStream(true)
                            .redirectOutput(
                                    ProcessBuilder.Redirect.appendTo(
                                            dir.resolve("fcgi.out").toFile()));
            pb.environment().put("MAPSERVER_CONFIG_FILE", dir.resolve("mapserver.conf").toString());
            pb.environment().put("PGPASSFILE", dir.resolve("pgpass").toString());
            Process p = pb.start();
            fcgiWorkers[i] = p;
            p.onExit()
                    .thenRun(
                            () -> {
                                if (closed) return;
                                log.warn(
                                        "MapServer worker {} (pid {}) exited with {}; restarting",
                                        i,
                                        p.pid(),
                                        p.exitValue());
                                try {
                                    Thread.sleep(50); // a worker that dies at start must not spin
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                startWorker(i);
                            });
        } catch (IOException e) {
            log.error("MapServer worker {} could not start: {}", i, e.getMessage());
        }
    }

    private void launchWorkers() throws InterruptedException {
        for (int i = 0; i < workers; i++) startWorker(i);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int i = 0; i < workers; i++) {
            while (!Files.exists(socket(i))) {
                if (System.nanoTime() > deadline)
                    throw new IllegalStateException(
                            "MapServer worker " + i + " did not open its socket within 10 s");
                Thread.sleep(20);
            }
        }
        recordWorkerPids();
        log.info(
                "MapServer: {} FastCGI workers on Unix sockets in {} (gateway speaks FastCGI)",
                workers,
                dir);
    }

    private void recordWorkerPids() {
        List<String> pids = new ArrayList<>();
        for (ProcessHandle h : workerProcesses()) pids.add(Long.toString(h.pid()));
        try {
            Files.write(dir.resolve("pids"), pids);
        } catch (IOException ignored) {
            // best effort
        }
    }

    public int workers() {
        return workers;
    }

    public Optional<Path> directory() {
        return Optional.ofNullable(dir);
    }

    /** The lighttpd process, for supervision tests; empty when MapServer is external. */
    public Optional<ProcessHandle> process() {
        Process p = lighttpd;
        return p == null ? Optional.empty() : Optional.of(p.toHandle());
    }

    /** Called periodically: restarts lighttpd (and so its workers) if it died. */
    public synchronized void supervise() {
        if (closed || externalUrl != null) return;
        if (fastcgi) {
            for (int i = 0; i < workers; i++) startWorker(i); // backstop to onExit
            recordWorkerPids();
            return;
        }
        Process p = lighttpd;
        if (p != null && p.isAlive()) {
            recordPids(p);
            return;
        }
        log.warn(
                "MapServer front (lighttpd) is not running (exit {}); restarting",
                p == null ? "-" : p.exitValue());
        try {
            // Stop the dead front's orphaned workers and wait: lighttpd would adopt a live one on
            // its socket.
            for (ProcessHandle h : lastWorkers) {
                if (!h.isAlive() || !h.info().command().orElse("").endsWith("mapserv")) continue;
                h.destroyForcibly();
                h.onExit().get(5, TimeUnit.SECONDS);
            }
            launch();
        } catch (Exception e) {
            log.error("MapServer restart failed: {}", e.getMessage());
        }
    }

    private synchronized void launch() throws IOException, InterruptedException {
        ProcessBuilder pb =
                new ProcessBuilder(LIGHTTPD, "-D", "-f", dir.resolve("lighttpd.conf").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("lighttpd.out").toFile());
        Path socket = httpSocket().orElseThrow();
        Files.deleteIfExists(socket); // a killed lighttpd leaves its socket file; bind would fail
        lighttpd = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!lighttpd.isAlive())
                throw new IllegalStateException(
                        "lighttpd exited at start: "
                                + Files.readString(dir.resolve("lighttpd.out")));
            try {
                SocketChannel.open(UnixDomainSocketAddress.of(socket))
                        .close(); // connects: it listens
            } catch (IOException e) {
                Thread.sleep(50);
                continue;
            }
            recordPids(lighttpd);
            log.info("MapServer: {} FastCGI workers behind lighttpd on {}", workers, socket);
            return;
        }
        throw new IllegalStateException("lighttpd did not listen on " + socket + " within 10 s");
    }

    /**
     * pids of lighttpd and its workers, so scripts/lib.sh (mapserver_stop) can clean up after a
     * crash.
     */
    private void recordPids(Process p) {
        List<String> pids = new ArrayList<>();
        pids.add(Long.toString(p.pid()));
        List<ProcessHandle> workers = p.descendants().toList();
        if (!workers.isEmpty()) lastWorkers = workers;
        workers.forEach(h -> pids.add(Long.toString(h.pid())));
        try {
            Files.write(dir.resolve("pids"), pids);
        } catch (IOException ignored) {
            // best effort
        }
    }

    /**
     * Kills what a previous gridgov left behind in this folder (after kill -9), by recorded pid.
     */
    private static void killStale(Path dir) {
        Path pids = dir.resolve("pids");
        if (!Files.exists(pids)) return;
        try {
            for (String line : Files.readAllLines(pids)) {
                ProcessHandle.of(Long.parseLong(line.trim()))
                        .ifPresent(
                                h -> {
                                    String cmd = h.info().command().orElse("");
                                    if (cmd.endsWith("mapserv") || cmd.endsWith("lighttpd"))
                                        h.destroyForcibly();
                                });
            }
            Files.delete(pids);
        } catch (IOException | NumberFormatException e) {
            log.debug("stale pid file: {}", e.getMessage());
        }
    }

    private static double[] extent(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                     SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (
                         SELECT coalesce(ST_Extent(geom)::geometry, ST_MakeEnvelope(73, 18, 135, 54, 4326)) AS e FROM jurisdiction) x""")) {
            rs.next();
            return new double[] {
                rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)
            };
        }
    }

    private void writeFiles(LayerCatalog catalog, DbSettings db, double[] extent)
            throws IOException {
        Path templates = dir.resolve("templates");
        Files.createDirectories(templates);
        Files.writeString(
                templates.resolve("header.html"),
                """
                <!-- MapServer Template -->
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><title>gridgov feature info</title></head><body>
                """);
        Files.writeString(
                templates.resolve("footer.html"), "<!-- MapServer Template -->\n</body></html>\n");
        for (Layer l : catalog.vectorLayers()) {
            StringBuilder t =
                    new StringBuilder(
                                    "<!-- MapServer Template -->\n<table class=\"gridgov-info\" data-layer=\"")
                            .append(l.name())
                            .append("\">\n<caption>")
                            .append(Ows.xml(l.title()))
                            .append("</caption>\n")
                            .append(
                                    "<tr><th>id</th><td>[item name=\"id\" escape=\"html\"]</td></tr>\n");
            for (String a : l.attributes().keySet()) {
                t.append("<tr><th>")
                        .append(a)
                        .append("</th><td>[item name=\"")
                        .append(a)
                        .append("\" escape=\"html\"]</td></tr>\n");
            }
            Files.writeString(templates.resolve(l.name() + ".html"), t.append("</table>\n"));
        }
        String font = null;
        if (Files.exists(Path.of(CJK_FONT))) {
            Files.writeString(dir.resolve("fonts.txt"), "cjk " + CJK_FONT + "\n");
            font = dir.resolve("fonts.txt").toString();
        }
        writePgpass(db);
        Mapfile.Source src = new Mapfile.Source(libpq(db), extent, font, templates.toString());
        // One map per subset of restricted layers a caller may see, so that capabilities list only
        // those (a handful: 2^restricted layers; MapServer reads a mapfile per request anyway).
        List<Layer> restricted = catalog.restricted();
        if (restricted.size() > 8)
            throw new IllegalStateException(
                    "at most 8 restricted OGC layers (one mapfile per subset)");
        StringBuilder maps = new StringBuilder();
        for (int mask = 0; mask < 1 << restricted.size(); mask++) {
            final int m = mask;
            String name = catalog.mapName(mask);
            Files.writeString(
                    dir.resolve(name + ".map"),
                    Mapfile.generate(
                            catalog,
                            l -> catalog.isPublic(l) || (m & (1 << restricted.indexOf(l))) != 0,
                            src),
                    StandardCharsets.UTF_8);
            maps.append("    \"")
                    .append(name)
                    .append("\" \"")
                    .append(dir)
                    .append('/')
                    .append(name)
                    .append(".map\"\n");
        }
        Files.writeString(
                dir.resolve("mapserver.conf"),
                """
                CONFIG
                  ENV
                    MS_MAP_PATTERN "^%1$s/"
                    MS_MAP_NO_PATH "1"
                    MS_ERRORFILE "%1$s/mapserver.log"
                  END
                  MAPS
                %2$s  END
                END
                """
                        .formatted(dir, maps));
        Files.writeString(
                dir.resolve("lighttpd.conf"),
                """
                server.modules = ("mod_fastcgi", "mod_setenv")
                server.document-root = "%1$s"
                server.bind = "%1$s/lighttpd.sock"
                server.socket-perms = "0600"
                # libfcgi gives mapserv each request's environment in place of its own: libpq finds its password file there
                setenv.add-environment = ("PGPASSFILE" => "%1$s/pgpass")
                server.errorlog = "%1$s/lighttpd.log"
                server.max-connections = 256
                server.max-keep-alive-requests = 100000
                server.max-keep-alive-idle = 5
                server.max-read-idle = 120
                server.max-write-idle = 120
                fastcgi.server = ( "/mapserv" => ((
                    "bin-path" => "%2$s",
                    "socket" => "%1$s/mapserv.sock",
                    "max-procs" => %3$d,
                    "check-local" => "disable",
                    "bin-environment" => ("MAPSERVER_CONFIG_FILE" => "%1$s/mapserver.conf", "PGPASSFILE" => "%1$s/pgpass"),
                )))
                """
                        .formatted(dir, MAPSERV, workers));
    }

    /** The folder only gridgov's OS user may enter: sockets, pgpass file, mapfiles. */
    private static void privateDir(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not POSIX
        }
    }

    /** MapServer's password, for libpq (PGPASSFILE), in a 0600 file: never in a mapfile. */
    private void writePgpass(DbSettings db) throws IOException {
        Path f = dir.resolve("pgpass");
        Files.deleteIfExists(f);
        Files.createFile(
                f,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        if (db.password() == null) return;
        String[] p = parseUrl(db.url());
        Files.writeString(
                f,
                String.join(
                                ":",
                                pgpass(p[0]),
                                pgpass(p[1]),
                                pgpass(p[2]),
                                pgpass(db.user() == null ? "*" : db.user()),
                                pgpass(db.password()))
                        + "\n",
                StandardCharsets.UTF_8);
    }

    private static String pgpass(String field) {
        return field.replace("\\", "\\\\").replace(":", "\\:");
    }

    /** host, port, database of a jdbc:postgresql URL. */
    private static String[] parseUrl(String url) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("^jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)")
                        .matcher(url);
        if (!m.find())
            throw new IllegalStateException("cannot derive a MapServer connection from " + url);
        return new String[] {m.group(1), m.group(2) == null ? "5432" : m.group(2), m.group(3)};
    }

    /** libpq connection string for MapServer's account; its password is in the pgpass file. */
    static String libpq(DbSettings db) {
        String[] p = parseUrl(db.url());
        String s = "host=" + p[0] + " port=" + p[1] + " dbname=" + p[2];
        if (db.user() != null) s += " user=" + db.user();
        if (s.contains("\"") || s.contains("'"))
            throw new IllegalStateException(
                    "quotes in database settings are not supported for MapServer");
        return s
                + " connect_timeout=5 application_name=mapserver options='-c statement_timeout=25000'";
    }

    /**
     * What MapServer's role may read (Grants): the tables each published layer names in
     * layers.yaml, all columns except of tables with private ones; the heatmap's source reads
     * incident.
     */
    public static Map<String, List<String>> tablesRead(LayerCatalog catalog) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Layer l : catalog.all()) {
            for (String t : l.isRaster() ? List.of("incident") : l.tables())
                out.put(t, PUBLISHED_COLUMNS.get(t));
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        for (Process w : fcgiWorkers) if (w != null) w.destroyForcibly();
        Process p = lighttpd;
        if (p == null) {
            try {
                Files.deleteIfExists(dir == null ? Path.of("/nonexistent") : dir.resolve("pids"));
            } catch (IOException ignored) {
                // best effort
            }
            return;
        }
        // lighttpd leaves its FastCGI children behind on exit: stop them by pid first.
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        try {
            Files.deleteIfExists(dir.resolve("pids"));
        } catch (IOException ignored) {
            // best effort
        }
    }
}
