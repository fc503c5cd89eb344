package org.gridgov.ogc.ows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gridgov.api.XmlText;
import org.gridgov.ogc.catalog.ClientText;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A WFS-T Transaction (WFS 2.0, or 1.1 as GDAL writes it) on the grids of a draft plan, read from
 * its XML into typed actions: Insert (new grids: attributes and a GML polygon), Update (name and
 * geometry of grids chosen by id) and Delete (grids chosen by id). Who carries it out is an {@link
 * Editor} (the plan editor, in {@code grid}, which depends on {@code ogc} and not the other way
 * round); this class only reads and answers (docs/ogc.md, "Editing grids (WFS-T)").
 */
public record WfsTransaction(boolean v2, boolean v10, String handle, List<Action> actions) {

    /** The one editable feature type. */
    public static final String GRIDS = "grids";

    /** One action of the transaction, with where it stands for exception locators. */
    public sealed interface Action {
        /** 1-based position in the transaction. */
        int index();

        /** The client's handle, or null. */
        String handle();

        /** The locator of an exception about this action: its handle, else Kind[index]. */
        default String locator() {
            return handle() != null && !handle().isBlank()
                    ? handle()
                    : getClass().getSimpleName() + "[" + index() + "]";
        }
    }

    /** A new grid: its attributes by name (text) and its geometry (null: none given). */
    public record NewGrid(Map<String, String> attributes, GmlGeometry geometry) {}

    public record Insert(int index, String handle, List<NewGrid> grids) implements Action {}

    /**
     * New values for the grids with the given ids: attributes by name (a null value: the property
     * was given without a value) and the geometry (null: not changed).
     */
    public record Update(
            int index,
            String handle,
            Map<String, String> attributes,
            GmlGeometry geometry,
            List<Long> gridIds)
            implements Action {}

    public record Delete(int index, String handle, List<Long> gridIds) implements Action {}

    /** What a transaction did: the ids of the new grids in order, and the counts. */
    public record Result(List<Long> inserted, int updated, int deleted) {}

    /** Carries a transaction out on a plan, all or nothing; throws OwsException when refused. */
    public interface Editor {
        /** plan: the vendor parameter's value (null: none given). Blocking. */
        Result apply(String plan, WfsTransaction t) throws Exception;
    }

    static final String WFS20 = OwsXml.WFS20;
    static final String WFS11 = OwsXml.WFS11;

    /**
     * Whether to answer in WFS 2.0: its namespace, or (GDAL writes 2.0 transactions in the 1.1
     * namespace) its version attribute.
     */
    static boolean v2(Element root) {
        return WFS20.equals(root.getNamespaceURI()) || root.getAttribute("version").startsWith("2");
    }

    /** Whether the parsed request is a WFS Transaction. */
    static boolean is(Element root) {
        return "Transaction".equals(root.getLocalName())
                && (WFS20.equals(root.getNamespaceURI()) || WFS11.equals(root.getNamespaceURI()));
    }

    /**
     * Reads the Transaction. The type names must be gridgov's grids (resolved by namespace URI);
     * features are chosen by id (fes:ResourceId, ogc:FeatureId, ogc:GmlObjectId: "grids.12").
     */
    static WfsTransaction read(Element root, int planarSrid) {
        boolean v2 = v2(root);
        List<Action> actions = new ArrayList<>();
        int index = 0;
        for (Element a : children(root)) {
            index++;
            String handle = a.hasAttribute("handle") ? a.getAttribute("handle") : null;
            String at =
                    handle != null && !handle.isBlank()
                            ? handle
                            : a.getLocalName() + "[" + index + "]";
            if (!WFS20.equals(a.getNamespaceURI()) && !WFS11.equals(a.getNamespaceURI()))
                throw new OwsException(
                        400,
                        "OperationParsingFailed",
                        at,
                        "unexpected element " + ClientText.shorten(a.getLocalName()));
            switch (a.getLocalName()) {
                case "Insert" -> actions.add(insert(a, index, handle, at, planarSrid));
                case "Update" -> actions.add(update(a, index, handle, at, planarSrid));
                case "Delete" -> {
                    typeName(a, a.getAttribute("typeName"), at);
                    actions.add(new Delete(index, handle, ids(filter(a, at), at)));
                }
                case "Replace", "Native" ->
                        throw new OwsException(
                                501,
                                "OperationNotSupported",
                                at,
                                a.getLocalName() + " is not supported: use Insert, Update, Delete");
                default ->
                        throw new OwsException(
                                400,
                                "OperationParsingFailed",
                                at,
                                "unexpected element " + ClientText.shorten(a.getLocalName()));
            }
        }
        if (actions.isEmpty())
            throw new OwsException(
                    400,
                    "MissingParameterValue",
                    "Transaction",
                    "the Transaction holds no Insert, Update or Delete");
        String handle = root.hasAttribute("handle") ? root.getAttribute("handle") : null;
        boolean v10 = !v2 && root.getAttribute("version").startsWith("1.0");
        return new WfsTransaction(v2, v10, handle, List.copyOf(actions));
    }

