package org.gridgov.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gridgov.app.Config;
import org.gridgov.app.Gridgov;

/**
 * A second gridgov over the test database with small connection, upload and live-feed limits, so
 * tests can reach them (the shared {@link TestServer} runs with the defaults). Started once per
 * run.
 */
public final class LimitedServer {

    public static final int HEADER_TIMEOUT_SECONDS = 1;
    public static final int IMPORT_LIMIT_MB = 1;
    public static final int UNZIPPED_LIMIT_MB = 2;
    public static final int REPLAY_MAX = 5;
    public static final int STREAMS_PER_USER = 2;

    private static Gridgov server;
    private static Path uploads;

    private LimitedServer() {}

    public static synchronized Gridgov get() {
        if (server == null) {
            var db = TestDatabase.server(); // the server's role, as TestServer
            try {
                uploads = Files.createTempDirectory("gridgov-test-uploads");
                var settings = new java.util.HashMap<>(TestDatabase.serverConfig());
                settings.putAll(
                        Map.ofEntries(
                                Map.entry("GRIDGOV_PORT", "0"),
                                Map.entry("GRIDGOV_HOST", "127.0.0.1"),
                                Map.entry("GRIDGOV_SCHEDULER_SECONDS", "0"),
                                Map.entry("GRIDGOV_JWT_SECRET", TestServer.jwtSecret()),
                                Map.entry("GRIDGOV_UPLOAD_DIR", uploads.toString()),
                                Map.entry(
                                        "GRIDGOV_IMPORT_LIMIT_MB", String.valueOf(IMPORT_LIMIT_MB)),
                                Map.entry(
                                        "GRIDGOV_IMPORT_UNZIPPED_LIMIT_MB",
                                        String.valueOf(UNZIPPED_LIMIT_MB)),
                                Map.entry(
                                        "GRIDGOV_HEADER_TIMEOUT_SECONDS",
                                        String.valueOf(HEADER_TIMEOUT_SECONDS)),
                                Map.entry("GRIDGOV_LIVE_REPLAY_MAX", String.valueOf(REPLAY_MAX)),
                                Map.entry(
                                        "GRIDGOV_LIVE_STREAMS_PER_USER",
                                        String.valueOf(STREAMS_PER_USER))));
                server = Gridgov.start(Config.of(settings), db);
            } catch (Exception e) {
                throw new IllegalStateException(
                        "the limited test server did not start: " + e.getMessage(), e);
            }
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        try {
                                            server.close();
                                        } catch (Exception ignored) {
                                            // the JVM is ending
                                        }
                                    }));
        }
        return server;
    }

    public static int port() {
        return get().port();
    }

    public static String base() {
        return "http://127.0.0.1:" + port();
    }

    /** The folder uploads are written to. */
    public static Path uploads() {
        get();
        return uploads;
    }
}
