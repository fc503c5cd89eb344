package org.gridgov.ogc.ows;

import io.vertx.core.MultiMap;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.gridgov.ogc.catalog.ClientText;
import org.gridgov.ogc.catalog.Layer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * XML POST requests of WFS 2.0 / 1.1 (GetCapabilities, DescribeFeatureType, GetFeature and
 * GetPropertyValue with a Query and an FES/OGC filter or the stored query GetFeatureById,
 * ListStoredQueries, DescribeStoredQueries), translated into the key-value form that {@link
 * OwsRequest} validates. Translating, not forwarding the XML, keeps one validation and one
 * access-check path: MapServer never sees anything the KVP checks did not pass, and the layer names
 * the access check reads are the ones MapServer will use.
 *
 * <p>Parsing is locked down: no DTD at all (so no entities, no XXE, no entity expansion bombs), no
 * external schemas or stylesheets, and the body is size-limited by the gateway before it gets here.
 * Filters (also KVP {@code FILTER}) are parsed the same way, and every property they name must be
 * an attribute of the layer, so a filter cannot probe columns that are not published.
 */
final class OwsXml {

    static final String WFS20 = "http://www.opengis.net/wfs/2.0";
    static final String WFS11 = "http://www.opengis.net/wfs";
    private static final Set<String> FILTER_NS =
            Set.of("http://www.opengis.net/fes/2.0", "http://www.opengis.net/ogc");

    /**
     * The geometry's names in filters: MapServer's own, the mapfile's, and what clients commonly
     * send.
     */
    static final Set<String> GEOMETRY =
            Set.of("msgeometry", "geom", "geometry", "the_geom", "boundedby");

    private static final Set<String> WFS_OPS =
            Set.of(
                    "GetCapabilities",
                    "DescribeFeatureType",
                    "GetFeature",
                    "GetPropertyValue",
                    "ListStoredQueries",
                    "DescribeStoredQueries");

    private OwsXml() {}

    /**
     * The KVP equivalent of an XML request; OwsException (400 OperationParsingFailed, 501 …) when
     * it has none.
     */
    static MultiMap toKvp(String xml) {
        return toKvp(parse(xml, "request body").getDocumentElement());
    }

    /** The KVP equivalent of a parsed XML request. */
    static MultiMap toKvp(Element root) {
        String ns = root.getNamespaceURI() == null ? "" : root.getNamespaceURI();
        String op = root.getLocalName();
        if (ns.startsWith("http://www.opengis.net/wms")
                || ns.startsWith("http://www.opengis.net/sld")
                || "WMS".equalsIgnoreCase(root.getAttribute("service")))
            throw new OwsException(
                    501,
                    "OperationNotSupported",
                    op,
                    "WMS requests have no XML POST encoding here (WMS 1.3.0 defines key-value requests only); send GET or a form POST");
        if (!ns.equals(WFS20) && !ns.equals(WFS11))
            throw new OwsException(
                    400,
                    "OperationParsingFailed",
                    op,
                    "the root element must be a WFS 2.0 or 1.1 request, got {"
                            + ClientText.shorten(ns)
                            + "}"
                            + op);
        if (!WFS_OPS.contains(op))
            throw new OwsException(
                    501,
                    "OperationNotSupported",
                    op,
                    "the WFS operation " + ClientText.shorten(op) + " is not supported");
        boolean v2 = ns.equals(WFS20);
        String service = root.getAttribute("service");
        if (!service.isEmpty() && !service.equals("WFS"))
            throw OwsException.invalid("service", "service must be WFS");
        MultiMap kvp = MultiMap.caseInsensitiveMultiMap();
        kvp.add("SERVICE", "WFS");
        kvp.add("REQUEST", op);
        String version = root.getAttribute("version");
        Bindings names = new Bindings();
        switch (op) {
            case "GetCapabilities" -> {
                List<String> accept = texts(root, "AcceptVersions", "Version");
                if (!accept.isEmpty()) kvp.add("ACCEPTVERSIONS", String.join(",", accept));
                else kvp.add("VERSION", v2 ? "2.0.0" : "1.1.0");
                List<String> sections = texts(root, "Sections", "Section");
                if (!sections.isEmpty()) kvp.add("SECTIONS", String.join(",", sections));
            }
            case "DescribeFeatureType" -> {
                kvp.add("VERSION", version.isEmpty() ? (v2 ? "2.0.0" : "1.1.0") : version);
                List<String> types = new ArrayList<>();
                for (Element e : children(root))
                    if (e.getLocalName().equals("TypeName"))
                        types.add(names.name(e, e.getTextContent(), "TypeName"));
                if (!types.isEmpty())
                    kvp.add(v2 ? "TYPENAMES" : "TYPENAME", String.join(",", types));
                attr(root, "outputFormat", kvp, "OUTPUTFORMAT");
            }
            case "GetFeature" -> getFeature(root, v2, version, kvp, names);
            case "GetPropertyValue" -> {
                // present but empty is a bad value, not a missing one
                if (root.hasAttribute("valueReference"))
                    kvp.add(
                            "VALUEREFERENCE",
                            root.getAttribute("valueReference").isBlank()
                                    ? ""
                                    : names.name(
                                            root,
                                            root.getAttribute("valueReference"),
                                            "valueReference"));
                getFeature(root, v2, version, kvp, names);
            }
            case "ListStoredQueries" -> kvp.add("VERSION", version.isEmpty() ? "2.0.0" : version);
            case "DescribeStoredQueries" -> {
                kvp.add("VERSION", version.isEmpty() ? "2.0.0" : version);
                List<String> ids = new ArrayList<>();
                for (Element e : children(root))
                    if (e.getLocalName().equals("StoredQueryId"))
                        ids.add(e.getTextContent().trim());
                if (!ids.isEmpty()) kvp.add("STOREDQUERY_ID", String.join(",", ids));
            }
            default -> throw new IllegalStateException(op);
        }
        names.declare(kvp);
        return kvp;
    }

