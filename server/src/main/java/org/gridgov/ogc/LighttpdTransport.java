package org.gridgov.ogc;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;

/** MapServer over HTTP (lighttpd's FastCGI front, or an external MapServer): a kept-alive connection pool. */
final class LighttpdTransport implements MapServerTransport {

    private final HttpClientAgent client;
    private final URI endpoint;
    private final int timeoutMs;

    LighttpdTransport(Vertx vertx, URI endpoint, int workers, int timeoutMs) {
        this.endpoint = endpoint;
        this.timeoutMs = timeoutMs;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2_000)
                        // below lighttpd's 5 s keep-alive idle: never reuse a connection it is closing
                        .setKeepAliveTimeout(4),
                new PoolOptions().setHttp1MaxSize(workers * 2).setMaxWaitQueueSize(512));
    }

    @Override
    public Future<MapServerAnswer> send(String query) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(endpoint.getHost())
                .setPort(endpoint.getPort()).setURI(endpoint.getRawPath()).setIdleTimeout(timeoutMs)
                .setConnectTimeout(2_000).putHeader("Content-Type", "application/x-www-form-urlencoded");
        return client.request(options)
                .compose(req -> req.send(Buffer.buffer(query)))
                .map(resp -> new MapServerAnswer(resp.statusCode(), resp.headers(), resp));
    }
}
