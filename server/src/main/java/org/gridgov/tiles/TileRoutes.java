package org.gridgov.tiles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.geo.TileScheme;
import org.gridgov.ogc.catalog.ClientText;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.LayerAccess;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.catalog.PublicAddress;
import org.gridgov.ogc.catalog.SubdistrictFilter;

/**
 * GET /tiles/{layer}/{z}/{x}/{y}.mvt: Mapbox vector tiles from PostGIS (ST_AsMVT) for the catalog
 * layers marked {@code tiles} — incidents at zoom 17 and below from the in-memory points ({@link
 * IncidentTiles}) — with ETags and an in-memory cache that drops a layer's tiles when a table it
 * reads changes (X-Cache: HIT or MISS tells which answered); GET /tiles/{layer}.json: the layer's
 * TileJSON. Same access rules as WMS/WFS. {@link OgcTilesRoutes} serves the same tiles under /ogc.
 */
public final class TileRoutes {

    private final LayerCatalog catalog;
    private final LayerAccess access;
    private final TileSource source;
    private final TileCache cache;
    private final IncidentTiles incidents;
    private final String publicUrl;

    public TileRoutes(
            LayerCatalog catalog,
            LayerAccess access,
            TileSource source,
            TileCache cache,
            IncidentTiles incidents,
            String publicUrl) {
        this.catalog = catalog;
        this.access = access;
        this.source = source;
        this.cache = cache;
        this.incidents = incidents;
        this.publicUrl = publicUrl;
    }

    public void mount(Router router) {
        router.get("/tiles/:layer/:z/:x/:y.mvt").handler(this::tile);
        router.get("/tiles/:layer.json").handler(this::tileJson);
    }

    private Layer layer(RoutingContext ctx) {
        String name = ctx.pathParam("layer");
        Layer l =
                catalog.find(name)
                        .filter(Layer::tiles)
                        .orElseThrow(
                                () ->
                                        new ProblemException(
                                                Problem.notFound(
                                                        "no tiled layer '"
                                                                + ClientText.shorten(name)
                                                                + "'")));
        access.requireVisible(ctx, l, "layer");
        return l;
    }

    private void tile(RoutingContext ctx) {
        long t0 = System.nanoTime();
        Layer l = layer(ctx);
        int z = TileScheme.pathCoordinate(ctx, "z", 0, TileScheme.MAX_ZOOM);
        int x = TileScheme.pathCoordinate(ctx, "x", 0, (1 << z) - 1);
        int y = TileScheme.pathCoordinate(ctx, "y", 0, (1 << z) - 1);
        serve(ctx, l, z, x, y, t0);
    }

    /**
     * Answers the tile of a layer the caller may see (checked by the caller), z/x/y valid: from the
     * cache, else built (in memory or by PostGIS) and cached.
     */
    void serve(RoutingContext ctx, Layer l, int z, int x, int y, long t0) {
        SubdistrictFilter sd = LayerAccess.subdistrict(ctx);
        // one subdistrict's tile is cached under a key of its own, never served to another
        String key =
                l.name()
                        + "/"
                        + z
                        + "/"
                        + x
                        + "/"
                        + y
                        + (sd.all() || !l.bySubdistrict()
                                ? ""
                                : TileCache.subdistrictSuffix(sd.id()));
        TileCache.Tile cached = cache.get(key);
        if (cached != null) {
            ctx.response().putHeader("X-Cache", "HIT");
            send(ctx, l, cached);
            return;
        }
        long version = cache.stamp();
        if (incidents.serves(l, z)) {
            Handlers.blocking(
                    ctx,
                    () -> {
                        long s0 = System.nanoTime();
                        byte[] b = incidents.tile(z, x, y, sd.id());
                        return new Built(b, s0, System.nanoTime());
                    },
                    (c, built) -> answer(c, l, key, version, built, t0, "mem"));
            return;
        }
        if (source.isReactive()) {
            long s0 = System.nanoTime();
            source.tileAsync(l, z, x, y, sd)
                    .onComplete(
                            ar -> {
                                if (ar.failed()) {
                                    ctx.fail(ar.cause());
                                    return;
                                }
                                answer(
                                        ctx,
                                        l,
                                        key,
                                        version,
                                        new Built(ar.result(), s0, System.nanoTime()),
                                        t0,
                                        "db");
                            });
            return;
        }
        Handlers.blocking(
                ctx,
                () -> {
                    long s0 = System.nanoTime();
                    byte[] b = source.tile(l, z, x, y, sd);
                    return new Built(b, s0, System.nanoTime());
                },
                (c, built) -> answer(c, l, key, version, built, t0, "db"));
    }

