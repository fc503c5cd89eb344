package org.gridgov.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A receiver of the outbox's HTTP deliveries (an SMS gateway, a webhook subscriber, the 12345
 * platform) as the contract in docs/notifications.md asks of one: it records every request and
 * de-duplicates by the Idempotency-Key header. What it answers is up to the test; it can hold
 * requests (for the kill test: deliveries in flight when the server dies).
 */
public final class HttpReceiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Request(String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            for (var e : headers.entrySet())
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            return null;
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private volatile Function<Request, Integer> answer = r -> 200;
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private final java.util.concurrent.atomic.AtomicInteger answered =
            new java.util.concurrent.atomic.AtomicInteger();

    public HttpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** What to answer each request (a status); default 200. */
    public void answer(Function<Request, Integer> f) {
        answer = f;
    }

    /** Requests arriving from now on wait (after being recorded) until {@link #release()}. */
    public void hold() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        hold.countDown();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request r = new Request(ex.getRequestURI().toString(), ex.getRequestHeaders(), body);
        synchronized (requests) {
            requests.add(r);
            requests.notifyAll();
        }
        int status = answer.apply(r);
        // accepted, as the receiver's own state: a later duplicate is acknowledged, not redone
        if (status >= 200 && status < 300) seen.add(String.valueOf(r.header("Idempotency-Key")));
        try {
            hold.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        answered.incrementAndGet();
        byte[] out = "{}".getBytes(StandardCharsets.UTF_8);
        try {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        } catch (IOException e) {
            // the sender went away (a killed server): the receiver keeps what it accepted
        }
    }

    public List<Request> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    /** Requests past the hold (answered, or the answer attempted). */
    public int answered() {
        return answered.get();
    }

    /** Distinct message ids accepted (answered 2xx). */
    public Set<String> accepted() {
        return Set.copyOf(seen);
    }

    /** Waits until at least n requests have arrived; false on timeout. */
    public boolean awaitRequests(int n, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        synchronized (requests) {
            while (requests.size() < n) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) return false;
                requests.wait(left);
            }
        }
        return true;
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
