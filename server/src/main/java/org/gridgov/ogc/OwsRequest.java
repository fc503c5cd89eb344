package org.gridgov.ogc;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.geo.Crs;

/**
 * A WMS or WFS key-value request, validated before anything reaches MapServer: only the parameters
 * of the operation asked for are forwarded (never {@code map=}, never unknown ones), every value is
 * checked against what the service offers, and each layer it names is collected for the access
 * check. Vendor parameters (plan, heatmap filters) are validated here too.
 */
public final class OwsRequest {

    public static final int MAX_WMS_SIZE = 4096;
    public static final int MAX_HEATMAP_SIZE = 2048;
    public static final int MAX_LEGEND_SIZE = 512;
    private static final int MAX_VALUE = 2048;
    private static final int MAX_XML_VALUE = 64 * 1024;
    private static final Set<String> WMS_REQUESTS =
            Set.of(
                    "GetCapabilities",
                    "GetMap",
                    "GetFeatureInfo",
                    "GetLegendGraphic",
                    "GetStyles",
                    "DescribeLayer");
    private static final Set<String> WFS_REQUESTS =
            Set.of(
                    "GetCapabilities",
                    "DescribeFeatureType",
                    "GetFeature",
                    "GetPropertyValue",
                    "ListStoredQueries",
                    "DescribeStoredQueries");

    /** The one stored query WFS 2.0 requires (and MapServer offers): a feature by its id. */
    public static final String GET_FEATURE_BY_ID = "urn:ogc:def:query:OGC-WFS::GetFeatureById";

    private static final Set<String> HTML_INFO = Set.of("text/html");
    private static final Set<String> GML_INFO =
            Set.of("application/vnd.ogc.gml", "application/vnd.ogc.gml/3.1.1", "text/xml");
    public static final Set<String> JSON_INFO =
            Set.of("application/json", "application/geo+json", "json", "geojson");
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
    private static final Pattern SRS =
            Pattern.compile(
                    "^(?:EPSG:|urn:ogc:def:crs:EPSG:[0-9.]*:|urn:x-ogc:def:crs:EPSG:[0-9.]*:?|http://www\\.opengis\\.net/def/crs/EPSG/0/|http://www\\.opengis\\.net/gml/srs/epsg\\.xml#)([0-9]{4,6})$",
                    Pattern.CASE_INSENSITIVE);
    private static final Pattern RESOURCE_ID =
            Pattern.compile("^(?:[a-z]+:)?([a-z][a-z0-9_]*)\\.([0-9]{1,18})$");
    private static final Pattern NAMES = Pattern.compile("^[A-Za-z0-9_:,() ]*$");
    private static final Pattern NAMED_LAYER =
            Pattern.compile(
                    "<(?:\\w+:)?NamedLayer\\b.*?<(?:\\w+:)?Name>\\s*([^<]*?)\\s*</",
                    Pattern.DOTALL);

    public final String service;
    public final String version;
    public final String request;

    /** What MapServer receives: canonical upper-case names, validated values. */
    public final Map<String, String> forward = new LinkedHashMap<>();

    /** Every layer the request names (LAYERS, QUERY_LAYERS, LAYER, TYPENAMES, RESOURCEID, SLD). */
    public final Set<Layer> layers = new LinkedHashSet<>();

    /** The layers drawn by GetMap, in order. */
    public final List<Layer> mapLayers = new ArrayList<>();

    public HeatmapFilter heatmap = HeatmapFilter.NONE;
    public boolean jsonFeatureInfo;
    public Bbox bbox;
    public int width, height;
    public int crs;

    /** WMS 1.3.0 with a geographic (or northing-first) CRS: BBOX lists the north axis first. */
    public boolean northFirst;

    private final Map<String, String> params;

    /** A bounding box in the request CRS, axes as the client gave them. */
    public record Bbox(double a, double b, double c, double d) {}

    private OwsRequest(Map<String, String> params, String service, String version, String request) {
        this.params = params;
        this.service = service;
        this.version = version;
        this.request = request;
    }

    /** The raw (upper-cased name) parameter, or null. */
    public String param(String name) {
        return params.get(name);
    }

