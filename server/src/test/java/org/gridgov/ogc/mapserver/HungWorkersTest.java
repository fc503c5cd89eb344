package org.gridgov.ogc.mapserver;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.gridgov.geo.Crs;
import org.gridgov.ogc.OgcPublishing;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.catalog.OgcSettings;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The probe finds the stopped worker and only it: a live worker takes the empty connection and
 * stays (same process, still the same number of workers).
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class HungWorkersTest {

    @Test
    void onlyTheStoppedWorkerIsHung() throws Exception {
        OgcSettings s =
                new OgcSettings(
                        null,
                        2,
                        Files.createTempDirectory("gridgov-hung"),
                        10_000,
                        null,
                        null,
                        0,
                        Crs.PLANAR_DEFAULT);
        try (MapServerProcesses ms =
                MapServerProcesses.start(
                        s,
                        LayerCatalog.load(null),
                        TestDatabase.settings(),
                        OgcPublishing.subdistrictExtent(TestDatabase.get().dataSource()))) {
            long until = System.currentTimeMillis() + 10_000;
            while (ms.workerProcesses().size() < 2 && System.currentTimeMillis() < until)
                Thread.sleep(50);
            List<ProcessHandle> workers = ms.workerProcesses();
            assertEquals(2, workers.size());
            assertEquals(List.of(), HungWorkers.find(workers, 2_000), "both workers are live");
            ProcessHandle stopped = workers.get(0);
            signal("STOP", stopped);
            try {
                assertEquals(List.of(stopped), HungWorkers.find(workers, 1_000));
            } finally {
                signal("CONT", stopped);
            }
            assertEquals(List.of(), HungWorkers.find(workers, 2_000), "resumed, it accepts again");
            assertTrue(workers.stream().allMatch(ProcessHandle::isAlive), "no worker was harmed");
            assertEquals(Set.copyOf(workers), Set.copyOf(ms.workerProcesses()));
        }
    }

    private static void signal(String signal, ProcessHandle h) throws Exception {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(h.pid()))
                .inheritIO()
                .start()
                .waitFor(30, TimeUnit.SECONDS);
    }
}