    private static Insert insert(Element a, int index, String handle, String at, int planarSrid) {
        String srsName = a.getAttribute("srsName");
        List<NewGrid> grids = new ArrayList<>();
        for (Element f : children(a)) {
            typeName(f, elementName(f), at);
            Map<String, String> attrs = new LinkedHashMap<>();
            GmlGeometry geometry = null;
            for (Element p : children(f)) {
                if (!Namespaces.GRIDGOV.equals(p.getNamespaceURI()) && p.getNamespaceURI() != null)
                    continue; // gml:boundedBy, gml:name and the like say nothing of a grid
                Element gml = gmlChild(p);
                if (gml != null) geometry = GmlGeometry.read(gml, srsName, planarSrid, at);
                else attrs.put(p.getLocalName(), p.getTextContent().strip());
            }
            grids.add(new NewGrid(attrs, geometry));
        }
        if (grids.isEmpty())
            throw new OwsException(400, "MissingParameterValue", at, "the Insert holds no grid");
        return new Insert(index, handle, List.copyOf(grids));
    }

    private static Update update(Element a, int index, String handle, String at, int planarSrid) {
        typeName(a, a.getAttribute("typeName"), at);
        String srsName = a.getAttribute("srsName");
        Map<String, String> attrs = new LinkedHashMap<>();
        GmlGeometry geometry = null;
        for (Element p : children(a)) {
            if (!p.getLocalName().equals("Property")) continue;
            String name = null;
            Element value = null;
            for (Element c : children(p)) {
                if (c.getLocalName().equals("ValueReference") || c.getLocalName().equals("Name")) {
                    String action = c.getAttribute("action");
                    if (!action.isBlank() && !action.equals("replace"))
                        throw new OwsException(
                                400,
                                "InvalidValue",
                                at,
                                "ValueReference action '"
                                        + ClientText.shorten(action)
                                        + "' is not supported (replace only)");
                    name = propertyName(c, c.getTextContent().strip(), at);
                }
                if (c.getLocalName().equals("Value")) value = c;
            }
            if (name == null)
                throw new OwsException(
                        400, "MissingParameterValue", at, "a Property names no ValueReference");
            Element gml = value == null ? null : gmlChild(value);
            if (gml != null || OwsXml.GEOMETRY.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                if (gml == null)
                    throw new OwsException(
                            400, "InvalidValue", at, "a grid's geometry cannot be removed");
                geometry = GmlGeometry.read(gml, srsName, planarSrid, at);
            } else {
                attrs.put(name, value == null ? null : value.getTextContent().strip());
            }
        }
        if (attrs.isEmpty() && geometry == null)
            throw new OwsException(400, "MissingParameterValue", at, "the Update sets nothing");
        return new Update(index, handle, attrs, geometry, ids(filter(a, at), at));
    }

    /** The action's filter; an Update or Delete without one would touch every grid: refused. */
    private static Element filter(Element a, String at) {
        for (Element c : children(a)) if (c.getLocalName().equals("Filter")) return c;
        throw new OwsException(
                400,
                "MissingParameterValue",
                at,
                "the action needs a Filter naming the grids by id, e.g. <fes:ResourceId rid=\"grids.12\"/>");
    }

    /** Grid ids of an id filter: fes:ResourceId rid, ogc:FeatureId fid, ogc:GmlObjectId gml:id. */
    private static List<Long> ids(Element filter, String at) {
        List<Long> out = new ArrayList<>();
        for (Element c : children(filter)) {
            String id =
                    switch (c.getLocalName()) {
                        case "ResourceId" -> c.getAttribute("rid");
                        case "FeatureId" -> c.getAttribute("fid");
                        case "GmlObjectId" -> gmlId(c);
                        default ->
                                throw new OwsException(
                                        400,
                                        "InvalidParameterValue",
                                        at,
                                        "transactions choose grids by id only (fes:ResourceId rid=\"grids.12\"), not by "
                                                + ClientText.shorten(c.getLocalName()));
                    };
            out.add(gridId(id, at));
        }
        if (out.isEmpty())
            throw new OwsException(400, "MissingParameterValue", at, "the Filter names no grid");
        return List.copyOf(out);
    }

