package org.gridgov.app;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gridgov.media.S3Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 media store's settings (docs/media.md): off without an endpoint, no default keys, keys by
 * file, and the secret never in the settings' text.
 */
class MediaS3ConfigTest {

    @Test
    void offWithoutAnEndpoint() {
        assertTrue(Config.of(Map.of()).mediaS3().isEmpty());
    }

    @Test
    void anEndpointNeedsABucketAndKeys() {
        var noBucket =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                Config.of(
                                                Map.of(
                                                        "GRIDGOV_MEDIA_S3_ENDPOINT",
                                                        "http://127.0.0.1:9000",
                                                        "GRIDGOV_MEDIA_S3_ACCESS_KEY",
                                                        "k",
                                                        "GRIDGOV_MEDIA_S3_SECRET_KEY",
                                                        "s"))
                                        .mediaS3());
        assertTrue(
                noBucket.getMessage().contains("GRIDGOV_MEDIA_S3_BUCKET"), noBucket.getMessage());
        var noKeys =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                Config.of(
                                                Map.of(
                                                        "GRIDGOV_MEDIA_S3_ENDPOINT",
                                                        "http://127.0.0.1:9000",
                                                        "GRIDGOV_MEDIA_S3_BUCKET",
                                                        "media"))
                                        .mediaS3());
        assertTrue(noKeys.getMessage().contains("no default"), noKeys.getMessage());
        assertThrows(
                IllegalStateException.class,
                () -> Config.of(Map.of("GRIDGOV_MEDIA_S3_ENDPOINT", "not a url")).mediaS3());
    }

    @Test
    void keysComeFromFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("secret"), "s3cret-key\n");
        S3Settings s =
                Config.of(
                                Map.of(
                                        "GRIDGOV_MEDIA_S3_ENDPOINT",
                                        "https://s3.example.org",
                                        "GRIDGOV_MEDIA_S3_BUCKET",
                                        "media",
                                        "GRIDGOV_MEDIA_S3_ACCESS_KEY",
                                        "gridgov",
                                        "GRIDGOV_MEDIA_S3_SECRET_KEY_FILE",
                                        dir.resolve("secret").toString()))
                        .mediaS3()
                        .orElseThrow();
        assertEquals("s3cret-key", s.secretKey());
        assertEquals("us-east-1", s.region());
        assertEquals("https://s3.example.org", s.endpoint().toString());
        assertFalse(s.toString().contains("s3cret"), s.toString());
    }
}
