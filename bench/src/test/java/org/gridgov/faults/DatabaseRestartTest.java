package org.gridgov.faults;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gridgov.app.Config;
import org.gridgov.app.Gridgov;
import org.gridgov.bench.FaultScenarios;
import org.gridgov.db.Database;
import org.gridgov.testing.ScratchCluster;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted under intake load, the orderly way (fast) and as a crash (immediate):
 * meanwhile gridgov answers 503 problem+json with Retry-After (not 500, not a hang), it recovers by
 * itself, and every acknowledged report is there once the client has retried with its keys.
 */
@Tag("db")
class DatabaseRestartTest {

    /**
     * The live feed's relay reconnected by itself too: a screen sees a report made after both
     * restarts.
     */
    private static void assertLiveFeedCarriesANewReport(
            String base, org.gridgov.bench.FaultScenarios.Target target) throws Exception {
        HttpClient http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
        HttpResponse<String> login =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/token"))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"username\":\"operator\",\"password\":\"demo\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        String token = TestServer.JSON.readTree(login.body()).get("token").asText();
        HttpResponse<java.util.stream.Stream<String>> feed =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, feed.statusCode());
        var seen = new java.util.concurrent.LinkedBlockingQueue<String>();
        Thread reader =
                new Thread(
                        () -> feed.body().filter(l -> l.startsWith("data:")).forEach(seen::add),
                        "feed-reader");
        reader.setDaemon(true);
        reader.start();
        HttpResponse<String> posted =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/incidents"))
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + token)
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"category\":\""
                                                        + target.category()
                                                        + "\",\"channel\":\"PUBLIC_ONLINE\",\"location\":{\"lon\":"
                                                        + target.lon()
                                                        + ",\"lat\":"
                                                        + target.lat()
                                                        + "}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(201, posted.statusCode(), posted.body());
        long id = TestServer.JSON.readTree(posted.body()).get("id").asLong();
        long until =
                System.nanoTime()
                        + Duration.ofMinutes(2).toNanos(); // bound against a dead relay only
        String line;
        do {
            line = seen.poll(1, java.util.concurrent.TimeUnit.SECONDS);
            if (line != null && line.contains("\"incidentId\":" + id)) {
                feed.body().close();
                return;
            }
        } while (System.nanoTime() < until);
        fail("the live feed did not carry incident " + id + " after the restarts");
    }

    @Test
    void intakeAnswers503AndRecoversWhenPostgresRestarts() throws Exception {
        try (ScratchCluster cluster = ScratchCluster.start()) {
            FaultFixture.load(cluster.settings());
            try (Database db = Database.connect(cluster.settings());
                    Gridgov server =
                            Gridgov.start(
                                    Config.of(
                                            Map.of(
                                                    "GRIDGOV_PORT",
                                                    "0",
                                                    "GRIDGOV_HOST",
                                                    "127.0.0.1",
                                                    "GRIDGOV_JWT_SECRET",
                                                    FaultFixture.jwtSecret(),
                                                    "GRIDGOV_SCHEDULER_SECONDS",
                                                    "0",
                                                    "GRIDGOV_ANONYMOUS_WRITES_PER_MINUTE",
                                                    "1000000",
                                                    "GRIDGOV_MAPSERVER_URL",
                                                    "http://127.0.0.1:9/unused")),
                                    db)) {
                String base = "http://127.0.0.1:" + server.port();
                var target = FaultFixture.target(db, () -> base, null);
                for (String mode : List.of("fast", "immediate")) {
                    FaultScenarios.Action stop =
                            mode.equals("fast") ? cluster::stop : cluster::crash;
                    FaultScenarios.Outcome o =
                            FaultScenarios.run(
                                    "pg_restart_" + mode,
                                    target,
                                    db.dataSource(),
                                    4,
                                    20,
                                    stop,
                                    load ->
                                            load.statuses().getOrDefault(503, 0L) >= 3
                                                    || !load.serverErrors().isEmpty(),
                                    cluster::restart);
                    o.print();
                    assertTrue(
                            o.statuses().getOrDefault(503, 0L) >= 3,
                            "503 answers during the outage: " + o.statuses());
                    assertEquals(
                            List.of(), o.serverErrors(), "500s, or 503s that are not problem+json");
                    assertEquals(0, o.noAnswer(), "requests left without an answer (hung or cut)");
                    assertEquals(0, o.missing(), "acknowledged reports missing");
                    assertEquals(0, o.duplicates(), "reports stored twice");
                    assertEquals(
                            0,
                            o.replayMismatches(),
                            "retries of acknowledged reports answered another incident");
                }
                assertLiveFeedCarriesANewReport(base, target);
            }
        }
    }
}
