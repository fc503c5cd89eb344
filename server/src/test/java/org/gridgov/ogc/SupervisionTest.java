package org.gridgov.ogc;

import static org.gridgov.ogc.Ogc.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.gridgov.ogc.mapserver.MapServerProcesses;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Crashed MapServer workers are replaced; while MapServer is away the gateway answers 503 at once.
 */
@Tag("db")
class SupervisionTest {

    private static final java.time.Instant START = java.time.Instant.now().minusSeconds(1);

    private static final String MAP =
            "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=communities&STYLES=&CRS=EPSG:4326&BBOX="
                    + BBOX_4326_13
                    + "&WIDTH=64&HEIGHT=64&FORMAT=image/png";

    @Test
    void killedWorkersAreRespawned() throws Exception {
        MapServerProcesses ms = TestServer.get().ogc().mapServer();
        ProcessHandle front = ms.process().orElseThrow();
        long until = System.currentTimeMillis() + 10_000;
        while (front.children().count() < ms.workers() && System.currentTimeMillis() < until)
            Thread.sleep(50);
        List<ProcessHandle> workers = front.children().toList();
        assertEquals(
                ms.workers(), workers.size(), "lighttpd runs the configured number of workers");
        workers.forEach(ProcessHandle::destroyForcibly); // as a segfault would
        for (int i = 0; i < 6; i++) {
            var r = get(MAP);
            assertTrue(
                    r.statusCode() == 200 || r.statusCode() == 503,
                    "never anything else: " + r.statusCode());
            if (r.statusCode() == 503) assertTrue(text(r).contains("ServiceException"));
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && get(MAP).statusCode() != 200)
            Thread.sleep(100);
        assertEquals(200, get(MAP).statusCode());
        assertTrue(front.children().count() >= 1);
        assertEquals(200, TestServer.get("/health").status());
    }

    /**
     * /health probes MapServer from a worker thread while the event loop relays maps: with both at
     * once, every request is still answered (a transport touched from two threads hung here).
     */
    @Test
    void healthProbesDuringLoadLeaveEveryRequestAnswered() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        try {
            List<java.util.concurrent.Future<Integer>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) {
                boolean health = i % 3 == 0;
                all.add(
                        pool.submit(
                                () ->
                                        health
                                                ? TestServer.get("/health").status()
                                                : get(MAP).statusCode()));
            }
            for (var f : all) assertEquals(200, f.get(30, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Clients that hang up in the middle of big answers leave no worker stuck: the next requests
     * are served at once.
     */
    @Test
    void clientsLeavingMidAnswerDoNotHoldWorkers() throws Exception {
        java.net.URI base = java.net.URI.create(TestServer.base());
        String big =
                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&OUTPUTFORMAT=application/json";
        long uncaught = org.gridgov.app.Gridgov.uncaughtExceptions();
        for (int i = 0; i < 24; i++) {
            try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
                s.getOutputStream()
                        .write(
                                ("GET " + (i % 2 == 0 ? big : MAP) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                                        .getBytes());
                s.getOutputStream().flush();
                if (i % 3 == 0)
                    s.getInputStream().read(new byte[100]); // some leave after the first bytes
                s.setSoLinger(true, 0); // reset, as a client killed mid-answer
            }
        }
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            assertEquals(200, get(i % 2 == 0 ? big : MAP).statusCode());
            assertTrue(
                    System.nanoTime() - t0 < 10_000_000_000L,
                    "served without waiting for a stuck worker");
        }
        assertEquals(
                uncaught,
                org.gridgov.app.Gridgov.uncaughtExceptions(),
                "hang-ups raise no uncaught exception in the relay");
    }

    @Test
    void deadFrontIsRestartedAndHealthReportsIt() throws Exception {
        MapServerProcesses ms = TestServer.get().ogc().mapServer();
        ProcessHandle front = ms.process().orElseThrow();
        front.destroyForcibly(); // its workers are left orphaned, as after a real crash:
        // supervision stops them
        front.onExit().get();
        var during = get(MAP);
        assertTrue(
                during.statusCode() == 503 || during.statusCode() == 200,
                "503 while down (or already restarted)");
        if (during.statusCode() == 503) {
            assertTrue(text(during).contains("ServiceExceptionReport"));
            assertNotNull(during.headers().firstValue("Retry-After").orElse(null));
        }
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline
                && (ms.process().orElseThrow().pid() == front.pid()
                        || get(MAP).statusCode() != 200)) Thread.sleep(200);
        assertNotEquals(front.pid(), ms.process().orElseThrow().pid(), "a new front process");
        assertEquals(200, get(MAP).statusCode());
        var health = TestServer.get("/health").json();
        assertEquals("UP", health.get("checks").get("mapserver").asText());
        long orphans =
                ProcessHandle.allProcesses()
                        .filter(h -> h.parent().map(pp -> pp.pid() == 1).orElse(false))
                        .filter(h -> h.info().command().orElse("").endsWith("mapserv"))
                        .filter(
                                h ->
                                        h.info().arguments().isEmpty()
                                                && h.info()
                                                        .startInstant()
                                                        .map(t -> t.isAfter(START))
                                                        .orElse(false))
                        .count();
        assertEquals(0, orphans, "the dead front's workers were stopped");
    }
}
