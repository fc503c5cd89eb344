package org.gridgov.ogc;

import static org.gridgov.ogc.WfsNamespacesTest.assertException;
import static org.gridgov.ogc.WfsNamespacesTest.bind;
import static org.gridgov.ogc.WfsNamespacesTest.hits;
import static org.gridgov.ogc.WfsTest.enc;
import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GetPropertyValue and paging (issue 19, defect 2): {@code VALUEREFERENCE=@gml:id} answers a
 * wfs:ValueCollection of ids; RESULTTYPE=hits counts; paging forwards through {@code next} and
 * backwards through {@code previous} gives every feature of every type exactly once, the same pages
 * either way and the same as STARTINDEX — all with qualified names of the client's own.
 */
@Tag("db")
class WfsPagingTest {

    private static final Pattern MEMBER =
            Pattern.compile("<wfs:member>([a-z_]+\\.\\d+)</wfs:member>");

    /** As operator (who sees every layer) for restricted ones, anonymously for public ones. */
    private static Answer get(String layer, String pathOrUrl) {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : TestServer.base() + pathOrUrl;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (layer.equals("incidents") || layer.equals("base_units"))
            b.header("Authorization", "Bearer " + TestServer.token("operator"));
        return TestServer.send(b.build());
    }

    private record Page(List<String> ids, String next, String previous) {}

    private static Page page(String layer, String url) {
        Answer a = get(layer, url);
        assertEquals(200, a.status(), a.body());
        boolean values = a.body().contains("<wfs:ValueCollection");
        assertTrue(values || a.body().contains("<wfs:FeatureCollection"), a.body());
        List<String> ids = new ArrayList<>();
        // ids: the members of a ValueCollection, or the gml:id of each feature of a collection
        Matcher m =
                values
                        ? MEMBER.matcher(a.body())
                        : Pattern.compile("<gridgov:" + layer + " gml:id=\"([a-z_]+\\.\\d+)\"")
                                .matcher(a.body());
        while (m.find()) ids.add(m.group(1));
        return new Page(ids, link(a.body(), "next"), link(a.body(), "previous"));
    }

    private static String link(String xml, String name) {
        Matcher m = Pattern.compile("\\s" + name + "=\"([^\"]+)\"").matcher(xml);
        if (!m.find()) return null;
        String url = m.group(1).replace("&amp;", "&");
        assertTrue(url.startsWith(TestServer.base() + "/ows?"), "gridgov's address: " + url);
        return url;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "subdistrict",
                "communities",
                "roads",
                "grids",
                "workload",
                "base_units",
                "incidents"
            })
    void everyTypePagesForwardsAndBackwardsWithQualifiedNames(String layer) {
        String query =
                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetPropertyValue&TYPENAMES=my:"
                        + layer
                        + bind("my")
                        + "&VALUEREFERENCE="
                        + enc("@gml:id");
        long total = hits(get(layer, query + "&RESULTTYPE=hits"));
        assertEquals(
                total,
                hits(
                        get(
                                layer,
                                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&RESULTTYPE=hits"
                                        + "&TYPENAMES=my:"
                                        + layer
                                        + bind("my"))),
                "GetFeature and GetPropertyValue count the same");
        assertTrue(total > 0, layer);
        int count = (int) Math.max(1, (total + 2) / 3); // three pages or so
        List<Page> forward = new ArrayList<>();
        String url = query + "&COUNT=" + count;
        while (url != null) {
            Page p = page(layer, url);
            forward.add(p);
            url = p.next();
            assertTrue(forward.size() <= total + 1, "the next links end");
        }
        List<String> all = new ArrayList<>();
        forward.forEach(p -> all.addAll(p.ids()));
        assertEquals(total, all.size(), layer + ": every feature");
        assertEquals(all.size(), new HashSet<>(all).size(), layer + ": each once");
        assertTrue(all.stream().allMatch(id -> id.startsWith(layer + ".")), all.toString());
        // backwards from the last page
        List<Page> backward = new ArrayList<>();
        Page p = forward.get(forward.size() - 1);
        backward.add(p);
        while (p.previous() != null) {
            p = page(layer, p.previous());
            backward.add(p);
            assertTrue(backward.size() <= forward.size(), "the previous links end");
        }
        List<List<String>> fwd = forward.stream().map(Page::ids).toList();
        List<List<String>> back = new ArrayList<>(backward.stream().map(Page::ids).toList());
        java.util.Collections.reverse(back);
        assertEquals(fwd, back, layer + ": the same pages backwards");
        // STARTINDEX reaches the same pages directly
        for (int i = 0; i < forward.size(); i++)
            assertEquals(
                    fwd.get(i),
                    page(layer, query + "&COUNT=" + count + "&STARTINDEX=" + (i * count)).ids(),
                    layer + " page " + i);
        assertEquals(forward.size() > 1, forward.get(0).next() != null);
        assertNull(forward.get(0).previous(), "the first page has no previous");
        // GetFeature pages the same features the same way, through its own links
        String features =
                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=my:"
                        + layer
                        + bind("my")
                        + "&COUNT="
                        + count;
        List<List<String>> featurePages = new ArrayList<>();
        Page f = page(layer, features);
        featurePages.add(f.ids());
        while (f.next() != null) {
            f = page(layer, f.next());
            featurePages.add(f.ids());
        }
        assertEquals(fwd, featurePages, layer + ": GetFeature's pages");
        if (f.previous() != null)
            assertEquals(fwd.get(fwd.size() - 2), page(layer, f.previous()).ids());
    }

    @Test
    void gmlIdValueCollection() {
        Answer a =
                TestServer.get(
                        "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetPropertyValue&TYPENAMES=grids"
                                + "&VALUEREFERENCE=@gml:id");
        assertEquals(200, a.status(), a.body());
        assertTrue(a.body().contains("<wfs:ValueCollection"), a.body());
        Matcher m = MEMBER.matcher(a.body());
        int n = 0;
        while (m.find()) n++;
        assertEquals(
                hits(
                        TestServer.get(
                                "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids"
                                        + "&RESULTTYPE=hits")),
                n);
        // GML's namespace under another prefix
        Answer g =
                TestServer.get(
                        "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetPropertyValue&TYPENAMES=grids"
                                + "&COUNT=1&VALUEREFERENCE=@g:id&NAMESPACES="
                                + enc("xmlns(g," + enc("http://www.opengis.net/gml/3.2") + ")"));
        assertEquals(200, g.status(), g.body());
        assertTrue(MEMBER.matcher(g.body()).find(), g.body());
    }

    @Test
    void anEmptyValueReferenceIsInvalidAMissingOneMissing() {
        String q = "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetPropertyValue&TYPENAMES=grids";
        assertException(
                TestServer.get(q + "&VALUEREFERENCE="),
                400,
                "InvalidParameterValue",
                "VALUEREFERENCE");
        assertException(TestServer.get(q), 400, "MissingParameterValue", "VALUEREFERENCE");
        assertException(
                TestServer.get(q + "&VALUEREFERENCE=@gml:name"),
                400,
                "InvalidParameterValue",
                "VALUEREFERENCE");
        // XML: valueReference="" is a bad value too
        assertException(
                WfsNamespacesTest.post(
                        "<wfs:GetPropertyValue xmlns:wfs=\"http://www.opengis.net/wfs/2.0\""
                                + " service=\"WFS\" version=\"2.0.0\" valueReference=\"\">"
                                + "<wfs:Query typeNames=\"grids\"/></wfs:GetPropertyValue>"),
                400,
                "InvalidParameterValue",
                "VALUEREFERENCE");
    }
}
