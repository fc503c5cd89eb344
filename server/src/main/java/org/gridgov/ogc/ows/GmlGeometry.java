package org.gridgov.ogc.ows;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.geo.Crs;
import org.gridgov.ogc.catalog.ClientText;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.WKTWriter;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A polygon or multi-polygon written in GML (3.2, 3.1.1 or 2: Polygon, MultiPolygon, MultiSurface,
 * Surface of PolygonPatches; posList, pos, coordinates), read into well-known text in x/y order
 * with its EPSG code. The CRS comes from srsName on the geometry (or the default a WFS 2.0 Insert
 * gives); it must be one gridgov offers. Axis order follows the form of the name, as GeoServer and
 * GDAL read it: {@code EPSG:4326} and {@code http://www.opengis.net/gml/srs/epsg.xml#4326} are x/y
 * (longitude first), {@code urn:ogc:def:crs:EPSG::4326} and {@code
 * http://www.opengis.net/def/crs/EPSG/0/4326} are in EPSG's order (latitude, or for CGCS2000
 * Gauss-Kruger the northing, first). GDAL 3.6's WFS driver writes the urn form in x/y order all the
 * same, so a geometry read in EPSG order also keeps its reading as written ({@link #asWritten},
 * else null) for the editor to choose the one that lies in the jurisdiction.
 */
public record GmlGeometry(String wkt, int srid, String asWritten) {

    private static final Pattern SHORT =
            Pattern.compile("(?i)(?:EPSG:|http://www\\.opengis\\.net/gml/srs/epsg\\.xml#)(\\d+)");
    private static final Pattern EPSG_ORDER =
            Pattern.compile(
                    "(?i)(?:urn:(?:x-)?ogc:def:crs:EPSG:(?:[\\d.]*:)?|http://www\\.opengis\\.net/def/crs/EPSG/[\\d.]+/)(\\d+)");
    private static final Pattern CRS84 =
            Pattern.compile(
                    "(?i)CRS:84|urn:ogc:def:crs:OGC:1\\.3:CRS84|http://www\\.opengis\\.net/def/crs/OGC/1\\.3/CRS84");

    private static final GeometryFactory FACTORY = new GeometryFactory();

    /**
     * The geometry element (a GML Polygon, MultiPolygon, MultiSurface or Surface); InvalidValue at
     * locator when it is not one, has no usable srsName, or is not a valid polygon.
     */
    static GmlGeometry read(Element g, String defaultSrsName, int planarSrid, String locator) {
        String srsName = g.getAttribute("srsName");
        if (srsName.isBlank()) srsName = defaultSrsName == null ? "" : defaultSrsName;
        if (srsName.isBlank())
            throw invalid(
                    locator,
                    "the geometry has no srsName: write it on the geometry, e.g. srsName=\"EPSG:4326\" ("
                            + Crs.offered(planarSrid, ", ")
                            + ")");
        int srid;
        boolean swap;
        Matcher m;
        if (CRS84.matcher(srsName.trim()).matches()) {
            srid = Crs.WGS84;
            swap = false;
        } else if ((m = SHORT.matcher(srsName.trim())).matches()) {
            srid = Integer.parseInt(m.group(1));
            swap = false;
        } else if ((m = EPSG_ORDER.matcher(srsName.trim())).matches()) {
            srid = Integer.parseInt(m.group(1));
            swap = Crs.northFirst(srid);
        } else {
            throw invalid(
                    locator,
                    "srsName '"
                            + ClientText.shorten(srsName)
                            + "' is not a CRS name gridgov reads");
        }
        if (!Crs.offered(planarSrid).contains(srid))
            throw invalid(
                    locator,
                    "srsName '"
                            + ClientText.shorten(srsName)
                            + "' is not offered; use one of "
                            + Crs.offered(planarSrid, ", "));
        String wkt = wkt(g, swap, locator);
        return new GmlGeometry(wkt, srid, swap ? wkt(g, false, locator) : null);
    }

    private static String wkt(Element g, boolean swap, String locator) {
        List<Polygon> polygons = new ArrayList<>();
        try {
            collect(g, swap, polygons, locator);
        } catch (IllegalArgumentException e) {
            throw invalid(
                    locator,
                    "the geometry is not a usable polygon: "
                            + ClientText.shorten(String.valueOf(e.getMessage())));
        }
        if (polygons.isEmpty()) throw invalid(locator, "the geometry holds no polygon");
        Geometry geom =
                polygons.size() == 1
                        ? polygons.get(0)
                        : FACTORY.createMultiPolygon(polygons.toArray(Polygon[]::new));
        if (geom.isEmpty()) throw invalid(locator, "the geometry is empty");
        IsValidOp valid = new IsValidOp(geom);
        if (!valid.isValid())
            throw invalid(
                    locator,
                    "the geometry is not valid: " + valid.getValidationError().getMessage());
        return new WKTWriter().write(geom);
    }

    private static void collect(Element g, boolean swap, List<Polygon> out, String locator) {
        if (!Namespaces.GML32.equals(g.getNamespaceURI())
                && !Namespaces.GML.equals(g.getNamespaceURI()))
            throw invalid(
                    locator,
                    "expected a GML geometry, got "
                            + ClientText.shorten(String.valueOf(g.getLocalName())));
        switch (g.getLocalName()) {
            case "Polygon", "PolygonPatch" -> out.add(polygon(g, swap, locator));
            case "MultiPolygon", "MultiSurface", "Surface", "CompositeSurface" -> {
                for (Element member : children(g)) {
                    // polygonMember, surfaceMember, surfaceMembers, patches
                    for (Element inner : children(member)) collect(inner, swap, out, locator);
                }
            }
            default ->
                    throw invalid(
                            locator,
                            "grids are polygons; a GML "
                                    + ClientText.shorten(g.getLocalName())
                                    + " cannot be one");
        }
    }

    private static Polygon polygon(Element p, boolean swap, String locator) {
        LinearRing shell = null;
        List<LinearRing> holes = new ArrayList<>();
        for (Element b : children(p)) {
            String n = b.getLocalName();
            boolean outer = n.equals("exterior") || n.equals("outerBoundaryIs");
            boolean inner = n.equals("interior") || n.equals("innerBoundaryIs");
            if (!outer && !inner) continue;
            Element ring = children(b).isEmpty() ? null : children(b).get(0);
            if (ring == null || !ring.getLocalName().equals("LinearRing"))
                throw invalid(locator, "polygon boundaries must be gml:LinearRing");
            LinearRing r = FACTORY.createLinearRing(coordinates(ring, swap, locator));
            if (outer) shell = r;
            else holes.add(r);
        }
        if (shell == null) throw invalid(locator, "a polygon without an exterior ring");
        return FACTORY.createPolygon(shell, holes.toArray(LinearRing[]::new));
    }

    private static Coordinate[] coordinates(Element ring, boolean swap, String locator) {
        List<Double> numbers = new ArrayList<>();
        int dim = 2;
        for (Element c : children(ring)) {
            switch (c.getLocalName()) {
                case "posList", "pos" -> {
                    String d = c.getAttribute("srsDimension");
                    if (!d.isBlank()) dim = dimension(d, locator);
                    numbers(c.getTextContent(), numbers, locator);
                }
                case "coordinates" -> {
                    // GML 2: "x,y x,y" (the default separators)
                    for (String tuple : c.getTextContent().trim().split("\\s+")) {
                        String[] xy = tuple.split(",");
                        if (xy.length < 2) throw invalid(locator, "bad gml:coordinates");
                        numbers(xy[0] + " " + xy[1], numbers, locator);
                    }
                    dim = 2;
                }
                case "coord" -> {
                    for (Element v : children(c))
                        if (v.getLocalName().equals("X") || v.getLocalName().equals("Y"))
                            numbers(v.getTextContent(), numbers, locator);
                }
                default -> throw invalid(locator, "unexpected " + c.getLocalName() + " in ring");
            }
        }
        if (numbers.size() % dim != 0)
            throw invalid(locator, "the coordinates do not come in groups of " + dim);
        Coordinate[] out = new Coordinate[numbers.size() / dim];
        for (int i = 0; i < out.length; i++) {
            double a = numbers.get(i * dim), b = numbers.get(i * dim + 1);
            out[i] = swap ? new Coordinate(b, a) : new Coordinate(a, b);
        }
        return out;
    }

    private static int dimension(String d, String locator) {
        if (!d.trim().equals("2") && !d.trim().equals("3"))
            throw invalid(locator, "srsDimension must be 2 or 3");
        return Integer.parseInt(d.trim());
    }

    private static void numbers(String text, List<Double> out, String locator) {
        for (String t : text.trim().split("\\s+")) {
            if (t.isEmpty()) continue;
            try {
                double v = Double.parseDouble(t);
                if (!Double.isFinite(v)) throw new NumberFormatException();
                out.add(v);
            } catch (NumberFormatException e) {
                throw invalid(locator, "'" + ClientText.shorten(t) + "' is not a coordinate");
            }
        }
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling())
            if (n instanceof Element c) out.add(c);
        return out;
    }

    private static OwsException invalid(String locator, String message) {
        return new OwsException(400, "InvalidValue", locator, message);
    }

    @Override
    public String toString() {
        return "SRID=" + srid + ";" + wkt.toUpperCase(Locale.ROOT);
    }
}
