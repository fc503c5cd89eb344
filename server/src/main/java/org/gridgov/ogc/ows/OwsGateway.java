package org.gridgov.ogc.ows;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.gridgov.ogc.catalog.ClientText;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.LayerAccess;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.catalog.OgcSettings;
import org.gridgov.ogc.catalog.PublicAddress;
import org.gridgov.ogc.catalog.SubdistrictFilter;
import org.gridgov.ogc.catalog.TimeExtent;
import org.gridgov.ogc.features.FeatureSource;
import org.gridgov.ogc.features.TimeExtents;
import org.gridgov.ogc.heatmap.HeatmapRenderer;
import org.gridgov.ogc.mapserver.MapServerAnswer;
import org.gridgov.ogc.mapserver.MapServerTransport;
import org.gridgov.ogc.mapserver.Mapfile;
import org.gridgov.people.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * GET|POST /ows: the gateway in front of MapServer. Every request is parsed and validated
 * (OwsRequest), checked against the caller's rights (LayerAccess), then either answered by gridgov
 * itself (JSON feature info, the heatmap) or sent to a MapServer worker. Answers are streamed back;
 * service addresses in XML are rewritten to gridgov's public one; every error is an OGC exception
 * report, and a MapServer that is down or slow gives 503, never a hang.
 */
public final class OwsGateway {

    private static final Logger log = LoggerFactory.getLogger(OwsGateway.class);

    private final LayerCatalog catalog;
    private final LayerAccess access;
    private final FeatureSource features;
    private final HeatmapRenderer heatmap;
    private final Predicate<String> knownCategory;
    private final OgcSettings settings;
    private final LegendSizes legends;
    private final TimeExtents timeExtents;
    private final WfsTransaction.Editor editor;
    private MapServerTransport transport;

    public OwsGateway(
            LayerCatalog catalog,
            LayerAccess access,
            FeatureSource features,
            HeatmapRenderer heatmap,
            Predicate<String> knownCategory,
            OgcSettings settings,
            TimeExtents timeExtents,
            WfsTransaction.Editor editor) {
        this.catalog = catalog;
        this.access = access;
        this.features = features;
        this.heatmap = heatmap;
        this.knownCategory = knownCategory;
        this.settings = settings;
        this.legends = new LegendSizes(catalog);
        this.timeExtents = timeExtents;
        this.editor = editor;
    }

    public void mount(Router router, MapServerTransport transport) {
        this.transport = transport;
        router.get("/ows").handler(this::handle);
        router.post("/ows").handler(this::handle);
    }

    /** Largest POST body: KVP with a 64 KB FILTER/SLD_BODY, or an XML request. */
    static final int MAX_POST = 256 * 1024;

