package org.gridgov.ogc.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;
import org.gridgov.api.Handlers;
import org.gridgov.api.OpenApiRoutes;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.api.XmlText;
import org.gridgov.geo.Bbox;
import org.gridgov.ogc.catalog.ClientText;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.LayerAccess;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.catalog.OgcSettings;
import org.gridgov.ogc.catalog.PublicAddress;
import org.gridgov.ogc.catalog.SubdistrictFilter;
import org.gridgov.ogc.catalog.TimeInterval;

/**
 * OGC API - Features (Part 1: core, GeoJSON, HTML) at /ogc, served by gridgov over PostGIS from the
 * layer catalog. Not MapServer's: its 8.0.0 OGC API ignores {@code offset}, so every "next" page
 * repeated the first (docs/ogc.md).
 */
public final class FeaturesApiRoutes {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;
    private static final Set<String> ITEMS_PARAMETERS =
            Set.of(
                    "limit",
                    "offset",
                    "after",
                    "before",
                    "bbox",
                    "bbox-crs",
                    "f",
                    "plan",
                    "datetime",
                    SubdistrictFilter.PARAMETER);
    private static final String[] CONFORMANCE = {
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        // OGC API - Tiles over the tiled collections (tiles/OgcTilesRoutes) and its tile matrix set
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
        "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
        "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset"
    };

    private final LayerCatalog catalog;
    private final LayerAccess access;
    private final FeatureSource features;
    private final OgcSettings settings;
    private final double[] extent;
    private final TimeExtents times;
    private final OgcApiDefinition api = new OgcApiDefinition(OpenApiRoutes.document());

    public FeaturesApiRoutes(
            LayerCatalog catalog,
            LayerAccess access,
            FeatureSource features,
            OgcSettings settings,
            double[] extent,
            TimeExtents times) {
        this.catalog = catalog;
        this.access = access;
        this.features = features;
        this.settings = settings;
        this.extent = extent;
        this.times = times;
    }

    public void mount(Router router) {
        router.get("/ogc").handler(this::landing);
        router.get("/ogc/api").handler(this::definition);
        router.get("/ogc/conformance").handler(this::conformance);
        router.get("/ogc/collections").handler(this::collections);
        router.get("/ogc/collections/:collectionId").handler(this::collection);
        router.get("/ogc/collections/:collectionId/items").handler(this::items);
        router.get("/ogc/collections/:collectionId/items/:featureId").handler(this::item);
    }

    private String base(RoutingContext ctx) {
        return PublicAddress.of(ctx, settings.publicUrl()) + "/ogc";
    }

    private static boolean html(RoutingContext ctx) {
        String f = Handlers.param(ctx, "f");
        if (f != null) {
            if (f.equals("html")) return true;
            if (f.equals("json")) return false;
            throw new ProblemException(Problem.invalidParameter("f", "f must be json or html"));
        }
        String accept = ctx.request().getHeader("Accept");
        return accept != null && accept.contains("text/html") && !accept.contains("json");
    }

    private void landing(RoutingContext ctx) {
        String b = base(ctx);
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("title", "gridgov OGC API - Features");
        n.put(
                "description",
                "Subdistrict, villages/communities, grids, base units, incidents and grid workload from the gridgov layer catalog.");
        ArrayNode links = n.putArray("links");
        link(links, b, "self", "application/json", "this document");
        link(links, b + "?f=html", "alternate", "text/html", "this document as HTML");
        link(links, b + "/api", "service-desc", OgcApiDefinition.MEDIA_TYPE, "the API definition");
        link(links, b + "/conformance", "conformance", "application/json", "conformance classes");
        link(links, b + "/collections", "data", "application/json", "the collections");
        link(
                links,
                b + "/tileMatrixSets",
                "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes",
                "application/json",
                "tile matrix sets");
        answer(ctx, n, "gridgov OGC API - Features");
    }

    /** The OGC API's own OpenAPI definition, its server URL this API's root. */
    private void definition(RoutingContext ctx) {
        ctx.response()
                .putHeader("Cache-Control", "public, max-age=300")
                .putHeader("Content-Type", OgcApiDefinition.MEDIA_TYPE);
        try {
            ctx.response()
                    .end(Buffer.buffer(Responses.JSON.writeValueAsBytes(api.forRoot(base(ctx)))));
        } catch (java.io.IOException e) {
            ctx.fail(e);
        }
    }

    private void conformance(RoutingContext ctx) {
        ObjectNode n = Responses.JSON.createObjectNode();
        ArrayNode a = n.putArray("conformsTo");
        for (String c : CONFORMANCE) a.add(c);
        answer(ctx, n, "Conformance");
    }