    private static String gmlId(Element c) {
        String id = c.getAttributeNS(Namespaces.GML, "id");
        if (id.isEmpty()) id = c.getAttributeNS(Namespaces.GML32, "id");
        return id.isEmpty() ? c.getAttribute("id") : id;
    }

    private static long gridId(String id, String at) {
        String t = id.trim();
        if (t.startsWith(GRIDS + ".")) t = t.substring(GRIDS.length() + 1);
        if (!t.matches("[0-9]{1,15}"))
            throw new OwsException(
                    400,
                    "InvalidParameterValue",
                    at,
                    "'" + ClientText.shorten(id) + "' is not the id of a grid (grids.N)");
        return Long.parseLong(t);
    }

    /** The type an action names must be gridgov's grids: InvalidParameterValue otherwise. */
    private static void typeName(Element scope, String name, String at) {
        String local = qualified(scope, name, at);
        if (!GRIDS.equals(local))
            throw new OwsException(
                    400,
                    "InvalidParameterValue",
                    at,
                    "only "
                            + GRIDS
                            + " (of a draft plan) is editable, not '"
                            + ClientText.shorten(name)
                            + "'");
    }

    /** The layer names a transaction touches, for the access check (before anything else). */
    List<String> typeNames() {
        return List.of(GRIDS);
    }

    private static String elementName(Element f) {
        String uri = f.getNamespaceURI();
        if (uri != null && !uri.equals(Namespaces.GRIDGOV))
            return "{" + uri + "}" + f.getLocalName();
        return f.getLocalName();
    }

    private static String propertyName(Element scope, String name, String at) {
        return qualified(scope, name, at);
    }

    /** The local part of a name whose prefix (if any) is bound to gridgov's namespace. */
    private static String qualified(Element scope, String name, String at) {
        if (name == null || name.isBlank())
            throw new OwsException(400, "MissingParameterValue", at, "a type name is missing");
        if (name.startsWith("{")) return name; // a foreign namespace already: not ours
        int colon = name.indexOf(':');
        if (colon < 0) return name;
        String prefix = name.substring(0, colon);
        String uri = scope.lookupNamespaceURI(prefix);
        if (uri == null) uri = Namespaces.IMPLICIT.uri(prefix);
        if (uri == null)
            throw OwsException.invalid(
                    at,
                    "the prefix '"
                            + ClientText.shorten(prefix)
                            + "' is not bound to a namespace: declare xmlns:"
                            + ClientText.shorten(prefix)
                            + "=\""
                            + Namespaces.GRIDGOV
                            + "\"");
        if (!uri.equals(Namespaces.GRIDGOV)) return "{" + uri + "}" + name.substring(colon + 1);
        return name.substring(colon + 1);
    }

