package org.gridgov.ogc.ows;

import static org.gridgov.ogc.ows.WfsRequest.GET_FEATURE_BY_ID;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.ogc.catalog.ClientText;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.mapserver.Mapfile;

/**
 * Reads a WFS key-value request (or the key-value form {@link OwsXml} made of an XML one) into a
 * {@link WfsRequest}: feature types, ids, the stored query GetFeatureById, filters that name only
 * published attributes, output formats and CRSs MapServer offers.
 */
final class WfsRequestReader extends KvpReader {

    private static final Set<String> JSON_OUTPUT =
            Set.of(
                    "application/json",
                    "json",
                    "geojson",
                    "application/geo+json",
                    "application/json; subtype=geojson",
                    "application/vnd.geo+json");
    private static final Set<String> GML_OUTPUT =
            Set.of(
                    "application/gml+xml; version=3.2",
                    "text/xml; subtype=gml/3.2.1",
                    "text/xml; subtype=gml/3.2",
                    "gml32",
                    "text/xml; subtype=gml/3.1.1",
                    "gml3",
                    "text/xml; subtype=gml/2.1.2",
                    "gml2",
                    "text/xml",
                    "application/xml");
    private static final Set<String> SCHEMA_OUTPUT =
            Set.of(
                    "application/gml+xml; version=3.2",
                    "text/xml; subtype=gml/3.2.1",
                    "text/xml; subtype=gml/3.1.1",
                    "text/xml; subtype=gml/2.1.2",
                    "xmlschema",
                    "text/xml",
                    "application/xml");
    private static final Pattern RESOURCE_ID =
            Pattern.compile("^(?:[a-z]+:)?([a-z][a-z0-9_]*)\\.([0-9]{1,18})$");
    private static final Pattern SORT_KEY =
            Pattern.compile("^\\s*(\\S+?)(?:\\s+(ASC|DESC|A|D))?\\s*$", Pattern.CASE_INSENSITIVE);

    /** The request's namespace bindings (NAMESPACES), by which qualified names are resolved. */
    private final Namespaces names;

    WfsRequestReader(Head head, LayerCatalog catalog, int planarSrid) {
        super(head, catalog, planarSrid);
        String key = params.containsKey("NAMESPACES") ? "NAMESPACES" : "NAMESPACE";
        this.names = Namespaces.parse(key, params.get(key));
    }

    WfsRequest read() {
        wfs();
        return new WfsRequest(
                version,
                request,
                Collections.unmodifiableMap(new LinkedHashMap<>(forward)),
                Collections.unmodifiableSet(new LinkedHashSet<>(layers)));
    }

    private void wfs() {
        switch (request) {
            case "GetCapabilities" -> {
                copy("UPDATESEQUENCE");
                String sections = params.get("SECTIONS");
                if (sections != null && !sections.isEmpty()) {
                    if (!sections.matches("^[A-Za-z,]+$"))
                        throw OwsException.invalid(
                                "SECTIONS", "SECTIONS is a comma-separated list of section names");
                    forward.put("SECTIONS", sections);
                }
                String accept = params.get("ACCEPTVERSIONS");
                if (accept != null && !accept.isEmpty()) {
                    if (!accept.matches("^[0-9.,]+$"))
                        throw OwsException.invalid(
                                "ACCEPTVERSIONS", "ACCEPTVERSIONS is a list of versions");
                    forward.put("ACCEPTVERSIONS", accept);
                }
            }
            case "DescribeFeatureType" -> {
                String names = typeNames(false);
                if (names != null) {
                    List<Layer> named = layerList(typeNameKey(), false);
                    if (named.stream().anyMatch(Layer::isRaster))
                        throw OwsException.invalid(
                                typeNameKey(), "the heatmap is not a feature type");
                    layers.addAll(named);
                    forward.put(
                            typeNameKey(),
                            String.join(",", named.stream().map(Layer::name).toList()));
                }
                String out = params.get("OUTPUTFORMAT");
                if (out != null && !out.isEmpty()) {
                    if (!SCHEMA_OUTPUT.contains(out.toLowerCase(Locale.ROOT)))
                        throw OwsException.invalid(
                                "OUTPUTFORMAT",
                                "unsupported outputFormat '" + ClientText.shorten(out) + "'");
                    forward.put("OUTPUTFORMAT", out);
                }
            }
            case "GetFeature" -> {
                if (params.containsKey("STOREDQUERY_ID")) getFeatureById();
                else getFeature();
            }
            case "GetPropertyValue" -> getPropertyValue();
            case "ListStoredQueries" -> wfs2Only();
            case "DescribeStoredQueries" -> {
                wfs2Only();
                String ids = params.get("STOREDQUERY_ID");
                if (ids != null && !ids.isEmpty()) {
                    for (String id : ids.split(",", -1))
                        if (!id.trim().equals(GET_FEATURE_BY_ID)) throw unknownStoredQuery(id);
                    forward.put("STOREDQUERY_ID", ids.replaceAll("\\s", ""));
                }
            }
            default -> throw new IllegalStateException(request);
        }
    }

