package org.gridgov.ogc.ows;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.category.Platforms;
import org.gridgov.geo.Crs;
import org.gridgov.ogc.catalog.ClientText;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.catalog.TimeExtent;
import org.gridgov.ogc.catalog.TimeInterval;
import org.gridgov.ogc.heatmap.HeatmapFilter;
import org.gridgov.ogc.ows.WmsRequest.Bbox;

/**
 * Reads a WMS key-value request into a {@link WmsRequest}: only the parameters of the operation
 * asked for are forwarded, every value is checked against what the service offers (layers, styles,
 * CRSs, sizes, formats), and the vendor parameters (plan, the heatmap's filters) are validated too.
 */
final class WmsRequestReader extends KvpReader {

    private static final int MAX_WMS_SIZE = 4096;
    private static final int MAX_HEATMAP_SIZE = 2048;
    private static final int MAX_LEGEND_SIZE = 512;
    private static final Set<String> HTML_INFO = Set.of("text/html");
    private static final Set<String> GML_INFO =
            Set.of("application/vnd.ogc.gml", "application/vnd.ogc.gml/3.1.1", "text/xml");
    private static final Set<String> JSON_INFO =
            Set.of("application/json", "application/geo+json", "json", "geojson");
    private static final Pattern NAMED_LAYER =
            Pattern.compile(
                    "<(?:\\w+:)?NamedLayer\\b.*?<(?:\\w+:)?Name>\\s*([^<]*?)\\s*</",
                    Pattern.DOTALL);

    private final Predicate<String> knownCategory;
    private final Predicate<Layer> visible;
    private final Function<Layer, TimeExtent> timeExtent;
    private final LayerCatalog catalog;
    private TimeInterval time;
    private final List<Layer> mapLayers = new ArrayList<>();

    /** LAYERS as named: each drawn layer with the name it came from (the root stands for many). */
    private List<Named> named = List.of();

    private HeatmapFilter heatmap = HeatmapFilter.NONE;
    private boolean jsonFeatureInfo;
    private Bbox bbox;
    private int width, height;
    private int crs;
    private boolean northFirst;

    /** visible: the layers the caller may see, which the root layer stands for. */
    WmsRequestReader(
            Head head,
            LayerCatalog catalog,
            int planarSrid,
            Predicate<String> knownCategory,
            Predicate<Layer> visible,
            Function<Layer, TimeExtent> timeExtent) {
        super(head, catalog, planarSrid);
        this.catalog = catalog;
        this.knownCategory = knownCategory;
        this.visible = visible;
        this.timeExtent = timeExtent;
    }

    /**
     * A layer a list names: at = the position of the name in the list, viaRoot when the name was
     * the root layer's.
     */
    private record Named(Layer layer, int at, boolean viaRoot) {}