    /**
     * The qualified names of an XML request, written for its key-value form under the prefixes they
     * were bound to there, and those bindings (NAMESPACES), so that the key-value reader resolves
     * them by URI as it does for KVP. A prefix bound to two URIs in different elements is renamed
     * in the second (ns1_1).
     */
    private static final class Bindings {
        private final java.util.Map<String, String> byPrefix = new java.util.LinkedHashMap<>();

        /** A name (or a whitespace/comma-separated list of them) read in element scope. */
        String name(Element scope, String text, String locator) {
            List<String> out = new ArrayList<>();
            for (String t : text.trim().split("[\\s,]+")) {
                int at = t.startsWith("@") ? 1 : 0;
                int colon = t.indexOf(':');
                if (colon < 0) {
                    out.add(t);
                    continue;
                }
                String prefix = t.substring(at, colon);
                String uri = scope.lookupNamespaceURI(prefix);
                if (uri == null) uri = Namespaces.IMPLICIT.uri(prefix);
                if (uri == null)
                    throw OwsException.invalid(
                            locator,
                            "the prefix '"
                                    + ClientText.shorten(prefix)
                                    + "' of '"
                                    + ClientText.shorten(t)
                                    + "' is not bound to a namespace: declare it, e.g. xmlns:"
                                    + ClientText.shorten(prefix)
                                    + "=\""
                                    + Namespaces.GRIDGOV
                                    + "\"");
                String p = prefix;
                for (int n = 1; byPrefix.containsKey(p) && !byPrefix.get(p).equals(uri); n++)
                    p = prefix + "_" + n;
                byPrefix.put(p, uri);
                out.add(t.substring(0, at) + p + t.substring(colon));
            }
            return String.join(",", out);
        }

        void declare(MultiMap kvp) {
            if (byPrefix.isEmpty()) return;
            List<String> xmlns = new ArrayList<>();
            byPrefix.forEach(
                    (p, uri) ->
                            xmlns.add(
                                    "xmlns("
                                            + p
                                            + ","
                                            + java.net.URLEncoder.encode(
                                                    uri, java.nio.charset.StandardCharsets.UTF_8)
                                            + ")"));
            kvp.add("NAMESPACES", String.join(",", xmlns));
        }
    }