    private void handle(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.POST) {
            process(ctx, ctx.queryParams());
            return;
        }
        String type = ctx.request().getHeader("Content-Type");
        String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
        boolean form = lower.startsWith("application/x-www-form-urlencoded");
        boolean xml =
                lower.startsWith("text/xml")
                        || lower.startsWith("application/xml")
                        || lower.matches("^application/[a-z.+-]*\\+xml.*");
        // Errors before the service is known: a WFS report for XML (the only XML POST offered),
        // else WMS.
        String dialect = xml ? "WFS" : "WMS";
        if (!form && !xml) {
            ctx.request().resume();
            Ows.sendException(
                    ctx.response(),
                    dialect,
                    null,
                    new OwsException(
                            400,
                            "InvalidParameterValue",
                            "Content-Type",
                            "POST bodies are application/x-www-form-urlencoded key-value pairs or text/xml WFS requests, not '"
                                    + ClientText.shorten(type)
                                    + "'"));
            return;
        }
        readBody(ctx)
                .onComplete(
                        ar -> {
                            if (ar.failed()) {
                                OwsException e =
                                        ar.cause() instanceof OwsException oe
                                                ? oe
                                                : new OwsException(
                                                        400,
                                                        "NoApplicableCode",
                                                        null,
                                                        "the request body could not be read");
                                ctx.response().putHeader("Connection", "close");
                                Ows.sendException(ctx.response(), dialect, null, e);
                                return;
                            }
                            String body = ar.result().toString(StandardCharsets.UTF_8);
                            MultiMap params;
                            if (form) {
                                params = MultiMap.caseInsensitiveMultiMap();
                                try {
                                    new QueryStringDecoder(body, StandardCharsets.UTF_8, false)
                                            .parameters()
                                            .forEach(params::add);
                                } catch (IllegalArgumentException e) {
                                    // a bad %-escape: thrown here, in a completion handler, it left
                                    // the request unanswered
                                    Ows.sendException(
                                            ctx.response(),
                                            dialect,
                                            null,
                                            new OwsException(
                                                    400,
                                                    "InvalidParameterValue",
                                                    "body",
                                                    "the form body is not valid application/x-www-form-urlencoded: "
                                                            + ClientText.shorten(
                                                                    String.valueOf(
                                                                            e.getMessage()))));
                                    return;
                                }
                            } else {
                                try {
                                    Element root =
                                            OwsXml.parse(body, "request body").getDocumentElement();
                                    if (editor != null && WfsTransaction.is(root)) {
                                        transaction(ctx, root);
                                        return;
                                    }
                                    params = OwsXml.toKvp(root);
                                } catch (OwsException e) {
                                    Ows.sendException(ctx.response(), dialect, null, e);
                                    return;
                                }
                            }
                            process(ctx, params);
                        });
    }

    /**
     * The body, at most MAX_POST bytes (413 with an OGC exception beyond, without reading the
     * rest).
     */
    private static Future<Buffer> readBody(RoutingContext ctx) {
        var req = ctx.request();
        String length = req.getHeader("Content-Length");
        OwsException tooLarge =
                new OwsException(
                        413,
                        "NoApplicableCode",
                        "body",
                        "the request body exceeds " + MAX_POST + " bytes");
        try {
            if (length != null && Long.parseLong(length.trim()) > MAX_POST)
                return Future.failedFuture(tooLarge);
        } catch (NumberFormatException e) {
            return Future.failedFuture(
                    new OwsException(
                            400, "NoApplicableCode", "Content-Length", "bad Content-Length"));
        }
        Promise<Buffer> p = Promise.promise();
        Buffer all = Buffer.buffer();
        req.handler(
                chunk -> {
                    if (all.length() + chunk.length() > MAX_POST) {
                        req.pause();
                        p.tryFail(tooLarge);
                    } else {
                        all.appendBuffer(chunk);
                    }
                });
        req.exceptionHandler(p::tryFail);
        req.endHandler(v -> p.tryComplete(all));
        req.resume();
        return p.future();
    }

    private void process(RoutingContext ctx, MultiMap params) {
        OwsRequest r = null;
        ExceptionImage picture = ExceptionImage.requested(params);
        if (picture != null) ctx.put(EXCEPTION_IMAGE, picture);
        try {
            r =
                    OwsRequest.parse(
                            params,
                            catalog,
                            settings.planarSrid(),
                            knownCategory,
                            l -> access.maySee(ctx, l),
                            timeExtents::of);
            requireAccess(ctx, r.layers());
            ctx.put(SUBDISTRICT, subdistrict(ctx, params));
            if (r instanceof WmsRequest w && w.jsonFeatureInfo()) {
                jsonFeatureInfo(ctx, w);
            } else if (heatmap != null && r instanceof WmsRequest w && w.drawsHeatmapOnly()) {
                renderHeatmap(ctx, w);
            } else {
                forward(ctx, r);
            }
        } catch (OwsException e) {
            exception(ctx, r, params, e);
        }
    }

    /** Where the request's subdistrict filter is kept (set once access is checked). */
    private static final String SUBDISTRICT = "ows.subdistrict";

    /**
     * The subdistrict the request's per-subdistrict layers are narrowed to: the vendor parameter
     * subdistrict (any case; in the body or, for XML POST, the address) within the caller's scope
     * (SubdistrictFilter).
     */
    private static SubdistrictFilter subdistrict(RoutingContext ctx, MultiMap params) {
        List<String> asked = new ArrayList<>();
        for (var e : params.entries())
            if (e.getKey().equalsIgnoreCase(SubdistrictFilter.PARAMETER)) asked.add(e.getValue());
        if (asked.isEmpty())
            for (var e : ctx.queryParams().entries())
                if (e.getKey().equalsIgnoreCase(SubdistrictFilter.PARAMETER))
                    asked.add(e.getValue());
        if (asked.size() > 1)
            throw OwsException.invalid(
                    SubdistrictFilter.PARAMETER, "subdistrict may be given once");
        try {
            return SubdistrictFilter.of(ctx, asked.isEmpty() ? null : asked.get(0));
        } catch (SubdistrictFilter.Refused e) {
            throw e.status() == 400
                    ? OwsException.invalid(SubdistrictFilter.PARAMETER, e.getMessage())
                    : new OwsException(
                            403, "NoApplicableCode", SubdistrictFilter.PARAMETER, e.getMessage());
        }
    }

    /** The request's subdistrict filter (read in process, before anything is answered). */
    private static SubdistrictFilter subdistrictOf(RoutingContext ctx) {
        SubdistrictFilter f = ctx.get(SUBDISTRICT);
        if (f == null) throw new IllegalStateException("the subdistrict filter was not read");
        return f;
    }

    /**
     * Throws the OGC exception a client gets for a layer it may not see: 401 anonymous, 403
     * otherwise.
     */
    private void requireAccess(RoutingContext ctx, Collection<Layer> layers) {
        for (Layer l : layers) {
            if (access.maySee(ctx, l)) continue;
            if (!LayerAccess.authenticated(ctx))
                throw new OwsException(
                        401,
                        "NoApplicableCode",
                        l.name(),
                        "layer " + l.name() + " needs authentication (Bearer token)");
            throw new OwsException(
                    403,
                    "NoApplicableCode",
                    l.name(),
                    "your roles do not include layer " + l.name());
        }
    }

    private void exception(RoutingContext ctx, OwsRequest r, MultiMap params, OwsException e) {
        String service =
                r != null
                        ? r.service()
                        : params.get("SERVICE") == null
                                ? null
                                : params.get("SERVICE").toUpperCase(Locale.ROOT);
        String version = r != null ? r.version() : params.get("VERSION");
        if (version == null && params.get("version") != null) version = params.get("version");
        ctx.response().putHeader("Vary", "Authorization");
        sendException(ctx, "WFS".equals(service) ? "WFS" : "WMS", version, e);
    }

    /** Where a GetMap's EXCEPTIONS=INIMAGE/BLANK picture is kept for the request. */
    private static final String EXCEPTION_IMAGE = "ows.exceptionImage";

    /**
     * Answers an exception: a picture when the GetMap asked for INIMAGE or BLANK, else the XML
     * report. Pictures are 200, as MapServer's and GeoServer's, except a 401 (the client must see
     * the challenge) and 5xx (a retry).
     */
    private void sendException(RoutingContext ctx, String service, String version, OwsException e) {
        ExceptionImage picture = ctx.get(EXCEPTION_IMAGE);
        HttpServerResponse out = ctx.response();
        if (picture == null || out.ended()) {
            Ows.sendException(out, service, version, e);
            return;
        }
        ctx.vertx()
                .executeBlocking(() -> picture.draw(e.getMessage()), false)
                .onComplete(
                        ar -> {
                            if (out.ended() || out.closed()) return;
                            if (ar.failed()) {
                                log.warn("exception picture failed: {}", ar.cause().toString());
                                Ows.sendException(out, service, version, e);
                                return;
                            }
                            int status = e.status() == 401 || e.status() >= 500 ? e.status() : 200;
                            out.setStatusCode(status)
                                    .putHeader("Content-Type", picture.contentType())
                                    .putHeader("Cache-Control", "no-store");
                            if (status == 401) {
                                out.headers().add("WWW-Authenticate", "Bearer");
                                out.headers().add("WWW-Authenticate", "Basic realm=\"gridgov\"");
                            }
                            if (status == 503) out.putHeader("Retry-After", "2");
                            out.end(Buffer.buffer(ar.result()));
                        });
    }

    /**
     * A WFS-T Transaction on the grids of the draft named by the vendor parameter plan
     * (docs/ogc.md, "Editing grids (WFS-T)"): planners only; carried out by the plan editor, all or
     * nothing.
     */
    private void transaction(RoutingContext ctx, Element root) {
        String version = WfsTransaction.v2(root) ? "2.0.0" : "1.1.0";
        HttpServerResponse out = ctx.response();
        out.putHeader("Vary", "Authorization");
        try {
            requireAccess(ctx, List.of(catalog.find(WfsTransaction.GRIDS).orElseThrow()));
            if (!LayerAccess.authenticated(ctx))
                throw new OwsException(
                        401,
                        "NoApplicableCode",
                        "Transaction",
                        "editing grids needs a planner's account (HTTP Basic or a Bearer token)");
            if (!planner(ctx))
                throw new OwsException(
                        403,
                        "NoApplicableCode",
                        "Transaction",
                        "editing grids needs the PLANNER role");
            WfsTransaction t = WfsTransaction.read(root, settings.planarSrid());
            String plan = planParameter(ctx);
            ctx.vertx()
                    .executeBlocking(() -> editor.apply(plan, t), false)
                    .onComplete(
                            ar -> {
                                if (out.ended() || out.closed()) return;
                                if (ar.failed()) {
                                    OwsException e =
                                            ar.cause() instanceof OwsException oe
                                                    ? oe
                                                    : failed(ar.cause());
                                    Ows.sendException(out, "WFS", version, e);
                                    return;
                                }
                                out.setStatusCode(200)
                                        .putHeader("Content-Type", "text/xml; charset=UTF-8")
                                        .putHeader("Cache-Control", "no-store")
                                        .end(t.response(ar.result()));
                            });
        } catch (OwsException e) {
            Ows.sendException(out, "WFS", version, e);
        }
    }

    private static OwsException failed(Throwable cause) {
        log.warn("WFS transaction failed: {}", cause.toString());
        return new OwsException(500, "NoApplicableCode", null, "the transaction failed");
    }

    private static boolean planner(RoutingContext ctx) {
        var roles = LayerAccess.roles(ctx);
        return Role.PLANNERS.stream().anyMatch(r -> roles.contains(r.name()));
    }

    /** The vendor parameter plan of the address (any case of its name), or null. */
    private static String planParameter(RoutingContext ctx) {
        for (var e : ctx.queryParams().entries())
            if (e.getKey().equalsIgnoreCase("plan")) return e.getValue();
        return null;
    }

    /**
     * WFS capabilities for a planner, offering Transaction at an address that keeps the plan the
     * capabilities were asked for (WfsTransaction.advertise).
     */
    private void wfsCapabilities(
            RoutingContext ctx, MapServerAnswer resp, String publicBase, OwsRequest r) {
        HttpServerResponse out = ctx.response();
        boolean v11 = r.version() != null && r.version().startsWith("1.1");
        String plan = planParameter(ctx);
        String href =
                publicBase
                        + "/ows?"
                        + (plan != null && plan.matches("[0-9]{1,12}") ? "plan=" + plan + "&" : "");
        endWhole(out, resp.collect(), publicBase, xml -> WfsTransaction.advertise(xml, href, v11));
    }

    /**
     * Ends out with a capabilities document read whole: MapServer's address replaced by gridgov's,
     * then edit applied. A failed read resets the answer (its headers are already sent).
     */
    private static void endWhole(
            HttpServerResponse out,
            Future<Buffer> body,
            String publicBase,
            UnaryOperator<String> edit) {
        body.onComplete(
                ar -> {
                    if (out.closed() || out.ended()) return;
                    if (ar.failed()) {
                        out.reset();
                        return;
                    }
                    String xml =
                            ar.result()
                                    .toString(StandardCharsets.UTF_8)
                                    .replace(Mapfile.ONLINE_RESOURCE, publicBase + "/ows?");
                    out.end(edit.apply(xml));
                });
    }

    private void jsonFeatureInfo(RoutingContext ctx, WmsRequest r) {
        WmsRequest.Bbox en = r.eastNorth();
        boolean v13 = r.version() == null || r.version().equals("1.3.0");
        int i = Integer.parseInt(r.forward().get(v13 ? "I" : "X")),
                j = Integer.parseInt(r.forward().get(v13 ? "J" : "Y"));
        double px = (en.c() - en.a()) / r.width(), py = (en.d() - en.b()) / r.height();
        double x = en.a() + (i + 0.5) * px, y = en.d() - (j + 0.5) * py;
        int srid = r.crs() == 84 ? 4326 : r.crs();
        long plan = r.forward().containsKey("plan") ? Long.parseLong(r.forward().get("plan")) : 0;
        int max =
                r.forward().containsKey("FEATURE_COUNT")
                        ? Integer.parseInt(r.forward().get("FEATURE_COUNT"))
                        : 1;
        List<Layer> query =
                r.forward()
                        .get("QUERY_LAYERS")
                        .lines()
                        .flatMap(s -> List.of(s.split(",")).stream())
                        .map(n -> catalog.find(n).orElseThrow())
                        .toList();
        answerBlocking(
                ctx,
                r,
                "application/json",
                "feature info",
                () ->
                        features.near(
                                query,
                                plan,
                                subdistrictOf(ctx),
                                r.time(),
                                srid,
                                x,
                                y,
                                Math.max(px, py),
                                max));
    }

    private void renderHeatmap(RoutingContext ctx, WmsRequest r) {
        answerBlocking(
                ctx,
                r,
                r.forward().get("FORMAT"),
                "heatmap rendering",
                () ->
                        heatmap.render(
                                r.heatmapView(),
                                !LayerAccess.authenticated(ctx),
                                subdistrictOf(ctx).id()));
    }

    /**
     * Runs work that answers a WMS request itself (off the event loop) and sends its bytes; a
     * failure is logged and answered as a 500 OWS exception naming what failed.
     */
    private void answerBlocking(
            RoutingContext ctx,
            WmsRequest r,
            String contentType,
            String what,
            Callable<byte[]> work) {
        ctx.vertx()
                .executeBlocking(work, false)
                .onComplete(
                        ar -> {
                            if (ar.failed()) {
                                log.warn("{} failed: {}", what, ar.cause().getMessage());
                                sendException(
                                        ctx,
                                        "WMS",
                                        r.version(),
                                        new OwsException(
                                                500, "NoApplicableCode", null, what + " failed"));
                                return;
                            }
                            cache(ctx, r);
                            ctx.response()
                                    .putHeader("Content-Type", contentType)
                                    .end(Buffer.buffer(ar.result()));
                        });
    }

    private void forward(RoutingContext ctx, OwsRequest r) {
        StringBuilder body = new StringBuilder("map=").append(access.mapName(ctx));
        for (Map.Entry<String, String> e : r.forward().entrySet()) {
            body.append('&')
                    .append(e.getKey())
                    .append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        // the gateway's own: forward() holds validated parameters only, never a client's of this
        // name
        body.append('&')
                .append(SubdistrictFilter.MAPSERVER)
                .append('=')
                .append(subdistrictOf(ctx).id());
        String publicBase = publicBase(ctx);
        transport
                .send(body.toString())
                .onSuccess(resp -> relay(ctx, r, resp, publicBase))
                .onFailure(
                        e -> {
                            log.warn("MapServer request failed: {}", e.toString());
                            sendException(
                                    ctx,
                                    r.service(),
                                    r.version(),
                                    OwsException.unavailable(
                                            "the map server is unavailable or timed out; retry shortly"));
                        });
    }

    private void relay(RoutingContext ctx, OwsRequest r, MapServerAnswer resp, String publicBase) {
        HttpServerResponse out = ctx.response();
        final String type =
                resp.header("Content-Type") == null
                        ? "application/octet-stream"
                        : resp.header("Content-Type");
        String lower = type.toLowerCase(Locale.ROOT);
        boolean image = lower.startsWith("image/");
        boolean expectsImage =
                r.request().equals("GetMap") || r.request().equals("GetLegendGraphic");
        boolean expectsHtml =
                r.request().equals("GetFeatureInfo")
                        && "text/html".equals(r.forward().get("INFO_FORMAT"));
        if (resp.status() >= 500) {
            resp.collect(); // drain
            sendException(
                    ctx,
                    r.service(),
                    r.version(),
                    OwsException.unavailable(
                            "the map server failed (" + resp.status() + "); retry shortly"));
            return;
        }
        if ((expectsImage && !image) || (lower.startsWith("text/html") && !expectsHtml)) {
            // An exception report (or MapServer's HTML error page) where a picture was due.
            resp.collect()
                    .onComplete(
                            ar -> {
                                String text =
                                        ar.succeeded()
                                                ? ar.result().toString(StandardCharsets.UTF_8)
                                                : "";
                                if (text.contains("ServiceException")
                                        || text.contains("ExceptionReport")) {
                                    boolean client =
                                            text.matches(
                                                    "(?s).*(code|exceptionCode)=\"(?!NoApplicableCode)[A-Za-z]+\".*");
                                    out.setStatusCode(client ? 400 : 500)
                                            .putHeader("Content-Type", type)
                                            .putHeader("Cache-Control", "no-store")
                                            .end(
                                                    text.replace(
                                                            Mapfile.ONLINE_RESOURCE,
                                                            publicBase + "/ows?"));
                                } else {
                                    log.warn(
                                            "MapServer answered {} with {}: {}",
                                            r.request(),
                                            type,
                                            ClientText.shorten(text.replaceAll("\\s+", " ")));
                                    sendException(
                                            ctx,
                                            r.service(),
                                            r.version(),
                                            new OwsException(
                                                    500,
                                                    "NoApplicableCode",
                                                    null,
                                                    "the map server could not process the request"));
                                }
                            });
            return;
        }
        out.setStatusCode(resp.status());
        boolean geojson = r instanceof WfsRequest w && w.geoJson();
        out.putHeader("Content-Type", geojson ? "application/json; charset=utf-8" : type);
        String disposition = resp.header("Content-Disposition");
        if (disposition != null) out.putHeader("Content-Disposition", disposition);
        cache(ctx, r);
        if (editor != null
                && !image
                && r.service().equals("WFS")
                && r.request().equals("GetCapabilities")
                && planner(ctx)) {
            wfsCapabilities(ctx, resp, publicBase, r);
            return;
        }
        if (!image && r.service().equals("WMS") && r.request().equals("GetCapabilities")) {
            wmsCapabilities(ctx, resp, publicBase);
            return;
        }
        // A picture is relayed byte for byte: keep MapServer's length (clients show progress, and
        // no chunk framing is spent); rewritten text changes length, so it goes chunked.
        String length = image ? resp.header("Content-Length") : null;
        if (length != null && length.chars().allMatch(Character::isDigit) && !length.isEmpty())
            out.putHeader("Content-Length", length);
        else out.setChunked(true);
        if (image) {
            relayBody(resp.body(), out, buf -> buf, Buffer::buffer);
            return;
        }
        // Text: replace MapServer's placeholder address with gridgov's public /ows address,
        // streaming.
        UrlRewriter rewriter = new UrlRewriter(Mapfile.ONLINE_RESOURCE, publicBase + "/ows?");
        // MapServer lists text/plain feature info; gridgov offers JSON in its place (answered
        // here).
        UrlRewriter formats =
                new UrlRewriter(
                        r.service().equals("WMS") && r.request().equals("GetCapabilities")
                                ? "<Format>text/plain</Format>"
                                : "\u0000never",
                        "<Format>application/json</Format>");
        // GeoJSON in a requested CRS names it (docs/ogc.md)
        GeoJsonCrs crs = new GeoJsonCrs(r instanceof WfsRequest w ? w.geoJsonCrs() : null);
        relayBody(
                resp.body(),
                out,
                buf -> crs.apply(formats.apply(rewriter.apply(buf))),
                () ->
                        crs.apply(formats.apply(rewriter.finish()).appendBuffer(formats.finish()))
                                .appendBuffer(crs.finish()));
    }

    /**
     * WMS capabilities (tens of KB), rewritten whole: gridgov's address, JSON feature info, and
     * each LegendURL at the size GetLegendGraphic serves (LegendSizes).
     */
    private void wmsCapabilities(RoutingContext ctx, MapServerAnswer resp, String publicBase) {
        HttpServerResponse out = ctx.response();
        Future<Buffer> measured =
                resp.collect()
                        .compose(
                                body ->
                                        legends.measure(transport)
                                                .recover(
                                                        e -> {
                                                            log.warn(
                                                                    "legend sizes: {}",
                                                                    e.toString());
                                                            return Future.succeededFuture();
                                                        })
                                                .map(v -> body));
        endWhole(
                out,
                measured,
                publicBase,
                xml ->
                        timeDimensions(
                                legends.rewrite(
                                        xml.replace(
                                                "<Format>text/plain</Format>",
                                                "<Format>application/json</Format>"))));
    }

    /** The time dimensions' extent and default of the moment in place of the mapfile's. */
    private String timeDimensions(String capabilities) {
        for (Layer l : catalog.all()) {
            if (l.time() == null) continue;
            TimeExtent t = timeExtents.of(l);
            return capabilities
                    .replace(Mapfile.TIME_EXTENT, t.extent())
                    .replace(Mapfile.TIME_DEFAULT, t.defaultValue());
        }
        return capabilities;
    }

    /**
     * Streams MapServer's body to the client with back-pressure. A client that leaves mid-answer (a
     * map panned away, a timed-out tile) must not fail the gateway: from then on the rest of the
     * body is read and dropped, so the backend connection goes back to the pool instead of waiting,
     * paused, for a drain that will never come.
     */
    private static void relayBody(
            ReadStream<Buffer> body,
            HttpServerResponse out,
            java.util.function.UnaryOperator<Buffer> map,
            java.util.function.Supplier<Buffer> tail) {
        out.closeHandler(v -> body.resume());
        body.exceptionHandler(
                e -> {
                    if (!out.closed() && !out.ended()) out.reset();
                });
        body.handler(
                buf -> {
                    if (out.closed() || out.ended()) return;
                    out.write(map.apply(buf));
                    if (out.writeQueueFull()) {
                        body.pause();
                        out.drainHandler(v -> body.resume());
                    }
                });
        body.endHandler(
                v -> {
                    if (!out.closed() && !out.ended()) out.end(tail.get());
                });
    }

    private void cache(RoutingContext ctx, OwsRequest r) {
        HttpServerResponse out = ctx.response();
        out.putHeader("Vary", "Authorization");
        boolean allPublic =
                r.layers().stream().allMatch(catalog::isPublic) && access.publicOnly(ctx);
        boolean metadata =
                r.request().equals("GetCapabilities")
                        || r.request().equals("DescribeFeatureType")
                        || r.request().equals("GetStyles")
                        || r.request().equals("GetLegendGraphic")
                        || r.request().equals("DescribeLayer");
        if (metadata)
            out.putHeader("Cache-Control", (allPublic ? "public" : "private") + ", max-age=300");
        else if (allPublic) out.putHeader("Cache-Control", "public, max-age=60");
        else out.putHeader("Cache-Control", "private, no-store");
    }

    private String publicBase(RoutingContext ctx) {
        return PublicAddress.of(ctx, settings.publicUrl());
    }
}
