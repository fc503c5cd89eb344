package org.gridgov.ogc.ows;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.geo.Crs;
import org.gridgov.ogc.catalog.ClientText;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.LayerCatalog;

/**
 * What the WMS and WFS request readers share: the key-value pairs (names upper-cased, each given
 * once, values bounded and free of control characters), the service, operation and version they ask
 * for, and the checks of values both services take (layer names, CRSs, numbers, the plan). A reader
 * fills {@link #forward} (what MapServer receives: canonical names, validated values) and {@link
 * #layers} (every layer the request names, for the access check) and then builds its immutable
 * request.
 */
abstract class KvpReader {

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
    static final Pattern SRS =
            Pattern.compile(
                    "^(?:EPSG:|urn:ogc:def:crs:EPSG:[0-9.]*:|urn:x-ogc:def:crs:EPSG:[0-9.]*:?|http://www\\.opengis\\.net/def/crs/EPSG/0/|http://www\\.opengis\\.net/gml/srs/epsg\\.xml#)([0-9]{4,6})$",
                    Pattern.CASE_INSENSITIVE);

    /** The parameters as given: upper-case names, validated for length and characters. */
    final Map<String, String> params;

    final String service;
    final String version;
    final String request;
    private final LayerCatalog catalog;

    /** The deployment's planar CRS, offered besides the geographic ones and Web Mercator. */
    private final int planarSrid;

    /** What MapServer receives: canonical upper-case names, validated values. */
    final Map<String, String> forward = new LinkedHashMap<>();

    /** Every layer the request names (LAYERS, QUERY_LAYERS, LAYER, TYPENAMES, RESOURCEID, SLD). */
    final Set<Layer> layers = new LinkedHashSet<>();

    /** The service, operation and version a request asks for, and its parameters. */
    record Head(Map<String, String> params, String service, String version, String request) {}

    KvpReader(Head head, LayerCatalog catalog, int planarSrid) {
        this.params = head.params();
        this.service = head.service();
        this.version = head.version();
        this.request = head.request();
        this.catalog = catalog;
        this.planarSrid = planarSrid;
        forward.put("SERVICE", service);
        if (version != null) forward.put("VERSION", version);
        forward.put("REQUEST", request);
    }

    static Head head(MultiMap raw) {
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
                    "SERVICE",
                    "SERVICE must be WMS or WFS, got '" + ClientText.shorten(service) + "'");
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
                                                        + ClientText.shorten(request)
                                                        + "' is not supported"));
        return new Head(p, service, version(service, canonical, p.get("VERSION")), canonical);
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
                "version " + ClientText.shorten(v) + " of " + service + " is not supported");
    }

    List<Layer> layerList(String key, boolean wms) {
        String v = params.get(key);
        if (v == null || v.trim().isEmpty())
            throw wms && key.equals("LAYERS")
                    ? new OwsException(400, "LayerNotDefined", key, "LAYERS names no layer")
                    : OwsException.missing(key);
        List<Layer> out = new ArrayList<>();
        for (String name : v.split(",", -1)) {
            Layer l = layerName(key, name.trim());
            // MapServer 8.0.0 crashes on the same layer named repeatedly; one mention is enough.
            if (out.contains(l))
                throw OwsException.invalid(key, "layer " + l.name() + " is named more than once");
            out.add(l);
        }
        if (out.size() > 10) throw OwsException.invalid(key, "at most 10 layers per request");
        return out;
    }

    Layer layerName(String key, String name) {
        return layerNamed(key, name, name.replaceFirst("^(?:gridgov|ms):", ""));
    }

    /** The layer called {@code bare}; the request called it {@code name} (for the error). */
    final Layer layerNamed(String key, String name, String bare) {
        return catalog.find(bare)
                .orElseThrow(
                        () ->
                                service.equals("WMS")
                                        ? new OwsException(
                                                400,
                                                "LayerNotDefined",
                                                key,
                                                "no layer named '" + ClientText.shorten(name) + "'")
                                        : OwsException.invalid(
                                                key,
                                                "no feature type named '"
                                                        + ClientText.shorten(name)
                                                        + "'"));
    }

    int epsg(String key, String v) {
        Matcher m = SRS.matcher(v.trim());
        int code = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        if (!offered(code))
            throw OwsException.invalid(
                    key,
                    "'"
                            + ClientText.shorten(v)
                            + "' is not an offered CRS; use one of "
                            + offeredList());
        return code;
    }

    /** Whether the EPSG code is a CRS gridgov offers. */
    boolean offered(int code) {
        return Crs.offered(planarSrid).contains(code);
    }

    /** The offered CRSs as the capabilities list them: "EPSG:4326 EPSG:4490 …". */
    String offeredList() {
        return Crs.offered(planarSrid, " ");
    }

    static double[] numbers(String key, String[] parts) {
        double[] v = new double[4];
        for (int k = 0; k < 4; k++) {
            try {
                v[k] = Double.parseDouble(parts[k].trim());
            } catch (NumberFormatException e) {
                throw OwsException.invalid(
                        key,
                        "'" + ClientText.shorten(parts[k]) + "' in " + key + " is not a number");
            }
            if (!Double.isFinite(v[k]) || Math.abs(v[k]) > 1e8)
                throw OwsException.invalid(key, key + " values must be finite coordinates");
        }
        return v;
    }

    int size(String key, int max) {
        int v = intIn(key, need(key), 1, max);
        forward.put(key, Integer.toString(v));
        return v;
    }

    static int intIn(String key, String v, int min, int max) {
        return intIn(key, v, min, max, "InvalidParameterValue");
    }

    static int intIn(String key, String v, int min, int max, String code) {
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
                        + ClientText.shorten(v)
                        + "'");
    }

    String need(String key) {
        String v = params.get(key);
        if (v == null || v.isEmpty()) throw OwsException.missing(key);
        return v;
    }

    String vendor(String name) {
        String v = params.get(name.toUpperCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v;
    }

    void plan() {
        String plan = vendor("plan");
        if (plan == null || plan.equals("active")) return;
        if (!plan.matches("^[0-9]{1,12}$") || Long.parseLong(plan) == 0)
            throw OwsException.invalid("plan", "plan must be 'active' or a plan id");
        forward.put("plan", plan);
    }

    void copy(String key) {
        String v = params.get(key);
        if (v != null && !v.isEmpty()) {
            if (!v.matches("^[A-Za-z0-9._:-]{1,64}$"))
                throw OwsException.invalid(key, "bad " + key);
            forward.put(key, v);
        }
    }
}
