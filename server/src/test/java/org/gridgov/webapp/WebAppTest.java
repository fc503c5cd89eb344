package org.gridgov.webapp;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web map is served from the jar with the right caching, and leaves the server's routes alone.
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class WebAppTest {

    static Answer get(String path, String accept) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(TestServer.base() + path))
                        .header("Accept", accept)
                        .GET()
                        .build());
    }

    @Test
    void indexIsRevalidatedAndHashedAssetsAreImmutable() {
        Answer index = get("/", "text/html");
        assertEquals(200, index.status());
        assertTrue(index.contentType().startsWith("text/html"), index.contentType());
        assertEquals("no-cache", index.header("Cache-Control"));
        assertTrue(index.body().contains("<div id=\"app\">"), index.body());

        Matcher m = Pattern.compile("/assets/index-[A-Za-z0-9_-]{8}\\.js").matcher(index.body());
        assertTrue(m.find(), "index.html loads a hashed script: " + index.body());
        Answer script = get(m.group(), "*/*");
        assertEquals(200, script.status());
        assertTrue(script.contentType().contains("javascript"), script.contentType());
        assertEquals("public, max-age=31536000, immutable", script.header("Cache-Control"));
        assertTrue(script.body().length() > 1000);

        Answer html = get("/index.html", "text/html");
        assertEquals(200, html.status());
        assertEquals("no-cache", html.header("Cache-Control"));
    }

    @Test
    void thePhoneScreensManifestAndWorkerComeWithTheirTypesAndFresh() {
        Answer index = get("/", "text/html");
        assertTrue(index.body().contains("rel=\"manifest\" href=\"/manifest.webmanifest\""));

        Answer manifest = get("/manifest.webmanifest", "*/*");
        assertEquals(200, manifest.status());
        assertTrue(
                manifest.contentType().startsWith("application/manifest+json"),
                manifest.contentType());
        assertEquals("no-cache", manifest.header("Cache-Control"));
        assertEquals("/#/m", manifest.json().get("start_url").asText());
        assertEquals("zh-CN", manifest.json().get("lang").asText());
        for (var icon : manifest.json().get("icons")) {
            Answer png = get(icon.get("src").asText(), "image/*");
            assertEquals(200, png.status(), icon.toString());
            assertEquals("image/png", png.contentType());
        }

        Answer worker = get("/sw.js", "*/*");
        assertEquals(200, worker.status());
        assertTrue(worker.contentType().startsWith("text/javascript"), worker.contentType());
        assertEquals("no-cache", worker.header("Cache-Control"));
        assertEquals("/", worker.header("Service-Worker-Allowed"));
        assertTrue(worker.body().contains("addEventListener('fetch'"));
    }

    @Test
    void appPathsFallBackToTheAppButMissingFilesAndServerPathsDoNot() {
        Answer nav = get("/intake", "text/html,application/xhtml+xml");
        assertEquals(200, nav.status());
        assertEquals("no-cache", nav.header("Cache-Control"));
        assertTrue(nav.body().contains("<div id=\"app\">"));

        Answer missingAsset = get("/assets/nope-12345678.js", "*/*");
        assertEquals(404, missingAsset.status());
        assertEquals("application/problem+json", missingAsset.contentType());

        Answer script = get("/intake", "application/json");
        assertEquals(404, script.status(), "only browser navigations get the app");

        Answer api = get("/api/v1/nothing-here", "text/html");
        assertEquals(404, api.status());
        assertEquals("application/problem+json", api.contentType());
        assertTrue(api.json().get("detail").asText().contains("/api/v1/nothing-here"));

        Answer tiles = get("/tiles/nothing/1/1/1.mvt", "text/html");
        assertEquals(404, tiles.status());
        assertEquals("application/problem+json", tiles.contentType());

        Answer health = get("/health", "text/html");
        assertTrue(
                health.contentType().startsWith("application/json"),
                "server routes answer first: " + health.contentType());
    }

    @Test
    void webConfigGivesTheExtentAndNoExternalBaseMapByDefault() {
        Answer a = TestServer.get("/api/v1/web-config");
        assertEquals(200, a.status());
        var b = a.json();
        assertTrue(b.get("baseMap").isNull(), "no internet base map unless configured");
        var e = b.get("extent");
        assertEquals(4, e.size());
        assertTrue(
                e.get(0).asDouble() < e.get(2).asDouble()
                        && e.get(1).asDouble() < e.get(3).asDouble(),
                e.toString());
        assertTrue(
                e.get(0).asDouble() > 73 && e.get(2).asDouble() < 135,
                "the demo area lies in China: " + e);
        assertEquals("zh-CN", b.get("defaultLanguage").asText());
    }

    @Test
    void anExternalBaseMapMustBeAnHttpTemplate() {
        double[] ext = {120, 30, 120.1, 30.1};
        var ok =
                new WebConfig(
                        "https://t{0-7}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=vec&TILEMATRIXSET=w"
                                + "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY",
                        "天地图",
                        ext);
        assertTrue(
                new String(ok.json(), java.nio.charset.StandardCharsets.UTF_8)
                        .contains("\"attribution\":\"天地图\""));
        var noPlaceholders =
                assertThrows(
                        IllegalStateException.class,
                        () -> new WebConfig("https://tile.example.org/a.png", null, ext));
        assertTrue(noPlaceholders.getMessage().contains("{z}"), noPlaceholders.getMessage());
        var file =
                assertThrows(
                        IllegalStateException.class,
                        () -> new WebConfig("file:///etc/{z}/{x}/{y}", null, ext));
        assertTrue(file.getMessage().contains("http(s)"), file.getMessage());
    }

    /**
     * Issue #14, finding 12: the web map's pages carry a policy that runs only its own scripts, and
     * nothing is sniffed.
     */
    @Test
    void theAppIsServedWithSecurityHeadersAndTheApiWithNosniff() {
        Answer index = get("/", "text/html");
        assertFalse(
                Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>").matcher(index.body()).find(),
                "no inline script for the policy to allow: " + index.body());
        Matcher m = Pattern.compile("/assets/index-[A-Za-z0-9_-]{8}\\.js").matcher(index.body());
        assertTrue(m.find());
        for (Answer page :
                new Answer[] {index, get("/intake", "text/html"), get(m.group(), "*/*")}) {
            assertEquals(200, page.status());
            String csp = page.header("Content-Security-Policy");
            assertNotNull(csp, page.headers().toString());
            assertTrue(
                    csp.contains("default-src 'self'")
                            && csp.contains("script-src 'self';")
                            && csp.contains("frame-ancestors 'none'")
                            && csp.contains("object-src 'none'"),
                    csp);
            assertFalse(csp.contains("http"), "no other origin without a base map: " + csp);
            assertFalse(csp.matches(".*script-src[^;]*unsafe.*"), csp);
            assertEquals("DENY", page.header("X-Frame-Options"));
            assertEquals("nosniff", page.header("X-Content-Type-Options"));
            assertEquals("strict-origin-when-cross-origin", page.header("Referrer-Policy"));
        }
        for (Answer api :
                new Answer[] {
                    TestServer.get("/api/v1/categories"),
                    get("/api/v1/nothing-here", "*/*"),
                    TestServer.get("/api/v1/incidents")
                }) {
            assertEquals(
                    "nosniff",
                    api.header("X-Content-Type-Options"),
                    api.status() + " " + api.headers());
        }
    }

    @Test
    void theBaseMapsHostIsTheOneOtherOriginThePolicyAllows() {
        assertEquals(
                "https://*.tianditu.gov.cn",
                WebApp.baseMapSource(
                        "https://t{0-7}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY"));
        assertEquals(
                "https://*.tile.example.org",
                WebApp.baseMapSource("https://{a-c}.tile.example.org/{z}/{x}/{y}.png"));
        assertEquals(
                "https://tile.openstreetmap.org",
                WebApp.baseMapSource("https://tile.openstreetmap.org/{z}/{x}/{y}.png"));
        assertEquals(
                "http://tiles.local:8081",
                WebApp.baseMapSource("http://user:pw@tiles.local:8081/{z}/{x}/{y}.png"));
        assertEquals(
                "https:",
                WebApp.baseMapSource("https://tiles.{s}.example.org/{z}/{x}/{y}.png"),
                "a placeholder mid-host: the scheme only");
        String csp = WebApp.contentSecurityPolicy("https://tile.openstreetmap.org/{z}/{x}/{y}.png");
        assertTrue(csp.contains("img-src 'self' data: blob: https://tile.openstreetmap.org;"), csp);
        assertTrue(csp.contains("connect-src 'self' https://tile.openstreetmap.org;"), csp);
        assertTrue(csp.contains("script-src 'self';"), "never scripts from the base map: " + csp);
    }
}
