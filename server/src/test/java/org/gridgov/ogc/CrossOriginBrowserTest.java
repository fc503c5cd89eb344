package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.gridgov.geo.TileScheme;
import org.gridgov.testing.TestServer;
import org.gridgov.webapp.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;

/**
 * A city's own map page on another origin (http://localhost:P, gridgov on http://127.0.0.1:Q) reads
 * gridgov's public layers from its scripts in a real headless Chromium, as OpenLayers and MapLibre
 * do: an MVT tile, WFS GeoJSON in EPSG:3857 (OpenLayers' WFS recipe), GetFeatureInfo JSON, a WFS
 * XML POST (preflighted: text/xml) and a restricted layer with a token (preflighted:
 * Authorization). The REST API, which is not offered to other origins, stays unreadable there — the
 * proof that the page really is cross-origin.
 */
@Tag("db")
@Tag("browser")
class CrossOriginBrowserTest {

    private static HttpServer page;

    /** The other origin: a page of its own, served from outside gridgov. */
    private static synchronized String pageOrigin() {
        if (page == null) {
            try {
                page = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            byte[] html =
                    "<!doctype html><html><head><meta charset=utf-8><title>city map</title></head><body><div id=map></div></body></html>"
                            .getBytes(StandardCharsets.UTF_8);
            page.createContext(
                    "/",
                    x -> {
                        x.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                        x.sendResponseHeaders(200, html.length);
                        x.getResponseBody().write(html);
                        x.close();
                    });
            page.start();
            TestServer.get();
        }
        return "http://localhost:" + page.getAddress().getPort();
    }

    @RegisterExtension
    static final Browser browser = new Browser(CrossOriginBrowserTest::pageOrigin);

    @AfterAll
    static void stopPage() {
        if (page != null) page.stop(0);
    }

    /** Runs fetch(url, init) in the page and reports status, type, size and text (or the error). */
    private static JsonNode fetch(String url, String init) throws Exception {
        String script =
                """
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], JSON.parse(arguments[1]))
                  .then(async (r) => {
                    const body = await r.arrayBuffer();
                    const text = new TextDecoder().decode(body);
                    done(JSON.stringify({ status: r.status, type: r.headers.get('content-type'),
                      bytes: body.byteLength, text }));
                  })
                  .catch((e) => done(JSON.stringify({ error: String(e) })));
                """;
        Object out = ((JavascriptExecutor) browser.driver()).executeAsyncScript(script, url, init);
        return TestServer.JSON.readTree((String) out);
    }

    @Test
    void aPageOnAnotherOriginReadsTilesFeaturesAndFeatureInfo() throws Exception {
        browser.driver().get(pageOrigin() + "/");
        assertEquals(pageOrigin(), browser.js("return location.origin"), "the page's own origin");
        assertNotEquals(pageOrigin(), TestServer.base());
        String gg = TestServer.base();

        JsonNode tile =
                fetch(
                        gg
                                + "/tiles/grids/14/"
                                + TileScheme.x(14, 120.29)
                                + "/"
                                + TileScheme.y(14, 30.19)
                                + ".mvt",
                        "{}");
        assertEquals(200, tile.path("status").asInt(), tile.toString());
        assertEquals("application/vnd.mapbox-vector-tile", tile.path("type").asText());
        assertTrue(tile.path("bytes").asInt() > 100, tile.toString());

        JsonNode wfs =
                fetch(
                        gg
                                + "/ows?service=WFS&version=1.1.0&request=GetFeature&typename=gridgov:grids"
                                + "&outputFormat=application/json&srsname=EPSG:3857"
                                + "&bbox=13380000,3520000,13400000,3540000,EPSG:3857",
                        "{}");
        assertEquals(200, wfs.path("status").asInt(), wfs.toString());
        JsonNode fc = TestServer.JSON.readTree(wfs.path("text").asText());
        assertTrue(fc.get("features").size() > 0);
        assertEquals("urn:ogc:def:crs:EPSG::3857", fc.at("/crs/properties/name").asText());

        JsonNode info =
                fetch(
                        gg
                                + "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=grids"
                                + "&QUERY_LAYERS=grids&STYLES=&CRS=EPSG:4326&BBOX="
                                + Ogc.BBOX_4326_13
                                + "&WIDTH=256&HEIGHT=256&FORMAT=image/png&I=128&J=128"
                                + "&INFO_FORMAT=application/json",
                        "{}");
        assertEquals(200, info.path("status").asInt(), info.toString());
        assertEquals(
                1,
                TestServer.JSON.readTree(info.path("text").asText()).get("features").size(),
                info.toString());

        // a preflighted POST: text/xml is not a "simple" content type
        String xml =
                "<wfs:GetFeature xmlns:wfs='http://www.opengis.net/wfs/2.0' service='WFS'"
                        + " version='2.0.0' count='2' outputFormat='application/json'>"
                        + "<wfs:Query typeNames='c:communities' xmlns:c='https://gridgov.org/ns'/>"
                        + "</wfs:GetFeature>";
        JsonNode post =
                fetch(
                        gg + "/ows",
                        TestServer.JSON
                                .createObjectNode()
                                .put("method", "POST")
                                .put("body", xml)
                                .set(
                                        "headers",
                                        TestServer.JSON
                                                .createObjectNode()
                                                .put("Content-Type", "text/xml"))
                                .toString());
        assertEquals(200, post.path("status").asInt(), post.toString());
        assertEquals(
                2, TestServer.JSON.readTree(post.path("text").asText()).get("features").size());

        // a restricted layer with the token the page holds: preflighted for Authorization
        String auth =
                "{\"headers\":{\"Authorization\":\"Bearer " + TestServer.token("operator") + "\"}}";
        JsonNode restricted = fetch(gg + "/ogc/collections/incidents/items?limit=1", auth);
        assertEquals(200, restricted.path("status").asInt(), restricted.toString());
        assertTrue(restricted.path("text").asText().contains("\"FeatureCollection\""));
        // without the token: readable 401 (the page can tell the user to log in)
        JsonNode anonymous = fetch(gg + "/ogc/collections/incidents/items?limit=1", "{}");
        assertEquals(401, anonymous.path("status").asInt(), anonymous.toString());

        // the REST API is not offered to other origins: the browser withholds it
        JsonNode api = fetch(gg + "/api/v1/categories", "{}");
        assertTrue(api.has("error"), "the REST API is same-origin only: " + api);
    }
}
