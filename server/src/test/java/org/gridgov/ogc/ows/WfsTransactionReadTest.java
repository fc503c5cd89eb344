package org.gridgov.ogc.ows;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading WFS-T transactions into typed actions, without a server. */
class WfsTransactionReadTest {

    private static final String NS =
            "xmlns:w=\"http://www.opengis.net/wfs/2.0\" xmlns:f=\"http://www.opengis.net/fes/2.0\""
                    + " xmlns:g=\"http://www.opengis.net/gml/3.2\" xmlns:x=\"https://gridgov.org/ns\"";

    private static WfsTransaction read(String xml) {
        return WfsTransaction.read(OwsXml.parse(xml, "request body").getDocumentElement(), 4549);
    }

    private static String update(String geometry) {
        return "<w:Transaction "
                + NS
                + "><w:Update typeName=\"x:grids\"><w:Property><w:ValueReference>x:geom"
                + "</w:ValueReference><w:Value>"
                + geometry
                + "</w:Value></w:Property><f:Filter><f:ResourceId rid=\"grids.7\"/>"
                + "<f:ResourceId rid=\"grids.9\"/></f:Filter></w:Update></w:Transaction>";
    }

    private static final String SQUARE = "120.1 30.1 120.2 30.1 120.2 30.2 120.1 30.2 120.1 30.1";

    @Test
    void axisOrderFollowsTheFormOfTheCrsName() {
        String shortForm =
                "<g:Polygon srsName=\"EPSG:4326\"><g:exterior><g:LinearRing><g:posList>"
                        + SQUARE
                        + "</g:posList></g:LinearRing></g:exterior></g:Polygon>";
        var u = (WfsTransaction.Update) read(update(shortForm)).actions().get(0);
        assertEquals(List.of(7L, 9L), u.gridIds());
        assertEquals(4326, u.geometry().srid());
        assertTrue(u.geometry().wkt().startsWith("POLYGON ((120.1 30.1"), u.geometry().wkt());
        // EPSG order: latitude first in the text, longitude first in the result
        String urn =
                shortForm
                        .replace("EPSG:4326", "urn:ogc:def:crs:EPSG::4326")
                        .replace(SQUARE, "30.1 120.1 30.1 120.2 30.2 120.2 30.2 120.1 30.1 120.1");
        var v = (WfsTransaction.Update) read(update(urn)).actions().get(0);
        assertEquals(u.geometry().wkt(), v.geometry().wkt());
        // kept as written too: GDAL 3.6 writes the urn form longitude first
        assertTrue(v.geometry().asWritten().startsWith("POLYGON ((30.1 120.1"));
        assertNull(u.geometry().asWritten());
        // Web Mercator is easting first in either form
        String mercator =
                "<g:Polygon srsName=\"http://www.opengis.net/def/crs/EPSG/0/3857\"><g:exterior>"
                        + "<g:LinearRing><g:posList>0 0 10 0 10 10 0 0</g:posList></g:LinearRing>"
                        + "</g:exterior></g:Polygon>";
        var m = (WfsTransaction.Update) read(update(mercator)).actions().get(0);
        assertEquals(3857, m.geometry().srid());
        assertTrue(m.geometry().wkt().startsWith("POLYGON ((0 0, 10 0"), m.geometry().wkt());
    }

    @Test
    void gml2CoordinatesAndMultiSurfacesAreRead() {
        String gml2 =
                "<w:Transaction xmlns:w=\"http://www.opengis.net/wfs\" version=\"1.1.0\""
                        + " xmlns:gml=\"http://www.opengis.net/gml\" xmlns:ogc=\"http://www.opengis.net/ogc\">"
                        + "<w:Insert><grids xmlns=\"https://gridgov.org/ns\"><name>n</name><msGeometry>"
                        + "<gml:MultiPolygon srsName=\"EPSG:4549\"><gml:polygonMember><gml:Polygon>"
                        + "<gml:outerBoundaryIs><gml:LinearRing><gml:coordinates>0,0 10,0 10,10 0,0"
                        + "</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon>"
                        + "</gml:polygonMember></gml:MultiPolygon></msGeometry></grids></w:Insert>"
                        + "</w:Transaction>";
        WfsTransaction t = read(gml2);
        assertFalse(t.v2());
        var in = (WfsTransaction.Insert) t.actions().get(0);
        assertEquals("n", in.grids().get(0).attributes().get("name"));
        assertEquals(4549, in.grids().get(0).geometry().srid());
        assertTrue(
                t.response(new WfsTransaction.Result(List.of(5L), 0, 0))
                        .contains("<ogc:FeatureId fid=\"grids.5\"/>"));
        // WFS 1.0 (QGIS may speak it): WFS_TransactionResponse with a SUCCESS status
        String v10 =
                read(gml2.replace("version=\"1.1.0\"", "version=\"1.0.0\""))
                        .response(new WfsTransaction.Result(List.of(5L), 0, 0));
        assertTrue(v10.contains("<wfs:WFS_TransactionResponse"), v10);
        assertTrue(v10.contains("<wfs:SUCCESS/>") && v10.contains("fid=\"grids.5\""), v10);
    }

    @Test
    void refusalsNameTheAction() {
        String noSrs =
                "<g:Polygon><g:exterior><g:LinearRing><g:posList>"
                        + SQUARE
                        + "</g:posList></g:LinearRing></g:exterior></g:Polygon>";
        var e = assertThrows(OwsException.class, () -> read(update(noSrs)));
        assertEquals("Update[1]", e.locator());
        assertTrue(e.getMessage().contains("srsName"), e.getMessage());
        var other =
                assertThrows(
                        OwsException.class,
                        () ->
                                read(
                                        update(
                                                noSrs.replace(
                                                        "<g:Polygon>",
                                                        "<g:Polygon srsName=\"EPSG:2000\">"))));
        assertEquals("InvalidValue", other.code());
        String incidents =
                "<w:Transaction "
                        + NS
                        + "><w:Delete handle=\"d\" typeName=\"x:incidents\"><f:Filter>"
                        + "<f:ResourceId rid=\"incidents.1\"/></f:Filter></w:Delete></w:Transaction>";
        var t = assertThrows(OwsException.class, () -> read(incidents));
        assertEquals("d", t.locator());
        String unbound = incidents.replace("x:incidents", "y:grids");
        assertEquals(
                "InvalidParameterValue",
                assertThrows(OwsException.class, () -> read(unbound)).code());
        String noFilter =
                "<w:Transaction " + NS + "><w:Delete typeName=\"x:grids\"/></w:Transaction>";
        assertEquals(
                "MissingParameterValue",
                assertThrows(OwsException.class, () -> read(noFilter)).code());
    }
}
