package org.gridgov.ogc;

import static org.gridgov.ogc.WfsTest.enc;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Qualified names resolved by namespace URI, not by prefix (issue 19, defect 1): requests written
 * as a foreign client writes them, with prefixes of its own bound in NAMESPACES (URL-encoded, as
 * WFS 2.0 says) or in the XML body's xmlns attributes, for type names, value references, filter
 * property names, property lists and sort keys. An unbound prefix is InvalidParameterValue with the
 * parameter as locator; a prefix bound to another namespace names no feature type of gridgov.
 */
@Tag("db")
class WfsNamespacesTest {

    static final String NS = "https://gridgov.org/ns";
    static final String WFS = "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=";

    /** NAMESPACES binding prefix to gridgov's namespace, the URI escaped. */
    static String bind(String prefix) {
        return "&NAMESPACES=" + enc("xmlns(" + prefix + "," + enc(NS) + ")");
    }

    static long hits(Answer a) {
        assertEquals(200, a.status(), a.body());
        // WFS 2.0 numberMatched, WFS 1.1 numberOfFeatures
        var m =
                java.util.regex.Pattern.compile("(?:numberMatched|numberOfFeatures)=\"(\\d+)\"")
                        .matcher(a.body());
        assertTrue(m.find(), a.body());
        return Long.parseLong(m.group(1));
    }

    static JsonNode features(Answer a) {
        assertEquals(200, a.status(), a.body());
        return a.json().get("features");
    }

