package org.gridgov.faults;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.gridgov.app.Config;
import org.gridgov.app.Gridgov;
import org.gridgov.bench.FaultScenarios;
import org.gridgov.geo.TileScheme;
import org.gridgov.ogc.mapserver.MapServerProcesses;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MapServer workers hung (SIGSTOP) or killed (SIGKILL) on a gridgov of its own: the harm stays with
 * MapServer's layers (a 503 OGC exception report within the gateway's timeout, never a hang), what
 * gridgov serves itself (vector tiles, OGC API Features) keeps serving, and MapServer serves again
 * without a restart of gridgov.
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class MapServerFaultTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String MAP =
            "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=communities&STYLES=&CRS=EPSG:4326"
                    + "&BBOX=30.1569,120.2589,30.2217,120.3205&WIDTH=64&HEIGHT=64&FORMAT=image/png";
    private static final String TILE =
            "/tiles/grids/14/" + TileScheme.x(14, 120.29) + "/" + TileScheme.y(14, 30.19) + ".mvt";
    private static final String FEATURES = "/ogc/collections/communities/items?limit=1";

    /**
     * gridgov stops a hung worker (it accepts nothing for the gateway's timeout) and lighttpd
     * starts another; a killed one lighttpd replaces by itself.
     */
    @Test
    void hungAndKilledWorkersAreContainedAndReplaced() throws Exception {
        try (Gridgov server = start()) {
            String base = "http://127.0.0.1:" + server.port();
            MapServerProcesses ms = server.ogc().mapServer();
            waitForMap(base);
            FaultScenarios.waitFor(
                    () -> ms.workerProcesses().size() >= ms.workers(),
                    Duration.ofMinutes(1),
                    "lighttpd's workers");
            List<ProcessHandle> hung = ms.workerProcesses();
            assertEquals(ms.workers(), hung.size());
            try {
                hung.forEach(h -> signal("STOP", h));
                List<CompletableFuture<HttpResponse<String>>> maps = new ArrayList<>();
                for (int i = 0; i < ms.workers(); i++)
                    maps.add(CompletableFuture.supplyAsync(() -> get(base + MAP)));
                // while every worker hangs, what gridgov serves itself is served
                assertEquals(
                        200, get(base + TILE).statusCode(), "vector tiles while MapServer hangs");
                assertEquals(
                        200,
                        get(base + FEATURES).statusCode(),
                        "OGC API Features while MapServer hangs");
                for (var f : maps) {
                    // bound against a hang; the gateway answers at its timeout
                    HttpResponse<String> r = f.get(3, TimeUnit.MINUTES);
                    assertEquals(503, r.statusCode(), "a map from a hung worker: " + r.body());
                    assertTrue(r.body().contains("ServiceException"), r.body());
                    assertTrue(r.headers().firstValue("Retry-After").isPresent());
                }
                // the hung workers are stopped and replaced: maps again, from new processes
                FaultScenarios.waitFor(
                        () -> hung.stream().noneMatch(ProcessHandle::isAlive),
                        Duration.ofMinutes(2),
                        "the hung workers to be stopped");
                waitForMap(base);
                assertTrue(
                        ms.workerProcesses().stream().noneMatch(hung::contains),
                        "new worker processes");
            } finally {
                hung.stream().filter(ProcessHandle::isAlive).forEach(h -> signal("CONT", h));
            }
            FaultScenarios.waitFor(
                    () -> ms.workerProcesses().size() == ms.workers(),
                    Duration.ofMinutes(1),
                    "every worker to be back");
            ProcessHandle victim = ms.workerProcesses().get(0);
            victim.destroyForcibly();
            for (int i = 0; i < 4; i++) {
                int status = get(base + MAP).statusCode();
                assertTrue(
                        status == 200 || status == 503,
                        "a map right after a worker was killed: " + status);
            }
            FaultScenarios.waitFor(
                    () ->
                            ms.workerProcesses().size() == ms.workers()
                                    && !ms.workerProcesses().contains(victim),
                    Duration.ofMinutes(2),
                    "the killed worker to be replaced");
            waitForMap(base);
            System.out.println("faults.mapserver.survived=hang(all workers),kill(1 worker)");
        }
    }

    private static Gridgov start() throws Exception {
        var s = TestDatabase.settings();
        return Gridgov.start(
                Config.of(
                        Map.of(
                                "GRIDGOV_PORT",
                                "0",
                                "GRIDGOV_HOST",
                                "127.0.0.1",
                                "GRIDGOV_DB_URL",
                                s.url(),
                                "GRIDGOV_DB_USER",
                                s.user(),
                                "GRIDGOV_DB_PASSWORD",
                                s.password(),
                                "GRIDGOV_SCHEDULER_SECONDS",
                                "0",
                                "GRIDGOV_JWT_SECRET",
                                FaultFixture.jwtSecret(),
                                "GRIDGOV_MAPSERVER_WORKERS",
                                "2",
                                // short, so the test does not wait long for the gateway to give up
                                // on a hung worker
                                "GRIDGOV_MAPSERVER_TIMEOUT_MS",
                                "3000")),
                TestDatabase.get());
    }

    private static void waitForMap(String base) throws InterruptedException {
        FaultScenarios.waitFor(
                () -> get(base + MAP).statusCode() == 200,
                Duration.ofMinutes(2),
                "MapServer to serve maps");
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("no answer from " + url, e);
        }
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
}