    private static void getFeature(
            Element root, boolean v2, String version, MultiMap kvp, Bindings names) {
        kvp.add("VERSION", version.isEmpty() ? (v2 ? "2.0.0" : "1.1.0") : version);
        attr(root, v2 ? "count" : "maxFeatures", kvp, v2 ? "COUNT" : "MAXFEATURES");
        attr(root, "startIndex", kvp, "STARTINDEX");
        attr(root, "resultType", kvp, "RESULTTYPE");
        attr(root, "outputFormat", kvp, "OUTPUTFORMAT");
        List<Element> queries = new ArrayList<>();
        List<Element> stored = new ArrayList<>();
        for (Element e : children(root)) {
            if (e.getLocalName().equals("Query")) queries.add(e);
            else if (e.getLocalName().equals("StoredQuery")) stored.add(e);
            else
                throw new OwsException(
                        400,
                        "OperationParsingFailed",
                        e.getLocalName(),
                        "unexpected element "
                                + ClientText.shorten(e.getLocalName())
                                + " in "
                                + root.getLocalName());
        }
        if (!stored.isEmpty()) {
            if (stored.size() > 1 || !queries.isEmpty())
                throw new OwsException(
                        501,
                        "OptionNotSupported",
                        "StoredQuery",
                        "one StoredQuery per request, without other queries");
            storedQuery(stored.get(0), kvp);
            return;
        }
        if (queries.isEmpty())
            throw new OwsException(
                    400, "MissingParameterValue", "Query", root.getLocalName() + " needs a Query");
        if (queries.size() > 1) {
            plainQueries(queries, v2, kvp, names);
            return;
        }
        Element q = queries.get(0);
        String typeNames = q.getAttribute(v2 ? "typeNames" : "typeName");
        if (typeNames.isEmpty())
            throw new OwsException(
                    400,
                    "MissingParameterValue",
                    v2 ? "typeNames" : "typeName",
                    "the Query names no feature type");
        kvp.add(
                v2 ? "TYPENAMES" : "TYPENAME",
                names.name(q, typeNames, v2 ? "typeNames" : "typeName"));
        attr(q, "srsName", kvp, "SRSNAME");
        List<String> props = new ArrayList<>();
        List<String> sort = new ArrayList<>();
        for (Element e : children(q)) {
            switch (e.getLocalName()) {
                case "PropertyName" -> props.add(names.name(e, e.getTextContent(), "PropertyName"));
                case "Filter" -> kvp.add("FILTER", serialize(e));
                case "SortBy" -> {
                    for (Element p : children(e)) {
                        String name = "", order = "";
                        for (Element c : children(p)) {
                            if (c.getLocalName().equals("ValueReference")
                                    || c.getLocalName().equals("PropertyName"))
                                name = names.name(c, c.getTextContent(), c.getLocalName());
                            if (c.getLocalName().equals("SortOrder"))
                                order = c.getTextContent().trim().toUpperCase(Locale.ROOT);
                        }
                        if (!order.isEmpty() && !order.equals("ASC") && !order.equals("DESC"))
                            throw OwsException.invalid("SortOrder", "SortOrder is ASC or DESC");
                        sort.add(order.isEmpty() ? name : name + " " + order);
                    }
                }
                default ->
                        throw new OwsException(
                                400,
                                "OperationParsingFailed",
                                e.getLocalName(),
                                "unexpected element "
                                        + ClientText.shorten(e.getLocalName())
                                        + " in Query");
            }
        }
        if (!props.isEmpty()) kvp.add("PROPERTYNAME", String.join(",", props));
        if (!sort.isEmpty()) kvp.add("SORTBY", String.join(",", sort));
    }

    /**
     * A StoredQuery element: its id and its parameters (GetFeatureById has the one, ID), as KVP.
     */
    private static void storedQuery(Element sq, MultiMap kvp) {
        kvp.add("STOREDQUERY_ID", sq.getAttribute("id").trim());
        for (Element p : children(sq)) {
            if (!p.getLocalName().equals("Parameter"))
                throw new OwsException(
                        400,
                        "OperationParsingFailed",
                        p.getLocalName(),
                        "unexpected element "
                                + ClientText.shorten(p.getLocalName())
                                + " in StoredQuery");
            String name = p.getAttribute("name").trim().toUpperCase(Locale.ROOT);
            if (!name.equals("ID"))
                throw OwsException.invalid(
                        "Parameter",
                        "GetFeatureById takes the one parameter ID, not '"
                                + ClientText.shorten(name)
                                + "'");
            kvp.add("ID", p.getTextContent().trim());
        }
    }