    private void collections(RoutingContext ctx) {
        String b = base(ctx);
        ObjectNode n = Responses.JSON.createObjectNode();
        ArrayNode links = n.putArray("links");
        link(links, b + "/collections", "self", "application/json", "collections");
        ArrayNode cs = n.putArray("collections");
        for (Layer l : catalog.vectorLayers()) {
            if (access.maySee(ctx, l)) cs.add(describe(b, l));
        }
        answer(ctx, n, "Collections");
    }

    private void collection(RoutingContext ctx) {
        Layer l = layer(ctx);
        answer(ctx, describe(base(ctx), l), l.title());
    }

    private ObjectNode describe(String b, Layer l) {
        ObjectNode c = Responses.JSON.createObjectNode();
        c.put("id", l.name());
        c.put("title", l.title());
        if (l.describedAbstract() != null) c.put("description", l.describedAbstract());
        c.put("itemType", "feature");
        ObjectNode spatial = c.putObject("extent").putObject("spatial");
        ArrayNode bb = spatial.putArray("bbox").addArray();
        for (double v : extent) bb.add(v);
        spatial.put("crs", "http://www.opengis.net/def/crs/OGC/1.3/CRS84");
        if (l.time() != null) {
            // from the first record's day, open-ended: reports keep coming (the datetime filter's
            // extent; WMS advertises the same as its time Dimension)
            ObjectNode temporal = ((ObjectNode) c.get("extent")).putObject("temporal");
            ArrayNode interval = temporal.putArray("interval").addArray();
            interval.add(times.of(l).start().toString());
            interval.addNull();
            temporal.put("trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian");
        }
        c.putArray("crs").add("http://www.opengis.net/def/crs/OGC/1.3/CRS84");
        ArrayNode links = c.putArray("links");
        link(links, b + "/collections/" + l.name(), "self", "application/json", l.title());
        link(
                links,
                b + "/collections/" + l.name() + "/items",
                "items",
                "application/geo+json",
                "features");
        link(
                links,
                b + "/collections/" + l.name() + "/items?f=html",
                "items",
                "text/html",
                "features as HTML");
        if (l.tiles())
            link(
                    links,
                    b + "/collections/" + l.name() + "/tiles",
                    "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
                    "application/json",
                    "vector tilesets");
        return c;
    }

    private Layer layer(RoutingContext ctx) {
        return access.visibleCollection(ctx, ctx.pathParam("collectionId"));
    }

    private void items(RoutingContext ctx) {
        Layer l = layer(ctx);
        boolean html = html(ctx);
        int limit = limit(ctx);
        PageStart start = pageStart(ctx);
        String bboxText = Handlers.param(ctx, "bbox");
        Bbox bbox = bboxText == null ? null : Bbox.parse("bbox", bboxText);
        String crs = Handlers.param(ctx, "bbox-crs");
        if (crs != null && !crs.equals("http://www.opengis.net/def/crs/OGC/1.3/CRS84"))
            throw new ProblemException(
                    Problem.invalidParameter("bbox-crs", "only CRS84 is offered"));
        for (String p : ctx.queryParams().names()) {
            if (!ITEMS_PARAMETERS.contains(p))
                throw new ProblemException(
                        Problem.invalidParameter(
                                p, "unknown parameter '" + ClientText.shorten(p) + "'"));
        }
        long plan = plan(ctx, l);
        SubdistrictFilter sd = LayerAccess.subdistrict(ctx);
        String datetime = Handlers.param(ctx, "datetime");
        TimeInterval time = datetime(datetime, l);
        double[] box =
                bbox == null
                        ? null
                        : new double[] {bbox.minLon(), bbox.minLat(), bbox.maxLon(), bbox.maxLat()};
        String b = base(ctx) + "/collections/" + l.name() + "/items";
        // the filter every link keeps
        String keep =
                (bboxText == null ? "" : "&bbox=" + enc(bboxText))
                        + (plan == 0 ? "" : "&plan=" + plan)
                        + (sd.all() ? "" : "&" + SubdistrictFilter.PARAMETER + "=" + sd.id())
                        + (datetime == null ? "" : "&datetime=" + enc(datetime));
        Handlers.blocking(
                ctx,
                () -> {
                    FeatureSource.Page page = features.page(l, plan, sd, box, time, start, limit);
                    // counted on offset pages only: the next links are cursors, so a client that
                    // follows them (GDAL, QGIS) has the count from its first page
                    long matched =
                            start.kind() == PageStart.Kind.OFFSET
                                    ? features.count(l, plan, sd, box, time)
                                    : -1;
                    return new ItemsPage(page, matched);
                },
                (c, p) -> {
                    FeatureSource.Page page = p.page();
                    String links = itemLinks(b, limit, start, keep, page);
                    String json =
                            "{\"type\":\"FeatureCollection\","
                                    + (p.matched() < 0
                                            ? ""
                                            : "\"numberMatched\":" + p.matched() + ",")
                                    + "\"numberReturned\":"
                                    + page.returned()
                                    + ",\"timeStamp\":\""
                                    + java.time.Instant.now()
                                    + "\",\"links\":"
                                    + links
                                    + ",\"features\":"
                                    + page.featuresJson()
                                    + "}";
                    if (html) {
                        try {
                            html(c, l.title(), Responses.JSON.readTree(json));
                        } catch (Exception e) {
                            c.fail(e);
                        }
                        return;
                    }
                    cache(c, l);
                    c.response()
                            .putHeader("Content-Type", "application/geo+json")
                            .end(Buffer.buffer(json));
                });
    }

