package org.gridgov.ogc.mapserver;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;

/**
 * How the gateway reaches MapServer: HTTP to lighttpd's FastCGI front (or to an external MapServer)
 * over a kept-alive connection pool. Our own lighttpd answers on a Unix socket only (no TCP port
 * anyone on the host could reach). A request that gets nothing for the timeout fails (the gateway
 * answers 503) and tells the supervisor, which stops a hung worker.
 */
public final class MapServerTransport {

    private final HttpClientAgent client;
    private final URI endpoint;
    private final int timeoutMs;
    private final Runnable timedOut;

    /**
     * lighttpd's Unix socket; null = TCP to the endpoint's host and port (an external MapServer).
     */
    private final SocketAddress socket;

    MapServerTransport(
            Vertx vertx, URI endpoint, Path socket, int workers, int timeoutMs, Runnable timedOut) {
        this.endpoint = endpoint;
        this.socket = socket == null ? null : SocketAddress.domainSocketAddress(socket.toString());
        this.timeoutMs = timeoutMs;
        this.timedOut = timedOut;
        this.client =
                vertx.createHttpClient(
                        new HttpClientOptions()
                                .setKeepAlive(true)
                                .setConnectTimeout(2_000)
                                // below lighttpd's 5 s keep-alive idle: never reuse a connection it
                                // is closing
                                .setKeepAliveTimeout(4),
                        new PoolOptions().setHttp1MaxSize(workers * 2).setMaxWaitQueueSize(512));
    }

    /**
     * Sends a validated form-encoded query (starting with map=...) and answers once the headers are
     * in.
     */
    public Future<MapServerAnswer> send(String query) {
        RequestOptions options =
                new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost(endpoint.getHost())
                        .setPort(endpoint.getPort())
                        .setURI(endpoint.getRawPath())
                        .setIdleTimeout(timeoutMs)
                        .setConnectTimeout(2_000)
                        .putHeader("Content-Type", "application/x-www-form-urlencoded");
        if (socket != null) options.setServer(socket);
        long sent = System.nanoTime();
        return client.request(options)
                .compose(req -> req.send(Buffer.buffer(query)))
                .map(resp -> new MapServerAnswer(resp.statusCode(), resp.headers(), resp))
                .onFailure(
                        e -> {
                            if (System.nanoTime() - sent >= timeoutMs * 1_000_000L) timedOut.run();
                        });
    }
}
