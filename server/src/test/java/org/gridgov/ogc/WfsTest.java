package org.gridgov.ogc;

import static org.gridgov.ogc.Ogc.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** WFS 2.0 through the gateway. */
@Tag("db")
class WfsTest {

    private static JsonNode json(String query) {
        var r = get("/ows?" + query);
        assertEquals(200, r.statusCode(), text(r));
        try {
            return TestServer.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(text(r), e);
        }
    }

    @Test
    void capabilitiesListOutputFormatsAndGridgovAddress() {
        var r = get("/ows?SERVICE=WFS&REQUEST=GetCapabilities&ACCEPTVERSIONS=2.0.0");
        String xml = text(r);
        assertEquals(200, r.statusCode());
        assertTrue(
                xml.contains("wfs:WFS_Capabilities") && xml.contains("<Name>gridgov:grids</Name>"),
                xml.substring(0, 300));
        assertFalse(xml.contains("mapserver.gridgov.invalid"));
        assertFalse(xml.contains("gridgov:heatmap"), "the raster heatmap is not a feature type");
        assertTrue(
                xml.contains("xlink:href=\"" + TestServer.base() + "/ows?"), "gridgov's address");
    }

    @Test
    void geoJsonUnderTheNamesClientsUse() {
        for (String f :
                new String[] {"application/json", "json", "geojson", "application/geo%2Bjson"}) {
            var r =
                    get(
                            "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=communities&COUNT=2&OUTPUTFORMAT="
                                    + f);
            assertEquals(200, r.statusCode(), f + ": " + text(r));
            assertTrue(type(r).startsWith("application/json"), f + " " + type(r));
            assertTrue(text(r).contains("\"FeatureCollection\""));
        }
    }