    /**
     * LAYERS or QUERY_LAYERS. The root layer ({@link LayerCatalog#ROOT}, the capabilities' top
     * layer) is a layer like the others (WMS 1.3.0 §7.2.4.8): it stands for its children the caller
     * may see, in catalog order; a child also named on its own is drawn once.
     */
    private List<Named> wmsLayers(String key) {
        String v = params.get(key);
        if (v == null
                || Arrays.stream(v.split(",", -1)).map(String::trim).noneMatch(this::isRoot)) {
            List<Layer> list = layerList(key, true);
            List<Named> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) out.add(new Named(list.get(i), i, false));
            return out;
        }
        List<Named> out = new ArrayList<>();
        String[] names = v.split(",", -1);
        for (int i = 0; i < names.length; i++) {
            String name = names[i].trim();
            if (isRoot(name)) {
                if (out.stream().anyMatch(Named::viaRoot))
                    throw OwsException.invalid(key, "layer " + name + " is named more than once");
                for (Layer l : catalog.all())
                    if (visible.test(l) && out.stream().noneMatch(n -> n.layer().equals(l)))
                        out.add(new Named(l, i, true));
            } else {
                Layer l = layerName(key, name);
                if (out.stream().anyMatch(n -> n.layer().equals(l) && !n.viaRoot()))
                    throw OwsException.invalid(
                            key, "layer " + l.name() + " is named more than once");
                out.removeIf(n -> n.layer().equals(l));
                out.add(new Named(l, i, false));
            }
        }
        if (out.isEmpty())
            throw new OwsException(
                    400, "LayerNotDefined", key, key + " names no layer you may see");
        return out;
    }

    private boolean isRoot(String name) {
        return name.equalsIgnoreCase(LayerCatalog.ROOT);
    }

    WmsRequest read() {
        wms();
        return new WmsRequest(
                version,
                request,
                Collections.unmodifiableMap(new LinkedHashMap<>(forward)),
                Collections.unmodifiableSet(new LinkedHashSet<>(layers)),
                List.copyOf(mapLayers),
                bbox,
                width,
                height,
                crs,
                northFirst,
                heatmap,
                jsonFeatureInfo,
                params.get("SLD_BODY") != null,
                time);
    }

    private void wms() {
        boolean v13 = version == null || version.equals("1.3.0");
        switch (request) {
            case "GetCapabilities" -> copy("UPDATESEQUENCE");
            case "GetMap", "GetFeatureInfo" -> {
                named = wmsLayers("LAYERS");
                mapLayers.addAll(named.stream().map(Named::layer).toList());
                layers.addAll(mapLayers);
                forward.put(
                        "LAYERS", String.join(",", mapLayers.stream().map(Layer::name).toList()));
                styles();
                crs = crs(v13 ? "CRS" : "SRS", v13);
                northFirst = v13 && Crs.northFirst(crs);
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
                                    + ClientText.shorten(format)
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
                sldBody();
                if (params.containsKey("SLD") && !params.get("SLD").isEmpty())
                    throw new OwsException(
                            501,
                            "OptionNotSupported",
                            "SLD",
                            "styles by reference (SLD=URL) are not supported; send SLD_BODY");
                time();
                // The root stands for the heatmap too, drawn by MapServer with the others, at any
                // pixel shape; beyond the heatmap's size it is left out rather than refused.
                boolean heatmapViaRoot =
                        named.stream().anyMatch(n -> n.layer().isRaster() && n.viaRoot());
                if (heatmapViaRoot && (width > MAX_HEATMAP_SIZE || height > MAX_HEATMAP_SIZE)) {
                    named = named.stream().filter(n -> !n.layer().isRaster()).toList();
                    mapLayers.removeIf(Layer::isRaster);
                    forward.put(
                            "LAYERS",
                            String.join(",", mapLayers.stream().map(Layer::name).toList()));
                    styles();
                }
                if (mapLayers.stream().anyMatch(Layer::isRaster)) {
                    if (!heatmapViaRoot && (width > MAX_HEATMAP_SIZE || height > MAX_HEATMAP_SIZE))
                        throw OwsException.invalid(
                                "WIDTH",
                                "the heatmap is drawn at most "
                                        + MAX_HEATMAP_SIZE
                                        + " pixels wide and high");
                    if (!heatmapViaRoot) squarePixels();
                    heatmap =
                            heatmapFilter(
                                    vendor("from"),
                                    vendor("to"),
                                    vendor("category"),
                                    vendor("platform"),
                                    time);
                    if (heatmap.from() != null) forward.put("from", heatmap.from().toString());
                    if (heatmap.to() != null) forward.put("to", heatmap.to().toString());
                    if (heatmap.category() != null) forward.put("category", heatmap.category());
                    if (heatmap.platform() != null) forward.put("platform", heatmap.platform());
                    forward.put("width", Integer.toString(width));
                }
                plan();
                if (request.equals("GetFeatureInfo")) featureInfo(v13);
                copyIfXmlExceptions();
            }
            case "GetLegendGraphic" -> {
                Layer layer = layerName("LAYER", need("LAYER"));
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
                                        + ClientText.shorten(style)
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
                List<Layer> list = wmsLayers("LAYERS").stream().map(Named::layer).toList();
                layers.addAll(list);
                forward.put("LAYERS", String.join(",", list.stream().map(Layer::name).toList()));
                sldVersion();
            }
            default -> throw new IllegalStateException(request);
        }
    }

    private void featureInfo(boolean v13) {
        List<Layer> query = new ArrayList<>();
        for (Named n : wmsLayers("QUERY_LAYERS")) {
            // Through the root: the layers drawn that can be queried (not the heatmap).
            if (n.viaRoot() && (n.layer().isRaster() || !mapLayers.contains(n.layer()))) continue;
            query.add(n.layer());
        }
        if (query.isEmpty())
            throw new OwsException(
                    400,
                    "LayerNotQueryable",
                    "QUERY_LAYERS",
                    "QUERY_LAYERS names no queryable layer");
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
                            + ClientText.shorten(info)
                            + "'");
        }
        String count = params.get("FEATURE_COUNT");
        if (count != null && !count.isEmpty())
            forward.put("FEATURE_COUNT", Integer.toString(intIn("FEATURE_COUNT", count, 1, 50)));
    }

    private void styles() {
        String styles = params.get("STYLES");
        if (styles == null || styles.isEmpty()) {
            forward.put("STYLES", "");
            return;
        }
        String[] given = styles.split(",", -1);
        int requested = named.stream().mapToInt(Named::at).max().orElse(-1) + 1;
        if (named.stream().anyMatch(Named::viaRoot)) {
            // One style per name in LAYERS; the root has only its children's default styles.
            if (given.length != requested)
                throw new OwsException(
                        400,
                        "StyleNotDefined",
                        "STYLES",
                        "STYLES lists "
                                + given.length
                                + " style(s) for "
                                + requested
                                + " layer(s)");
            String[] each = new String[named.size()];
            for (int k = 0; k < named.size(); k++) {
                String s = given[named.get(k).at()].trim();
                if (named.get(k).viaRoot() && !s.isEmpty() && !s.equalsIgnoreCase("default"))
                    throw new OwsException(
                            400,
                            "StyleNotDefined",
                            "STYLES",
                            "layer "
                                    + LayerCatalog.ROOT
                                    + " has no style '"
                                    + ClientText.shorten(s)
                                    + "'");
                each[k] = named.get(k).viaRoot() ? "" : s;
            }
            given = each;
        }
        String[] names = given;
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
                                + ClientText.shorten(s)
                                + "'");
            names[k] = s.equalsIgnoreCase("default") ? "" : s;
        }
        forward.put("STYLES", String.join(",", names));
    }

    private void sldBody() {
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
            layers.add(layerName("SLD_BODY", m.group(1)));
            n++;
        }
        if (n == 0) throw OwsException.invalid("SLD_BODY", "SLD_BODY names no NamedLayer");
        forward.put("SLD_BODY", sld);
    }

    private void squarePixels() {
        Bbox en = bbox.eastNorth(northFirst);
        double pw = (en.c() - en.a()) / width, ph = (en.d() - en.b()) / height;
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

    private int crs(String key, boolean v13) {
        String v = need(key);
        int code;
        if (v13 && v.equalsIgnoreCase("CRS:84")) code = 84;
        else {
            Matcher m = SRS.matcher(v);
            code = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        }
        if (code != 84 && !offered(code))
            throw new OwsException(
                    400,
                    v13 ? "InvalidCRS" : "InvalidSRS",
                    key,
                    key
                            + " '"
                            + ClientText.shorten(v)
                            + "' is not offered; use one of "
                            + offeredList());
        forward.put(key, code == 84 ? "CRS:84" : "EPSG:" + code);
        return code;
    }

    private Bbox bbox(String key) {
        String[] parts = need(key).split(",", -1);
        if (parts.length != 4)
            throw OwsException.invalid(key, "BBOX is four numbers minx,miny,maxx,maxy");
        double[] v = numbers(key, parts);
        Bbox b = new Bbox(v[0], v[1], v[2], v[3]);
        if (b.a() >= b.c() || b.b() >= b.d())
            throw OwsException.invalid(key, "BBOX minimum must be below maximum on both axes");
        forward.put(key, params.get(key));
        return b;
    }

    private int pixel(String key, int limit) {
        return intIn(key, need(key), 0, limit - 1, "InvalidPoint");
    }

    /**
     * WMS TIME (WMS 1.3.0 Annex C/D) for the layers with a time dimension: a value, a range or a
     * range with a resolution (TimeInterval), the last 30 days when absent, and never wholly
     * outside the extent (InvalidDimensionValue). MapServer receives the interval as two instants
     * it substitutes into the layer SQL; layers without the dimension ignore TIME, as the standard
     * says.
     */
    private void time() {
        Layer timed = mapLayers.stream().filter(l -> l.time() != null).findFirst().orElse(null);
        if (timed == null) return;
        String given = params.get("TIME");
        // The heatmap's own from/to (gridgov's web map) replace the default, not add to it.
        if ((given == null || given.isEmpty()) && (vendor("from") != null || vendor("to") != null))
            return;
        try {
            time = timeExtent.apply(timed).resolve(given);
        } catch (IllegalArgumentException e) {
            throw new OwsException(400, "InvalidDimensionValue", "TIME", e.getMessage());
        }
        forward.put(Layer.TimeDimension.FROM, time.start().toString());
        forward.put(Layer.TimeDimension.TO, time.end().toString());
    }

    private void copyIfXmlExceptions() {
        // XML reports, or pictures (INIMAGE/BLANK) for GetMap, in each version's spelling; the
        // gateway draws its own exceptions as MapServer draws its (ExceptionImage).
        String v = params.get("EXCEPTIONS");
        if (v == null || v.isEmpty()) return;
        boolean v13 = version == null || version.equals("1.3.0");
        String lower = v.toLowerCase(Locale.ROOT);
        Boolean blank = ExceptionImage.blank(v);
        if (lower.equals("xml") || lower.equals("application/vnd.ogc.se_xml")) {
            forward.put("EXCEPTIONS", v13 ? "XML" : "application/vnd.ogc.se_xml");
        } else if (blank != null && request.equals("GetMap")) {
            forward.put(
                    "EXCEPTIONS",
                    v13
                            ? (blank ? "BLANK" : "INIMAGE")
                            : "application/vnd.ogc.se_" + (blank ? "blank" : "inimage"));
        } else {
            throw OwsException.invalid(
                    "EXCEPTIONS",
                    request.equals("GetMap")
                            ? "EXCEPTIONS must be XML, INIMAGE or BLANK"
                            : "EXCEPTIONS must be XML for " + request);
        }
    }

    /**
     * The heatmap's vendor parameters (from, to, category, platform): dates YYYY-MM-DD, to not
     * before from, a known category, a platform code.
     */
    private HeatmapFilter heatmapFilter(
            String from, String to, String category, String platform, TimeInterval time) {
        LocalDate f = date("from", from), t = date("to", to);
        if (f != null && t != null && t.isBefore(f))
            throw OwsException.invalid("to", "'to' (" + to + ") is before 'from' (" + from + ")");
        if (category != null
                && (!category.matches(HeatmapFilter.CATEGORY) || !knownCategory.test(category)))
            throw OwsException.invalid(
                    "category", "unknown category '" + ClientText.shorten(category) + "'");
        if (platform != null && !Platforms.CODES.contains(platform))
            throw OwsException.invalid(
                    "platform",
                    "platform must be one of "
                            + Platforms.CODES
                            + ", got '"
                            + ClientText.shorten(platform)
                            + "'");
        return new HeatmapFilter(f, t, category, platform, time);
    }

    private static LocalDate date(String name, String v) {
        if (v == null) return null;
        try {
            if (!v.matches(HeatmapFilter.DATE)) throw new DateTimeParseException("", v, 0);
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw OwsException.invalid(
                    name,
                    "'"
                            + name
                            + "' must be a date YYYY-MM-DD, got '"
                            + ClientText.shorten(v)
                            + "'");
        }
    }
}