    /**
     * Several Queries (QGIS and GDAL send these for a multi-layer read): one TYPENAMES list, and
     * when any Query has a filter, a FILTER list with one filter per type — a Query without one
     * gets a filter every feature passes (its id is never null). Queries with their own properties,
     * order or CRS have no key-value form MapServer takes, so they are refused rather than answered
     * differently.
     */
    private static void plainQueries(
            List<Element> queries, boolean v2, MultiMap kvp, Bindings names) {
        List<String> types = new ArrayList<>();
        List<String> filters = new ArrayList<>();
        boolean anyFilter = false;
        for (Element q : queries) {
            List<Element> children = children(q);
            boolean onlyAFilter =
                    children.isEmpty()
                            || (children.size() == 1
                                    && children.get(0).getLocalName().equals("Filter"));
            if (!onlyAFilter || !q.getAttribute("srsName").isEmpty())
                throw new OwsException(
                        501,
                        "OptionNotSupported",
                        "Query",
                        "several Queries in one request may each have a filter, but no properties, sorting or srsName of their own; send such a Query on its own");
            String t = q.getAttribute(v2 ? "typeNames" : "typeName").trim();
            if (t.isEmpty())
                throw new OwsException(
                        400,
                        "MissingParameterValue",
                        v2 ? "typeNames" : "typeName",
                        "a Query names no feature type");
            if (t.contains(",") || t.contains(" "))
                throw OwsException.invalid(
                        v2 ? "typeNames" : "typeName",
                        "each of several Queries names one feature type");
            types.add(names.name(q, t, v2 ? "typeNames" : "typeName"));
            filters.add(
                    children.isEmpty()
                            ? (v2 ? EVERY_FEATURE_FES : EVERY_FEATURE_OGC)
                            : serialize(children.get(0)));
            anyFilter |= !children.isEmpty();
        }
        kvp.add(v2 ? "TYPENAMES" : "TYPENAME", String.join(",", types));
        if (anyFilter) kvp.add("FILTER", "(" + String.join(")(", filters) + ")");
    }

    private static final String EVERY_FEATURE_FES =
            "<fes:Filter xmlns:fes=\"http://www.opengis.net/fes/2.0\"><fes:Not><fes:PropertyIsNull>"
                    + "<fes:ValueReference>id</fes:ValueReference></fes:PropertyIsNull></fes:Not></fes:Filter>";
    private static final String EVERY_FEATURE_OGC =
            "<ogc:Filter xmlns:ogc=\"http://www.opengis.net/ogc\"><ogc:Not><ogc:PropertyIsNull>"
                    + "<ogc:PropertyName>id</ogc:PropertyName></ogc:PropertyIsNull></ogc:Not></ogc:Filter>";

    /**
     * The filters of a KVP FILTER list {@code (<Filter…/>)(<Filter…/>)}. A filter's text cannot
     * hold an unescaped '<', so ")(" between a '>' and a '<' is always a boundary between two
     * filters.
     */
    static List<String> filterList(String list) {
        String f = list.trim();
        if (!f.startsWith("(") || !f.endsWith(")"))
            throw OwsException.invalid(
                    "FILTER", "a FILTER list is (filter)(filter)…, one per feature type");
        List<String> parts = new ArrayList<>();
        for (String p : f.substring(1, f.length() - 1).split("(?<=>)\\s*\\)\\s*\\(\\s*(?=<)", -1)) {
            if (p.isBlank())
                throw OwsException.invalid(
                        "FILTER", "a FILTER list has an empty filter: give one per feature type");
            parts.add(p.trim());
        }
        return parts;
    }