    /** A feature type named by a qualified name, resolved by its namespace URI. */
    @Override
    Layer layerName(String key, String name) {
        Namespaces.QName q = names.resolve(key, name);
        if (q.attribute() || !q.gridgov())
            throw OwsException.invalid(key, Namespaces.notOurs(q, "feature type"));
        return layerNamed(key, name, q.local());
    }

    private void wfs2Only() {
        if (!version.startsWith("2"))
            throw new OwsException(
                    400, "OperationNotSupported", "REQUEST", request + " is a WFS 2.0 operation");
    }

    private static OwsException unknownStoredQuery(String id) {
        return OwsException.invalid(
                "STOREDQUERY_ID",
                "no stored query '"
                        + ClientText.shorten(id.trim())
                        + "'; the one offered is "
                        + GET_FEATURE_BY_ID);
    }

    /**
     * GetFeature with the stored query GetFeatureById: ID names one feature (layer.number), whose
     * layer is access-checked like a TYPENAMES entry. A stored query stands instead of an ad hoc
     * query, so the query parameters (TYPENAMES, FILTER, BBOX, RESOURCEID) may not come with it.
     */
    private void getFeatureById() {
        wfs2Only();
        String sq = params.get("STOREDQUERY_ID").trim();
        if (!sq.equals(GET_FEATURE_BY_ID)) throw unknownStoredQuery(sq);
        for (String adHoc :
                List.of("TYPENAMES", "TYPENAME", "FILTER", "BBOX", "RESOURCEID", "FEATUREID"))
            if (params.containsKey(adHoc))
                throw OwsException.invalid(
                        adHoc, adHoc + " cannot be combined with STOREDQUERY_ID");
        String id = params.get("ID");
        if (id == null || id.isEmpty()) throw OwsException.missing("ID");
        Matcher m = RESOURCE_ID.matcher(id.trim());
        if (!m.matches())
            throw OwsException.invalid(
                    "ID", "'" + ClientText.shorten(id) + "' is not a feature id (layer.number)");
        Layer l = layerName("ID", m.group(1));
        if (l.isRaster()) throw OwsException.invalid("ID", "the heatmap has no features");
        layers.add(l);
        forward.put("STOREDQUERY_ID", GET_FEATURE_BY_ID);
        forward.put("ID", id.trim());
        outputFormat();
        srsName();
        plan();
    }

