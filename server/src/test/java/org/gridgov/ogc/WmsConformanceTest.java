package org.gridgov.ogc;

import static org.gridgov.ogc.Ogc.*;
import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a WMS validator tries beyond the single layers: the root layer as a layer, exceptions as
 * pictures, and LegendURL sizes that match the legends served.
 */
@Tag("db")
class WmsConformanceTest {

    private static final String MAP13 =
            "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&CRS=EPSG:4326&BBOX="
                    + BBOX_4326_13
                    + "&FORMAT=image/png&WIDTH=200&HEIGHT=160";

    @Test
    void theRootLayerDrawsItsPublicChildren() {
        var root = get(MAP13 + "&LAYERS=gridgov&STYLES=");
        assertEquals(200, root.statusCode(), type(root).startsWith("image") ? "" : text(root));
        assertEquals("image/png", type(root));
        BufferedImage img = image(root);
        assertEquals(200, img.getWidth());
        assertEquals(160, img.getHeight(), "any pixel shape, though the heatmap is a child");
        int painted = paintedPixels(img);
        assertTrue(painted > 200 * 160 / 2, "the children cover the map: " + painted);
        var styled = get(MAP13 + "&LAYERS=gridgov&STYLES=default");
        assertEquals(
                200, styled.statusCode(), type(styled).startsWith("image") ? "" : text(styled));
        var jpeg =
                get(
                        "/ows?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=gridgov&STYLES=&SRS=EPSG:3857"
                                + "&BBOX=13386900,3524000,13393800,3532300&WIDTH=300&HEIGHT=300"
                                + "&FORMAT=image/jpeg");
        assertEquals(200, jpeg.statusCode(), type(jpeg).startsWith("image") ? "" : text(jpeg));
        assertEquals("image/jpeg", type(jpeg));
        var big =
                get(
                        MAP13.replace("WIDTH=200&HEIGHT=160", "WIDTH=3000&HEIGHT=2000")
                                + "&LAYERS=gridgov&STYLES=");
        assertEquals(200, big.statusCode(), "beyond the heatmap's size the root draws the rest");
    }

    @Test
    void theRootLayersStylesAreItsChildrensDefaults() {
        var bad = get(MAP13 + "&LAYERS=gridgov&STYLES=grids_outline");
        assertEquals(400, bad.statusCode());
        assertTrue(text(bad).contains("StyleNotDefined"), text(bad));
        var two = get(MAP13 + "&LAYERS=gridgov,grids&STYLES=,grids_outline");
        assertEquals(200, two.statusCode(), type(two).startsWith("image") ? "" : text(two));
        var twice = get(MAP13 + "&LAYERS=gridgov,gridgov&STYLES=");
        assertEquals(400, twice.statusCode());
    }

    @Test
    void theRootLayerStandsForWhatTheCallerMaySee() throws Exception {
        String info =
                "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=gridgov&QUERY_LAYERS=gridgov"
                        + "&STYLES=&CRS=EPSG:4326&BBOX="
                        + BBOX_4326_13
                        + "&WIDTH=256&HEIGHT=256&FORMAT=image/png&I=128&J=128&FEATURE_COUNT=50"
                        + "&INFO_FORMAT=application/json";
        var anonymous = get(info);
        assertEquals(200, anonymous.statusCode(), text(anonymous));
        List<String> layers = layersIn(anonymous.body());
        assertTrue(layers.contains("grids") && layers.contains("communities"), layers.toString());
        var doc = TestServer.JSON.readTree(anonymous.body());
        for (var f : doc.get("features")) {
            assertFalse(f.get("properties").has("households"), "no base unit for anonymous");
            assertFalse(f.get("properties").has("platform"), "no incident for anonymous");
        }
        var html = get(info.replace("application/json", "text/html"));
        assertEquals(200, html.statusCode(), text(html));
        assertTrue(
                text(html).contains("data-layer=\"grids\"")
                        && text(html).contains("data-layer=\"communities\""),
                text(html));
        assertFalse(text(html).contains("data-layer=\"base_units\""));
        var operator = getAs("operator", info.replace("application/json", "text/html"));
        assertEquals(200, operator.statusCode(), text(operator));
        assertTrue(text(operator).contains("data-layer=\"base_units\""), text(operator));
        var drawn = getAs("operator", MAP13 + "&LAYERS=gridgov&STYLES=");
        assertEquals(200, drawn.statusCode());
        assertEquals("private, no-store", drawn.headers().firstValue("Cache-Control").orElse(""));
        var describe =
                get(
                        "/ows?SERVICE=WMS&VERSION=1.1.1&REQUEST=DescribeLayer&LAYERS=gridgov&SLD_VERSION=1.1.0");
        assertEquals(200, describe.statusCode(), text(describe));
        assertTrue(text(describe).contains("grids") && !text(describe).contains("base_units"));
    }

    /** The layers of a JSON feature info, told by their attributes (ids are numbers). */
    private static List<String> layersIn(byte[] json) throws Exception {
        List<String> out = new ArrayList<>();
        for (var f : TestServer.JSON.readTree(json).get("features")) {
            var p = f.get("properties");
            String layer =
                    p.has("plan_id")
                            ? "grids"
                            : p.has("tone") ? "communities" : p.has("road_class") ? "roads" : "?";
            if (!out.contains(layer)) out.add(layer);
        }
        return out;
    }

