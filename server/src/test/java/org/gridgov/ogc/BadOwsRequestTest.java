package org.gridgov.ogc;

import static org.gridgov.ogc.Ogc.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed, hostile and unsupported OGC requests: each gets the right OGC exception, never a
 * crash.
 */
@Tag("db")
class BadOwsRequestTest {

    private static final String MAP13 =
            "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&FORMAT=image/png&WIDTH=256&HEIGHT=256";
    private static final String GOOD13 = MAP13 + "&LAYERS=grids&CRS=EPSG:4326&BBOX=" + BBOX_4326_13;

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown layer|"
                        + MAP13
                        + "&LAYERS=nosuch&CRS=EPSG:4326&BBOX="
                        + BBOX_4326_13
                        + "|400|LayerNotDefined|LAYERS",
                "empty LAYERS with CRS:84 (segfaults raw MapServer)|"
                        + MAP13
                        + "&LAYERS=&CRS=CRS:84&BBOX="
                        + BBOX_4326_11
                        + "|400|LayerNotDefined|LAYERS",
                "huge WIDTH|SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&FORMAT=image/png&WIDTH=100000&HEIGHT=256&LAYERS=grids&CRS=EPSG:4326&BBOX="
                        + BBOX_4326_13
                        + "|400|InvalidParameterValue|WIDTH",
                "negative HEIGHT|SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&FORMAT=image/png&WIDTH=256&HEIGHT=-5&LAYERS=grids&CRS=EPSG:4326&BBOX="
                        + BBOX_4326_13
                        + "|400|InvalidParameterValue|HEIGHT",
                "bad BBOX text|"
                        + MAP13
                        + "&LAYERS=grids&CRS=EPSG:4326&BBOX=1,2,three,4|400|InvalidParameterValue|BBOX",
                "inverted BBOX|"
                        + MAP13
                        + "&LAYERS=grids&CRS=EPSG:4326&BBOX=31,121,30,120|400|InvalidParameterValue|BBOX",
                "BBOX with NaN|"
                        + MAP13
                        + "&LAYERS=grids&CRS=EPSG:4326&BBOX=NaN,1,2,3|400|InvalidParameterValue|BBOX",
                "unsupported CRS|"
                        + MAP13
                        + "&LAYERS=grids&CRS=EPSG:2154&BBOX=1,2,3,4|400|InvalidCRS|CRS",
                "unsupported SRS 1.1.1|SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&STYLES=&FORMAT=image/png&WIDTH=256&HEIGHT=256&LAYERS=grids&SRS=EPSG:27700&BBOX=1,2,3,4|400|InvalidSRS|SRS",
                "unsupported format|SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&WIDTH=256&HEIGHT=256&LAYERS=grids&CRS=EPSG:4326&BBOX="
                        + BBOX_4326_13
                        + "&FORMAT=application/x-pdf|400|InvalidFormat|FORMAT",
                "unknown style|SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=nostyle&FORMAT=image/png&WIDTH=256&HEIGHT=256&LAYERS=grids&CRS=EPSG:4326&BBOX="
                        + BBOX_4326_13
                        + "|400|StyleNotDefined|STYLES",
                "missing BBOX|"
                        + MAP13
                        + "&LAYERS=grids&CRS=EPSG:4326|400|MissingParameterValue|BBOX",
                "unknown operation|SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMetadata|501|OperationNotSupported|REQUEST",
                "unknown service|SERVICE=WCS&REQUEST=GetCapabilities|400|InvalidParameterValue|SERVICE",
                "bad version|SERVICE=WFS&VERSION=3.1&REQUEST=GetFeature&TYPENAMES=grids|400|VersionNegotiationFailed|VERSION",
                "layer named twice|"
                        + MAP13
                        + "&LAYERS=grids,grids&CRS=EPSG:4326&BBOX="
                        + BBOX_4326_13
                        + "|400|InvalidParameterValue|LAYERS",
                "root layer named twice|"
                        + MAP13
                        + "&LAYERS=gridgov,gridgov&CRS=EPSG:4326&BBOX="
                        + BBOX_4326_13
                        + "|400|InvalidParameterValue|LAYERS",
                "malformed TIME|"
                        + MAP13
                        + "&LAYERS=heatmap&CRS=EPSG:4326&BBOX="
                        + SQUARE_13
                        + "&TIME=2026-13|400|InvalidDimensionValue|TIME",
                "TIME outside the extent|"
                        + MAP13
                        + "&LAYERS=heatmap&CRS=EPSG:4326&BBOX="
                        + SQUARE_13
                        + "&TIME=1999-01-01/1999-12-31/P1D|400|InvalidDimensionValue|TIME",
                "TIME list|"
                        + MAP13
                        + "&LAYERS=gridgov&CRS=EPSG:4326&BBOX="
                        + SQUARE_13
                        + "&TIME=2026-01,2026-02|400|InvalidDimensionValue|TIME",
                "EXCEPTIONS not offered|"
                        + MAP13
                        + "&LAYERS=grids&CRS=EPSG:4326&BBOX="
                        + BBOX_4326_13
                        + "&EXCEPTIONS=application/pdf|400|InvalidParameterValue|EXCEPTIONS",
                "point outside the map|SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&STYLES=&FORMAT=image/png&WIDTH=256&HEIGHT=256&LAYERS=grids&QUERY_LAYERS=grids&CRS=EPSG:4326&BBOX="
                        + BBOX_4326_13
                        + "&I=999&J=3|400|InvalidPoint|I",
                "heatmap not queryable|SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&STYLES=&FORMAT=image/png&WIDTH=256&HEIGHT=256&LAYERS=heatmap&QUERY_LAYERS=heatmap&CRS=EPSG:4326&BBOX="
                        + SQUARE_13
                        + "&I=1&J=3|400|LayerNotQueryable|QUERY_LAYERS",
                "bad info format|SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&STYLES=&FORMAT=image/png&WIDTH=256&HEIGHT=256&LAYERS=grids&QUERY_LAYERS=grids&CRS=EPSG:4326&BBOX="
                        + BBOX_4326_13
                        + "&I=1&J=3&INFO_FORMAT=application/x-evil|400|InvalidFormat|INFO_FORMAT",
                "heatmap with non-square pixels|SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&FORMAT=image/png&WIDTH=512&HEIGHT=256&LAYERS=heatmap&CRS=EPSG:4326&BBOX="
                        + SQUARE_13
                        + "|400|InvalidParameterValue|BBOX",
                "heatmap too large|SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&FORMAT=image/png&WIDTH=4000&HEIGHT=4000&LAYERS=heatmap&CRS=EPSG:4326&BBOX="
                        + SQUARE_13
                        + "|400|InvalidParameterValue|WIDTH",
                "heatmap SQL injection in category|SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&FORMAT=image/png&WIDTH=256&HEIGHT=256&LAYERS=heatmap&CRS=EPSG:4326&BBOX="
                        + SQUARE_13
                        + "&category=X'%20OR%20'1'='1|400|InvalidParameterValue|category",
                "heatmap impossible date|SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&FORMAT=image/png&WIDTH=256&HEIGHT=256&LAYERS=heatmap&CRS=EPSG:4326&BBOX="
                        + SQUARE_13
                        + "&from=2025-02-30|400|InvalidParameterValue|from",
                "heatmap unknown platform|SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&FORMAT=image/png&WIDTH=256&HEIGHT=256&LAYERS=heatmap&CRS=EPSG:4326&BBOX="
                        + SQUARE_13
                        + "&platform=POLICE|400|InvalidParameterValue|platform",
                "remote SLD|" + GOOD13 + "&SLD=http://example.org/x.sld|501|OptionNotSupported|SLD",
                "unknown WFS type|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=nosuch|400|InvalidParameterValue|TYPENAMES",
                "unsupported srsName (MapServer answers 200)|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&SRSNAME=EPSG:2154|400|InvalidParameterValue|SRSNAME",
                "unsupported WFS format|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&OUTPUTFORMAT=application/x-shapefile|400|InvalidParameterValue|OUTPUTFORMAT",
                "huge COUNT|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&COUNT=99999999|400|InvalidParameterValue|COUNT",
                "negative STARTINDEX|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&STARTINDEX=-1|400|InvalidParameterValue|STARTINDEX",
                "bad resultType|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&RESULTTYPE=all|400|InvalidParameterValue|RESULTTYPE",
                "SQL in sortBy|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&SORTBY=code%3BDROP%20TABLE%20grid|400|InvalidParameterValue|SORTBY",
                "restricted feature by id|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&RESOURCEID=incidents.1|401|NoApplicableCode|incidents",
                "stored query with TYPENAMES|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&STOREDQUERY_ID=urn:ogc:def:query:OGC-WFS::GetFeatureById&ID=grids.1|400|InvalidParameterValue|TYPENAMES",
                "unknown stored query|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&STOREDQUERY_ID=urn:x:DropTables&ID=grids.1|400|InvalidParameterValue|STOREDQUERY_ID",
                "stored query without ID|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&STOREDQUERY_ID=urn:ogc:def:query:OGC-WFS::GetFeatureById|400|MissingParameterValue|ID",
                "stored query, bad ID|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&STOREDQUERY_ID=urn:ogc:def:query:OGC-WFS::GetFeatureById&ID=grids.1'--|400|InvalidParameterValue|ID",
                "stored query, restricted ID|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&STOREDQUERY_ID=urn:ogc:def:query:OGC-WFS::GetFeatureById&ID=incidents.1|401|NoApplicableCode|incidents",
                "stored queries in WFS 1.1|SERVICE=WFS&VERSION=1.1.0&REQUEST=ListStoredQueries|400|OperationNotSupported|REQUEST",
                "describe an unknown stored query|SERVICE=WFS&VERSION=2.0.0&REQUEST=DescribeStoredQueries&STOREDQUERY_ID=urn:x:y|400|InvalidParameterValue|STOREDQUERY_ID",
                "property value without reference|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetPropertyValue&TYPENAMES=grids|400|MissingParameterValue|VALUEREFERENCE",
                "property value of an unknown type|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetPropertyValue&TYPENAMES=incidents_private&VALUEREFERENCE=reporter_phone|400|InvalidParameterValue|TYPENAMES",
                "property value not published|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetPropertyValue&TYPENAMES=grids&VALUEREFERENCE=worker_phone|400|InvalidParameterValue|VALUEREFERENCE",
                "property value of two types|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetPropertyValue&TYPENAMES=grids,communities&VALUEREFERENCE=name|400|InvalidParameterValue|TYPENAMES",
                "GeoJSON of two types|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids,communities&OUTPUTFORMAT=application/json|400|InvalidParameterValue|OUTPUTFORMAT",
                "property value as JSON|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetPropertyValue&TYPENAMES=grids&VALUEREFERENCE=name&OUTPUTFORMAT=application/json|400|InvalidParameterValue|OUTPUTFORMAT",
                "missing TYPENAMES|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature|400|MissingParameterValue|TYPENAMES",
                "control characters|SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids%00|400|InvalidParameterValue|TYPENAMES",
                "parameter given twice|SERVICE=WMS&SERVICE=WFS&REQUEST=GetCapabilities|400|InvalidParameterValue|SERVICE",
            })
    void refusedWithAnOgcException(
            String name, String query, int status, String code, String locator) {
        var r = get("/ows?" + query);
        String body = text(r);
        assertEquals(status, r.statusCode(), name + ": " + body);
        assertTrue(
                body.contains("code=\"" + code + "\"")
                        || body.contains("exceptionCode=\"" + code + "\""),
                name + ": " + body);
        assertTrue(body.contains("locator=\"" + locator + "\""), name + ": " + body);
        assertTrue(type(r).contains("xml"), name + ": " + type(r));
        assertHealthy();
    }

    @Test
    void badFilterListsAreRefused() {
        String types =
                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=communities,grids&FILTER=";
        String urban = WfsTest.equalTo("kind", "URBAN");
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("one filter for two types", "(" + urban + ")");
        cases.put("three filters for two types", "(" + urban + ")(" + urban + ")(" + urban + ")");
        cases.put("an empty filter in the list", "(" + urban + ")()");
        cases.put("unbalanced list", "(" + urban + ")(" + urban);
        cases.put(
                "a grid attribute in the communities filter",
                "(" + WfsTest.equalTo("plan_id", "1") + ")(" + urban + ")");
        cases.put(
                "SQL in a listed filter",
                "(" + urban + ")(" + WfsTest.equalTo("kind; DROP TABLE grid", "x") + ")");
        cases.forEach(
                (name, list) -> {
                    var r = get(types + WfsTest.enc(list));
                    String body = text(r);
                    assertEquals(400, r.statusCode(), name + ": " + body);
                    assertTrue(
                            body.contains("exceptionCode=\"InvalidParameterValue\"")
                                    && body.contains("locator=\"FILTER\""),
                            name + ": " + body);
                });
        assertHealthy();
    }

    @Test
    void restrictedLayersAskForCredentials() {
        var r = get("/ows?" + MAP13 + "&LAYERS=grids,incidents&CRS=EPSG:4326&BBOX=" + BBOX_4326_13);
        assertEquals(401, r.statusCode());
        var auth = r.headers().allValues("WWW-Authenticate");
        assertTrue(
                auth.contains("Bearer")
                        && auth.stream().anyMatch(a -> a.startsWith("Basic realm=\"gridgov\"")),
                auth.toString());
        assertTrue(text(r).contains("ServiceExceptionReport"));
        var sld =
                "<StyledLayerDescriptor><NamedLayer><Name>base_units</Name></NamedLayer></StyledLayerDescriptor>";
        var viaSld =
                get(
                        "/ows?"
                                + GOOD13
                                + "&SLD_BODY="
                                + URLEncoder.encode(sld, StandardCharsets.UTF_8));
        assertEquals(
                401, viaSld.statusCode(), "a restricted layer named in SLD_BODY is refused too");
        var wfs =
                get(
                        "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=DescribeFeatureType&TYPENAMES=base_units");
        assertEquals(401, wfs.statusCode());
    }

    /**
     * Desktop clients (QGIS) send HTTP Basic; a staff account's roles then open restricted layers.
     */
    @Test
    void basicCredentialsOpenRestrictedLayersToStaff() throws Exception {
        String url =
                TestServer.base()
                        + "/ows?"
                        + MAP13
                        + "&LAYERS=grids,incidents&CRS=EPSG:4326&BBOX="
                        + BBOX_4326_13;
        var client =
                java.net.http.HttpClient.newBuilder()
                        .version(java.net.http.HttpClient.Version.HTTP_1_1)
                        .connectTimeout(java.time.Duration.ofSeconds(10))
                        .build();
        java.util.function.Function<String, java.net.http.HttpResponse<byte[]>> as =
                credentials -> {
                    try {
                        return client.send(
                                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                        .header(
                                                "Authorization",
                                                "Basic "
                                                        + java.util.Base64.getEncoder()
                                                                .encodeToString(
                                                                        credentials.getBytes(
                                                                                StandardCharsets
                                                                                        .UTF_8)))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                };
        var ok = as.apply("operator:demo");
        assertEquals(200, ok.statusCode(), new String(ok.body(), StandardCharsets.UTF_8));
        assertEquals("image/png", ok.headers().firstValue("Content-Type").orElse(""));
        assertEquals(
                200,
                as.apply("operator:demo").statusCode(),
                "the second request is answered from the verified cache");
        assertEquals(401, as.apply("operator:wrong").statusCode());
        assertEquals(401, as.apply("nobody:demo").statusCode());
    }

    @Test
    void mapParameterAndUnknownParametersAreNotPassedOn() {
        var r = get("/ows?" + GOOD13 + "&map=/etc/passwd&evil=%3Cscript%3E");
        assertEquals(200, r.statusCode(), text(r));
        assertEquals("image/png", type(r));
        var caps = get("/ows?SERVICE=WMS&REQUEST=GetCapabilities&map=full");
        assertFalse(
                text(caps).contains("<Name>incidents</Name>"),
                "map=full from a client does not reach MapServer");
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreIgnored() {
        var req =
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(
                                        TestServer.base()
                                                + "/ows?SERVICE=WMS&REQUEST=GetCapabilities"))
                        .header("X-Forwarded-Host", "evil\"><x")
                        .header("X-Forwarded-Proto", "https")
                        .build();
        var r = TestServer.send(req);
        assertEquals(200, r.status());
        assertFalse(r.body().contains("evil"));
        assertFalse(
                r.body().contains("https://"),
                "X-Forwarded-Proto from a peer not in GRIDGOV_TRUSTED_PROXIES is not believed");
        assertTrue(
                r.body().contains(TestServer.base() + "/ows?"),
                "the address the client really used");
        var proxyHost =
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(
                                        TestServer.base()
                                                + "/ows?SERVICE=WMS&REQUEST=GetCapabilities&x=1"))
                        .header("X-Forwarded-Host", "evil.example")
                        .build();
        assertFalse(
                TestServer.send(proxyHost).body().contains("evil.example"),
                "a plain but foreign X-Forwarded-Host is not written either");
    }

    @Test
    void xmlPostWithoutWfsNamespaceIsRefusedFormPostWorks() {
        var xml =
                TestServer.post(
                        "/ows", "<GetFeature service=\"WFS\"/>", "Content-Type", "text/xml");
        assertEquals(400, xml.status());
        assertTrue(xml.body().contains("OperationParsingFailed")); // XML POST itself: XmlPostTest
        var form =
                TestServer.post(
                        "/ows",
                        "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=communities&COUNT=3&OUTPUTFORMAT=json",
                        "Content-Type",
                        "application/x-www-form-urlencoded");
        assertEquals(200, form.status(), form.body());
        assertEquals(3, form.json().get("features").size());
    }

    private static void assertHealthy() {
        var h = TestServer.get("/health");
        assertEquals(200, h.status(), h.body());
    }
}
