package org.gridgov.open311;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.ZoneId;
import java.util.UUID;
import org.gridgov.api.ApiRouter;
import org.gridgov.api.ClientAddress;
import org.gridgov.api.RateLimit;
import org.gridgov.area.Jurisdictions;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.grid.PlanTimeline;
import org.gridgov.incident.IncidentRouter;
import org.gridgov.incident.IncidentRoutes;
import org.gridgov.incident.IncidentStore;
import org.gridgov.incident.LookupCode;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * #14 findings 3 and 4: every write without a token (Open311 requests and follows, REST intake)
 * draws on one budget per client address, whatever api_key the caller makes up. The shared test
 * server allows plenty (every test posts from 127.0.0.1); this one mounts intake and Open311 as
 * gridgov wires them, over the test database, with a budget of three.
 */
@Tag("db")
class AnonymousWritesLimitTest {

    static final int LIMIT = 3;
    static Vertx vertx;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Open311ApiTest.setUp(); // the test server and database, and a point inside a grid
        var ds = TestDatabase.get().dataSource();
        CategoryCatalog catalog = CategoryCatalog.load(ds);
        IncidentRouter routing = new IncidentRouter(Jurisdictions.load(ds), PlanTimeline.load(ds));
        IncidentStore store = new IncidentStore(ds);
        RateLimit anonymousWrites = new RateLimit("writes without a token", LIMIT);
        vertx = Vertx.vertx();
        Router router = ApiRouter.create(vertx, 64 * 1024);
        ClientAddress.trusting(null).mount(router);
        new IncidentRoutes(
                        store,
                        routing,
                        catalog,
                        Clock.systemUTC(),
                        (r, x) -> null,
                        anonymousWrites,
                        new LookupCode("a test secret of at least thirty-two bytes"))
                .mount(router);
        new Open311Routes(
                        catalog,
                        routing,
                        store,
                        (r, x) -> null,
                        new Open311Store(ds, ZoneId.of("Asia/Shanghai")),
                        anonymousWrites,
                        Clock.systemUTC(),
                        ZoneId.of("Asia/Shanghai"),
                        ServiceDefinitions.fromClasspath(),
                        new LookupCode("a test secret of at least thirty-two bytes"),
                        null,
                        null,
                        null)
                .mount(router);
        HttpServer server =
                vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
        base = "http://127.0.0.1:" + server.actualPort();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    static Answer post(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return TestServer.send(b.build());
    }

    @Test
    void oneBudgetPerAddressForEveryWriteWithoutAToken() {
        String file =
                Open311ApiTest.form(
                        "service_code",
                        "ENF_STREET_VENDING",
                        "lat",
                        "" + Open311ApiTest.lat,
                        "long",
                        "" + Open311ApiTest.lon);
        Answer first =
                post(
                        "/open311/v2/requests.json",
                        "application/x-www-form-urlencoded",
                        file + "&api_key=" + UUID.randomUUID(),
                        "X-Forwarded-For",
                        "203.0.113.9");
        assertEquals(201, first.status(), first.body());
        String id = first.json().get(0).get("service_request_id").asText();
        // a new api_key each time, a forged X-Forwarded-For: still the same address, still the same
        // budget
        assertEquals(
                201,
                post(
                                "/open311/v2/requests.json",
                                "application/x-www-form-urlencoded",
                                file + "&api_key=" + UUID.randomUUID(),
                                "X-Forwarded-For",
                                "203.0.113.10")
                        .status());
        assertEquals(
                201,
                post(
                                "/open311/v2/requests.json",
                                "application/x-www-form-urlencoded",
                                "follow_request_id=" + id + "&api_key=" + UUID.randomUUID())
                        .status(),
                "a follow is a write too");

        Answer open311 =
                post(
                        "/open311/v2/requests.json",
                        "application/x-www-form-urlencoded",
                        file + "&api_key=" + UUID.randomUUID());
        assertEquals(429, open311.status(), open311.body());
        assertEquals(
                429, open311.json().get(0).get("code").asInt(), "GeoReport's own error format");
        assertNotNull(open311.header("Retry-After"));
        assertEquals(
                429,
                post(
                                "/open311/v2/requests.xml",
                                "application/x-www-form-urlencoded",
                                "follow_request_id=" + id)
                        .status());

        Answer intake =
                post(
                        "/api/v1/incidents",
                        "application/json",
                        Open311ApiTest.intake("ENF_STREET_VENDING", "PUBLIC_ONLINE", "x"));
        assertEquals(429, intake.status(), intake.body());
        assertEquals("application/problem+json", intake.contentType());
        assertTrue(
                intake.json().get("type").asText().endsWith("/too-many-requests"), intake.body());
        assertNotNull(intake.header("Retry-After"));
    }
}