    @Test
    void gatewayExceptionsInImage() {
        var r = get(MAP13 + "&LAYERS=nosuch&STYLES=&EXCEPTIONS=INIMAGE");
        assertEquals(200, r.statusCode());
        assertEquals("image/png", type(r));
        BufferedImage img = image(r);
        assertEquals(200, img.getWidth());
        assertEquals(160, img.getHeight());
        assertTrue(paintedPixels(img) > 20, "the message is written: " + paintedPixels(img));
        var jpeg =
                get(
                        MAP13.replace("image/png", "image/jpeg")
                                + "&LAYERS=grids&STYLES=nosuch&EXCEPTIONS=application/vnd.ogc.se_inimage");
        assertEquals(200, jpeg.statusCode());
        assertEquals("image/jpeg", type(jpeg));
        assertEquals(200, image(jpeg).getWidth());
    }

    @Test
    void gatewayExceptionsBlankHonourBgcolorAndTransparent() {
        var red =
                get(
                        "/ows?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=grids&STYLES=&SRS=EPSG:9999"
                                + "&BBOX=1,2,3,4&WIDTH=64&HEIGHT=48&FORMAT=image/jpeg&BGCOLOR=0xFF0000"
                                + "&EXCEPTIONS=application/vnd.ogc.se_blank");
        assertEquals(200, red.statusCode());
        assertEquals("image/jpeg", type(red));
        BufferedImage img = image(red);
        assertEquals(64, img.getWidth());
        assertEquals(48, img.getHeight());
        for (int[] p : new int[][] {{0, 0}, {32, 24}, {63, 47}}) {
            int rgb = img.getRGB(p[0], p[1]);
            assertTrue(
                    ((rgb >> 16) & 0xff) > 240 && ((rgb >> 8) & 0xff) < 16 && (rgb & 0xff) < 16,
                    Integer.toHexString(rgb));
        }
        var clear = get(MAP13 + "&LAYERS=nosuch&STYLES=&EXCEPTIONS=BLANK&TRANSPARENT=TRUE");
        assertEquals(200, clear.statusCode());
        assertEquals("image/png", type(clear));
        BufferedImage c = image(clear);
        for (int y = 0; y < c.getHeight(); y += 7)
            for (int x = 0; x < c.getWidth(); x += 7) assertEquals(0, c.getRGB(x, y) >>> 24);
        var white = get(MAP13 + "&LAYERS=nosuch&STYLES=&EXCEPTIONS=BLANK");
        assertEquals(0xffffff, image(white).getRGB(5, 5) & 0xffffff);
        assertEquals(0, paintedPixels(image(white)), "BLANK writes nothing");
    }

    @Test
    void imageExceptionsKeepTheChallengeAndXmlStaysTheDefault() {
        var restricted = get(MAP13 + "&LAYERS=incidents&STYLES=&EXCEPTIONS=INIMAGE");
        assertEquals(401, restricted.statusCode());
        assertEquals("image/png", type(restricted));
        assertTrue(restricted.headers().allValues("WWW-Authenticate").contains("Bearer"));
        var xml = get(MAP13 + "&LAYERS=nosuch&STYLES=&EXCEPTIONS=XML");
        assertEquals(400, xml.statusCode());
        assertTrue(text(xml).contains("LayerNotDefined"));
        var bogus = get(MAP13 + "&LAYERS=grids&STYLES=&EXCEPTIONS=PDF");
        assertEquals(400, bogus.statusCode());
        assertTrue(text(bogus).contains("locator=\"EXCEPTIONS\""), text(bogus));
        var info =
                get(
                        "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=grids&QUERY_LAYERS=grids"
                                + "&STYLES=&CRS=EPSG:4326&BBOX="
                                + BBOX_4326_13
                                + "&WIDTH=256&HEIGHT=256&FORMAT=image/png&I=1&J=1&EXCEPTIONS=INIMAGE");
        assertEquals(400, info.statusCode(), "feature info exceptions are XML");
        assertTrue(text(info).contains("locator=\"EXCEPTIONS\""), text(info));
        var good = get(MAP13 + "&LAYERS=grids&STYLES=&EXCEPTIONS=INIMAGE");
        assertEquals(200, good.statusCode());
        assertTrue(paintedPixels(image(good)) > 1000, "a good request draws the map");
    }

    private static final Pattern LEGEND =
            Pattern.compile(
                    "<LegendURL width=\"(\\d+)\" height=\"(\\d+)\">\\s*<Format>image/png</Format>\\s*"
                            + "<OnlineResource [^>]*xlink:href=\"([^\"]+)\"");

    @Test
    void everyLegendUrlDeclaresTheSizeServed() {
        for (String version : new String[] {"1.3.0", "1.1.1"}) {
            var caps =
                    getAs(
                            "operator",
                            "/ows?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=" + version);
            assertEquals(200, caps.statusCode());
            Matcher m = LEGEND.matcher(text(caps));
            int n = 0;
            while (m.find()) {
                n++;
                String href = m.group(3).replace("&amp;", "&");
                assertTrue(href.startsWith(TestServer.base()), href);
                var legend = getAs("operator", href.substring(TestServer.base().length()));
                assertEquals(200, legend.statusCode(), href);
                BufferedImage img = image(legend);
                assertEquals(
                        img.getWidth() + "x" + img.getHeight(),
                        m.group(1) + "x" + m.group(2),
                        "declared size of " + href);
            }
            // one legend per style of each layer in the catalog
            int styles =
                    org.gridgov.ogc.catalog.LayerCatalog.load(null).all().stream()
                            .mapToInt(l -> l.styles().size())
                            .sum();
            assertEquals(styles, n, "every style of every layer has a legend (" + version + ")");
        }
    }
}