    /**
     * GetPropertyValue: one attribute (VALUEREFERENCE) of one feature type's features, selected as
     * in GetFeature; GML only.
     */
    private void getPropertyValue() {
        wfs2Only();
        String ref = params.get("VALUEREFERENCE");
        if (ref == null) throw OwsException.missing("VALUEREFERENCE");
        if (ref.isBlank())
            throw OwsException.invalid(
                    "VALUEREFERENCE",
                    "VALUEREFERENCE is empty: name a published attribute, or @gml:id for the ids");
        String out = params.get("OUTPUTFORMAT");
        if (out != null && JSON_OUTPUT.contains(out.toLowerCase(Locale.ROOT).trim()))
            throw OwsException.invalid(
                    "OUTPUTFORMAT",
                    "GetPropertyValue answers in GML (a wfs:ValueCollection); use GetFeature with PROPERTYNAME for JSON");
        getFeature();
        List<Layer> types = layers.stream().toList();
        if (types.size() != 1)
            throw OwsException.invalid(typeNameKey(), "GetPropertyValue reads one feature type");
        Layer type = types.get(0);
        Namespaces.QName q = names.resolve("VALUEREFERENCE", ref);
        String value;
        if (q.attribute() && q.gml() && q.local().equals("id")) value = "@gml:id";
        else if (!q.attribute() && q.gridgov() && isAttribute(type, q.local())) value = q.local();
        else
            throw OwsException.invalid(
                    "VALUEREFERENCE",
                    "'"
                            + ClientText.shorten(ref)
                            + "' is not a published attribute of "
                            + type.name()
                            + " (or @gml:id, the features' ids)");
        forward.put("VALUEREFERENCE", value);
    }

    private void getFeature() {
        String ids =
                params.containsKey("RESOURCEID")
                        ? "RESOURCEID"
                        : params.containsKey("FEATUREID") ? "FEATUREID" : null;
        List<Layer> named = List.of();
        if (typeNames(false) != null) {
            named = layerList(typeNameKey(), false);
            if (named.stream().anyMatch(Layer::isRaster))
                throw OwsException.invalid(typeNameKey(), "the heatmap is not a feature type");
            layers.addAll(named);
            forward.put(typeNameKey(), String.join(",", named.stream().map(Layer::name).toList()));
        } else if (ids == null) {
            throw OwsException.missing(version.startsWith("2") ? "TYPENAMES" : "TYPENAME");
        }
        if (ids != null) {
            String v = params.get(ids);
            for (String id : v.split(",")) {
                Matcher m = RESOURCE_ID.matcher(id.trim());
                if (!m.matches())
                    throw OwsException.invalid(
                            ids,
                            "'" + ClientText.shorten(id) + "' is not a feature id (layer.number)");
                layers.add(layerName(ids, m.group(1)));
            }
            forward.put(ids, v.replaceAll("\\s", ""));
        }
        if (params.containsKey("STOREDQUERY_ID"))
            throw new OwsException(
                    501,
                    "OptionNotSupported",
                    "STOREDQUERY_ID",
                    "stored queries are not offered; use TYPENAMES or RESOURCEID");
        String countKey =
                params.containsKey("COUNT")
                        ? "COUNT"
                        : params.containsKey("MAXFEATURES") ? "MAXFEATURES" : null;
        if (countKey != null)
            forward.put(
                    countKey,
                    Integer.toString(
                            intIn(countKey, params.get(countKey), 1, Mapfile.WFS_MAX_FEATURES)));
        if (params.containsKey("STARTINDEX"))
            forward.put(
                    "STARTINDEX",
                    Integer.toString(
                            intIn("STARTINDEX", params.get("STARTINDEX"), 0, 100_000_000)));
        String result = params.get("RESULTTYPE");
        if (result != null && !result.isEmpty()) {
            if (!result.equalsIgnoreCase("results") && !result.equalsIgnoreCase("hits"))
                throw OwsException.invalid("RESULTTYPE", "RESULTTYPE must be results or hits");
            forward.put("RESULTTYPE", result.toLowerCase(Locale.ROOT));
        }
        outputFormat();
        srsName();
        String bboxText = params.get("BBOX");
        if (bboxText != null && !bboxText.isEmpty()) {
            String[] parts = bboxText.split(",", -1);
            if (parts.length != 4 && parts.length != 5)
                throw OwsException.invalid("BBOX", "BBOX is minx,miny,maxx,maxy[,crs]");
            double[] b = numbers("BBOX", parts);
            if (b[0] > b[2] || b[1] > b[3])
                throw OwsException.invalid("BBOX", "BBOX minimum exceeds maximum");
            if (parts.length == 5) epsg("BBOX", parts[4]);
            forward.put("BBOX", bboxText);
        }
        String filter = params.get("FILTER");
        if (filter != null && !filter.isEmpty()) {
            if (params.containsKey("BBOX") || ids != null)
                throw OwsException.invalid(
                        "FILTER", "FILTER, BBOX and RESOURCEID are mutually exclusive");
            forward.put("FILTER", filters(filter, named, names));
        }
        List<Layer> types = named.isEmpty() ? List.copyOf(layers) : named;
        propertyNames(types);
        sortBy(types);
        plan();
    }

