package org.gridgov.media;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.gridgov.app.Config;
import org.gridgov.app.Gridgov;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 media store against a real S3-compatible server (s3rver): a photo stored and read back
 * whole, the same bytes twice, a missing key, and the orphan sweep over the bucket.
 */
@Tag("db") // the sweep asks the media table which files rows cite
class S3MediaStoreTest {

    @TempDir static Path dir;
    static S3rver server;
    static S3MediaStore store;

    @BeforeAll
    static void start() throws Exception {
        server = S3rver.start(dir);
        store = new S3MediaStore(server.settings());
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) store.close();
        if (server != null) server.close();
    }

    @Test
    void storesAndReadsBackByHash() throws Exception {
        byte[] photo = TestImages.jpeg(64, 48);
        String sha = store.put(photo);
        assertEquals(PhotoCheck.sha256(photo), sha);
        assertArrayEquals(photo, store.get(sha).orElseThrow(), "the bytes as sent");
        assertTrue(store.writtenAt(sha).isPresent());

        Map<String, Instant> listed = new HashMap<>();
        store.forEach(listed::put);
        assertTrue(listed.containsKey(sha), "listed by its hash: " + listed.keySet());
    }

    @Test
    void sameBytesTwiceIsHarmless() throws Exception {
        byte[] photo = TestImages.png(9, 9);
        String first = store.put(photo);
        String again = store.put(photo);
        assertEquals(first, again);
        assertArrayEquals(photo, store.get(again).orElseThrow());
        int[] copies = {0};
        store.forEach((sha, at) -> copies[0] += sha.equals(first) ? 1 : 0);
        assertEquals(1, copies[0], "one object for one content");
    }

    @Test
    void missingKeyAnswersLikeAMissingFile() throws Exception {
        String none = "0".repeat(64);
        assertTrue(store.get(none).isEmpty());
        assertTrue(store.writtenAt(none).isEmpty());
        store.delete(none); // no error if it is gone
        assertThrows(IllegalArgumentException.class, () -> store.get("../etc/passwd"));
    }

    @Test
    void apiStoresAndServesPhotosThroughTheBucket() throws Exception {
        TestServer.get(); // the test database, migrated with its demo data
        Map<String, String> settings = new HashMap<>(TestDatabase.serverConfig());
        settings.putAll(
                Map.of(
                        "GRIDGOV_PORT",
                        "0",
                        "GRIDGOV_HOST",
                        "127.0.0.1",
                        "GRIDGOV_SCHEDULER_SECONDS",
                        "0",
                        "GRIDGOV_JWT_SECRET",
                        TestServer.jwtSecret(),
                        "GRIDGOV_MEDIA_DIR",
                        dir.resolve("unused-folder").toString(),
                        "GRIDGOV_MEDIA_S3_ENDPOINT",
                        server.endpoint().toString(),
                        "GRIDGOV_MEDIA_S3_BUCKET",
                        S3rver.BUCKET,
                        "GRIDGOV_MEDIA_S3_ACCESS_KEY",
                        S3rver.KEY,
                        "GRIDGOV_MEDIA_S3_SECRET_KEY",
                        S3rver.KEY));
        Gridgov app = Gridgov.start(Config.of(settings), TestDatabase.server());
        try {
            String base = "http://127.0.0.1:" + app.port();
            var probe = DemoFixture.probe();
            byte[] photo = TestImages.jpeg(40, 30);
            var a =
                    new MultipartForm()
                            .text(
                                    "report",
                                    DemoFixture.report(
                                            DemoFixture.subdistrictCategory(),
                                            probe.lon(),
                                            probe.lat()))
                            .file("photo", "s3.jpg", "image/jpeg", photo)
                            .postTo(
                                    base,
                                    "/api/v1/incidents",
                                    "Authorization",
                                    "Bearer " + TestServer.token("operator"));
            assertEquals(201, a.status(), a.body());
            long id = a.json().get("media").get(0).get("id").asLong();
            var row = new MediaQueries(TestDatabase.server().dataSource()).find(id).orElseThrow();

            // all three files are objects in the bucket, none in the folder
            assertArrayEquals(photo, store.get(row.sha256()).orElseThrow(), "the original");
            assertTrue(store.get(row.publicSha256()).isPresent(), "the public rendition");
            assertTrue(store.get(row.thumbSha256()).isPresent(), "the thumbnail");
            assertFalse(
                    java.nio.file.Files.exists(dir.resolve("unused-folder").resolve("ab")),
                    "nothing in the media folder");

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> original =
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/v1/media/" + id))
                                    .header(
                                            "Authorization",
                                            "Bearer " + TestServer.token("operator"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, original.statusCode());
            assertArrayEquals(photo, original.body(), "served from the bucket as sent");
            HttpResponse<byte[]> thumb =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(base + "/api/v1/media/" + id + "/thumbnail"))
                                    .header(
                                            "Authorization",
                                            "Bearer " + TestServer.token("operator"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, thumb.statusCode());
            assertArrayEquals(store.get(row.thumbSha256()).orElseThrow(), thumb.body());
        } finally {
            app.close();
        }
    }

    @Test
    void sweepRemovesOldOrphansAndKeepsCitedObjects() throws Exception {
        TestServer.get();
        MediaQueries queries = new MediaQueries(TestDatabase.server().dataSource());
        // a row that cites three hashes: a photo sent with a report through the (file-backed)
        // test server; its bytes are stored here too, as if this bucket held them
        var probe = DemoFixture.probe();
        byte[] cited = TestImages.jpeg(23, 13);
        var a =
                new MultipartForm()
                        .text(
                                "report",
                                DemoFixture.report(
                                        DemoFixture.subdistrictCategory(),
                                        probe.lon(),
                                        probe.lat()))
                        .file("photo", "a.jpg", "image/jpeg", cited)
                        .postAs("operator", "/api/v1/incidents");
        assertEquals(201, a.status(), a.body());
        var row = queries.find(a.json().get("media").get(0).get("id").asLong()).orElseThrow();
        assertEquals(row.sha256(), store.put(cited));
        String orphan = store.put(TestImages.png(11, 5));

        // S3 cannot backdate an object: the sweep runs as if two hours had passed, and then as now
        MediaSweep sweep = new MediaSweep(store, queries, Duration.ofHours(1));
        MediaSweep.Result now = sweep.run(Instant.now());
        assertTrue(store.get(orphan).isPresent(), "a young orphan may be cited soon");
        assertEquals(0, now.removed(), now.toString());

        MediaSweep.Result later = sweep.run(Instant.now().plus(Duration.ofHours(2)));
        assertTrue(store.get(orphan).isEmpty(), "an old orphan goes");
        assertTrue(store.get(row.sha256()).isPresent(), "a cited object stays");
        assertTrue(later.removed() >= 1, later.toString());
        assertEquals(0, later.unfinished());
    }
}