    static void assertException(Answer a, int status, String code, String locator) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.body().contains("exceptionCode=\"" + code + "\""), a.body());
        assertTrue(a.body().contains("locator=\"" + locator + "\""), a.body());
    }

    static Answer post(String xml) {
        return TestServer.post("/ows", xml, "Content-Type", "text/xml; charset=UTF-8");
    }

    @Test
    void aTypeNameWithTheClientsOwnPrefixIsFound() {
        long plain = hits(TestServer.get(WFS + "GetFeature&TYPENAMES=grids&RESULTTYPE=hits"));
        assertTrue(plain > 0);
        // the request, and other prefixes, encodings and the WFS 1.1 spelling
        assertEquals(
                plain,
                hits(
                        TestServer.get(
                                WFS
                                        + "GetFeature&TYPENAMES=ns1:grids&RESULTTYPE=hits"
                                        + "&NAMESPACES=xmlns(ns1,https://gridgov.org/ns)")));
        assertEquals(
                plain,
                hits(
                        TestServer.get(
                                WFS
                                        + "GetFeature&TYPENAMES="
                                        + enc("city:grids")
                                        + "&RESULTTYPE=hits"
                                        + bind("city"))));
        assertEquals(
                plain,
                hits(
                        TestServer.get(
                                "/ows?SERVICE=WFS&VERSION=1.1.0&REQUEST=GetFeature&TYPENAME=g:grids"
                                        + "&RESULTTYPE=hits&NAMESPACE="
                                        + enc("xmlns(g=" + NS + ")"))));
        // several bindings, one of them gridgov's under another name
        assertEquals(
                plain,
                hits(
                        TestServer.get(
                                WFS
                                        + "GetFeature&RESULTTYPE=hits&TYPENAMES=b:grids"
                                        + "&NAMESPACES="
                                        + enc(
                                                "xmlns(a,http://example.org/other),xmlns(b,"
                                                        + enc(NS)
                                                        + ")"))));
        // DescribeFeatureType too
        Answer schema = TestServer.get(WFS + "DescribeFeatureType&TYPENAMES=x:grids" + bind("x"));
        assertEquals(200, schema.status(), schema.body());
        assertTrue(schema.body().contains("name=\"gridsType\""), schema.body());
    }

    @Test
    void aPrefixIsMatchedByItsUriNotItsName() {
        // "gridgov" bound to another namespace is not gridgov's type
        Answer other =
                TestServer.get(
                        WFS
                                + "GetFeature&TYPENAMES=gridgov:grids&NAMESPACES="
                                + enc("xmlns(gridgov,http://example.org/not-gridgov)"));
        assertException(other, 400, "InvalidParameterValue", "TYPENAMES");
        assertTrue(other.body().contains("http://example.org/not-gridgov"), other.body());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "type name|2.0.0&REQUEST=GetFeature&TYPENAMES=ns1:grids|TYPENAMES",
                "WFS 1.1 type name|1.1.0&REQUEST=GetFeature&TYPENAME=ns1:grids|TYPENAME",
                "described type|2.0.0&REQUEST=DescribeFeatureType&TYPENAMES=ns1:grids|TYPENAMES",
                "value reference|2.0.0&REQUEST=GetPropertyValue&TYPENAMES=grids"
                        + "&VALUEREFERENCE=ns1:code|VALUEREFERENCE",
                "sort key|2.0.0&REQUEST=GetFeature&TYPENAMES=grids&SORTBY=ns1:code%20DESC|SORTBY",
                "property name|2.0.0&REQUEST=GetFeature&TYPENAMES=grids&PROPERTYNAME=ns1:code"
                        + "|PROPERTYNAME",
                "bad NAMESPACES|2.0.0&REQUEST=GetFeature&TYPENAMES=grids"
                        + "&NAMESPACES=ns1=https://gridgov.org/ns|NAMESPACES",
            })
    void anUnboundPrefixIsInvalidWithItsLocator(String what, String query, String locator) {
        Answer a = TestServer.get("/ows?SERVICE=WFS&VERSION=" + query);
        assertException(a, 400, "InvalidParameterValue", locator);
        assertEquals(200, TestServer.get("/health").status());
    }

    @Test
    void filterPropertyNamesResolveByTheFiltersOwnBindingsOrNamespaces() {
        String types = WFS + "GetFeature&RESULTTYPE=hits&TYPENAMES=communities";
        long urban =
                hits(TestServer.get(types + "&FILTER=" + enc(WfsTest.equalTo("kind", "URBAN"))));
        assertTrue(urban > 0);
        // the filter declares its own prefix
        String own =
                "<fes:Filter xmlns:fes=\"http://www.opengis.net/fes/2.0\" xmlns:c=\""
                        + NS
                        + "\"><fes:PropertyIsEqualTo><fes:ValueReference>c:kind</fes:ValueReference>"
                        + "<fes:Literal>URBAN</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>";
        assertEquals(urban, hits(TestServer.get(types + "&FILTER=" + enc(own))));
        // the prefix is bound by NAMESPACES only
        assertEquals(
                urban,
                hits(
                        TestServer.get(
                                types
                                        + bind("k")
                                        + "&FILTER="
                                        + enc(WfsTest.equalTo("k:kind", "URBAN")))));
        // unbound anywhere, or bound to another namespace: refused, locator FILTER
        assertException(
                TestServer.get(types + "&FILTER=" + enc(WfsTest.equalTo("k:kind", "URBAN"))),
                400,
                "InvalidParameterValue",
                "FILTER");
        assertException(
                TestServer.get(
                        types
                                + "&NAMESPACES="
                                + enc("xmlns(k,http://example.org/x)")
                                + "&FILTER="
                                + enc(WfsTest.equalTo("k:kind", "URBAN"))),
                400,
                "InvalidParameterValue",
                "FILTER");
    }

    @Test
    void sortKeysAndPropertyNamesWithTheClientsPrefix() {
        JsonNode desc =
                features(
                        TestServer.get(
                                WFS
                                        + "GetFeature&TYPENAMES=s:grids&OUTPUTFORMAT=application/json"
                                        + "&COUNT=5&SORTBY="
                                        + enc("s:code DESC")
                                        + "&PROPERTYNAME="
                                        + enc("s:code,s:name")
                                        + bind("s")));
        assertEquals(5, desc.size());
        List<String> codes = new ArrayList<>();
        for (JsonNode f : desc) {
            codes.add(f.get("properties").get("code").asText());
            assertFalse(f.get("properties").has("kind"), "only the properties asked for");
        }
        List<String> sorted = new ArrayList<>(codes);
        sorted.sort(java.util.Comparator.reverseOrder());
        assertEquals(sorted, codes, "sorted by s:code, descending");
        // an unpublished or unknown attribute is refused, whatever its prefix
        assertException(
                TestServer.get(WFS + "GetFeature&TYPENAMES=grids&SORTBY=s:password" + bind("s")),
                400,
                "InvalidParameterValue",
                "SORTBY");
    }

    @Test
    void xmlPostResolvesTheBodysOwnBindings() {
        // no prefix of gridgov's anywhere: wfs as the default namespace, gridgov's as "q"
        String xml =
                "<GetFeature xmlns=\"http://www.opengis.net/wfs/2.0\""
                        + " xmlns:fes=\"http://www.opengis.net/fes/2.0\" service=\"WFS\""
                        + " version=\"2.0.0\" count=\"4\" outputFormat=\"application/json\">"
                        + "<Query typeNames=\"q:communities\" xmlns:q=\""
                        + NS
                        + "\"><PropertyName>q:code</PropertyName><PropertyName>q:kind</PropertyName>"
                        + "<fes:Filter><fes:PropertyIsEqualTo><fes:ValueReference>q:kind"
                        + "</fes:ValueReference><fes:Literal>URBAN</fes:Literal>"
                        + "</fes:PropertyIsEqualTo></fes:Filter>"
                        + "<fes:SortBy><fes:SortProperty><fes:ValueReference>q:code</fes:ValueReference>"
                        + "<fes:SortOrder>DESC</fes:SortOrder></fes:SortProperty></fes:SortBy>"
                        + "</Query></GetFeature>";
        JsonNode f = features(post(xml));
        assertTrue(f.size() > 0);
        String last = null;
        for (JsonNode x : f) {
            assertEquals("URBAN", x.get("properties").get("kind").asText());
            assertFalse(x.get("properties").has("name"));
            String code = x.get("properties").get("code").asText();
            if (last != null) assertTrue(code.compareTo(last) < 0, "descending");
            last = code;
        }
        // DescribeFeatureType and GetPropertyValue with their own bindings
        Answer schema =
                post(
                        "<wfs:DescribeFeatureType xmlns:wfs=\"http://www.opengis.net/wfs/2.0\""
                                + " service=\"WFS\" version=\"2.0.0\" xmlns:t=\""
                                + NS
                                + "\"><wfs:TypeName>t:roads</wfs:TypeName></wfs:DescribeFeatureType>");
        assertEquals(200, schema.status(), schema.body());
        assertTrue(schema.body().contains("name=\"roadsType\""), schema.body());
        Answer ids =
                post(
                        "<wfs:GetPropertyValue xmlns:wfs=\"http://www.opengis.net/wfs/2.0\""
                                + " xmlns:g=\"http://www.opengis.net/gml/3.2\" xmlns:t=\""
                                + NS
                                + "\" service=\"WFS\" version=\"2.0.0\" valueReference=\"@g:id\""
                                + " count=\"2\"><wfs:Query typeNames=\"t:communities\"/>"
                                + "</wfs:GetPropertyValue>");
        assertEquals(200, ids.status(), ids.body());
        assertTrue(ids.body().matches("(?s).*<wfs:member>communities\\.\\d+</wfs:member>.*"));
    }

    @Test
    void xmlPostUnboundOrForeignPrefixes() {
        assertException(
                post(
                        "<wfs:GetFeature xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" service=\"WFS\""
                                + " version=\"2.0.0\"><wfs:Query typeNames=\"ns1:grids\"/></wfs:GetFeature>"),
                400,
                "InvalidParameterValue",
                "typeNames");
        // the same prefix bound to two namespaces in two Queries: the second is not gridgov's
        Answer twice =
                post(
                        "<wfs:GetFeature xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" service=\"WFS\""
                                + " version=\"2.0.0\" resultType=\"hits\">"
                                + "<wfs:Query typeNames=\"a:grids\" xmlns:a=\""
                                + NS
                                + "\"/><wfs:Query typeNames=\"a:communities\""
                                + " xmlns:a=\"http://example.org/other\"/></wfs:GetFeature>");
        assertException(twice, 400, "InvalidParameterValue", "TYPENAMES");
        assertTrue(twice.body().contains("http://example.org/other"), twice.body());
        assertException(
                post(
                        "<wfs:GetFeature xmlns:wfs=\"http://www.opengis.net/wfs/2.0\""
                                + " xmlns:fes=\"http://www.opengis.net/fes/2.0\" service=\"WFS\""
                                + " version=\"2.0.0\"><wfs:Query typeNames=\"grids\"><fes:SortBy>"
                                + "<fes:SortProperty><fes:ValueReference>z:code</fes:ValueReference>"
                                + "</fes:SortProperty></fes:SortBy></wfs:Query></wfs:GetFeature>"),
                400,
                "InvalidParameterValue",
                "ValueReference");
    }
}