    /** A published attribute of the layer, or its id. */
    private static boolean isAttribute(Layer l, String name) {
        return name.equals("id") || l.attributes().containsKey(name);
    }

    /**
     * PROPERTYNAME: {@code a,b} for every type, or {@code (a,b)(c)} per type in TYPENAMES order;
     * each a published attribute, the id or the geometry, forwarded by its local name.
     */
    private void propertyNames(List<Layer> named) {
        String v = params.get("PROPERTYNAME");
        if (v == null || v.isBlank()) return;
        String t = v.trim();
        List<String> groups;
        if (t.startsWith("(")) {
            if (!t.matches("^(\\([^()]*\\)\\s*)+$"))
                throw OwsException.invalid(
                        "PROPERTYNAME", "PROPERTYNAME is a,b or (a,b)(c): one list per type");
            groups = List.of(t.substring(1, t.lastIndexOf(')')).split("\\)\\s*\\(", -1));
            if (groups.size() != Math.max(1, named.size()))
                throw OwsException.invalid(
                        "PROPERTYNAME",
                        "PROPERTYNAME lists "
                                + groups.size()
                                + " groups for "
                                + named.size()
                                + " feature type(s): give one per type, in TYPENAMES order");
        } else groups = List.of(t);
        StringBuilder out = new StringBuilder();
        for (int g = 0; g < groups.size(); g++) {
            List<Layer> scope =
                    t.startsWith("(") && !named.isEmpty() ? List.of(named.get(g)) : named;
            List<String> locals = new java.util.ArrayList<>();
            for (String name : groups.get(g).split(",", -1)) {
                String local = names.gridgovLocal("PROPERTYNAME", name, "attribute");
                boolean known =
                        OwsXml.GEOMETRY.contains(local.toLowerCase(Locale.ROOT))
                                || scope.stream().anyMatch(l -> isAttribute(l, local))
                                || scope.isEmpty();
                if (!known)
                    throw OwsException.invalid(
                            "PROPERTYNAME",
                            "'"
                                    + ClientText.shorten(name.trim())
                                    + "' is not a published attribute");
                locals.add(local);
            }
            String list = String.join(",", locals);
            out.append(t.startsWith("(") ? "(" + list + ")" : list);
        }
        forward.put("PROPERTYNAME", out.toString());
    }

    /** SORTBY: {@code name [ASC|DESC]}, comma-separated; attributes forwarded by local name. */
    private void sortBy(List<Layer> named) {
        String v = params.get("SORTBY");
        if (v == null || v.isBlank()) return;
        List<String> keys = new java.util.ArrayList<>();
        for (String item : v.split(",", -1)) {
            Matcher m = SORT_KEY.matcher(item);
            if (!m.matches())
                throw OwsException.invalid(
                        "SORTBY",
                        "SORTBY is a list of 'name [ASC|DESC]', got '"
                                + ClientText.shorten(item)
                                + "'");
            String local = names.gridgovLocal("SORTBY", m.group(1), "attribute");
            if (!named.isEmpty() && named.stream().noneMatch(l -> isAttribute(l, local)))
                throw OwsException.invalid(
                        "SORTBY",
                        "'" + ClientText.shorten(m.group(1)) + "' is not a published attribute");
            keys.add(
                    m.group(2) == null ? local : local + " " + m.group(2).toUpperCase(Locale.ROOT));
        }
        forward.put("SORTBY", String.join(",", keys));
    }

