package org.gridgov.media;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The orphan sweep: a file no row cites goes once it is older than the grace period; a cited file,
 * a young orphan and a file stored again stay; unfinished writes go.
 */
@Tag("db")
class MediaSweepTest {

    @Test
    void removesOldOrphansOnly() throws Exception {
        TestServer.get();
        FileMediaStore store = new FileMediaStore(TestDatabase.mediaDir());
        MediaQueries queries = new MediaQueries(TestDatabase.server().dataSource());
        MediaSweep sweep = new MediaSweep(store, queries, Duration.ofHours(1));

        // a cited photo: sent with a report
        var probe = DemoFixture.probe();
        var a =
                new MultipartForm()
                        .text(
                                "report",
                                DemoFixture.report(
                                        DemoFixture.subdistrictCategory(),
                                        probe.lon(),
                                        probe.lat()))
                        .file("photo", "a.jpg", "image/jpeg", TestImages.jpeg(21, 13))
                        .postAs("operator", "/api/v1/incidents");
        assertEquals(201, a.status(), a.body());
        var row = queries.find(a.json().get("media").get(0).get("id").asLong()).orElseThrow();

        String orphan = store.put(TestImages.png(5, 7));
        String young = store.put(TestImages.png(6, 7));
        String renewed = store.put(TestImages.png(7, 7));
        Instant old = Instant.now().minus(Duration.ofHours(2));
        for (String sha :
                new String[] {row.sha256(), row.publicSha256(), row.thumbSha256(), orphan, renewed})
            Files.setLastModifiedTime(store.path(sha), FileTime.from(old));
        // the same bytes stored again (an upload about to cite them) renew the file
        store.put(TestImages.png(7, 7));
        Path unfinished = store.path(orphan).resolveSibling(FileMediaStore.TEMP_PREFIX + "x");
        Files.write(unfinished, new byte[] {1});
        Files.setLastModifiedTime(unfinished, FileTime.from(old));

        MediaSweep.Result r = sweep.run(Instant.now());
        assertFalse(Files.exists(store.path(orphan)), "an old orphan goes");
        assertFalse(Files.exists(unfinished), "an unfinished write goes");
        assertTrue(Files.exists(store.path(young)), "a young orphan may be cited soon");
        assertTrue(Files.exists(store.path(renewed)), "stored again: about to be cited");
        for (String sha : new String[] {row.sha256(), row.publicSha256(), row.thumbSha256()})
            assertTrue(Files.exists(store.path(sha)), "a cited file stays");
        assertTrue(r.removed() >= 1 && r.unfinished() >= 1, r.toString());
    }
}
