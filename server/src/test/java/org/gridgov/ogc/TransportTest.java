package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.gridgov.geo.Crs;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.catalog.OgcSettings;
import org.gridgov.ogc.mapserver.MapServerProcesses;
import org.gridgov.ogc.mapserver.MapServerTransport;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The way to MapServer (HTTP to lighttpd) on a small MapServer of its own (2 workers): answers
 * relayed, workers killed and replaced, a dead MapServer answered at once (never a hang).
 */
@Tag("db")
class TransportTest {

    private static final String MAP =
            "map=public&SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=communities&STYLES=&CRS=EPSG:4326&BBOX="
                    + Ogc.BBOX_4326_13
                    + "&WIDTH=64&HEIGHT=64&FORMAT=image/png";

    @Test
    void lighttpd() throws Exception {
        Path dir = Files.createTempDirectory("gridgov-transport");
        OgcSettings s = new OgcSettings(null, 2, dir, 10_000, null, null, 0, Crs.PLANAR_DEFAULT);
        Vertx vertx = Vertx.vertx();
        try (MapServerProcesses ms =
                MapServerProcesses.start(
                        s,
                        LayerCatalog.load(null),
                        TestDatabase.settings(),
                        OgcPublishing.subdistrictExtent(TestDatabase.get().dataSource()))) {
            MapServerTransport t = ms.transport(vertx, 10_000);
            Answer caps = send(t, "map=public&SERVICE=WMS&REQUEST=GetCapabilities");
            assertEquals(200, caps.status);
            assertTrue(
                    caps.body.toString().contains("WMS_Capabilities")
                            && caps.body.toString().contains("<Name>grids</Name>"));
            Answer png = send(t, MAP);
            assertEquals(200, png.status);
            assertTrue(png.type.startsWith("image/png"), png.type);
            assertEquals(0x89, png.body.getUnsignedByte(0));
            // Many at once: more than the workers, queued, all answered.
            var all = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Answer>>();
            for (int i = 0; i < 12; i++) all.add(sendAsync(t, MAP));
            for (var f : all) assertEquals(200, f.get(30, TimeUnit.SECONDS).status);
            // Kill every worker: answers are 200 (replaced already) or fail fast, then 200 again.
            java.util.List<ProcessHandle> workers = ms.workerProcesses();
            assertFalse(workers.isEmpty());
            workers.forEach(ProcessHandle::destroyForcibly);
            for (int i = 0; i < 4; i++) {
                long t0 = System.nanoTime();
                try {
                    Answer a = send(t, MAP);
                    assertTrue(a.status == 200 || a.status >= 500, "status " + a.status);
                } catch (java.util.concurrent.ExecutionException e) {
                    // failed fast: the gateway turns this into 503
                }
                assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "no hang");
            }
            long deadline = System.currentTimeMillis() + 10_000;
            int status = 0;
            while (System.currentTimeMillis() < deadline && status != 200) {
                try {
                    status = send(t, MAP).status;
                } catch (java.util.concurrent.ExecutionException e) {
                    Thread.sleep(100);
                }
            }
            assertEquals(200, status, "MapServer is back");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private record Answer(int status, String type, Buffer body) {}

    private static Answer send(MapServerTransport t, String query) throws Exception {
        return sendAsync(t, query).get(20, TimeUnit.SECONDS);
    }

    private static java.util.concurrent.CompletableFuture<Answer> sendAsync(
            MapServerTransport t, String query) {
        return t.send(query)
                .compose(
                        a ->
                                a.collect()
                                        .map(
                                                b ->
                                                        new Answer(
                                                                a.status(),
                                                                a.header("Content-Type") == null
                                                                        ? ""
                                                                        : a.header("Content-Type"),
                                                                b)))
                .toCompletionStage()
                .toCompletableFuture();
    }
}
