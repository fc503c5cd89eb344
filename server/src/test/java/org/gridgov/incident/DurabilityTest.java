package org.gridgov.incident;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.app.Config;
import org.gridgov.app.Gridgov;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.db.Database;
import org.gridgov.demo.DemoLoader;
import org.gridgov.demo.DemoParams;
import org.gridgov.testing.ScratchCluster;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Nothing acknowledged is lost: reports stream in, PostgreSQL is killed without a checkpoint
 * mid-stream, and after recovery every incident that got a 201 is there with its first event.
 */
@Tag("db")
class DurabilityTest {

    @Test
    void everyAcknowledgedIncidentSurvivesADatabaseCrash() throws Exception {
        try (ScratchCluster cluster = ScratchCluster.start()) {
            var s = cluster.settings();
            String category;
            double lon, lat;
            try (Database db = Database.connect(s)) {
                db.migrate();
                CategoryCatalog.fromClasspath().sync(db.dataSource());
                DemoLoader.load(
                        db.dataSource(),
                        new DemoParams(11L, 0, 400, 400, 3),
                        org.gridgov.testing.TestDatabase.DEMO_PASSWORD);
                try (var c = db.connection();
                        var st = c.createStatement();
                        ResultSet rs =
                                st.executeQuery(
                                        """
                        SELECT (SELECT code FROM category WHERE authority = 'SUBDISTRICT' ORDER BY code LIMIT 1),
                               ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM jurisdiction WHERE kind = 'SUBDISTRICT'""")) {
                    rs.next();
                    category = rs.getString(1);
                    lon = rs.getDouble(2);
                    lat = rs.getDouble(3);
                }
            }
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            try (Database db = Database.connect(s);
                    Gridgov server =
                            Gridgov.start(
                                    Config.of(
                                            Map.of(
                                                    "GRIDGOV_PORT",
                                                    "0",
                                                    "GRIDGOV_HOST",
                                                    "127.0.0.1",
                                                    "GRIDGOV_JWT_SECRET",
                                                    TestServer.jwtSecret())),
                                    db)) {
                HttpClient client =
                        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                String body =
                        "{\"category\":\""
                                + category
                                + "\",\"channel\":\"GRID_PATROL\",\"location\":{\"lon\":"
                                + lon
                                + ",\"lat\":"
                                + lat
                                + "}}";
                // a patrol's reports come with a staff token (anonymous callers may use only the
                // public channel)
                HttpResponse<String> login =
                        client.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + server.port()
                                                                + "/api/v1/auth/token"))
                                        .header("Content-Type", "application/json")
                                        .POST(
                                                HttpRequest.BodyPublishers.ofString(
                                                        "{\"username\":\"operator\",\"password\":\"demo\"}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertEquals(200, login.statusCode(), login.body());
                String token = TestServer.JSON.readTree(login.body()).get("token").asText();
                Pattern idPattern = Pattern.compile("^\\{\"id\":(\\d+)");
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService pool = Executors.newFixedThreadPool(8);
                for (int t = 0; t < 8; t++) {
                    pool.submit(
                            () -> {
                                while (!stop.get()) {
                                    try {
                                        HttpResponse<String> r =
                                                client.send(
                                                        HttpRequest.newBuilder(
                                                                        URI.create(
                                                                                "http://127.0.0.1:"
                                                                                        + server
                                                                                                .port()
                                                                                        + "/api/v1/incidents"))
                                                                .timeout(Duration.ofSeconds(20))
                                                                .header(
                                                                        "Content-Type",
                                                                        "application/json")
                                                                .header(
                                                                        "Authorization",
                                                                        "Bearer " + token)
                                                                .POST(
                                                                        HttpRequest.BodyPublishers
                                                                                .ofString(body))
                                                                .build(),
                                                        HttpResponse.BodyHandlers.ofString());
                                        if (r.statusCode() == 201) {
                                            Matcher m = idPattern.matcher(r.body());
                                            assertTrue(m.find(), r.body());
                                            acknowledged.add(Long.parseLong(m.group(1)));
                                        }
                                    } catch (Exception e) {
                                        // the database is down: no 201, nothing promised
                                    }
                                }
                                return null;
                            });
                }
                Thread.sleep(1500);
                cluster.crash();
                Thread.sleep(500);
                stop.set(true);
                pool.shutdown();
                assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
            }
            assertTrue(
                    acknowledged.size() > 20,
                    "reports were acknowledged before the crash: " + acknowledged.size());
            cluster.restart();
            try (Database db = Database.connect(s);
                    var c = db.connection();
                    var ps =
                            c.prepareStatement(
                                    """
                         SELECT count(*) FROM incident i
                         WHERE i.id = ANY (?) AND EXISTS (SELECT 1 FROM incident_event e WHERE e.incident_id = i.id AND e.to_status = 'REPORTED')""")) {
                ps.setArray(1, c.createArrayOf("bigint", acknowledged.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(
                            acknowledged.size(),
                            rs.getInt(1),
                            "every acknowledged incident survived with its event");
                }
            }
        }
    }
}
