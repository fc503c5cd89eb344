package org.gridgov.db;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Statement;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.gridgov.api.ApiRouter;
import org.gridgov.api.Handlers;
import org.gridgov.api.Responses;
import org.gridgov.app.Config;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Heavy anonymous work cannot hold the server's connections (finding 9): a statement past
 * GRIDGOV_DB_STATEMENT_TIMEOUT_MS is stopped by PostgreSQL and the request answers 503
 * problem+json, not 500 after however long the query would have taken.
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class QueryTimeoutTest {

    @Test
    void aStatementPastTheTimeoutAnswers503() throws Exception {
        var settings = new HashMap<>(TestDatabase.serverConfig());
        settings.put("GRIDGOV_DB_STATEMENT_TIMEOUT_MS", "100");
        settings.put("GRIDGOV_DB_POOL", "1");
        Vertx vertx = Vertx.vertx();
        try (Database db = Database.connect(Config.of(settings).db())) {
            Router router = ApiRouter.create(vertx, 1024);
            router.get("/slow")
                    .handler(
                            ctx ->
                                    Handlers.blocking(
                                            ctx,
                                            () -> {
                                                try (var c = db.connection();
                                                        Statement st = c.createStatement()) {
                                                    st.execute("SELECT pg_sleep(600)");
                                                }
                                                return "done";
                                            },
                                            (x, r) -> Responses.json(x, 200, r)));
            HttpServer server =
                    vertx.createHttpServer()
                            .requestHandler(router)
                            .listen(0, "127.0.0.1")
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
            HttpResponse<String> r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + server.actualPort()
                                                                    + "/slow"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(
                    r.headers()
                            .firstValue("Content-Type")
                            .orElse("")
                            .startsWith("application/problem+json"));
            assertTrue(r.body().contains("query-timeout"), r.body());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