    private void answer(
            RoutingContext c,
            Layer l,
            String key,
            long version,
            Built built,
            long t0,
            String builder) {
        // Server-Timing (ms): building the tile (db: the query; mem: from the in-memory incident
        // points) and everything from routing to the answer, for the benchmark.
        c.response().putHeader("X-Cache", "MISS");
        c.response()
                .putHeader(
                        "Server-Timing",
                        String.format(
                                java.util.Locale.ROOT,
                                "%s;dur=%.2f, app;dur=%.2f",
                                builder,
                                (built.end - built.start) / 1e6,
                                (System.nanoTime() - t0) / 1e6));
        send(c, l, cache.put(l.name(), key, built.bytes, version));
    }

    private record Built(byte[] bytes, long start, long end) {}

    private void send(RoutingContext ctx, Layer l, TileCache.Tile t) {
        var resp = ctx.response();
        resp.putHeader("ETag", t.etag())
                .putHeader("Vary", "Authorization")
                .putHeader(
                        "Cache-Control",
                        catalog.isPublic(l)
                                ? "public, max-age=30, must-revalidate"
                                : "private, max-age=0, must-revalidate");
        String inm = ctx.request().getHeader("If-None-Match");
        if (inm != null && (inm.equals(t.etag()) || inm.equals("W/" + t.etag()))) {
            resp.setStatusCode(304).end();
            return;
        }
        resp.putHeader("Content-Type", "application/vnd.mapbox-vector-tile")
                .end(Buffer.buffer(t.bytes()));
    }

    private void tileJson(RoutingContext ctx) {
        Layer l = layer(ctx);
        ctx.response().putHeader("Cache-Control", "public, max-age=300");
        Responses.json(ctx, 200, tileJson(l, PublicAddress.of(ctx, publicUrl)));
    }

    /** The layer's TileJSON 3.0 document; base: the server's public address. */
    ObjectNode tileJson(Layer l, String base) {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("tilejson", "3.0.0");
        n.put("name", l.name());
        n.put("description", l.title());
        n.putArray("tiles").add(base + "/tiles/" + l.name() + "/{z}/{x}/{y}.mvt");
        n.put("minzoom", 0).put("maxzoom", TileScheme.MAX_ZOOM);
        ArrayNode bounds = n.putArray("bounds");
        for (double v : source.extent()) bounds.add(v);
        ObjectNode fields = Responses.JSON.createObjectNode();
        l.attributes()
                .forEach(
                        (k, t) ->
                                fields.put(
                                        k,
                                        t.equals("integer") || t.equals("real")
                                                ? "Number"
                                                : "String"));
        int cellsBelow =
                Math.max(
                        l.aggregateBelowZoom() == null ? 0 : l.aggregateBelowZoom(),
                        incidents.serves(l, 0) ? incidents.maxZoom() + 1 : 0);
        if (cellsBelow > 0) fields.put("count", "Number (cells below zoom " + cellsBelow + ")");
        n.putArray("vector_layers")
                .addObject()
                .put("id", l.name())
                .put("description", l.title())
                .set("fields", fields);
        return n;
    }
}
