package org.gridgov.ogc.mapserver;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** MapServer's answer as the gateway relays it: status, CGI/HTTP headers, streamed body. */
public record MapServerAnswer(int status, MultiMap headers, ReadStream<Buffer> body) {

    public String header(String name) {
        return headers.get(name);
    }

    /**
     * The whole (small) body of an answer that is not relayed as it comes: error pages, exception
     * reports.
     */
    public Future<Buffer> collect() {
        Promise<Buffer> p = Promise.promise();
        Buffer all = Buffer.buffer();
        body.exceptionHandler(p::tryFail);
        body.endHandler(v -> p.tryComplete(all));
        body.handler(all::appendBuffer);
        return p.future();
    }
}
