package org.gridgov.ogc;

import static org.gridgov.ogc.Ogc.*;
import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** WMS 1.3.0 and 1.1.1 through the gateway, against the real MapServer workers. */
@Tag("db")
class WmsTest {

    @Test
    void capabilities130AdvertiseLayersFormatsAndGridgovsAddress() {
        var r = get("/ows?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0");
        assertEquals(200, r.statusCode());
        String xml = text(r);
        assertTrue(xml.contains("<WMS_Capabilities version=\"1.3.0\""), xml.substring(0, 200));
        for (String layer :
                new String[] {
                    "subdistrict", "communities", "roads", "grids", "heatmap", "workload"
                }) {
            assertTrue(xml.contains("<Name>" + layer + "</Name>"), layer);
        }
        assertFalse(
                xml.contains("<Name>incidents</Name>"),
                "restricted layers are not in the anonymous capabilities");
        assertFalse(xml.contains("<Name>base_units</Name>"));
        assertFalse(xml.contains("mapserver.gridgov.invalid"), "MapServer's address is rewritten");
        assertTrue(
                xml.contains("xlink:href=\"" + org.gridgov.testing.TestServer.base() + "/ows?"),
                "gridgov's address is advertised: "
                        + xml.replaceAll("(?s).*?(<OnlineResource[^>]*>).*", "$1"));
        assertTrue(
                xml.contains("<Format>application/json</Format>"),
                "JSON feature info is advertised");
        assertFalse(
                xml.contains("application/x-pdf")
                        || xml.contains("image/svg")
                        || xml.contains("kml"),
                "only working formats");
        assertTrue(
                xml.contains("<CRS>EPSG:4549</CRS>")
                        && xml.contains("<CRS>EPSG:4490</CRS>")
                        && xml.contains("<CRS>EPSG:3857</CRS>"));
        assertTrue(xml.contains("<Name>grids_by_community</Name>"), "named styles");
        assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("max-age"));
    }

    @Test
    void capabilities111() {
        var r = get("/ows?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.1.1");
        assertEquals(200, r.statusCode());
        assertTrue(text(r).contains("WMT_MS_Capabilities version=\"1.1.1\""));
    }

    @Test
    void getMap130DrawsGridsInEveryCrs() {
        String[][] cases = {
            {"EPSG:4326", BBOX_4326_13},
            {"EPSG:4490", BBOX_4326_13},
            {"CRS:84", BBOX_4326_11},
            {"EPSG:3857", "13386900,3524000,13393800,3532300"},
            {"EPSG:4549", "3337500,524900,3344800,530900"}
        };
        for (String[] c : cases) {
            var r =
                    get(
                            "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=grids&STYLES=&CRS="
                                    + c[0]
                                    + "&BBOX="
                                    + c[1]
                                    + "&WIDTH=256&HEIGHT=256&FORMAT=image/png&TRANSPARENT=TRUE");
            assertEquals(
                    200,
                    r.statusCode(),
                    c[0] + ": " + (type(r).startsWith("image") ? "" : text(r)));
            assertEquals("image/png", type(r));
            BufferedImage img = image(r);
            assertEquals(256, img.getWidth());
            assertTrue(
                    paintedPixels(img) > 256 * 256 / 10,
                    c[0] + " draws the grids: " + paintedPixels(img));
        }
    }

    @Test
    void getMap111JpegAndStyles() {
        var r =
                get(
                        "/ows?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=communities,workload&STYLES=communities_outline,workload_diverging&SRS=EPSG:4326&BBOX="
                                + BBOX_4326_11
                                + "&WIDTH=300&HEIGHT=300&FORMAT=image/jpeg");
        assertEquals(200, r.statusCode(), text(r));
        assertEquals("image/jpeg", type(r));
        assertTrue(paintedPixels(image(r)) > 300 * 300 / 10);
    }

    @Test
    void roadsAreDrawnByClassAndServedOverWfs() throws Exception {
        var r =
                get(
                        "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=roads&STYLES=roads_by_class&CRS=EPSG:4326&BBOX="
                                + BBOX_4326_13
                                + "&WIDTH=256&HEIGHT=256&FORMAT=image/png&TRANSPARENT=TRUE");
        assertEquals(200, r.statusCode(), type(r).startsWith("image") ? "" : text(r));
        int painted = paintedPixels(image(r));
        assertTrue(painted > 256 * 256 / 50, "road lines drawn: " + painted);
        var wfs =
                get(
                        "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=roads&COUNT=5&OUTPUTFORMAT=application/json");
        assertEquals(200, wfs.statusCode(), text(wfs));
        var fc = org.gridgov.testing.TestServer.JSON.readTree(wfs.body()).get("features");
        assertEquals(5, fc.size());
        for (var f : fc) {
            assertTrue(
                    f.get("properties").get("road_class").asText().matches("MAIN|STREET|LANE"),
                    f.toString());
            assertTrue(f.get("geometry").get("type").asText().endsWith("LineString"), f.toString());
        }
    }

    @Test
    void workloadDivergesAroundTheMean() throws Exception {
        var r =
                get(
                        "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=workload&OUTPUTFORMAT=application/json");
        assertEquals(200, r.statusCode(), text(r));
        var fc = org.gridgov.testing.TestServer.JSON.readTree(r.body()).get("features");
        double sum = 0;
        for (var f : fc) sum += f.get("properties").get("deviation").asDouble();
        assertTrue(fc.size() > 5);
        assertEquals(0, sum / fc.size(), 0.01, "deviations average to zero");
    }

    @Test
    void featureInfoHtmlGmlAndJson() throws Exception {
        String base =
                "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=grids&QUERY_LAYERS=grids&STYLES=&CRS=EPSG:4326&BBOX="
                        + BBOX_4326_13
                        + "&WIDTH=256&HEIGHT=256&FORMAT=image/png&I=128&J=128&INFO_FORMAT=";
        var html = get(base + "text/html");
        assertEquals(200, html.statusCode(), text(html));
        assertTrue(type(html).startsWith("text/html"));
        assertTrue(
                text(html).contains("data-layer=\"grids\"")
                        && text(html).matches("(?s).*<td>\\d{15}</td>.*"),
                text(html));
        var gml = get(base + "application/vnd.ogc.gml");
        assertEquals(200, gml.statusCode());
        assertTrue(text(gml).contains("<grids_layer>") && text(gml).contains("<code>"), text(gml));
        var json = get(base + "application/json");
        assertEquals(200, json.statusCode(), text(json));
        var doc = org.gridgov.testing.TestServer.JSON.readTree(json.body());
        assertEquals("FeatureCollection", doc.get("type").asText());
        assertEquals(1, doc.get("features").size(), "the grid under the centre pixel");
        assertEquals(
                15, doc.get("features").get(0).get("properties").get("code").asText().length());
    }

    @Test
    void legendsAndStyles() {
        var legend =
                get(
                        "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&LAYER=grids&FORMAT=image/png&SLD_VERSION=1.1.0");
        assertEquals(200, legend.statusCode(), text(legend));
        assertTrue(paintedPixels(image(legend)) > 50);
        var sld =
                get(
                        "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetStyles&LAYERS=workload&SLD_VERSION=1.1.0");
        assertEquals(200, sld.statusCode());
        assertTrue(
                text(sld).contains("StyledLayerDescriptor")
                        && text(sld).toLowerCase().contains("#b2182b"),
                text(sld));
    }

    @Test
    void sldBodyRestylesALayer() {
        String sld =
                "<StyledLayerDescriptor version=\"1.0.0\" xmlns=\"http://www.opengis.net/sld\" xmlns:ogc=\"http://www.opengis.net/ogc\">"
                        + "<NamedLayer><Name>subdistrict</Name><UserStyle><FeatureTypeStyle><Rule><PolygonSymbolizer><Fill>"
                        + "<CssParameter name=\"fill\">#00ff00</CssParameter></Fill></PolygonSymbolizer></Rule></FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>";
        var r =
                get(
                        "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=subdistrict&STYLES=&CRS=EPSG:4326&BBOX="
                                + BBOX_4326_13
                                + "&WIDTH=64&HEIGHT=64&FORMAT=image/png&SLD_BODY="
                                + java.net.URLEncoder.encode(
                                        sld, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), text(r));
        int rgb = image(r).getRGB(32, 32) & 0xffffff;
        assertEquals(0x00ff00, rgb, "the centre is painted with the SLD's green");
    }

    @Test
    void heatmapIsDrawnByGridgovWithFilters() {
        String q =
                "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=heatmap&STYLES=&CRS=EPSG:4326&BBOX="
                        + SQUARE_13
                        + "&WIDTH=256&HEIGHT=256&FORMAT=image/png&TRANSPARENT=TRUE";
        var all = get(q);
        assertEquals(200, all.statusCode(), text(all));
        int painted = paintedPixels(image(all));
        assertTrue(painted > 1000, "heat is drawn: " + painted);
        var none = get(q + "&from=2000-01-01&to=2000-01-02");
        assertEquals(200, none.statusCode());
        assertEquals(0, paintedPixels(image(none)), "no incident in 2000");
        // a year: without TIME the heatmap shows the last 30 days, too few of one platform's
        // incidents for the public heatmap's 3-per-cell rule
        var platform = get(q + "&platform=MARKET&TIME=P1Y/current");
        assertEquals(200, platform.statusCode());
        assertTrue(paintedPixels(image(platform)) > 0);
        var merc =
                get(
                        "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=heatmap&STYLES=&CRS=EPSG:3857&BBOX=13386900,3524000,13393800,3530900&WIDTH=256&HEIGHT=256&FORMAT=image/jpeg");
        assertEquals(200, merc.statusCode());
        assertTrue(paintedPixels(image(merc)) > 1000);
    }

    @Test
    void planParameterShowsAnotherPlanOrNothing() {
        String q =
                "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=grids&STYLES=&CRS=EPSG:4326&BBOX="
                        + BBOX_4326_13
                        + "&WIDTH=128&HEIGHT=128&FORMAT=image/png&TRANSPARENT=TRUE&plan=";
        assertTrue(paintedPixels(image(get(q + "active"))) > 1000);
        var missing = get(q + "999999");
        assertEquals(200, missing.statusCode());
        assertEquals(0, paintedPixels(image(missing)), "no such plan: empty picture");
        var bad = get(q + "1%20OR%201=1");
        assertEquals(400, bad.statusCode());
        assertTrue(
                text(bad).contains("InvalidParameterValue")
                        && text(bad).contains("locator=\"plan\""));
    }
}
