package org.gridgov.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Actions per second through the whole case flow over HTTP: each client files a report, then accept
 * → dispatch → start → resolve → verify → close, as the operator and a handler, and starts again.
 * Prints actions/s, closed cases/s, p50/p99 of an action and failures.
 *
 * <p>java -cp gridgov-bench.jar org.gridgov.bench.WorkflowBench BASE_URL LON LAT [seconds]
 * [clients]
 */
public final class WorkflowBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        double lon = Double.parseDouble(args[1]), lat = Double.parseDouble(args[2]);
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int clients = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        String operator = token(base, "operator");
        String handler = token(base, "enforcement.handler1");
        long handlerId = Long.parseLong(claim(handler, "sub"));
        LongAdder actions = new LongAdder(), closed = new LongAdder(), failures = new LongAdder();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> fs = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            fs.add(
                    pool.submit(
                            () -> {
                                while (!stop.get()) {
                                    try {
                                        JsonNode i =
                                                send(
                                                        base + "/api/v1/incidents",
                                                        operator,
                                                        """
                                {"category":"ENF_EXPOSED_GARBAGE","channel":"GRID_PATROL","location":{"lon":%s,"lat":%s},"description":"bench"}"""
                                                                .formatted(lon, lat));
                                        long id = i.get("id").asLong();
                                        String[][] flow = {
                                            {
                                                operator,
                                                "{\"action\":\"accept\",\"expectedVersion\":1}"
                                            },
                                            {
                                                operator,
                                                "{\"action\":\"dispatch\",\"expectedVersion\":2,\"assigneeId\":"
                                                        + handlerId
                                                        + "}"
                                            },
                                            {
                                                handler,
                                                "{\"action\":\"start\",\"expectedVersion\":3}"
                                            },
                                            {
                                                handler,
                                                "{\"action\":\"resolve\",\"expectedVersion\":4}"
                                            },
                                            {
                                                operator,
                                                "{\"action\":\"verify\",\"expectedVersion\":5}"
                                            },
                                            {
                                                operator,
                                                "{\"action\":\"close\",\"expectedVersion\":6}"
                                            }
                                        };
                                        for (String[] step : flow) {
                                            long t0 = System.nanoTime();
                                            send(
                                                    base + "/api/v1/incidents/" + id + "/actions",
                                                    step[0],
                                                    step[1]);
                                            latencies.add(System.nanoTime() - t0);
                                            actions.increment();
                                        }
                                        closed.increment();
                                    } catch (Exception e) {
                                        failures.increment();
                                    }
                                }
                                return null;
                            }));
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Future<?> f : fs) f.get();
        pool.shutdown();
        double secs = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("workflow.actions_per_s=%.0f%n", actions.sum() / secs);
        System.out.printf("workflow.cases_closed_per_s=%.1f%n", closed.sum() / secs);
        if (!sorted.isEmpty()) {
            System.out.printf("workflow.action_p50_ms=%.2f%n", sorted.get(sorted.size() / 2) / 1e6);
            System.out.printf(
                    "workflow.action_p99_ms=%.2f%n",
                    sorted.get((int) (sorted.size() * 0.99)) / 1e6);
        }
        System.out.println("workflow.failures=" + failures.sum());
        System.out.println("workflow.clients=" + clients);
    }

    private static String token(String base, String user) throws Exception {
        return send(
                        base + "/api/v1/auth/token",
                        null,
                        "{\"username\":\""
                                + user
                                + "\",\"password\":\""
                                + DemoPassword.get()
                                + "\"}")
                .get("token")
                .asText();
    }

    private static String claim(String token, String name) throws Exception {
        return JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]))
                .get(name)
                .asText();
    }

    private static JsonNode send(String url, String token, String body) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300)
            throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }
}
