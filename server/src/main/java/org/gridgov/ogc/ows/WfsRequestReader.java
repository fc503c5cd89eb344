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
    private static final Pattern NAMES = Pattern.compile("^[A-Za-z0-9_:,() ]*$");

    WfsRequestReader(Head head, LayerCatalog catalog, int planarSrid) {
        super(head, catalog, planarSrid);
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
        if (ref == null || ref.isEmpty()) throw OwsException.missing("VALUEREFERENCE");
        String out = params.get("OUTPUTFORMAT");
        if (out != null && JSON_OUTPUT.contains(out.toLowerCase(Locale.ROOT).trim()))
            throw OwsException.invalid(
                    "OUTPUTFORMAT",
                    "GetPropertyValue answers in GML (a wfs:ValueCollection); use GetFeature with PROPERTYNAME for JSON");
        getFeature();
        List<Layer> types = layers.stream().toList();
        if (types.size() != 1)
            throw OwsException.invalid(typeNameKey(), "GetPropertyValue reads one feature type");
        String name = ref.trim().replaceFirst("^[A-Za-z_][\\w.-]*:", "");
        if (!types.get(0).attributes().containsKey(name))
            throw OwsException.invalid(
                    "VALUEREFERENCE",
                    "'"
                            + ClientText.shorten(ref)
                            + "' is not a published attribute of "
                            + types.get(0).name());
        forward.put("VALUEREFERENCE", name);
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
            forward.put("FILTER", filters(filter, named));
        }
        for (String key : List.of("PROPERTYNAME", "SORTBY")) {
            String v = params.get(key);
            if (v == null || v.isEmpty()) continue;
            if (!NAMES.matcher(v).matches())
                throw OwsException.invalid(key, key + " lists attribute names");
            forward.put(key, v);
        }
        plan();
    }

    /**
     * FILTER: one filter for the named feature types, or a list {@code (f1)(f2)…} with one per type
     * in TYPENAMES order (the WFS 2.0 key-value form MapServer takes). Each is parsed (no DTD) and
     * may name only published attributes of its own type.
     */
    static String filters(String filter, List<Layer> named) {
        String f = filter.trim();
        if (!f.startsWith("(")) {
            OwsXml.checkFilter(f, named);
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
            OwsXml.checkFilter(parts.get(i), List.of(named.get(i)));
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
            forward.put("OUTPUTFORMAT", "geojson");
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
        epsg("SRSNAME", srsName);
        forward.put("SRSNAME", srsName);
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
