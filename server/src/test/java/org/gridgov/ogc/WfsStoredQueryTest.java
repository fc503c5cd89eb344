package org.gridgov.ogc;

import static org.gridgov.ogc.Ogc.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.ogc.ows.WfsRequest;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * WFS 2.0's stored queries (GetFeatureById, ListStoredQueries, DescribeStoredQueries) and
 * GetPropertyValue through the gateway, as KVP and XML POST; and every operation the capabilities
 * advertise actually answers.
 */
@Tag("db")
class WfsStoredQueryTest {

    private static final String WFS = "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=";
    private static final String BY_ID =
            WFS + "GetFeature&STOREDQUERY_ID=urn:ogc:def:query:OGC-WFS::GetFeatureById&ID=";

    private static JsonNode grids() {
        try {
            return TestServer.JSON
                    .readTree(
                            text(
                                    get(
                                            WFS
                                                    + "GetFeature&TYPENAMES=grids&OUTPUTFORMAT=json&SORTBY=code")))
                    .get("features");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyAdvertisedOperationAnswers() {
        String caps =
                text(
                        get(
                                WFS.replace("VERSION=2.0.0&", "")
                                        + "GetCapabilities&ACCEPTVERSIONS=2.0.0"));
        Matcher m = Pattern.compile("<ows:Operation name=\"(\\w+)\"").matcher(caps);
        List<String> ops = new ArrayList<>();
        while (m.find()) ops.add(m.group(1));
        assertTrue(
                ops.containsAll(
                        List.of(
                                "GetFeature",
                                "GetPropertyValue",
                                "ListStoredQueries",
                                "DescribeStoredQueries")),
                ops.toString());
        for (String op : ops) {
            String extra =
                    switch (op) {
                        case "DescribeFeatureType" -> "&TYPENAMES=grids";
                        case "GetFeature" -> "&TYPENAMES=grids&COUNT=1";
                        case "GetPropertyValue" -> "&TYPENAMES=grids&VALUEREFERENCE=name&COUNT=1";
                        default -> "";
                    };
            var r = get(WFS + op + extra);
            assertEquals(200, r.statusCode(), op + ": " + text(r));
            assertFalse(text(r).contains("ExceptionReport"), op + ": " + text(r));
        }
    }

    @Test
    void getFeatureByIdAnswersTheOneFeature() {
        JsonNode first = grids().get(0);
        long id = first.get("properties").get("id").asLong();
        var gml = get(BY_ID + "grids." + id);
        assertEquals(200, gml.statusCode(), text(gml));
        String xml = text(gml);
        // WFS 2.0 §7.9.3.6: GetFeatureById answers the feature itself, not a collection.
        assertTrue(
                xml.contains("<gridgov:grids gml:id=\"grids." + id + "\""),
                xml.substring(0, Math.min(400, xml.length())));
        assertFalse(xml.contains("wfs:FeatureCollection"));
        assertTrue(xml.contains(first.get("properties").get("code").asText()));
        var json = get(BY_ID + "grids." + id + "&OUTPUTFORMAT=application/json");
        assertEquals(200, json.statusCode());
        assertTrue(type(json).startsWith("application/json"), type(json));
        assertTrue(
                text(json)
                        .contains(
                                "\"code\": \""
                                        + first.get("properties").get("code").asText()
                                        + "\""),
                text(json));

        var missing = get(BY_ID + "grids.999999999");
        assertEquals(404, missing.statusCode(), text(missing));
        assertTrue(text(missing).contains("exceptionCode=\"NotFound\""), text(missing));
    }

    @Test
    void restrictedFeaturesByIdNeedTheirRole() {
        long incident =
                TestServer.getAs("operator", "/api/v1/incidents?limit=1")
                        .json()
                        .get("features")
                        .get(0)
                        .get("id")
                        .asLong();
        assertEquals(401, get(BY_ID + "incidents." + incident).statusCode());
        var ok =
                TestServer.getAs(
                        "operator", BY_ID + "incidents." + incident + "&OUTPUTFORMAT=json");
        assertEquals(200, ok.status(), ok.body());
        assertTrue(ok.body().contains("\"category\""), ok.body());
        assertFalse(ok.body().contains("reporter"), "no reporter identity");
    }

    @Test
    void listedStoredQueriesNameOnlyVisibleTypes() {
        String anonymous = text(get(WFS + "ListStoredQueries"));
        assertTrue(
                anonymous.contains(WfsRequest.GET_FEATURE_BY_ID)
                        && anonymous.contains("gridgov:grids"),
                anonymous);
        assertFalse(anonymous.contains("gridgov:incidents"), "the anonymous map has no incidents");
        String operator = TestServer.getAs("operator", WFS + "ListStoredQueries").body();
        assertTrue(operator.contains("gridgov:incidents"), operator);
        String described =
                text(
                        get(
                                WFS
                                        + "DescribeStoredQueries&STOREDQUERY_ID="
                                        + WfsRequest.GET_FEATURE_BY_ID));
        assertTrue(
                described.contains("<Parameter") && described.contains("name=\"ID\""), described);
    }

    @Test
    void getPropertyValueListsOneAttribute() {
        TreeSet<String> expected = new TreeSet<>();
        for (JsonNode f : grids()) expected.add(f.get("properties").get("name").asText());
        String xml = text(get(WFS + "GetPropertyValue&TYPENAMES=grids&VALUEREFERENCE=name"));
        assertTrue(
                xml.contains("wfs:ValueCollection"), xml.substring(0, Math.min(300, xml.length())));
        TreeSet<String> got = new TreeSet<>();
        Matcher m = Pattern.compile("<gridgov:name>([^<]*)</gridgov:name>").matcher(xml);
        while (m.find()) got.add(m.group(1));
        assertEquals(expected, got);
        assertFalse(xml.contains("mapserver.gridgov.invalid"), "paging links point at gridgov");
    }

    @Test
    void storedQueriesAndPropertyValuesAsXmlPost() {
        String ns = "xmlns:wfs=\"http://www.opengis.net/wfs/2.0\"";
        long id = grids().get(1).get("properties").get("id").asLong();
        var byId =
                TestServer.post(
                        "/ows",
                        "<wfs:GetFeature service=\"WFS\" version=\"2.0.0\" "
                                + ns
                                + "><wfs:StoredQuery id=\""
                                + WfsRequest.GET_FEATURE_BY_ID
                                + "\"><wfs:Parameter name=\"ID\">grids."
                                + id
                                + "</wfs:Parameter></wfs:StoredQuery></wfs:GetFeature>",
                        "Content-Type",
                        "text/xml");
        assertEquals(200, byId.status(), byId.body());
        assertTrue(byId.body().contains("gml:id=\"grids." + id + "\""), byId.body());

        var values =
                TestServer.post(
                        "/ows",
                        "<wfs:GetPropertyValue service=\"WFS\" version=\"2.0.0\" valueReference=\"code\" count=\"3\" "
                                + ns
                                + "><wfs:Query typeNames=\"communities\"/></wfs:GetPropertyValue>",
                        "Content-Type",
                        "text/xml");
        assertEquals(200, values.status(), values.body());
        assertEquals(3, values.body().split("<gridgov:code>", -1).length - 1, values.body());

        String twoQueries =
                "<wfs:GetFeature service=\"WFS\" version=\"2.0.0\" "
                        + ns
                        + "><wfs:Query typeNames=\"subdistrict\"/><wfs:Query typeNames=\"communities\"/></wfs:GetFeature>";
        var two = TestServer.post("/ows", twoQueries, "Content-Type", "text/xml");
        assertEquals(200, two.status(), two.body());
        int communities =
                TestServer.get("/ogc/collections/communities/items?limit=1000")
                        .json()
                        .get("features")
                        .size();
        assertEquals(1, two.body().split("<gridgov:subdistrict ", -1).length - 1);
        assertEquals(
                communities,
                two.body().split("<gridgov:communities ", -1).length - 1,
                "both queries answered");
        // MapServer writes one GeoJSON document per type, back to back: not JSON, so refused.
        var asJson =
                TestServer.post(
                        "/ows",
                        twoQueries.replace(
                                "version=", "outputFormat=\"application/json\" version="),
                        "Content-Type",
                        "text/xml");
        assertEquals(400, asJson.status(), asJson.body());
        assertTrue(asJson.body().contains("locator=\"OUTPUTFORMAT\""), asJson.body());

        var list =
                TestServer.post(
                        "/ows",
                        "<wfs:ListStoredQueries service=\"WFS\" version=\"2.0.0\" " + ns + "/>",
                        "Content-Type",
                        "text/xml");
        assertTrue(list.body().contains(WfsRequest.GET_FEATURE_BY_ID), list.body());
        var describe =
                TestServer.post(
                        "/ows",
                        "<wfs:DescribeStoredQueries service=\"WFS\" version=\"2.0.0\" "
                                + ns
                                + "><wfs:StoredQueryId>urn:x:nope</wfs:StoredQueryId></wfs:DescribeStoredQueries>",
                        "Content-Type",
                        "text/xml");
        assertEquals(400, describe.status(), describe.body());
        assertTrue(describe.body().contains("locator=\"STOREDQUERY_ID\""), describe.body());
    }
}