    /**
     * The datetime parameter (OGC API Features §7.15.4: an instant, a/b, ../b, a/..), read by the
     * same parser as WMS TIME; it filters layers with a time dimension and is ignored by the
     * others, whose features have no time.
     */
    private static TimeInterval datetime(String text, Layer l) {
        if (text == null) return null;
        TimeInterval t;
        try {
            t = TimeInterval.parse(text, TimeInterval.Syntax.OGC_API, java.time.Instant.now());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.invalidParameter("datetime", e.getMessage()));
        }
        return l.time() == null ? null : t;
    }

    private record ItemsPage(FeatureSource.Page page, long matched) {}

    /** limit 1..MAX_LIMIT; a larger one is served as MAX_LIMIT, as OGC API Features asks. */
    private static int limit(RoutingContext ctx) {
        String v = Handlers.param(ctx, "limit");
        if (v == null) return DEFAULT_LIMIT;
        if (v.matches("^[0-9]{1,18}$") && Long.parseLong(v) >= 1)
            return (int) Math.min(Long.parseLong(v), MAX_LIMIT);
        throw new ProblemException(
                Problem.invalidParameter(
                        "limit",
                        "limit must be a whole number from 1 (at most "
                                + MAX_LIMIT
                                + " are served)"));
    }

    /** offset, after or before (at most one of them); the first page when none is given. */
    private static PageStart pageStart(RoutingContext ctx) {
        PageStart start = PageStart.FIRST;
        int given = 0;
        for (PageStart.Kind k : PageStart.Kind.values()) {
            String name = new PageStart(k, 0).parameter();
            String v = Handlers.param(ctx, name);
            if (v == null) continue;
            given++;
            if (!v.matches("^[0-9]{1,18}$"))
                throw new ProblemException(
                        Problem.invalidParameter(name, name + " must be a whole number from 0"));
            start = new PageStart(k, Long.parseLong(v));
        }
        if (given > 1)
            throw new ProblemException(
                    Problem.invalidParameter(
                            "offset", "give one of offset, after and before, not several"));
        return start;
    }

    /**
     * self, alternate, and next/prev as keyset cursors (after / before the page's last / first id);
     * prev of an offset page stays an offset.
     */
    private static String itemLinks(
            String b, int limit, PageStart start, String keep, FeatureSource.Page page) {
        String here = b + "?limit=" + limit + "&" + start.parameter() + "=" + start.value() + keep;
        String htmlHere =
                b + "?f=html&limit=" + limit + "&" + start.parameter() + "=" + start.value() + keep;
        StringBuilder links = new StringBuilder("[");
        links.append(linkJson(here, "self", "application/geo+json", "this page"));
        links.append(',').append(linkJson(htmlHere, "alternate", "text/html", "this page as HTML"));
        boolean hasNext = start.kind() == PageStart.Kind.BEFORE ? page.returned() > 0 : page.more();
        if (hasNext)
            links.append(',')
                    .append(
                            linkJson(
                                    b + "?limit=" + limit + "&after=" + page.lastId() + keep,
                                    "next",
                                    "application/geo+json",
                                    "next page"));
        String prev =
                switch (start.kind()) {
                    case OFFSET ->
                            start.value() > 0
                                    ? "offset=" + Math.max(0, start.value() - limit)
                                    : null;
                    case AFTER -> page.returned() > 0 ? "before=" + page.firstId() : null;
                    case BEFORE -> page.more() ? "before=" + page.firstId() : null;
                };
        if (prev != null)
            links.append(',')
                    .append(
                            linkJson(
                                    b + "?limit=" + limit + "&" + prev + keep,
                                    "prev",
                                    "application/geo+json",
                                    "previous page"));
        return links.append(']').toString();
    }

    private void item(RoutingContext ctx) {
        Layer l = layer(ctx);
        boolean html = html(ctx);
        long id = Handlers.pathId(ctx, "featureId");
        long plan = plan(ctx, l);
        SubdistrictFilter sd = LayerAccess.subdistrict(ctx);
        String self = base(ctx) + "/collections/" + l.name() + "/items/" + id;
        Handlers.blocking(
                ctx,
                () -> features.one(l, plan, sd, id),
                (c, json) -> {
                    if (json == null)
                        throw new ProblemException(
                                Problem.notFound("no feature " + id + " in " + l.name()));
                    try {
                        ObjectNode f = (ObjectNode) Responses.JSON.readTree(json);
                        ArrayNode links = f.putArray("links");
                        link(links, self, "self", "application/geo+json", "this feature");
                        link(
                                links,
                                base(c) + "/collections/" + l.name(),
                                "collection",
                                "application/json",
                                l.title());
                        if (html) {
                            html(c, l.title() + " " + id, f);
                            return;
                        }
                        cache(c, l);
                        c.response()
                                .putHeader("Content-Type", "application/geo+json")
                                .end(Buffer.buffer(Responses.JSON.writeValueAsBytes(f)));
                    } catch (java.io.IOException e) {
                        c.fail(e);
                    }
                });
    }

    private long plan(RoutingContext ctx, Layer l) {
        String p = Handlers.param(ctx, "plan");
        if (p == null || p.equals("active")) return 0;
        if (!l.hasPlanParameter())
            throw new ProblemException(
                    Problem.invalidParameter(
                            "plan", "collection " + l.name() + " has no plan parameter"));
        if (!p.matches("^[0-9]{1,12}$") || Long.parseLong(p) == 0)
            throw new ProblemException(
                    Problem.invalidParameter("plan", "plan must be 'active' or a plan id"));
        return Long.parseLong(p);
    }

    private void cache(RoutingContext ctx, Layer l) {
        ctx.response().putHeader("Vary", "Authorization, Accept");
        ctx.response()
                .putHeader(
                        "Cache-Control",
                        catalog.isPublic(l) ? "public, max-age=60" : "private, no-store");
    }

    private void answer(RoutingContext ctx, ObjectNode n, String title) {
        if (html(ctx)) {
            html(ctx, title, n);
            return;
        }
        ctx.response()
                .putHeader("Cache-Control", "public, max-age=300")
                .putHeader("Vary", "Accept");
        Responses.json(ctx, 200, n);
    }

    /** The simple HTML view: the same document, links made clickable, features as a table. */
    private static void html(RoutingContext ctx, String title, JsonNode doc) {
        StringBuilder h =
                new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
                        .append(XmlText.escape(title))
                        .append("</title></head><body><h1>")
                        .append(XmlText.escape(title))
                        .append("</h1>");
        if (doc.has("links")) {
            h.append("<ul>");
            for (JsonNode l : doc.get("links")) {
                h.append("<li><a href=\"")
                        .append(XmlText.escape(l.path("href").asText()))
                        .append("\" rel=\"")
                        .append(XmlText.escape(l.path("rel").asText()))
                        .append("\">")
                        .append(XmlText.escape(l.path("title").asText(l.path("rel").asText())))
                        .append("</a> (")
                        .append(XmlText.escape(l.path("rel").asText()))
                        .append(")</li>");
            }
            h.append("</ul>");
        }
        JsonNode feats =
                doc.has("features")
                        ? doc.get("features")
                        : doc.has("properties") ? Responses.JSON.createArrayNode().add(doc) : null;
        if (feats != null) {
            h.append("<table border=\"1\"><tr><th>id</th><th>properties</th></tr>");
            for (JsonNode f : feats) {
                h.append("<tr><td>")
                        .append(XmlText.escape(f.path("id").asText()))
                        .append("</td><td>")
                        .append(XmlText.escape(f.path("properties").toString()))
                        .append("</td></tr>");
            }
            h.append("</table>");
        } else if (doc.has("collections")) {
            h.append("<ul>");
            for (JsonNode c : doc.get("collections")) {
                h.append("<li><a href=\"")
                        .append(XmlText.escape(c.path("links").path(1).path("href").asText()))
                        .append("?f=html\">")
                        .append(XmlText.escape(c.path("title").asText()))
                        .append("</a></li>");
            }
            h.append("</ul>");
        } else {
            h.append("<pre>").append(XmlText.escape(doc.toPrettyString())).append("</pre>");
        }
        ctx.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .end(h.append("</body></html>").toString());
    }

    private static void link(ArrayNode links, String href, String rel, String type, String title) {
        links.addObject().put("href", href).put("rel", rel).put("type", type).put("title", title);
    }

    private static String linkJson(String href, String rel, String type, String title) {
        ObjectNode n =
                Responses.JSON
                        .createObjectNode()
                        .put("href", href)
                        .put("rel", rel)
                        .put("type", type)
                        .put("title", title);
        return n.toString();
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)
                        .toLowerCase(Locale.ROOT)
                        .equals(s)
                ? s
                : java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