    /**
     * FILTER: one filter for the named feature types, or a list {@code (f1)(f2)…} with one per type
     * in TYPENAMES order (the WFS 2.0 key-value form MapServer takes). Each is parsed (no DTD) and
     * may name only published attributes of its own type.
     */
    static String filters(String filter, List<Layer> named, Namespaces names) {
        String f = filter.trim();
        if (!f.startsWith("(")) {
            OwsXml.checkFilter(f, named, names);
            return f;
        }
        List<String> parts = OwsXml.filterList(f);
        if (parts.size() != named.size())
            throw OwsException.invalid(
                    "FILTER",
                    "FILTER lists "
                            + parts.size()
                            + " filter(s) for "
                            + named.size()
                            + " feature type(s) in TYPENAMES: give one per type, in the same order");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            OwsXml.checkFilter(parts.get(i), List.of(named.get(i)), names);
            out.append('(').append(parts.get(i)).append(')');
        }
        return out.toString();
    }

    /**
     * OUTPUTFORMAT: GeoJSON under any of the names clients send (MapServer knows only its own), or
     * a GML flavour.
     */
    private void outputFormat() {
        String out = params.get("OUTPUTFORMAT");
        if (out == null || out.isEmpty()) return;
        String lower = out.toLowerCase(Locale.ROOT).replace(" ", "");
        if (JSON_OUTPUT.stream().anyMatch(f -> f.replace(" ", "").equals(lower))) {
            // MapServer 8.0 writes one GeoJSON document per feature type, back to back: not JSON.
            if (layers.size() > 1)
                throw OwsException.invalid(
                        "OUTPUTFORMAT",
                        "GeoJSON carries one feature type; ask for each type on its own, or use GML");
            forward.put("OUTPUTFORMAT", WfsRequest.GEOJSON);
        } else if (GML_OUTPUT.stream().anyMatch(f -> f.replace(" ", "").equals(lower)))
            forward.put("OUTPUTFORMAT", out);
        else
            throw OwsException.invalid(
                    "OUTPUTFORMAT",
                    "unsupported outputFormat '"
                            + ClientText.shorten(out)
                            + "'; use application/json or application/gml+xml; version=3.2");
    }

    private void srsName() {
        String srsName = params.get("SRSNAME");
        if (srsName == null || srsName.isEmpty()) return;
        int code = epsg("SRSNAME", srsName);
        // MapServer 8.0 knows the URN, not the http URI of the same CRS (same axis order)
        forward.put(
                "SRSNAME",
                srsName.trim()
                                .toLowerCase(Locale.ROOT)
                                .startsWith("http://www.opengis.net/def/crs/epsg/")
                        ? "urn:ogc:def:crs:EPSG::" + code
                        : srsName);
        // RFC 7946 GeoJSON is WGS 84 longitude/latitude whatever was asked: any other CRS is
        // written by the format that keeps the coordinates in it (the gateway names it).
        if (WfsRequest.GEOJSON.equals(forward.get("OUTPUTFORMAT")) && code != 4326)
            forward.put("OUTPUTFORMAT", WfsRequest.GEOJSON_CRS);
    }

    private String typeNameKey() {
        return params.containsKey("TYPENAMES") ? "TYPENAMES" : "TYPENAME";
    }

    private String typeNames(boolean required) {
        String v = params.get(typeNameKey());
        if ((v == null || v.isEmpty()) && required) throw OwsException.missing(typeNameKey());
        return v == null || v.isEmpty() ? null : v;
    }
}