    @Test
    void pagingWithCountAndStartIndex() {
        Set<Long> seen = new HashSet<>();
        int total =
                json("SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&OUTPUTFORMAT=json")
                        .get("features")
                        .size();
        for (int start = 0; start < total; start += 10) {
            JsonNode page =
                    json(
                            "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&OUTPUTFORMAT=json&SORTBY=code&COUNT=10&STARTINDEX="
                                    + start);
            for (JsonNode f : page.get("features"))
                assertTrue(
                        seen.add(f.get("properties").get("id").asLong()),
                        "no repeats across pages");
        }
        assertEquals(total, seen.size());
        String hits =
                text(
                        get(
                                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&RESULTTYPE=hits"));
        assertTrue(
                hits.contains("numberMatched=\"" + total + "\"")
                        && hits.contains("numberReturned=\"0\""),
                hits);
    }

    static String fes(String inner) {
        return "<fes:Filter xmlns:fes=\"http://www.opengis.net/fes/2.0\">"
                + inner
                + "</fes:Filter>";
    }

    static String equalTo(String property, String literal) {
        return fes(
                "<fes:PropertyIsEqualTo><fes:ValueReference>"
                        + property
                        + "</fes:ValueReference><fes:Literal>"
                        + literal
                        + "</fes:Literal></fes:PropertyIsEqualTo>");
    }

    static long matched(String query) {
        String hits = text(get("/ows?" + query + "&RESULTTYPE=hits"));
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("numberMatched=\"(\\d+)\"").matcher(hits);
        assertTrue(m.find(), hits);
        return Long.parseLong(m.group(1));
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * FILTER=(f1)(f2): one filter per feature type of TYPENAMES, in order (WFS 2.0 key-value form).
     */
    @Test
    void aFilterListGivesEachTypeItsOwnFilter() {
        String types = "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=communities,grids";
        long urban =
                matched(
                        "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=communities&FILTER="
                                + enc(equalTo("kind", "URBAN")));
        long basic =
                matched(
                        "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&FILTER="
                                + enc(equalTo("kind", "BASIC")));
        long grids = matched("SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids");
        assertTrue(urban > 0 && basic > 0 && basic < grids, urban + " " + basic + " " + grids);
        assertEquals(
                urban + basic,
                matched(
                        types
                                + "&FILTER="
                                + enc(
                                        "("
                                                + equalTo("kind", "URBAN")
                                                + ")("
                                                + equalTo("kind", "BASIC")
                                                + ")")));
        // a literal holding parentheses does not split the list
        assertEquals(
                basic,
                matched(
                        types
                                + "&FILTER="
                                + enc(
                                        "("
                                                + equalTo("name", "x)(y")
                                                + ")("
                                                + equalTo("kind", "BASIC")
                                                + ")")));
        String gml =
                text(
                        get(
                                "/ows?"
                                        + types
                                        + "&COUNT=200&FILTER="
                                        + enc(
                                                "("
                                                        + equalTo("kind", "URBAN")
                                                        + ")("
                                                        + equalTo("kind", "BASIC")
                                                        + ")")));
        assertTrue(
                gml.contains("<gridgov:communities ") && gml.contains("<gridgov:grids "),
                "both types in the GML answer");
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        java.util.regex.Matcher k =
                java.util.regex.Pattern.compile("<gridgov:kind>([^<]*)<").matcher(gml);
        while (k.find()) kinds.add(k.group(1));
        assertEquals(
                java.util.Set.of("URBAN", "BASIC"), kinds, "each type filtered by its own filter");
    }

    @Test
    void bboxFilterAndGml32WithLatLonAxisOrder() {
        JsonNode all =
                json(
                        "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&OUTPUTFORMAT=json");
        JsonNode some =
                json(
                        "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&OUTPUTFORMAT=json&BBOX=30.18,120.28,30.19,120.29,urn:ogc:def:crs:EPSG::4326");
        assertTrue(
                some.get("features").size() > 0
                        && some.get("features").size() < all.get("features").size());
        var gml =
                get(
                        "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=subdistrict&SRSNAME=urn:ogc:def:crs:EPSG::4326");
        assertEquals(200, gml.statusCode());
        String xml = text(gml);
        assertTrue(xml.contains("http://www.opengis.net/gml/3.2"), "GML 3.2");
        String pos =
                xml.replaceAll("(?s).*<gml:posList[^>]*>\\s*([0-9.]+)\\s+([0-9.]+).*", "$1 $2");
        double first = Double.parseDouble(pos.split(" ")[0]);
        assertTrue(first > 29 && first < 31, "EPSG:4326 in WFS 2.0 is latitude first: " + pos);
        var merc =
                get(
                        "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=subdistrict&SRSNAME=EPSG:3857");
        assertTrue(
                text(merc).matches("(?s).*<gml:posList[^>]*>\\s*1338\\d{4}.*"),
                "reprojected to Web Mercator");
    }

    @Test
    void describeFeatureTypePublishesOnlyListedAttributes() {
        var r = get("/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=DescribeFeatureType&TYPENAMES=grids");
        assertEquals(200, r.statusCode());
        String xsd = text(r);
        assertTrue(xsd.contains("name=\"code\"") && xsd.contains("name=\"community_id\""), xsd);
        assertFalse(xsd.contains("mapserver.gridgov.invalid"));
    }

    @Test
    void filterEncodingReachesSqlSafely() {
        String filter =
                "<Filter xmlns=\"http://www.opengis.net/fes/2.0\"><PropertyIsEqualTo><ValueReference>kind</ValueReference>"
                        + "<Literal>URBAN' OR '1'='1</Literal></PropertyIsEqualTo></Filter>";
        JsonNode none =
                json(
                        "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=communities&OUTPUTFORMAT=json&FILTER="
                                + java.net.URLEncoder.encode(
                                        filter, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(0, none.get("features").size(), "the quote is a literal, not SQL");
        String urban = filter.replace("URBAN' OR '1'='1", "URBAN");
        JsonNode some =
                json(
                        "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=communities&OUTPUTFORMAT=json&FILTER="
                                + java.net.URLEncoder.encode(
                                        urban, java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(some.get("features").size() > 0);
        for (JsonNode f : some.get("features"))
            assertEquals("URBAN", f.get("properties").get("kind").asText());
    }
}
