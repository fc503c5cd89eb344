package org.gridgov.ogc;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * MapServer's answer as the gateway relays it, whatever the transport: status, CGI/HTTP headers,
 * streamed body.
 */
public record MapServerAnswer(int status, MultiMap headers, ReadStream<Buffer> body) {

    public String header(String name) {
        return headers.get(name);
    }
}
