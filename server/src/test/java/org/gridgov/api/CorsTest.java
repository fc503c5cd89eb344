package org.gridgov.api;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CORS with a configured list of origins, over real HTTP on a router of its own (the server's
 * default, {@code *}, is tested against the whole server in ogc/CrossOriginTest and from a browser
 * in ogc/CrossOriginBrowserTest).
 */
class CorsTest {

    private static Vertx vertx;
    private static HttpServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        Cors.allowing("https://maps.example.org, http://localhost:8081").mount(router);
        router.get("/tiles/grids/1/0/0.mvt")
                .handler(ctx -> ctx.response().putHeader("Vary", "Authorization").end("tile"));
        router.get("/api/v1/secret").handler(ctx -> ctx.end("secret"));
        server =
                vertx.createHttpServer()
                        .requestHandler(router)
                        .listen(0, "127.0.0.1")
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> send(String method, String path, String... headers)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void aListedOriginIsEchoedWithCredentials() throws Exception {
        var r = send("GET", "/tiles/grids/1/0/0.mvt", "Origin", "https://maps.example.org");
        assertEquals(200, r.statusCode());
        assertEquals("https://maps.example.org", header(r, "Access-Control-Allow-Origin"));
        assertEquals("true", header(r, "Access-Control-Allow-Credentials"));
        assertEquals("Authorization, Origin", header(r, "Vary"), "the route's Vary is kept");
        assertTrue(header(r, "Access-Control-Expose-Headers").contains("ETag"));
    }

    @Test
    void anOriginNotListedGetsNoCorsHeaders() throws Exception {
        var r = send("GET", "/tiles/grids/1/0/0.mvt", "Origin", "https://evil.example");
        assertEquals(200, r.statusCode(), "answered; the browser keeps it from the script");
        assertNull(header(r, "Access-Control-Allow-Origin"));
        assertNull(header(r, "Access-Control-Allow-Credentials"));
        assertTrue(header(r, "Vary").contains("Origin"), "caches keep answers per origin");
        // nor does its preflight allow anything
        var pre =
                send(
                        "OPTIONS",
                        "/tiles/grids/1/0/0.mvt",
                        "Origin",
                        "https://evil.example",
                        "Access-Control-Request-Method",
                        "GET");
        assertEquals(204, pre.statusCode());
        assertNull(header(pre, "Access-Control-Allow-Origin"));
        assertNull(header(pre, "Access-Control-Allow-Methods"));
    }

    @Test
    void preflightOfAListedOrigin() throws Exception {
        var r =
                send(
                        "OPTIONS",
                        "/ows",
                        "Origin",
                        "http://localhost:8081",
                        "Access-Control-Request-Method",
                        "POST",
                        "Access-Control-Request-Headers",
                        "authorization, content-type");
        assertEquals(204, r.statusCode(), "not 405");
        assertEquals("http://localhost:8081", header(r, "Access-Control-Allow-Origin"));
        assertEquals("true", header(r, "Access-Control-Allow-Credentials"));
        assertEquals("GET, POST, OPTIONS", header(r, "Access-Control-Allow-Methods"));
        assertEquals("authorization, content-type", header(r, "Access-Control-Allow-Headers"));
        assertEquals("600", header(r, "Access-Control-Max-Age"));
    }

    @Test
    void otherPathsAreSameOriginOnly() throws Exception {
        var r = send("GET", "/api/v1/secret", "Origin", "https://maps.example.org");
        assertNull(header(r, "Access-Control-Allow-Origin"));
        assertFalse(Cors.covered("/owsx"));
        assertFalse(Cors.covered("/ogcapi"));
        assertTrue(Cors.covered("/ogc"));
        assertTrue(Cors.covered("/tiles/grids.json"));
    }

    @Test
    void anyOriginByDefaultButNeverStarWithCredentials() {
        Cors any = Cors.allowing(null);
        assertEquals("*", any.allowedOrigin("https://a.example", false));
        assertEquals("https://a.example", any.allowedOrigin("https://a.example", true));
        assertNull(any.allowedOrigin(null, false));
        assertEquals("*", Cors.allowing(" * ").allowedOrigin("https://a.example", false));
    }

    @Test
    void aBadSettingSaysWhichPart() {
        for (String bad :
                new String[] {
                    "https://a.example/path", "*, https://a.example", "maps.example.org"
                }) {
            var e = assertThrows(IllegalStateException.class, () -> Cors.allowing(bad), bad);
            assertTrue(e.getMessage().contains("GRIDGOV_CORS_ORIGINS"), e.getMessage());
        }
    }
}
