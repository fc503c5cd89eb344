package org.gridgov.geocode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.gridgov.api.ApiRouter;
import org.gridgov.api.ClientAddress;
import org.gridgov.api.RateLimit;
import org.gridgov.area.Jurisdictions;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lookups without a token are limited per client address: the routes mounted as gridgov wires them,
 * over the test database, with a budget of two a minute.
 */
@Tag("db")
class GeocodeLimitTest {

    static Vertx vertx;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        var ds = TestDatabase.get().dataSource();
        Jurisdictions areas = Jurisdictions.load(ds);
        vertx = Vertx.vertx();
        Router router = ApiRouter.create(vertx, 64 * 1024);
        ClientAddress.trusting(null).mount(router);
        new GeocodeRoutes(
                        new Geocoder(new GazetteerStore(ds), () -> List.of("杭州市")),
                        areas,
                        new RateLimit("address lookups", 2))
                .mount(router);
        HttpServer server =
                vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
        base = "http://127.0.0.1:" + server.actualPort();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    static Answer get(String q) {
        return TestServer.send(
                HttpRequest.newBuilder(
                                URI.create(
                                        base
                                                + "/api/v1/geocode?q="
                                                + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                        .GET()
                        .build());
    }

    @Test
    void theThirdLookupInAMinuteIsRefused() {
        assertEquals(200, get("江南大道1号").status());
        assertEquals(200, get("滨盛路2号").status());
        Answer third = get("长河路3号");
        assertEquals(429, third.status(), third.body());
        assertNotNull(third.header("Retry-After"));
    }
}
