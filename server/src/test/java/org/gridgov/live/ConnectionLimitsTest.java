package org.gridgov.live;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gridgov.people.Tokens;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.LimitedServer;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Connection limits (issue #14, finding 8), against {@link LimitedServer}: a half-sent request head
 * is cut off, a live stream ends when its token expires, a resume replays at most the cap, and a
 * user's streams are counted.
 */
@Tag("db")
class ConnectionLimitsTest {

    static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(java.time.Duration.ofSeconds(10))
                    .build();

    /** True once the server has closed the connection (end of stream or reset). */
    static boolean closedByServer(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException e) {
            return true;
        }
    }

    @Test
    void aHalfSentRequestHeadIsCutOff() throws Exception {
        try (Socket s = new Socket("127.0.0.1", LimitedServer.port())) {
            // far beyond the 1 s header timeout: only a server that never cuts off reaches it
            s.setSoTimeout(60_000);
            s.getOutputStream()
                    .write(
                            "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            assertTrue(
                    closedByServer(s.getInputStream()),
                    "the server closed the connection without an answer");
        }
        // a whole request on a fresh connection is still answered
        assertEquals(
                200,
                HTTP.send(
                                HttpRequest.newBuilder(URI.create(LimitedServer.base() + "/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());
    }

    /** The claims of a demo account's token, to be signed again with another lifetime. */
    static JsonObject claimsOf(String username) {
        String payload = TestServer.token(username).split("\\.")[1];
        JsonObject claims =
                new JsonObject(
                        new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
        claims.remove("exp");
        claims.remove("iat");
        claims.remove("iss");
        return claims;
    }

    @Test
    void aStreamEndsWhenItsTokenExpires() throws Exception {
        Vertx vertx = Vertx.vertx();
        String token;
        try {
            token =
                    new Tokens(vertx, TestServer.jwtSecret(), 60)
                            .issue(claimsOf("director"), 3); // the test servers' secret
        } finally {
            vertx.close();
        }
        HttpResponse<Stream<String>> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(LimitedServer.base() + "/api/v1/events"))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        // the stream's end is what is awaited; the timeout is a safety net far beyond the token's 3
        // s
        List<String> lines =
                CompletableFuture.supplyAsync(() -> r.body().toList()).get(60, TimeUnit.SECONDS);
        assertTrue(lines.contains("event: token-expired"), lines.toString());
    }

    @Test
    void aResumeFromLongAgoReplaysAtMostTheCap() throws Exception {
        DemoFixture.probe();
        long newest = TestDatabase.queryLong("SELECT coalesce(max(id), 0) FROM incident_event");
        assertTrue(
                TestDatabase.queryLong("SELECT count(*) FROM incident_event")
                        > LimitedServer.REPLAY_MAX,
                "the demo data holds more events than the cap");
        String token = TestServer.token("chief");
        HttpResponse<Stream<String>> r = null;
        for (int attempt = 0; attempt < 50; attempt++) { // 503 while the relay takes its first mark
            r =
                    HTTP.send(
                            HttpRequest.newBuilder(
                                            URI.create(LimitedServer.base() + "/api/v1/events"))
                                    .header("Authorization", "Bearer " + token)
                                    .header("Last-Event-ID", "0")
                                    .build(),
                            HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() != 503) break;
            r.body().close();
            Thread.sleep(100);
        }
        assertEquals(200, r.statusCode());
        List<String> events = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        try (Stream<String> body = r.body()) {
            var it = body.iterator();
            // ids arrive in order: once the newest event of before the request is in, the replay is
            // complete
            CompletableFuture.runAsync(
                            () -> {
                                while (it.hasNext()) {
                                    String line = it.next();
                                    if (line.startsWith("event: ")) events.add(line.substring(7));
                                    if (line.startsWith("id: ")) {
                                        ids.add(Long.parseLong(line.substring(4)));
                                        if (ids.get(ids.size() - 1) >= newest) return;
                                    }
                                }
                            })
                    .get(60, TimeUnit.SECONDS);
        }
        assertEquals(
                "reload",
                events.get(0),
                "the client is told first that it missed events: " + events);
        long replayed = ids.stream().filter(id -> id <= newest).count();
        assertTrue(
                replayed >= 1 && replayed <= LimitedServer.REPLAY_MAX,
                "replayed " + replayed + ": " + ids);
    }

    @Test
    void aUsersStreamsBeyondTheCapAreRefused() throws Exception {
        String token = TestServer.token("liaison");
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < LimitedServer.STREAMS_PER_USER; i++) {
                Socket s = new Socket("127.0.0.1", LimitedServer.port());
                open.add(s);
                s.setSoTimeout(30_000);
                s.getOutputStream()
                        .write(
                                ("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                                                + token
                                                + "\r\n\r\n")
                                        .getBytes(StandardCharsets.ISO_8859_1));
                String status =
                        new BufferedReader(
                                        new InputStreamReader(
                                                s.getInputStream(), StandardCharsets.ISO_8859_1))
                                .readLine();
                assertEquals("HTTP/1.1 200 OK", status);
            }
            var refused =
                    HTTP.send(
                            HttpRequest.newBuilder(
                                            URI.create(LimitedServer.base() + "/api/v1/events"))
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(429, refused.statusCode(), refused.body());
            assertTrue(
                    refused.headers()
                            .firstValue("Content-Type")
                            .orElse("")
                            .startsWith("application/problem+json"));
            JsonNode p = TestServer.JSON.readTree(refused.body());
            assertTrue(p.get("type").asText().endsWith("/too-many-streams"), p.toString());
        } finally {
            for (Socket s : open) s.close();
        }
    }
}
