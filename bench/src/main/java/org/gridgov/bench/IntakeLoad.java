package org.gridgov.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Intake reports posted by client threads, each with its own Idempotency-Key and a description
 * carrying the run's marker, keeping what a careful client keeps: every key it sent with its body,
 * and the incident id of every 201. After a fault, {@link #retryAll} sends every request again with
 * its key, as the client would; the database must then hold exactly one incident per key and every
 * acknowledged id. Used by the faults bench and the fault tests.
 */
public final class IntakeLoad implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1 so a killed server shows as refused connections, not a dead multiplexed stream.
    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    private final Supplier<String> base;
    private final String token;
    private final String category;
    private final double lon, lat;
    private final String marker;
    private final double perSecond;

    private final Map<String, String> sent = new ConcurrentHashMap<>();
    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentSkipListMap<>();
    private final List<String> serverErrors = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong noAnswer = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();

    /** System.nanoTime() of every 201, for the outage as clients saw it. */
    private final List<Long> ackTimes = Collections.synchronizedList(new ArrayList<>());

    private final List<Double> latenciesMs = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param base the server's base URL, asked per request (a restarted server may get a new port)
     * @param token a staff token, or null to post anonymously (channel PUBLIC_ONLINE either way)
     * @param perSecond the total rate over all threads; 0 = as fast as they go
     */
    public IntakeLoad(
            Supplier<String> base,
            String token,
            String category,
            double lon,
            double lat,
            String marker,
            double perSecond) {
        this.base = base;
        this.token = token;
        this.category = category;
        this.lon = lon;
        this.lat = lat;
        this.marker = marker;
        this.perSecond = perSecond;
    }

    public IntakeLoad start(int threadCount) {
        long t0 = System.nanoTime();
        for (int t = 0; t < threadCount; t++) {
            Thread th =
                    new Thread(
                            () -> {
                                while (!stop.get()) {
                                    long n = sequence.getAndIncrement();
                                    if (perSecond > 0) {
                                        long due = t0 + (long) (n * 1e9 / perSecond);
                                        long wait = due - System.nanoTime();
                                        if (wait > 0) sleepNanos(wait);
                                        if (stop.get()) break;
                                    }
                                    String key = marker + "-" + n;
                                    String body = body(key);
                                    sent.put(key, body);
                                    // no answer or 503: the careful client sends the same request
                                    // again, with the same key
                                    for (int status = post(key, body);
                                            (status == -1 || status == 503) && !stop.get();
                                            status = post(key, body)) {
                                        sleepNanos(100_000_000);
                                    }
                                }
                            },
                            "intake-load-" + t);
            th.setDaemon(true);
            th.start();
            threads.add(th);
        }
        return this;
    }

    private String body(String key) {
        // PUBLIC_ONLINE: the channel anonymous clients may use; the description names the key
        return "{\"category\":\""
                + category
                + "\",\"channel\":\"PUBLIC_ONLINE\",\"description\":\""
                + key
                + "\",\"location\":{\"lon\":"
                + lon
                + ",\"lat\":"
                + lat
                + "}}";
    }

    /** One POST; returns the status, or -1 when no answer came (refused, reset, timed out). */
    private int post(String key, String body) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base.get() + "/api/v1/incidents"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        long t = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            latenciesMs.add((System.nanoTime() - t) / 1e6);
            statuses.computeIfAbsent(r.statusCode(), s -> new AtomicLong()).incrementAndGet();
            if (r.statusCode() == 201) {
                acknowledged.put(key, JSON.readTree(r.body()).get("id").asLong());
                ackTimes.add(System.nanoTime());
            } else if (r.statusCode() >= 500 && r.statusCode() != 503) {
                serverErrors.add(r.statusCode() + " " + r.body());
            } else if (r.statusCode() == 503
                    && (!r.headers()
                                    .firstValue("Content-Type")
                                    .orElse("")
                                    .startsWith("application/problem+json")
                            || r.headers().firstValue("Retry-After").isEmpty())) {
                serverErrors.add("503 without problem+json and Retry-After: " + r.body());
            }
            return r.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            noAnswer.incrementAndGet();
            return -1;
        }
    }

    /**
     * Stops the client threads; a request in flight finishes first (bounded by its 60 s timeout).
     */
    public void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) t.join(120_000);
    }

    /**
     * Sends every request again with its key until it is answered 201 (a replay, or the first
     * storing of one the fault cut off); gives up after {@code patience}. Returns key → incident
     * id.
     */
    public Map<String, Long> retryAll(Duration patience) throws InterruptedException {
        long until = System.nanoTime() + patience.toNanos();
        Map<String, Long> ids = new TreeMap<>();
        for (var e : new TreeMap<>(sent).entrySet()) {
            while (true) {
                HttpRequest.Builder b =
                        HttpRequest.newBuilder(URI.create(base.get() + "/api/v1/incidents"))
                                .timeout(Duration.ofSeconds(60))
                                .header("Content-Type", "application/json")
                                .header("Idempotency-Key", e.getKey())
                                .POST(HttpRequest.BodyPublishers.ofString(e.getValue()));
                if (token != null) b.header("Authorization", "Bearer " + token);
                try {
                    HttpResponse<String> r =
                            http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 201) {
                        ids.put(e.getKey(), JSON.readTree(r.body()).get("id").asLong());
                        break;
                    }
                    if (r.statusCode() != 503 && r.statusCode() != 429)
                        throw new IllegalStateException(
                                "retry of " + e.getKey() + ": " + r.statusCode() + " " + r.body());
                } catch (java.io.IOException ignored) {
                    // not up yet
                }
                if (System.nanoTime() > until)
                    throw new IllegalStateException(
                            "the server did not take the retries within " + patience);
                Thread.sleep(200);
            }
        }
        return ids;
    }

    public String marker() {
        return marker;
    }

    /** Every key sent, with its body. */
    public Map<String, String> sent() {
        return Map.copyOf(sent);
    }

    /** key → id of every 201 the client got. */
    public Map<String, Long> acknowledged() {
        return Map.copyOf(acknowledged);
    }

    public Map<Integer, Long> statuses() {
        Map<Integer, Long> out = new TreeMap<>();
        statuses.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** 5xx other than 503 problem+json: each a defect. */
    public List<String> serverErrors() {
        return List.copyOf(serverErrors);
    }

    public long noAnswer() {
        return noAnswer.get();
    }

    public long acknowledgedCount() {
        return acknowledged.size();
    }

    /**
     * The longest gap between two consecutive 201s, in ms, after {@code sinceNanos}: the outage as
     * clients saw it.
     */
    public double longestGapMs(long sinceNanos) {
        List<Long> times;
        synchronized (ackTimes) {
            times = new ArrayList<>(ackTimes);
        }
        Collections.sort(times);
        long prev = -1, max = 0;
        for (long t : times) {
            if (t < sinceNanos) {
                prev = t;
                continue;
            }
            if (prev >= 0) max = Math.max(max, t - prev);
            prev = t;
        }
        return max / 1e6;
    }

    /** The first 201 at or after {@code sinceNanos}, or -1. */
    public long firstAckAfter(long sinceNanos) {
        synchronized (ackTimes) {
            return ackTimes.stream().filter(t -> t >= sinceNanos).min(Long::compare).orElse(-1L);
        }
    }

    /** Latencies since the last call, in ms, and forgets them (for per-window figures). */
    public List<Double> drainLatencies() {
        synchronized (latenciesMs) {
            List<Double> out = new ArrayList<>(latenciesMs);
            latenciesMs.clear();
            return out;
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
