package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * WFS GeoJSON honours SRSNAME (issue 19, defect 7): the coordinates are in the CRS asked for (as
 * GML's are) and the document names it; OpenLayers' WFS recipe asks for EPSG:3857. Without SRSNAME
 * the answer stays RFC 7946 (WGS 84 longitude/latitude, no "crs").
 */
@Tag("db")
class WfsGeoJsonCrsTest {

    private static final String GRIDS =
            "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&COUNT=1"
                    + "&SORTBY=code&OUTPUTFORMAT=application/json";

    private static JsonNode json(String path) {
        Answer a = TestServer.get(path);
        assertEquals(200, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/json"), a.contentType());
        return a.json();
    }

    private static JsonNode firstPoint(JsonNode doc) {
        JsonNode c = doc.get("features").get(0).get("geometry").get("coordinates");
        while (c.get(0).isArray()) c = c.get(0);
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // srsName, the name the document gives, x range, y range (the demo area, Hangzhou)
        "EPSG:3857, urn:ogc:def:crs:EPSG::3857, 13380000, 13400000, 3520000, 3540000",
        "urn:ogc:def:crs:EPSG::3857, urn:ogc:def:crs:EPSG::3857, 13380000, 13400000, 3520000,"
                + " 3540000",
        "EPSG:4549, urn:ogc:def:crs:EPSG::4549, 500000, 560000, 3320000, 3360000",
        "http://www.opengis.net/def/crs/EPSG/0/4490, urn:ogc:def:crs:EPSG::4490, 120, 121, 30, 31",
        // GeoJSON's axis order is longitude first: named as CRS84, which is EPSG:4326 so ordered
        "urn:ogc:def:crs:EPSG::4326, urn:ogc:def:crs:OGC:1.3:CRS84, 120, 121, 30, 31",
    })
    void answersInTheCrsAskedForAndNamesIt(
            String srs, String name, double x0, double x1, double y0, double y1) {
        JsonNode doc = json(GRIDS + "&SRSNAME=" + WfsTest.enc(srs));
        assertEquals(
                name, doc.path("crs").path("properties").path("name").asText(), doc.toString());
        JsonNode p = firstPoint(doc);
        double x = p.get(0).asDouble(), y = p.get(1).asDouble();
        assertTrue(x > x0 && x < x1 && y > y0 && y < y1, srs + ": " + x + " " + y);
    }

    @Test
    void theSameCoordinatesAsGml() {
        JsonNode p = firstPoint(json(GRIDS + "&SRSNAME=EPSG:3857"));
        Answer gml =
                TestServer.get(
                        GRIDS.replace("&OUTPUTFORMAT=application/json", "") + "&SRSNAME=EPSG:3857");
        assertEquals(200, gml.status(), gml.body());
        var m =
                java.util.regex.Pattern.compile("<gml:posList[^>]*>\\s*([-0-9.]+) ([-0-9.]+)")
                        .matcher(gml.body());
        assertTrue(m.find(), gml.body());
        assertEquals(Double.parseDouble(m.group(1)), p.get(0).asDouble(), 0.01);
        assertEquals(Double.parseDouble(m.group(2)), p.get(1).asDouble(), 0.01);
    }

    @Test
    void withoutSrsNameRfc7946AsBefore() {
        JsonNode doc = json(GRIDS);
        assertFalse(doc.has("crs"), "RFC 7946 has no crs member");
        JsonNode p = firstPoint(doc);
        assertEquals(120.3, p.get(0).asDouble(), 0.2);
        assertEquals(30.2, p.get(1).asDouble(), 0.2);
    }

    @Test
    void wfs11AndGetFeatureByIdToo() {
        JsonNode v11 =
                json(
                        "/ows?SERVICE=WFS&VERSION=1.1.0&REQUEST=GetFeature&TYPENAME=grids"
                                + "&MAXFEATURES=1&OUTPUTFORMAT=application/json&SRSNAME=EPSG:3857");
        assertEquals(
                "urn:ogc:def:crs:EPSG::3857",
                v11.at("/crs/properties/name").asText(),
                v11.toString());
        assertTrue(firstPoint(v11).get(0).asDouble() > 1e7);
        String id = "grids." + v11.at("/features/0/properties/id").asText();
        JsonNode byId =
                json(
                        "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&STOREDQUERY_ID="
                                + WfsTest.enc("urn:ogc:def:query:OGC-WFS::GetFeatureById")
                                + "&ID="
                                + id
                                + "&OUTPUTFORMAT=application/json&SRSNAME=EPSG:4549");
        assertEquals("urn:ogc:def:crs:EPSG::4549", byId.at("/crs/properties/name").asText());
    }

    @Test
    void aCrsNotOfferedIsRefusedNotIgnored() {
        Answer a = TestServer.get(GRIDS + "&SRSNAME=EPSG:2154");
        WfsNamespacesTest.assertException(a, 400, "InvalidParameterValue", "SRSNAME");
    }

    /** GDAL reads the GeoJSON as EPSG:3857 with extents in metres. */
    @Test
    void gdalReadsTheCrsFromTheDocument(@TempDir Path dir) throws Exception {
        String url =
                TestServer.base()
                        + "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=ns1:grids"
                        + "&NAMESPACES=xmlns(ns1,https%3A%2F%2Fgridgov.org%2Fns)"
                        + "&SRSNAME=EPSG:3857&OUTPUTFORMAT=application/json";
        Path out = dir.resolve("grids.gpkg");
        GdalClientsTest.Run copy =
                GdalClientsTest.run("ogr2ogr", "-f", "GPKG", out.toString(), url);
        assertEquals(0, copy.exit(), copy.out());
        GdalClientsTest.Run info =
                GdalClientsTest.run("ogrinfo", "-ro", "-so", "-al", out.toString());
        assertEquals(0, info.exit(), info.out());
        assertTrue(info.out().contains("ID[\"EPSG\",3857]"), info.out());
        var m =
                java.util.regex.Pattern.compile("Extent: \\(([-0-9.]+), ([-0-9.]+)\\)")
                        .matcher(info.out());
        assertTrue(m.find(), info.out());
        assertTrue(Double.parseDouble(m.group(1)) > 1.3e7, info.out());
        assertTrue(Files.size(out) > 0);
    }
}
