package org.gridgov.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Requests HTTP itself refuses are answered as problem+json too, not with a bare status line. */
@Tag("db")
class HttpLimitsTest {

    @Test
    void anOverlongRequestLineIs414ProblemJson() {
        var r =
                TestServer.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                TestServer.base()
                                                        + "/api/v1/categories?x="
                                                        + "a".repeat(ApiRouter.MAX_REQUEST_LINE)))
                                .build());
        assertEquals(414, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(Problem.TYPE_BASE + "uri-too-long", r.json().get("type").asText());
    }

    @Test
    void aLongOgcStyleQueryUnderTheLimitReachesItsHandler() {
        // 5,000 characters: over Netty's default 4 KiB line, under gridgov's 16 KiB
        var r = TestServer.get("/api/v1/analytics/bins?size=200&category=" + "x".repeat(5000));
        assertTrue(r.status() == 400 || r.status() == 422, r.status() + " " + r.body());
        assertEquals("application/problem+json", r.contentType());
        assertTrue(r.json().get("detail").asText().length() > 0);
    }

    @Test
    void overlongHeadersAre431ProblemJson() {
        var r =
                TestServer.send(
                        HttpRequest.newBuilder(URI.create(TestServer.base() + "/api/v1/categories"))
                                .header("X-Padding", "p".repeat(20_000))
                                .build());
        assertEquals(431, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
    }
}