    private static Element gmlChild(Element p) {
        for (Element c : children(p))
            if (Namespaces.GML32.equals(c.getNamespaceURI())
                    || Namespaces.GML.equals(c.getNamespaceURI())) return c;
        return null;
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling())
            if (n instanceof Element c) out.add(c);
        return out;
    }

    /** The TransactionResponse of WFS 2.0 or 1.1. */
    String response(Result r) {
        if (v10) return response10(r);
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        if (v2)
            out.append("<wfs:TransactionResponse xmlns:wfs=\"")
                    .append(WFS20)
                    .append("\" xmlns:fes=\"http://www.opengis.net/fes/2.0\" version=\"2.0.0\">\n");
        else
            out.append("<wfs:TransactionResponse xmlns:wfs=\"")
                    .append(WFS11)
                    .append("\" xmlns:ogc=\"http://www.opengis.net/ogc\" version=\"1.1.0\">\n");
        out.append("  <wfs:TransactionSummary>\n")
                .append("    <wfs:totalInserted>")
                .append(r.inserted().size())
                .append("</wfs:totalInserted>\n    <wfs:totalUpdated>")
                .append(r.updated())
                .append("</wfs:totalUpdated>\n");
        if (v2) out.append("    <wfs:totalReplaced>0</wfs:totalReplaced>\n");
        out.append("    <wfs:totalDeleted>")
                .append(r.deleted())
                .append("</wfs:totalDeleted>\n  </wfs:TransactionSummary>\n");
        if (!r.inserted().isEmpty()) {
            out.append("  <wfs:InsertResults>\n");
            int i = 0;
            for (Action a : actions) {
                if (!(a instanceof Insert in)) continue;
                for (int k = 0; k < in.grids().size() && i < r.inserted().size(); k++) {
                    String id = GRIDS + "." + r.inserted().get(i++);
                    out.append("    <wfs:Feature");
                    if (in.handle() != null)
                        out.append(" handle=\"").append(XmlText.escape(in.handle())).append('"');
                    out.append(">")
                            .append(
                                    v2
                                            ? "<fes:ResourceId rid=\"" + id + "\"/>"
                                            : "<ogc:FeatureId fid=\"" + id + "\"/>")
                            .append("</wfs:Feature>\n");
                }
            }
            out.append("  </wfs:InsertResults>\n");
        }
        return out.append("</wfs:TransactionResponse>\n").toString();
    }

    /** WFS 1.0's WFS_TransactionResponse (QGIS reads it when it speaks 1.0). */
    private String response10(Result r) {
        StringBuilder out =
                new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                        .append("<wfs:WFS_TransactionResponse version=\"1.0.0\" xmlns:wfs=\"")
                        .append(WFS11)
                        .append("\" xmlns:ogc=\"http://www.opengis.net/ogc\">\n");
        if (!r.inserted().isEmpty()) {
            out.append("  <wfs:InsertResult>");
            for (long id : r.inserted())
                out.append("<ogc:FeatureId fid=\"")
                        .append(GRIDS)
                        .append('.')
                        .append(id)
                        .append("\"/>");
            out.append("</wfs:InsertResult>\n");
        }
        return out.append("  <wfs:TransactionResult><wfs:Status><wfs:SUCCESS/></wfs:Status>")
                .append("</wfs:TransactionResult>\n</wfs:WFS_TransactionResponse>\n")
                .toString();
    }

    /**
     * Capabilities that offer Transaction, for a planner: the operation in OperationsMetadata (its
     * address keeping the plan chosen, so clients post where they read), WFS 2.0's
     * ImplementsTransactionalWFS constraint TRUE, and (1.1) Insert/Update/Delete among the grids
     * type's operations. GDAL enables writing, and QGIS editing, from these.
     */
    static String advertise(String caps, String href, boolean v11) {
        String h = XmlText.escape(href);
        String op =
                "<ows:Operation name=\"Transaction\"><ows:DCP><ows:HTTP><ows:Post xlink:href=\""
                        + h
                        + "\"/></ows:HTTP></ows:DCP></ows:Operation>";
        String out = caps;
        int end = out.indexOf("</ows:OperationsMetadata>");
        if (end >= 0) {
            // after the last operation, before the parameters and constraints (the schema's order)
            int at = out.lastIndexOf("</ows:Operation>", end);
            at = at < 0 ? end : at + "</ows:Operation>".length();
            out = out.substring(0, at) + op + out.substring(at);
        }
        out =
                out.replaceFirst(
                        "(<ows:Constraint name=\"ImplementsTransactionalWFS\">\\s*<ows:NoValues/>\\s*<ows:DefaultValue>)FALSE",
                        "$1TRUE");
        return v11 ? featureTypeOperations(out) : out;
    }

    private static final java.util.regex.Pattern GRIDS_TYPE =
            java.util.regex.Pattern.compile(
                    "<FeatureType\\b[^>]*>\\s*<Name>(?:[^<:]*:)?grids</Name>.*?</FeatureType>",
                    java.util.regex.Pattern.DOTALL);

    /** WFS 1.1: Insert, Update and Delete among the grids type's operations. */
    private static String featureTypeOperations(String caps) {
        java.util.regex.Matcher m = GRIDS_TYPE.matcher(caps);
        if (!m.find()) return caps;
        String block = m.group();
        String edits =
                "<Operation>Insert</Operation><Operation>Update</Operation>"
                        + "<Operation>Delete</Operation>";
        String edited;
        if (block.contains("</Operations>")) {
            edited = block.replaceFirst("</Operations>", edits + "</Operations>");
        } else {
            int at = block.indexOf("<OutputFormats>");
            if (at < 0) at = block.indexOf("<ows:WGS84BoundingBox");
            if (at < 0) return caps;
            edited =
                    block.substring(0, at)
                            + "<Operations><Operation>Query</Operation>"
                            + edits
                            + "</Operations>"
                            + block.substring(at);
        }
        return caps.substring(0, m.start()) + edited + caps.substring(m.end());
    }
}
