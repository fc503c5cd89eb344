package org.gridgov.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gridgov.app.Config;
import org.gridgov.db.Database;

/**
 * The command centre's live picture through HTTP, against a running server on the bench database:
 * bins and hot spots for the whole subdistrict and a year, nearest-responder ranking, and SSE
 * fan-out to many connected screens (delivery latency from the 201 to each screen).
 *
 * <p>java -cp gridgov-bench.jar org.gridgov.bench.LiveBench baseUrl [screens]
 */
public final class LiveBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1: one connection per screen, as browsers' EventSource does (HTTP/2 would multiplex
    // them all on one).
    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    private LiveBench() {}

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int screens = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String token = login(base, "operator");
        String admin = login(base, "admin");
        String year = "from=2025-11-01T00:00:00%2B08:00&to=2026-11-01T00:00:00%2B08:00";

        timed(
                "analytics.http_bins_year_100m",
                base + "/api/v1/analytics/bins?size=100&" + year,
                token,
                30); // staff: full resolution, as measured before
        timed(
                "analytics.http_hotspots_year_200m",
                base + "/api/v1/analytics/hotspots?size=200&" + year,
                token,
                15);

        try (Database db = Database.connect(Config.fromEnvironment().db())) {
            List<long[]> incidents = new ArrayList<>();
            List<double[]> vertices = new ArrayList<>();
            List<Long> staff = new ArrayList<>();
            try (Connection c = db.connection();
                    var st = c.createStatement()) {
                try (ResultSet rs =
                        st.executeQuery(
                                "SELECT id FROM incident WHERE grid_id IS NOT NULL ORDER BY id DESC LIMIT 20")) {
                    while (rs.next()) incidents.add(new long[] {rs.getLong(1)});
                }
                try (ResultSet rs =
                        st.executeQuery(
                                "SELECT ST_X(geom), ST_Y(geom) FROM road_vertex ORDER BY md5(id::text) LIMIT 60")) {
                    while (rs.next()) vertices.add(new double[] {rs.getDouble(1), rs.getDouble(2)});
                }
                try (ResultSet rs =
                        st.executeQuery(
                                "SELECT id FROM staff WHERE on_duty AND role IN ('GRID_WORKER', 'PLATFORM_HANDLER') ORDER BY id LIMIT 60")) {
                    while (rs.next()) staff.add(rs.getLong(1));
                }
            }
            String now =
                    OffsetDateTime.now(ZoneOffset.ofHours(8))
                            .minusMinutes(2)
                            .withNano(0)
                            .toString();
            for (int k = 0; k < staff.size(); k++) {
                double[] v = vertices.get(k % vertices.size());
                post(
                        base + "/api/v1/staff/" + staff.get(k) + "/positions",
                        admin,
                        "{\"positions\":[{\"at\":\""
                                + now
                                + "\",\"lon\":"
                                + v[0]
                                + ",\"lat\":"
                                + v[1]
                                + "}]}");
            }
            List<Double> ms = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                for (long[] i : incidents) {
                    long t = System.nanoTime();
                    HttpResponse<String> a =
                            get(base + "/api/v1/incidents/" + i[0] + "/responders?limit=5", token);
                    if (a.statusCode() != 200)
                        throw new IllegalStateException(
                                "responders: " + a.statusCode() + " " + a.body());
                    if (r > 0) ms.add((System.nanoTime() - t) / 1e6);
                }
            }
            report("analytics.http_responders", ms);
        }

        fanOut(base, token, screens);
    }

    /** Opens the screens, posts reports, and measures when each screen sees each report. */
    private static void fanOut(String base, String token, int screens) throws Exception {
        int reports = 50;
        Map<Long, Long> acknowledged = new ConcurrentHashMap<>();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch connected = new CountDownLatch(screens);
        CountDownLatch done = new CountDownLatch(screens);
        List<Thread> readers = new ArrayList<>();
        for (int s = 0; s < screens; s++) {
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    HttpResponse<InputStream> r =
                                            HTTP.send(
                                                    HttpRequest.newBuilder(
                                                                    URI.create(
                                                                            base
                                                                                    + "/api/v1/events"))
                                                            .header(
                                                                    "Authorization",
                                                                    "Bearer " + token)
                                                            .build(),
                                                    HttpResponse.BodyHandlers.ofInputStream());
                                    connected.countDown();
                                    int seen = 0;
                                    try (BufferedReader in =
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            r.body(), StandardCharsets.UTF_8))) {
                                        String line;
                                        while (seen < reports && (line = in.readLine()) != null) {
                                            if (!line.startsWith("data: ")) continue;
                                            long received = System.nanoTime();
                                            JsonNode e = JSON.readTree(line.substring(6));
                                            Long sent =
                                                    waitFor(
                                                            acknowledged,
                                                            e.get("incidentId").asLong());
                                            if (sent == null) continue;
                                            latencies.add(Math.max(0, received - sent) / 1e6);
                                            seen++;
                                        }
                                    }
                                } catch (Exception e) {
                                    connected.countDown();
                                } finally {
                                    done.countDown();
                                }
                            });
            t.setDaemon(true);
            t.start();
            readers.add(t);
        }
        connected.await(30, TimeUnit.SECONDS);
        Thread.sleep(500);
        String body =
                "{\"category\":\"ENF_EXPOSED_GARBAGE\",\"channel\":\"HOTLINE\",\"location\":{\"lon\":120.29,\"lat\":30.19}}";
        for (int k = 0; k < reports; k++) {
            HttpResponse<String> a =
                    post(
                            base + "/api/v1/incidents",
                            token,
                            body); // a hotline report: entered by staff
            long at = System.nanoTime();
            acknowledged.put(JSON.readTree(a.body()).get("id").asLong(), at);
            Thread.sleep(50);
        }
        done.await(60, TimeUnit.SECONDS);
        System.out.printf("live.screens=%d%n", screens);
        System.out.printf(
                "live.deliveries=%d (expected %d)%n", latencies.size(), screens * reports);
        report("live.delivery", new ArrayList<>(latencies));
    }

    /**
     * The 201's time of an incident; the event can overtake the answer by a hair, so wait a moment.
     */
    private static Long waitFor(Map<Long, Long> acknowledged, long id) throws InterruptedException {
        for (int k = 0; k < 200; k++) {
            Long t = acknowledged.get(id);
            if (t != null) return t;
            Thread.sleep(5);
        }
        return null;
    }

    private static void timed(String key, String url, String token, int n) throws Exception {
        HttpResponse<String> cold = null;
        long t0 = System.nanoTime();
        cold = get(url, token);
        if (cold.statusCode() != 200)
            throw new IllegalStateException(key + ": " + cold.statusCode() + " " + cold.body());
        System.out.printf("%s_first_ms=%.1f%n", key, (System.nanoTime() - t0) / 1e6);
        List<Double> ms = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            long t = System.nanoTime();
            get(url, token);
            ms.add((System.nanoTime() - t) / 1e6);
        }
        report(key, ms);
    }

    private static void report(String key, List<Double> ms) {
        if (ms.isEmpty()) {
            System.out.printf("%s=no samples%n", key);
            return;
        }
        Collections.sort(ms);
        System.out.printf("%s_p50_ms=%.1f%n", key, ms.get(ms.size() / 2));
        System.out.printf(
                "%s_p95_ms=%.1f%n",
                key, ms.get((int) Math.min(ms.size() - 1, Math.ceil(ms.size() * 0.95) - 1)));
        System.out.printf(
                "%s_p99_ms=%.1f%n",
                key, ms.get((int) Math.min(ms.size() - 1, Math.ceil(ms.size() * 0.99) - 1)));
    }

    private static String login(String base, String user) throws Exception {
        HttpResponse<String> a =
                post(
                        base + "/api/v1/auth/token",
                        null,
                        "{\"username\":\""
                                + user
                                + "\",\"password\":\""
                                + DemoPassword.get()
                                + "\"}");
        if (a.statusCode() != 200)
            throw new IllegalStateException(
                    "login " + user + ": " + a.statusCode() + " " + a.body());
        return JSON.readTree(a.body()).get("token").asText();
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String token, String body)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
