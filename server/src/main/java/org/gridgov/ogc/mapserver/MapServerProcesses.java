package org.gridgov.ogc.mapserver;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.gridgov.db.DbSettings;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.catalog.OgcSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MapServer 8 as FastCGI workers behind a small lighttpd on a Unix socket, started and supervised
 * by gridgov. lighttpd spawns {@code mapserv} workers (max-procs = the configured worker count) and
 * respawns any that die; gridgov restarts lighttpd itself if it dies, and stops a worker that hangs
 * (lighttpd would keep sending it requests): after a request to MapServer times out, every worker
 * that does not accept a connection within the timeout is killed, and lighttpd starts another.
 *
 * <p>Nothing of it listens on TCP: lighttpd and the workers answer on Unix sockets (0600) in the
 * state folder (0700), so only gridgov's OS user can reach them (docs/ogc.md, "Deployment"). The
 * files they read are written by {@link MapServerConfig}.
 */
public final class MapServerProcesses implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MapServerProcesses.class);
    private static final String LIGHTTPD = "/usr/sbin/lighttpd";

    private final Path dir;
    private final int workers;
    private final String externalUrl;
    private final int timeoutMs;
    private volatile Process lighttpd;
    private volatile boolean closed;
    private Thread shutdownHook;

    /** A request to MapServer timed out: the next supervision round looks for hung workers. */
    private volatile boolean hangSuspected;

    /**
     * Workers seen at the last check: a dead lighttpd's children are re-parented, not its
     * descendants any more.
     */
    private volatile List<ProcessHandle> lastWorkers = List.of();

    private MapServerProcesses(Path dir, int workers, String externalUrl, int timeoutMs) {
        this.dir = dir;
        this.workers = workers;
        this.externalUrl = externalUrl;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Generates the configuration and starts lighttpd + mapserv, or points at an external
     * MapServer. extent: the mapfiles' extent (lon/lat minima and maxima).
     */
    public static MapServerProcesses start(
            OgcSettings s, LayerCatalog catalog, DbSettings db, double[] extent) throws Exception {
        if (s.mapserverUrl() != null)
            return new MapServerProcesses(null, s.workers(), s.mapserverUrl(), s.timeoutMs());
        Path dir = s.stateDir() != null ? s.stateDir() : Files.createTempDirectory("gridgov-ms");
        Files.createDirectories(dir);
        // before anything is written: the pgpass file and sockets are in it
        MapServerConfig.privateDir(dir);
        killStale(dir);
        MapServerProcesses ms =
                new MapServerProcesses(dir, Math.max(1, s.workers()), null, s.timeoutMs());
        MapServerConfig.write(dir, ms.workers, catalog, db, extent, s.planarSrid());
        ms.launch();
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

    /** The gateway's way to MapServer: HTTP to lighttpd (or an external server). */
    public MapServerTransport transport(Vertx vertx, int timeoutMs) {
        return new MapServerTransport(
                vertx,
                endpoint(),
                httpSocket().orElse(null),
                workers,
                timeoutMs,
                () -> hangSuspected = true);
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

    /** The mapserv workers lighttpd runs now, for supervision tests. */
    public List<ProcessHandle> workerProcesses() {
        Process p = lighttpd;
        if (p == null) return List.of();
        return p.children().filter(MapServerProcesses::isMapserv).toList();
    }

    /**
     * Called periodically (blocking): restarts lighttpd (and so its workers) if it died, and stops
     * the hung workers after a request timed out.
     */
    public synchronized void supervise() {
        if (closed || externalUrl != null) return;
        Process p = lighttpd;
        if (p != null && p.isAlive()) {
            if (hangSuspected) {
                hangSuspected = false;
                stopHungWorkers();
            }
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
                if (!h.isAlive() || !isMapserv(h)) continue;
                h.destroyForcibly();
                h.onExit().get(5, TimeUnit.SECONDS);
            }
            launch();
        } catch (Exception e) {
            log.error("MapServer restart failed: {}", e.getMessage());
        }
    }

    /**
     * A worker that accepts no connection within the gateway's timeout is hung (stopped, or stuck
     * in one request): lighttpd does not notice, so it is killed here and lighttpd starts another.
     */
    private void stopHungWorkers() {
        for (ProcessHandle h : HungWorkers.find(workerProcesses(), timeoutMs)) {
            log.warn(
                    "MapServer worker pid {} accepted no request for {} ms: stopping it",
                    h.pid(),
                    timeoutMs);
            h.destroyForcibly();
        }
    }

    private static boolean isMapserv(ProcessHandle h) {
        return h.info().command().orElse("").endsWith("mapserv");
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
        Process p = lighttpd;
        if (p == null) return;
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
