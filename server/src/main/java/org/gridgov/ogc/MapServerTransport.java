package org.gridgov.ogc;

import io.vertx.core.Future;

/**
 * How the gateway reaches MapServer (GRIDGOV_MAPSERVER_TRANSPORT): over HTTP to the lighttpd front
 * ({@link LighttpdTransport}) or straight to the FastCGI workers ({@link FastCgiTransport}).
 */
public interface MapServerTransport {

    /**
     * Sends a validated form-encoded query (starting with map=...) and answers once the headers are
     * in.
     */
    Future<MapServerAnswer> send(String query);
}
