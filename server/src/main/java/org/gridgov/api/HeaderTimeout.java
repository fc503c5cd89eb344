package org.gridgov.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes a connection whose first request head has not arrived within the timeout. Vert.x has no
 * such option, and its idle timeout alone lets a client hold a connection for ever by sending a
 * header byte now and then (slowloris). Later requests on a kept-alive connection are bounded by
 * the idle timeout (GRIDGOV_IDLE_TIMEOUT_SECONDS).
 *
 * <p>With the timeout on, cleartext HTTP/2 (h2c) is off: while Vert.x watches for an h2c upgrade it
 * makes the connection, and calls the connection handler, only once the first request head is in,
 * which is too late. Browsers never use h2c; HTTP/2 over TLS (a proxy in front) is unaffected.
 */
public final class HeaderTimeout {

    private final Vertx vertx;
    private final long timeoutMs;
    private final Map<HttpConnection, Long> waiting = new ConcurrentHashMap<>();

    private HeaderTimeout(Vertx vertx, long timeoutMs) {
        this.vertx = vertx;
        this.timeoutMs = timeoutMs;
    }

    /** A server answering with handler, with the timeout (seconds; 0 = none). */
    public static HttpServer server(
            Vertx vertx,
            HttpServerOptions options,
            int seconds,
            Handler<HttpServerRequest> handler) {
        if (seconds <= 0) return vertx.createHttpServer(options).requestHandler(handler);
        HeaderTimeout t = new HeaderTimeout(vertx, seconds * 1000L);
        return vertx.createHttpServer(
                        new HttpServerOptions(options).setHttp2ClearTextEnabled(false))
                .connectionHandler(t::opened)
                .requestHandler(
                        req -> {
                            t.arrived(req.connection());
                            handler.handle(req);
                        });
    }

    private void opened(HttpConnection c) {
        waiting.put(
                c,
                vertx.setTimer(
                        timeoutMs,
                        id -> {
                            if (waiting.remove(c) != null) c.close();
                        }));
        c.closeHandler(v -> arrived(c));
    }

    private void arrived(HttpConnection c) {
        Long timer = waiting.remove(c);
        if (timer != null) vertx.cancelTimer(timer);
    }
}
