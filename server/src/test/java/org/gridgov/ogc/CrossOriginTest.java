package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CORS on the whole server with the default setting ({@code *}): the public OGC, OGC API and tile
 * paths answer other origins and their preflights; a request with credentials gets its own origin
 * back, never {@code *}; the REST API stays same-origin.
 */
@Tag("db")
class CrossOriginTest {

    static final String ORIGIN = "http://city-maps.example:5173";

    static Answer send(String method, String path, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(TestServer.base() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return TestServer.send(b.build());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&COUNT=1"
                        + "&OUTPUTFORMAT=application/json",
                "/ogc/collections/grids/items?limit=1",
                "/tiles/grids.json",
                // errors too, so that a page can read why
                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=nosuch",
                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=incidents",
            })
    void anonymousReadsAreOpenToEveryOrigin(String path) {
        Answer a = send("GET", path, "Origin", ORIGIN);
        assertEquals("*", a.header("Access-Control-Allow-Origin"), path + " " + a.status());
        assertNull(a.header("Access-Control-Allow-Credentials"));
        String pre = path.substring(0, path.contains("?") ? path.indexOf('?') : path.length());
        Answer p =
                send(
                        "OPTIONS",
                        pre,
                        "Origin",
                        ORIGIN,
                        "Access-Control-Request-Method",
                        "GET",
                        "Access-Control-Request-Headers",
                        "authorization");
        assertEquals(204, p.status(), pre + ": the preflight is answered, not 405");
        assertEquals("*", p.header("Access-Control-Allow-Origin"));
        assertTrue(p.header("Access-Control-Allow-Methods").contains("GET"));
        assertEquals("authorization", p.header("Access-Control-Allow-Headers"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=incidents&COUNT=1"
                        + "&OUTPUTFORMAT=application/json",
                "/ogc/collections/incidents/items?limit=1",
                "/tiles/grids.json",
            })
    void withCredentialsTheOriginIsEchoedNeverStar(String path) {
        Answer a =
                send(
                        "GET",
                        path,
                        "Origin",
                        ORIGIN,
                        "Authorization",
                        "Bearer " + TestServer.token("operator"));
        assertEquals(200, a.status(), a.body());
        assertEquals(ORIGIN, a.header("Access-Control-Allow-Origin"));
        // the script sent the token itself; the browser's own credentials are not offered to *
        assertNull(a.header("Access-Control-Allow-Credentials"));
        String vary = String.join(",", a.headers().getOrDefault("vary", java.util.List.of()));
        assertTrue(vary.contains("Origin"), vary);
        if (path.startsWith("/ows")) assertTrue(vary.contains("Authorization"), "kept: " + vary);
    }

    @org.junit.jupiter.api.Test
    void optionsWithoutOriginAndTheRestApi() {
        Answer plain = send("OPTIONS", "/ows");
        assertEquals(204, plain.status());
        assertEquals("GET, POST, OPTIONS", plain.header("Allow"));
        Answer api = send("GET", "/api/v1/categories", "Origin", ORIGIN);
        assertNull(api.header("Access-Control-Allow-Origin"), "the REST API is same-origin");
        assertNull(
                send("GET", "/ows?SERVICE=WMS&REQUEST=GetCapabilities")
                        .header("Access-Control-Allow-Origin"),
                "no Origin, no CORS headers");
    }
}