    public static OwsRequest parse(
            MultiMap raw, LayerCatalog catalog, Predicate<String> knownCategory) {
        Map<String, String> p = new LinkedHashMap<>();
        for (var e : raw.entries()) {
            String name = e.getKey().toUpperCase(Locale.ROOT);
            String value = e.getValue() == null ? "" : e.getValue();
            boolean xmlValue = name.equals("FILTER") || name.equals("SLD_BODY");
            if (value.length() > (xmlValue ? MAX_XML_VALUE : MAX_VALUE))
                throw OwsException.invalid(name, "the value of " + name + " is too long");
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 && !(xmlValue && (c == '\n' || c == '\r' || c == '\t')))
                    throw OwsException.invalid(
                            name, "the value of " + name + " contains control characters");
            }
            if (p.put(name, value) != null)
                throw OwsException.invalid(name, name + " is given more than once");
        }
        String request = p.get("REQUEST");
        String service = p.get("SERVICE");
        if (service == null
                && request != null
                && Set.of("getmap", "getfeatureinfo", "getlegendgraphic")
                        .contains(request.toLowerCase(Locale.ROOT))) service = "WMS";
        if (service == null || service.isEmpty()) throw OwsException.missing("SERVICE");
        service = service.toUpperCase(Locale.ROOT);
        if (!service.equals("WMS") && !service.equals("WFS"))
            throw OwsException.invalid(
                    "SERVICE", "SERVICE must be WMS or WFS, got '" + Ows.shorten(service) + "'");
        if (request == null || request.isEmpty()) throw OwsException.missing("REQUEST");
        Set<String> ops = service.equals("WMS") ? WMS_REQUESTS : WFS_REQUESTS;
        String canonical =
                ops.stream()
                        .filter(o -> o.equalsIgnoreCase(p.get("REQUEST")))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new OwsException(
                                                501,
                                                "OperationNotSupported",
                                                "REQUEST",
                                                "the "
                                                        + p.get("SERVICE").toUpperCase(Locale.ROOT)
                                                        + " operation '"
                                                        + Ows.shorten(request)
                                                        + "' is not supported"));
        String version = version(service, canonical, p.get("VERSION"));
        OwsRequest r = new OwsRequest(p, service, version, canonical);
        r.forward.put("SERVICE", service);
        if (version != null) r.forward.put("VERSION", version);
        r.forward.put("REQUEST", canonical);
        if (service.equals("WMS")) r.wms(catalog, knownCategory);
        else r.wfs(catalog);
        return r;
    }

    private static String version(String service, String request, String v) {
        if (v == null || v.isEmpty())
            return request.equals("GetCapabilities")
                    ? null
                    : service.equals("WMS") ? "1.3.0" : "2.0.0";
        Set<String> known =
                service.equals("WMS")
                        ? Set.of("1.3.0", "1.1.1", "1.1.0")
                        : Set.of("2.0.0", "2.0", "1.1.0", "1.0.0");
        if (known.contains(v)) return v.equals("2.0") ? "2.0.0" : v;
        // GetCapabilities negotiates: MapServer answers with the highest version it has.
        if (request.equals("GetCapabilities")) return null;
        throw new OwsException(
                400,
                service.equals("WMS") ? "InvalidParameterValue" : "VersionNegotiationFailed",
                "VERSION",
                "version " + Ows.shorten(v) + " of " + service + " is not supported");
    }

    // ------------------------------------------------------------------ WMS

    private void wms(LayerCatalog catalog, Predicate<String> knownCategory) {
        boolean v13 = version == null || version.equals("1.3.0");
        switch (request) {
            case "GetCapabilities" -> copy("UPDATESEQUENCE");
            case "GetMap", "GetFeatureInfo" -> {
                mapLayers.addAll(layerList(catalog, "LAYERS", true));
                layers.addAll(mapLayers);
                forward.put(
                        "LAYERS", String.join(",", mapLayers.stream().map(Layer::name).toList()));
                styles(catalog);
                crs = crs(v13 ? "CRS" : "SRS", v13);
                northFirst = v13 && Crs.NORTH_FIRST.contains(crs);
                bbox = bbox("BBOX");
                width = size("WIDTH", MAX_WMS_SIZE);
                height = size("HEIGHT", MAX_WMS_SIZE);
                String format = need("FORMAT");
                if (!Set.of("image/png", "image/jpeg").contains(format.toLowerCase(Locale.ROOT)))
                    throw new OwsException(
                            400,
                            "InvalidFormat",
                            "FORMAT",
                            "FORMAT must be image/png or image/jpeg, got '"
                                    + Ows.shorten(format)
                                    + "'");
                forward.put("FORMAT", format.toLowerCase(Locale.ROOT));
                String transparent = params.get("TRANSPARENT");
                if (transparent != null && !transparent.isEmpty()) {
                    if (!transparent.equalsIgnoreCase("true")
                            && !transparent.equalsIgnoreCase("false"))
                        throw OwsException.invalid(
                                "TRANSPARENT", "TRANSPARENT must be TRUE or FALSE");
                    forward.put("TRANSPARENT", transparent.toUpperCase(Locale.ROOT));
                }
                String bg = params.get("BGCOLOR");
                if (bg != null && !bg.isEmpty()) {
                    if (!bg.matches("^0[xX][0-9A-Fa-f]{6}$"))
                        throw OwsException.invalid("BGCOLOR", "BGCOLOR must be 0xRRGGBB");
                    forward.put("BGCOLOR", bg);
                }
                sldBody(catalog);
                if (params.containsKey("SLD") && !params.get("SLD").isEmpty())
                    throw new OwsException(
                            501,
                            "OptionNotSupported",
                            "SLD",
                            "styles by reference (SLD=URL) are not supported; send SLD_BODY");
                if (mapLayers.stream().anyMatch(Layer::isRaster)) {
                    if (width > MAX_HEATMAP_SIZE || height > MAX_HEATMAP_SIZE)
                        throw OwsException.invalid(
                                "WIDTH",
                                "the heatmap is drawn at most "
                                        + MAX_HEATMAP_SIZE
                                        + " pixels wide and high");
                    squarePixels();
                    heatmap =
                            HeatmapFilter.parse(
                                    vendor("from"),
                                    vendor("to"),
                                    vendor("category"),
                                    vendor("platform"),
                                    knownCategory);
                    if (heatmap.from() != null) forward.put("from", heatmap.from().toString());
                    if (heatmap.to() != null) forward.put("to", heatmap.to().toString());
                    if (heatmap.category() != null) forward.put("category", heatmap.category());
                    if (heatmap.platform() != null) forward.put("platform", heatmap.platform());
                    forward.put("width", Integer.toString(width));
                }
                plan();
                if (request.equals("GetFeatureInfo")) featureInfo(catalog, v13);
                copyIfXmlExceptions();
            }
            case "GetLegendGraphic" -> {
                Layer layer = layerName(catalog, "LAYER", need("LAYER"));
                layers.add(layer);
                forward.put("LAYER", layer.name());
                String style = params.get("STYLE");
                if (style != null && !style.isEmpty()) {
                    if (!layer.styles().contains(style))
                        throw new OwsException(
                                400,
                                "StyleNotDefined",
                                "STYLE",
                                "layer "
                                        + layer.name()
                                        + " has no style '"
                                        + Ows.shorten(style)
                                        + "'");
                    forward.put("STYLE", style);
                }
                String format = params.getOrDefault("FORMAT", "image/png");
                if (!format.equalsIgnoreCase("image/png"))
                    throw new OwsException(
                            400, "InvalidFormat", "FORMAT", "legends are drawn as image/png");
                forward.put("FORMAT", "image/png");
                if (params.containsKey("WIDTH"))
                    forward.put("WIDTH", Integer.toString(size("WIDTH", MAX_LEGEND_SIZE)));
                if (params.containsKey("HEIGHT"))
                    forward.put("HEIGHT", Integer.toString(size("HEIGHT", MAX_LEGEND_SIZE)));
                sldVersion();
                copyIfXmlExceptions();
            }
            case "GetStyles", "DescribeLayer" -> {
                List<Layer> named = layerList(catalog, "LAYERS", true);
                layers.addAll(named);
                forward.put("LAYERS", String.join(",", named.stream().map(Layer::name).toList()));
                sldVersion();
            }
            default -> throw new IllegalStateException(request);
        }
    }

    private void featureInfo(LayerCatalog catalog, boolean v13) {
        List<Layer> query = layerList(catalog, "QUERY_LAYERS", true);
        for (Layer l : query) {
            if (l.isRaster())
                throw new OwsException(
                        400,
                        "LayerNotQueryable",
                        "QUERY_LAYERS",
                        "layer " + l.name() + " is not queryable");
            if (!mapLayers.contains(l))
                throw new OwsException(
                        400,
                        "LayerNotDefined",
                        "QUERY_LAYERS",
                        "query layer " + l.name() + " is not among LAYERS");
        }
        layers.addAll(query);
        forward.put("QUERY_LAYERS", String.join(",", query.stream().map(Layer::name).toList()));
        String i = v13 ? "I" : "X", j = v13 ? "J" : "Y";
        forward.put(i, Integer.toString(pixel(i, width)));
        forward.put(j, Integer.toString(pixel(j, height)));
        String info = params.getOrDefault("INFO_FORMAT", "text/html").trim();
        String lower = info.toLowerCase(Locale.ROOT);
        if (JSON_INFO.contains(lower)) {
            // MapServer 8.0.0 aborts on JSON feature info (malloc corruption): answered by gridgov.
            jsonFeatureInfo = true;
        } else if (HTML_INFO.contains(lower) || GML_INFO.contains(lower)) {
            forward.put(
                    "INFO_FORMAT", lower.equals("text/xml") ? "application/vnd.ogc.gml" : lower);
        } else {
            throw new OwsException(
                    400,
                    "InvalidFormat",
                    "INFO_FORMAT",
                    "INFO_FORMAT must be text/html, application/vnd.ogc.gml or application/json, got '"
                            + Ows.shorten(info)
                            + "'");
        }
        String count = params.get("FEATURE_COUNT");
        if (count != null && !count.isEmpty())
            forward.put("FEATURE_COUNT", Integer.toString(intIn("FEATURE_COUNT", count, 1, 50)));
    }

    private void styles(LayerCatalog catalog) {
        String styles = params.get("STYLES");
        if (styles == null || styles.isEmpty()) {
            forward.put("STYLES", "");
            return;
        }
        String[] names = styles.split(",", -1);
        if (names.length != mapLayers.size())
            throw new OwsException(
                    400,
                    "StyleNotDefined",
                    "STYLES",
                    "STYLES lists "
                            + names.length
                            + " style(s) for "
                            + mapLayers.size()
                            + " layer(s)");
        for (int k = 0; k < names.length; k++) {
            String s = names[k].trim();
            if (!s.isEmpty()
                    && !s.equalsIgnoreCase("default")
                    && !mapLayers.get(k).styles().contains(s))
                throw new OwsException(
                        400,
                        "StyleNotDefined",
                        "STYLES",
                        "layer "
                                + mapLayers.get(k).name()
                                + " has no style '"
                                + Ows.shorten(s)
                                + "'");
            names[k] = s.equalsIgnoreCase("default") ? "" : s;
        }
        forward.put("STYLES", String.join(",", names));
    }

    private void sldBody(LayerCatalog catalog) {
        String sld = params.get("SLD_BODY");
        if (sld == null || sld.isEmpty()) return;
        if (!sld.trim().startsWith("<"))
            throw OwsException.invalid("SLD_BODY", "SLD_BODY must be an SLD XML document");
        if (sld.contains("<!DOCTYPE") || sld.contains("<!ENTITY"))
            throw OwsException.invalid(
                    "SLD_BODY", "DTDs and entities are not accepted in SLD_BODY");
        Matcher m = NAMED_LAYER.matcher(sld);
        int n = 0;
        while (m.find()) {
            layers.add(layerName(catalog, "SLD_BODY", m.group(1)));
            n++;
        }
        if (n == 0) throw OwsException.invalid("SLD_BODY", "SLD_BODY names no NamedLayer");
        forward.put("SLD_BODY", sld);
    }

    /** The map box as minEast, minNorth, maxEast, maxNorth whatever the CRS axis order. */
    public Bbox eastNorth() {
        return northFirst ? new Bbox(bbox.b, bbox.a, bbox.d, bbox.c) : bbox;
    }

    private void squarePixels() {
        Bbox en = eastNorth();
        double pw = (en.c - en.a) / width, ph = (en.d - en.b) / height;
        if (Math.abs(pw - ph) > 0.02 * Math.max(pw, ph))
            throw OwsException.invalid(
                    "BBOX",
                    "the heatmap needs square pixels: BBOX aspect must match WIDTH/HEIGHT (within 2%)");
    }

    private void sldVersion() {
        String v = params.get("SLD_VERSION");
        if (v == null || v.isEmpty()) return;
        if (!v.equals("1.0.0") && !v.equals("1.1.0"))
            throw OwsException.invalid("SLD_VERSION", "SLD_VERSION must be 1.0.0 or 1.1.0");
        forward.put("SLD_VERSION", v);
    }

    // ------------------------------------------------------------------ WFS

    private void wfs(LayerCatalog catalog) {
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
                    List<Layer> named = layerList(catalog, typeNameKey(), false);
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
                                "unsupported outputFormat '" + Ows.shorten(out) + "'");
                    forward.put("OUTPUTFORMAT", out);
                }
            }
            case "GetFeature" -> {
                if (params.containsKey("STOREDQUERY_ID")) getFeatureById(catalog);
                else getFeature(catalog);
            }
            case "GetPropertyValue" -> getPropertyValue(catalog);
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
                        + Ows.shorten(id.trim())
                        + "'; the one offered is "
                        + GET_FEATURE_BY_ID);
    }

    /**
     * GetFeature with the stored query GetFeatureById: ID names one feature (layer.number), whose
     * layer is access-checked like a TYPENAMES entry. A stored query stands instead of an ad hoc
     * query, so the query parameters (TYPENAMES, FILTER, BBOX, RESOURCEID) may not come with it.
     */
    private void getFeatureById(LayerCatalog catalog) {
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
                    "ID", "'" + Ows.shorten(id) + "' is not a feature id (layer.number)");
        Layer l = layerName(catalog, "ID", m.group(1));
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
    private void getPropertyValue(LayerCatalog catalog) {
        wfs2Only();
        String ref = params.get("VALUEREFERENCE");
        if (ref == null || ref.isEmpty()) throw OwsException.missing("VALUEREFERENCE");
        String out = params.get("OUTPUTFORMAT");
        if (out != null && JSON_OUTPUT.contains(out.toLowerCase(Locale.ROOT).trim()))
            throw OwsException.invalid(
                    "OUTPUTFORMAT",
                    "GetPropertyValue answers in GML (a wfs:ValueCollection); use GetFeature with PROPERTYNAME for JSON");
        getFeature(catalog);
        List<Layer> types = layers.stream().toList();
        if (types.size() != 1)
            throw OwsException.invalid(typeNameKey(), "GetPropertyValue reads one feature type");
        String name = ref.trim().replaceFirst("^[A-Za-z_][\\w.-]*:", "");
        if (!types.get(0).attributes().containsKey(name))
            throw OwsException.invalid(
                    "VALUEREFERENCE",
                    "'"
                            + Ows.shorten(ref)
                            + "' is not a published attribute of "
                            + types.get(0).name());
        forward.put("VALUEREFERENCE", name);
    }

    private void getFeature(LayerCatalog catalog) {
        String ids =
                params.containsKey("RESOURCEID")
                        ? "RESOURCEID"
                        : params.containsKey("FEATUREID") ? "FEATUREID" : null;
        List<Layer> named = List.of();
        if (typeNames(false) != null) {
            named = layerList(catalog, typeNameKey(), false);
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
                            ids, "'" + Ows.shorten(id) + "' is not a feature id (layer.number)");
                layers.add(layerName(catalog, ids, m.group(1)));
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
            Bbox b = numbers("BBOX", parts);
            if (b.a > b.c || b.b > b.d)
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
                            + Ows.shorten(out)
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

    // ------------------------------------------------------------------ shared

    private List<Layer> layerList(LayerCatalog catalog, String key, boolean wms) {
        String v = params.get(key);
        if (v == null || v.trim().isEmpty())
            throw wms && key.equals("LAYERS")
                    ? new OwsException(400, "LayerNotDefined", key, "LAYERS names no layer")
                    : OwsException.missing(key);
        List<Layer> out = new ArrayList<>();
        for (String name : v.split(",", -1)) {
            Layer l = layerName(catalog, key, name.trim());
            // MapServer 8.0.0 crashes on the same layer named repeatedly; one mention is enough.
            if (out.contains(l))
                throw OwsException.invalid(key, "layer " + l.name() + " is named more than once");
            out.add(l);
        }
        if (out.size() > 10) throw OwsException.invalid(key, "at most 10 layers per request");
        return out;
    }

    private Layer layerName(LayerCatalog catalog, String key, String name) {
        String bare = name.replaceFirst("^(?:gridgov|ms):", "");
        return catalog.find(bare)
                .orElseThrow(
                        () ->
                                service.equals("WMS")
                                        ? new OwsException(
                                                400,
                                                "LayerNotDefined",
                                                key,
                                                "no layer named '" + Ows.shorten(name) + "'")
                                        : OwsException.invalid(
                                                key,
                                                "no feature type named '"
                                                        + Ows.shorten(name)
                                                        + "'"));
    }

    private int crs(String key, boolean v13) {
        String v = need(key);
        int code;
        if (v13 && v.equalsIgnoreCase("CRS:84")) code = 84;
        else {
            Matcher m = SRS.matcher(v);
            code = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        }
        if (code != 84 && !Crs.OFFERED.contains(code))
            throw new OwsException(
                    400,
                    v13 ? "InvalidCRS" : "InvalidSRS",
                    key,
                    key
                            + " '"
                            + Ows.shorten(v)
                            + "' is not offered; use one of "
                            + Mapfile.SRS_LIST);
        forward.put(key, code == 84 ? "CRS:84" : "EPSG:" + code);
        return code;
    }

    private static int epsg(String key, String v) {
        Matcher m = SRS.matcher(v.trim());
        int code = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        if (!Crs.OFFERED.contains(code))
            throw OwsException.invalid(
                    key,
                    "'"
                            + Ows.shorten(v)
                            + "' is not an offered CRS; use one of "
                            + Mapfile.SRS_LIST);
        return code;
    }

    private Bbox bbox(String key) {
        String[] parts = need(key).split(",", -1);
        if (parts.length != 4)
            throw OwsException.invalid(key, "BBOX is four numbers minx,miny,maxx,maxy");
        Bbox b = numbers(key, parts);
        if (b.a >= b.c || b.b >= b.d)
            throw OwsException.invalid(key, "BBOX minimum must be below maximum on both axes");
        forward.put(key, params.get(key));
        return b;
    }

    private static Bbox numbers(String key, String[] parts) {
        double[] v = new double[4];
        for (int k = 0; k < 4; k++) {
            try {
                v[k] = Double.parseDouble(parts[k].trim());
            } catch (NumberFormatException e) {
                throw OwsException.invalid(
                        key, "'" + Ows.shorten(parts[k]) + "' in " + key + " is not a number");
            }
            if (!Double.isFinite(v[k]) || Math.abs(v[k]) > 1e8)
                throw OwsException.invalid(key, key + " values must be finite coordinates");
        }
        return new Bbox(v[0], v[1], v[2], v[3]);
    }

    private int size(String key, int max) {
        int v = intIn(key, need(key), 1, max);
        forward.put(key, Integer.toString(v));
        return v;
    }

    private int pixel(String key, int limit) {
        return intIn(key, need(key), 0, limit - 1, "InvalidPoint");
    }

    private static int intIn(String key, String v, int min, int max) {
        return intIn(key, v, min, max, "InvalidParameterValue");
    }

    private static int intIn(String key, String v, int min, int max, String code) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new OwsException(
                400,
                code,
                key,
                key
                        + " must be a whole number from "
                        + min
                        + " to "
                        + max
                        + ", got '"
                        + Ows.shorten(v)
                        + "'");
    }

    private String need(String key) {
        String v = params.get(key);
        if (v == null || v.isEmpty()) throw OwsException.missing(key);
        return v;
    }

    private String vendor(String name) {
        String v = params.get(name.toUpperCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v;
    }

    private void plan() {
        String plan = vendor("plan");
        if (plan == null || plan.equals("active")) return;
        if (!plan.matches("^[0-9]{1,12}$") || Long.parseLong(plan) == 0)
            throw OwsException.invalid("plan", "plan must be 'active' or a plan id");
        forward.put("plan", plan);
    }

    private void copy(String key) {
        String v = params.get(key);
        if (v != null && !v.isEmpty()) {
            if (!v.matches("^[A-Za-z0-9._:-]{1,64}$"))
                throw OwsException.invalid(key, "bad " + key);
            forward.put(key, v);
        }
    }

    private void copyIfXmlExceptions() {
        // Exceptions are always XML reports: INIMAGE/BLANK would hide errors as pictures.
        String v = params.get("EXCEPTIONS");
        if (v != null && !v.isEmpty() && !v.toLowerCase(Locale.ROOT).contains("xml"))
            throw OwsException.invalid("EXCEPTIONS", "only XML exception reports are offered");
    }
}