    /**
     * Checks a filter (XML POST or KVP FILTER): well-formed, no DTD, an FES 2.0 / OGC Filter root,
     * and every property it names is one of the layers' attributes or their geometry.
     */
    static void checkFilter(String filter, Collection<Layer> layers, Namespaces names) {
        Element root = parse(filter, "FILTER").getDocumentElement();
        if (!root.getLocalName().equals("Filter")
                || !FILTER_NS.contains(String.valueOf(root.getNamespaceURI())))
            throw OwsException.invalid(
                    "FILTER",
                    "FILTER must be an fes:Filter (FES 2.0) or ogc:Filter element with its namespace");
        NodeList all = root.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (!e.getLocalName().equals("ValueReference")
                    && !e.getLocalName().equals("PropertyName")) continue;
            String text = e.getTextContent().trim();
            // by URI: the filter's own xmlns bindings, then the request's NAMESPACES
            Namespaces.QName q = names.resolve("FILTER", text, e::lookupNamespaceURI);
            String n = q.local();
            boolean known =
                    q.gml() && (n.equals("id") || n.equals("boundedBy"))
                            || q.gridgov()
                                    && (GEOMETRY.contains(n.toLowerCase(Locale.ROOT))
                                            || n.equals("id")
                                            || layers.stream()
                                                    .allMatch(l -> l.attributes().containsKey(n)));
            if (!known || layers.isEmpty())
                throw OwsException.invalid(
                        "FILTER",
                        "the filter names '"
                                + ClientText.shorten(text)
                                + "', which is not a published attribute"
                                + (q.gridgov() || q.gml()
                                        ? ""
                                        : " (its namespace is "
                                                + ClientText.shorten(q.uri())
                                                + ", gridgov's is "
                                                + Namespaces.GRIDGOV
                                                + ")"));
        }
    }

    static Document parse(String xml, String what) {
        try {
            DocumentBuilder b = builder();
            b.setEntityResolver(
                    (publicId, systemId) -> {
                        throw new SAXException("external entities are not resolved");
                    });
            b.setErrorHandler(
                    new org.xml.sax.helpers
                            .DefaultHandler()); // fatal errors throw; nothing printed
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            String why =
                    m.contains("DOCTYPE")
                            ? "DTDs are not accepted"
                            : "not well-formed XML: " + ClientText.shorten(m);
            throw new OwsException(
                    400,
                    "OperationParsingFailed",
                    what,
                    "the " + what + " could not be parsed (" + why + ")");
        } catch (IOException | ParserConfigurationException e) {
            throw new OwsException(
                    400, "OperationParsingFailed", what, "the " + what + " could not be parsed");
        }
    }

    private static final DocumentBuilderFactory FACTORY = factory();

    /** DocumentBuilderFactory is not promised to be thread-safe; builders are cheap. */
    private static DocumentBuilder builder() throws ParserConfigurationException {
        synchronized (FACTORY) {
            return FACTORY.newDocumentBuilder();
        }
    }

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        try {
            // OWASP XXE prevention: no DOCTYPE at all, so no entities of any kind.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("the XML parser cannot be locked down", e);
        }
        return f;
    }

    /** An element as standalone XML, with the namespace declarations it uses from its ancestors. */
    private static String serialize(Element e) {
        try {
            Element copy = (Element) e.cloneNode(true);
            Document doc = builder().newDocument();
            Node imported = doc.importNode(copy, true);
            doc.appendChild(imported);
            declare((Element) imported, e);
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (Exception ex) {
            throw new OwsException(
                    400, "OperationParsingFailed", "Filter", "the filter could not be re-encoded");
        }
    }

    /**
     * Copies in-scope namespace declarations of the original's ancestors (fes:, gml:, ...) onto the
     * copy.
     */
    private static void declare(Element copy, Element original) {
        for (Node n = original.getParentNode(); n instanceof Element p; n = p.getParentNode()) {
            var attrs = p.getAttributes();
            for (int i = 0; i < attrs.getLength(); i++) {
                Node a = attrs.item(i);
                if (!"http://www.w3.org/2000/xmlns/".equals(a.getNamespaceURI())) continue;
                if (!copy.hasAttributeNS(
                        "http://www.w3.org/2000/xmlns/",
                        a.getLocalName().equals("xmlns") ? "xmlns" : a.getLocalName()))
                    copy.setAttributeNS(
                            "http://www.w3.org/2000/xmlns/", a.getNodeName(), a.getNodeValue());
            }
        }
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling())
            if (n instanceof Element c) out.add(c);
        return out;
    }

    private static List<String> texts(Element root, String parent, String child) {
        List<String> out = new ArrayList<>();
        for (Element p : children(root)) {
            if (!p.getLocalName().equals(parent)) continue;
            for (Element c : children(p))
                if (c.getLocalName().equals(child)) out.add(c.getTextContent().trim());
        }
        return out;
    }

    private static void attr(Element e, String name, MultiMap kvp, String key) {
        String v = e.getAttribute(name);
        if (!v.isEmpty()) kvp.add(key, v);
    }
}
