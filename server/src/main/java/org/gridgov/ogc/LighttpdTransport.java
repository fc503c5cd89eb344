package org.gridgov.ogc;

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
 * MapServer over HTTP (lighttpd's FastCGI front, or an external MapServer): a kept-alive connection
 * pool. Our own lighttpd answers on a Unix socket only (no TCP port anyone on the host could
 * reach).
 */
final class LighttpdTransport implements MapServerTransport {

    private final HttpClientAgent client;
    private final URI endpoint;
    private final int timeoutMs;

    /**
     * lighttpd's Unix socket; null = TCP to the endpoint's host and port (an external MapServer).
     */
    private final SocketAddress socket;

    LighttpdTransport(Vertx vertx, URI endpoint, Path socket, int workers, int timeoutMs) {
        this.endpoint = endpoint;
        this.socket = socket == null ? null : SocketAddress.domainSocketAddress(socket.toString());
        this.timeoutMs = timeoutMs;
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

    @Override
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
        return client.request(options)
                .compose(req -> req.send(Buffer.buffer(query)))
                .map(resp -> new MapServerAnswer(resp.statusCode(), resp.headers(), resp));
    }
}
