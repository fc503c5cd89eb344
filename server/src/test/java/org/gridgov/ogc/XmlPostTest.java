package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * WFS requests as XML POST bodies: translated to the checked key-value form, parsed without DTDs.
 */
@Tag("db")
class XmlPostTest {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String NS =
            "xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" xmlns:fes=\"http://www.opengis.net/fes/2.0\" "
                    + "xmlns:gml=\"http://www.opengis.net/gml/3.2\"";

    private static HttpResponse<String> post(String body, String... headers) {
        try {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(URI.create(TestServer.base() + "/ows"))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "text/xml; charset=UTF-8")
                            .POST(HttpRequest.BodyPublishers.ofString(body));
            for (int i = 0; i < headers.length; i += 2) b.setHeader(headers[i], headers[i + 1]);
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String getFeature(String typeNames, String filter) {
        return "<wfs:GetFeature service=\"WFS\" version=\"2.0.0\" outputFormat=\"application/json\" "
                + NS
                + ">"
                + "<wfs:Query typeNames=\""
                + typeNames
                + "\">"
                + filter
                + "</wfs:Query></wfs:GetFeature>";
    }

    private static String equalTo(String property, String literal) {
        return "<fes:Filter><fes:PropertyIsEqualTo><fes:ValueReference>"
                + property
                + "</fes:ValueReference><fes:Literal>"
                + literal
                + "</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>";
    }

    private static JsonNode json(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        try {
            return TestServer.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private static void assertException(
            HttpResponse<String> r, int status, String code, String locator) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(
                r.body().contains("ExceptionReport") || r.body().contains("ServiceExceptionReport"),
                r.body());
        assertTrue(
                r.body().contains("exceptionCode=\"" + code + "\"")
                        || r.body().contains("code=\"" + code + "\""),
                r.body());
        if (locator != null) assertTrue(r.body().contains("locator=\"" + locator + "\""), r.body());
        assertFalse(r.body().contains("root:x:0:0"), "no file content leaks");
    }

    @Test
    void getFeatureWithPropertyIsEqualToAndBbox() {
        JsonNode urban = json(post(getFeature("communities", equalTo("kind", "URBAN"))));
        assertTrue(urban.get("features").size() > 0);
        for (JsonNode f : urban.get("features"))
            assertEquals("URBAN", f.get("properties").get("kind").asText());
        int all = json(post(getFeature("grids", ""))).get("features").size();
        // WFS 2.0 + EPSG URN: latitude first.
        String bbox =
                "<fes:Filter><fes:BBOX><fes:ValueReference>geom</fes:ValueReference><gml:Envelope srsName=\"urn:ogc:def:crs:EPSG::4326\">"
                        + "<gml:lowerCorner>30.18 120.28</gml:lowerCorner><gml:upperCorner>30.19 120.29</gml:upperCorner></gml:Envelope></fes:BBOX></fes:Filter>";
        int some = json(post(getFeature("grids", bbox))).get("features").size();
        assertTrue(some > 0 && some < all, some + " of " + all);
        // count, sortBy and propertyName travel too.
        String paged =
                "<wfs:GetFeature service=\"WFS\" version=\"2.0.0\" count=\"3\" outputFormat=\"application/json\" "
                        + NS
                        + ">"
                        + "<wfs:Query typeNames=\"grids\"><fes:SortBy><fes:SortProperty><fes:ValueReference>code</fes:ValueReference>"
                        + "<fes:SortOrder>DESC</fes:SortOrder></fes:SortProperty></fes:SortBy></wfs:Query></wfs:GetFeature>";
        JsonNode three = json(post(paged)).get("features");
        assertEquals(3, three.size());
        assertTrue(
                three.get(0)
                                .get("properties")
                                .get("code")
                                .asText()
                                .compareTo(three.get(2).get("properties").get("code").asText())
                        > 0);
    }

    @Test
    void filterValuesAreLiteralsNotSql() {
        for (String evil :
                new String[] {
                    "URBAN' OR '1'='1",
                    "x'); DROP TABLE community; --",
                    "URBAN\\' OR 1=1 --",
                    "%' OR kind LIKE '%"
                }) {
            String escaped = evil.replace("&", "&amp;").replace("<", "&lt;");
            assertEquals(
                    0,
                    json(post(getFeature("communities", equalTo("kind", escaped))))
                            .get("features")
                            .size(),
                    evil);
        }
        assertTrue(
                json(post(getFeature("communities", ""))).get("features").size() > 0,
                "the table is still there");
        // Unpublished columns cannot be probed through a filter.
        assertException(
                post(getFeature("communities", equalTo("population", "1"))),
                400,
                "InvalidParameterValue",
                "FILTER");
        assertException(
                post(getFeature("communities", equalTo("ms:password_hash", "x"))),
                400,
                "InvalidParameterValue",
                "FILTER");
    }

    @Test
    void noDtdNoExternalEntities() {
        String xxe =
                "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + getFeature("communities", equalTo("kind", "&x;"));
        assertException(post(xxe), 400, "OperationParsingFailed", null);
        String laughs =
                "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                        + getFeature("communities", equalTo("kind", "&b;"));
        assertException(post(laughs), 400, "OperationParsingFailed", null);
        assertException(
                post("<wfs:GetFeature " + NS + "><wfs:Query typeNames=\"grids\">"),
                400,
                "OperationParsingFailed",
                null);
        // KVP FILTER goes through the same parser.
        String kvp =
                "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=communities&FILTER="
                        + java.net.URLEncoder.encode(
                                "<!DOCTYPE f [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Filter xmlns=\"http://www.opengis.net/fes/2.0\"/>",
                                java.nio.charset.StandardCharsets.UTF_8);
        assertException(
                post(kvp, "Content-Type", "application/x-www-form-urlencoded"),
                400,
                "OperationParsingFailed",
                "FILTER");
    }

    @Test
    void aBodyWaitingOnTheLoginCheckIsNotLost() {
        // A Basic header not seen before is checked on a worker thread (BCrypt), so the body
        // arrives
        // while the request waits: it must be held for the gateway, not dropped (it answered 500).
        // The spaces make the header new to the login cache each run; the credentials are the same.
        String spaces = " ".repeat(1 + (int) (System.nanoTime() % 50));
        String basic =
                "Basic"
                        + spaces
                        + java.util.Base64.getEncoder()
                                .encodeToString(
                                        "operator:demo"
                                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        JsonNode ok =
                json(
                        post(
                                getFeature("incidents", "")
                                        .replace("outputFormat", "count=\"2\" outputFormat"),
                                "Authorization",
                                basic));
        assertEquals(2, ok.get("features").size());
    }

    @Test
    void layersAreCheckedAsForKeyValueRequests() {
        String incidents = getFeature("incidents", "");
        HttpResponse<String> anon = post(incidents);
        assertException(anon, 401, "NoApplicableCode", "incidents");
        assertTrue(
                anon.headers().allValues("WWW-Authenticate").stream()
                        .anyMatch(v -> v.startsWith("Basic")));
        JsonNode ok =
                json(
                        post(
                                incidents
                                        .replace("<wfs:Query", "<wfs:Query")
                                        .replace("outputFormat", "count=\"2\" outputFormat"),
                                "Authorization",
                                "Bearer " + TestServer.token("operator")));
        assertEquals(2, ok.get("features").size());
        assertFalse(ok.toString().contains("reporter"), "no reporter identity");
        assertEquals(
                403,
                post(incidents, "Authorization", "Bearer " + TestServer.token("liaison"))
                        .statusCode());
        assertException(post(getFeature("nosuch", "")), 400, "InvalidParameterValue", "TYPENAMES");
    }

    @Test
    void otherOperationsAndOtherXml() {
        assertException(
                post("<wfs:LockFeature service=\"WFS\" version=\"2.0.0\" " + NS + "/>"),
                501,
                "OperationNotSupported",
                "LockFeature");
        // Transaction edits draft grids (WfsTransactionTest): planners only
        assertException(
                post("<wfs:Transaction service=\"WFS\" version=\"2.0.0\" " + NS + "/>"),
                401,
                "NoApplicableCode",
                "Transaction");
        assertException(
                post("<GetMap xmlns=\"http://www.opengis.net/sld\" version=\"1.1.0\"/>"),
                501,
                "OperationNotSupported",
                "GetMap");
        assertException(post("<foo/>"), 400, "OperationParsingFailed", "foo");
        assertException(
                post("<wfs:GetFeature " + NS + "/>"), 400, "MissingParameterValue", "Query");
        assertException(
                post("<wfs:GetFeature " + NS + "><wfs:StoredQuery id=\"x\"/></wfs:GetFeature>"),
                400,
                "InvalidParameterValue",
                "STOREDQUERY_ID");
        assertException(
                post(
                        "<wfs:GetFeature "
                                + NS
                                + "><wfs:Query typeNames=\"grids\"><wfs:PropertyName>code</wfs:PropertyName></wfs:Query>"
                                + "<wfs:Query typeNames=\"communities\"/></wfs:GetFeature>"),
                501,
                "OptionNotSupported",
                "Query");
        String big = getFeature("communities", equalTo("kind", "x".repeat(300 * 1024)));
        assertException(post(big), 413, "NoApplicableCode", null);
        HttpResponse<String> json = post("{}", "Content-Type", "application/json");
        assertEquals(400, json.statusCode());
        assertTrue(json.body().contains("Content-Type"), json.body());
        assertEquals(200, TestServer.get("/health").status());
    }

    /**
     * Several Queries, some filtered: each type answers its own filter (a FILTER list to
     * MapServer).
     */
    @Test
    void severalQueriesEachWithItsOwnFilter() {
        String hits =
                "<wfs:GetFeature service=\"WFS\" version=\"2.0.0\" resultType=\"hits\" " + NS + ">";
        long basicGrids =
                matched(
                        post(
                                hits
                                        + "<wfs:Query typeNames=\"grids\">"
                                        + equalTo("kind", "BASIC")
                                        + "</wfs:Query></wfs:GetFeature>"));
        long communities =
                matched(post(hits + "<wfs:Query typeNames=\"communities\"/></wfs:GetFeature>"));
        long grids = matched(post(hits + "<wfs:Query typeNames=\"grids\"/></wfs:GetFeature>"));
        assertTrue(
                basicGrids > 0 && basicGrids < grids && communities > 0,
                basicGrids + " " + grids + " " + communities);
        assertEquals(
                basicGrids + communities,
                matched(
                        post(
                                hits
                                        + "<wfs:Query typeNames=\"grids\">"
                                        + equalTo("kind", "BASIC")
                                        + "</wfs:Query>"
                                        + "<wfs:Query typeNames=\"communities\"/></wfs:GetFeature>")),
                "the unfiltered Query keeps all its features");
        String wfs11 =
                "<wfs:GetFeature service=\"WFS\" version=\"1.1.0\" resultType=\"hits\" xmlns:wfs=\"http://www.opengis.net/wfs\" "
                        + "xmlns:ogc=\"http://www.opengis.net/ogc\"><wfs:Query typeName=\"grids\"><ogc:Filter><ogc:PropertyIsEqualTo>"
                        + "<ogc:PropertyName>kind</ogc:PropertyName><ogc:Literal>BASIC</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter></wfs:Query>"
                        + "<wfs:Query typeName=\"communities\"/></wfs:GetFeature>";
        var r11 = post(wfs11);
        assertEquals(200, r11.statusCode(), r11.body());
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("numberOfFeatures=\"(\\d+)\"").matcher(r11.body());
        assertTrue(m.find(), r11.body());
        assertEquals(basicGrids + communities, Long.parseLong(m.group(1)), "WFS 1.1 too");
    }

    private static long matched(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("numberMatched=\"(\\d+)\"").matcher(r.body());
        assertTrue(m.find(), r.body());
        return Long.parseLong(m.group(1));
    }

    @Test
    void capabilitiesAndDescribeFeatureTypeAsXml() {
        HttpResponse<String> caps =
                post(
                        "<wfs:GetCapabilities service=\"WFS\" "
                                + NS
                                + "><ows:AcceptVersions xmlns:ows=\"http://www.opengis.net/ows/1.1\">"
                                + "<ows:Version>2.0.0</ows:Version></ows:AcceptVersions></wfs:GetCapabilities>");
        assertEquals(200, caps.statusCode(), caps.body());
        assertTrue(
                caps.body().contains("WFS_Capabilities")
                        && caps.body().contains("grids")
                        && !caps.body().contains(">incidents<"),
                caps.body());
        HttpResponse<String> dft =
                post(
                        "<wfs:DescribeFeatureType service=\"WFS\" version=\"2.0.0\" "
                                + NS
                                + "><wfs:TypeName>grids</wfs:TypeName></wfs:DescribeFeatureType>");
        assertEquals(200, dft.statusCode(), dft.body());
        assertTrue(dft.body().contains("name=\"community_id\""), dft.body());
        // WFS 1.1 with an OGC 1.1 filter, GML answer.
        String v11 =
                "<wfs:GetFeature service=\"WFS\" version=\"1.1.0\" maxFeatures=\"5\" xmlns:wfs=\"http://www.opengis.net/wfs\" xmlns:ogc=\"http://www.opengis.net/ogc\">"
                        + "<wfs:Query typeName=\"communities\"><ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>kind</ogc:PropertyName>"
                        + "<ogc:Literal>URBAN</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter></wfs:Query></wfs:GetFeature>";
        HttpResponse<String> gml = post(v11);
        assertEquals(200, gml.statusCode(), gml.body());
        assertTrue(
                gml.body().contains("FeatureCollection") && gml.body().contains("URBAN"),
                gml.body());
    }
}
