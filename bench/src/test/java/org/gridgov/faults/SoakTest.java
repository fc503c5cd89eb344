package org.gridgov.faults;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Map;
import org.gridgov.app.Config;
import org.gridgov.app.Gridgov;
import org.gridgov.bench.Soak;
import org.gridgov.db.Database;
import org.gridgov.db.DbSettings;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The soak of the faults bench, short: intake, vector tiles, heatmaps and SSE screens at a modest
 * rate for -Dgridgov.soak.seconds (60) on a gridgov and a database of its own. No error at all; RSS
 * and p99 per window are printed, not asserted (they depend on the machine's other load).
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class SoakTest {

    private static final int SECONDS = Integer.getInteger("gridgov.soak.seconds", 60);

    @Test
    void aModestMixedLoadRunsWithoutErrors() throws Exception {
        String name = TestDatabase.NAME + "_soak";
        FaultFixture.Fresh fresh = FaultFixture.freshDatabase(name);
        DbSettings s = fresh.server();
        try (Database db = Database.connect(s);
                Gridgov server =
                        Gridgov.start(
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
                                                "GRIDGOV_JWT_SECRET",
                                                FaultFixture.jwtSecret(),
                                                "GRIDGOV_SCHEDULER_SECONDS",
                                                "0",
                                                "GRIDGOV_ANONYMOUS_WRITES_PER_MINUTE",
                                                "1000000",
                                                // the screens share one account: a wall of screens,
                                                // above the default cap of streams per person
                                                "GRIDGOV_LIVE_STREAMS_PER_USER",
                                                "1000",
                                                // the heatmap is drawn by gridgov itself;
                                                // MapServer's layers are not part of the soak
                                                "GRIDGOV_MAPSERVER_URL",
                                                "http://127.0.0.1:9/unused")),
                                db)) {
            String base = "http://127.0.0.1:" + server.port();
            var target = FaultFixture.target(db, () -> base, null);
            String token = login(base);
            var mix = new Soak.Mix(4, 4, 1, 20, 120.26, 30.16, 120.32, 30.22);
            Soak.Result r =
                    new Soak(base, token, mix, ProcessHandle.current().pid())
                            .run(
                                    Duration.ofSeconds(SECONDS),
                                    Duration.ofSeconds(Math.max(10, SECONDS / 4)),
                                    target.category(),
                                    target.lon(),
                                    target.lat());
            r.print("faults.soak");
            assertTrue(r.requests() >= SECONDS * 4L, "requests served: " + r.requests());
            assertEquals(0, r.errors(), "errors during the soak: " + r.errorSamples());
            assertTrue(
                    r.windows().stream().mapToLong(Soak.Window::events).sum() > 0,
                    "screens received events");
        } finally {
            FaultFixture.drop(fresh);
        }
    }

    private static String login(String base) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var a =
                http.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(base + "/api/v1/auth/token"))
                                .header("Content-Type", "application/json")
                                .POST(
                                        java.net.http.HttpRequest.BodyPublishers.ofString(
                                                "{\"username\":\"operator\",\"password\":\"demo\"}"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, a.statusCode(), a.body());
        return org.gridgov.testing.TestServer.JSON.readTree(a.body()).get("token").asText();
    }
}
