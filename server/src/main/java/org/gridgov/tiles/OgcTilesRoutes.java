package org.gridgov.tiles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.geo.TileScheme;
import org.gridgov.ogc.catalog.ClientText;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.LayerAccess;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.catalog.PublicAddress;

/**
 * OGC API - Tiles (Part 1: core, tileset, tilesets-list, geodata-tilesets, mvt) at /ogc over the
 * vector tiles of {@link TileRoutes}: the tile matrix sets ({@code /ogc/tileMatrixSets}, only
 * WebMercatorQuad), each tiled collection's tileset list and tileset metadata, its tiles (the same
 * bytes, cache and ETags as /tiles/…) and a TileJSON 3.0 document for MapLibre and OpenLayers.
 * Collections the caller may not see answer 401/403, as their features do; errors are problem+json
 * like the rest of /ogc.
 */
public final class OgcTilesRoutes {

    static final String REL_TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme";
    private static final String MVT = "application/vnd.mapbox-vector-tile";

    private final LayerCatalog catalog;
    private final LayerAccess access;
    private final TileRoutes tiles;
    private final double[] extent;
    private final String publicUrl;

    public OgcTilesRoutes(
            LayerCatalog catalog,
            LayerAccess access,
            TileRoutes tiles,
            double[] extent,
            String publicUrl) {
        this.catalog = catalog;
        this.access = access;
        this.tiles = tiles;
        this.extent = extent;
        this.publicUrl = publicUrl;
    }

    public void mount(Router router) {
        router.get("/ogc/tileMatrixSets").handler(this::tileMatrixSets);
        router.get("/ogc/tileMatrixSets/:tileMatrixSetId").handler(this::tileMatrixSet);
        router.get("/ogc/collections/:collectionId/tiles").handler(this::tilesets);
        router.get("/ogc/collections/:collectionId/tiles/:tileMatrixSetId").handler(this::tileset);
        router.get("/ogc/collections/:collectionId/tiles/:tileMatrixSetId/tilejson")
                .handler(this::tileJson);
        router.get(
                        "/ogc/collections/:collectionId/tiles/:tileMatrixSetId/:tileMatrix/:tileRow/:tileCol")
                .handler(this::tile);
    }

    private String base(RoutingContext ctx) {
        return PublicAddress.of(ctx, publicUrl) + "/ogc";
    }

    private void tileMatrixSets(RoutingContext ctx) {
        String b = base(ctx);
        ObjectNode n = Responses.JSON.createObjectNode();
        link(n.putArray("links"), b + "/tileMatrixSets", "self", "application/json", "these");
        ObjectNode s = n.putArray("tileMatrixSets").addObject();
        s.put("id", WebMercatorQuad.ID);
        s.put("title", "Google Maps Compatible for the World");
        s.put("uri", WebMercatorQuad.URI);
        s.put("crs", WebMercatorQuad.CRS);
        link(
                s.putArray("links"),
                b + "/tileMatrixSets/" + WebMercatorQuad.ID,
                "self",
                "application/json",
                "the definition");
        answer(ctx, n, true);
    }

    private void tileMatrixSet(RoutingContext ctx) {
        requireTileMatrixSet(ctx);
        ObjectNode n = WebMercatorQuad.definition();
        link(
                n.putArray("links"),
                base(ctx) + "/tileMatrixSets/" + WebMercatorQuad.ID,
                "self",
                "application/json",
                "this definition");
        answer(ctx, n, true);
    }

    /** A collection the caller may see that has tiles; 404 (or 401/403) otherwise. */
    private Layer tiledCollection(RoutingContext ctx) {
        Layer l = access.visibleCollection(ctx, ctx.pathParam("collectionId"));
        if (!l.tiles())
            throw new ProblemException(
                    Problem.notFound("collection '" + l.name() + "' has no tiles"));
        return l;
    }

    private static void requireTileMatrixSet(RoutingContext ctx) {
        String id = ctx.pathParam("tileMatrixSetId");
        if (!WebMercatorQuad.ID.equals(id))
            throw new ProblemException(
                    Problem.notFound(
                            "no tile matrix set '"
                                    + ClientText.shorten(id)
                                    + "': "
                                    + WebMercatorQuad.ID
                                    + " is offered"));
    }

    private void tilesets(RoutingContext ctx) {
        Layer l = tiledCollection(ctx);
        String b = base(ctx), here = b + "/collections/" + l.name() + "/tiles";
        ObjectNode n = Responses.JSON.createObjectNode();
        link(n.putArray("links"), here, "self", "application/json", "tilesets of " + l.name());
        ObjectNode t = n.putArray("tilesets").addObject();
        t.put("title", l.title());
        t.put("dataType", "vector");
        t.put("crs", WebMercatorQuad.CRS);
        t.put("tileMatrixSetURI", WebMercatorQuad.URI);
        ArrayNode links = t.putArray("links");
        link(links, here + "/" + WebMercatorQuad.ID, "self", "application/json", "the tileset");
        link(
                links,
                b + "/tileMatrixSets/" + WebMercatorQuad.ID,
                REL_TILING_SCHEME,
                "application/json",
                WebMercatorQuad.ID);
        answer(ctx, n, catalog.isPublic(l));
    }

    private void tileset(RoutingContext ctx) {
        Layer l = tiledCollection(ctx);
        requireTileMatrixSet(ctx);
        String b = base(ctx),
                here = b + "/collections/" + l.name() + "/tiles/" + WebMercatorQuad.ID;
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("title", l.title());
        if (l.describedAbstract() != null) n.put("description", l.describedAbstract());
        n.put("dataType", "vector");
        n.put("crs", WebMercatorQuad.CRS);
        n.put("tileMatrixSetURI", WebMercatorQuad.URI);
        n.set("tileMatrixSetLimits", WebMercatorQuad.limits(extent, TileScheme.MAX_ZOOM));
        ObjectNode box = n.putObject("boundingBox");
        box.putArray("lowerLeft").add(extent[0]).add(extent[1]);
        box.putArray("upperRight").add(extent[2]).add(extent[3]);
        box.put("crs", "http://www.opengis.net/def/crs/OGC/1.3/CRS84");
        ObjectNode layer = n.putArray("layers").addObject();
        layer.put("id", l.name());
        layer.put("title", l.title());
        layer.put("dataType", "vector");
        layer.put("geometryDimension", dimension(l.geometry()));
        layer.put("minTileMatrix", "0");
        layer.put("maxTileMatrix", String.valueOf(TileScheme.MAX_ZOOM));
        ObjectNode props =
                layer.putObject("propertiesSchema").put("type", "object").putObject("properties");
        l.attributes()
                .forEach(
                        (k, type) ->
                                props.putObject(k)
                                        .put(
                                                "type",
                                                type.equals("integer")
                                                        ? "integer"
                                                        : type.equals("real")
                                                                ? "number"
                                                                : "string"));
        if (l.aggregateBelowZoom() != null)
            props.putObject("count")
                    .put("type", "integer")
                    .put("description", "incidents in the cell (cells at the lower zooms)");
        ArrayNode links = n.putArray("links");
        link(links, here, "self", "application/json", "this tileset");
        link(
                links,
                b + "/tileMatrixSets/" + WebMercatorQuad.ID,
                REL_TILING_SCHEME,
                "application/json",
                WebMercatorQuad.ID);
        link(links, b + "/collections/" + l.name(), "collection", "application/json", l.title());
        link(links, here + "/tilejson", "alternate", "application/json", "TileJSON 3.0");
        link(links, here + "/{tileMatrix}/{tileRow}/{tileCol}", "item", MVT, "vector tiles")
                .put("templated", true);
        answer(ctx, n, catalog.isPublic(l));
    }

    private void tileJson(RoutingContext ctx) {
        Layer l = tiledCollection(ctx);
        requireTileMatrixSet(ctx);
        answer(ctx, tiles.tileJson(l, PublicAddress.of(ctx, publicUrl)), catalog.isPublic(l));
    }

    private void tile(RoutingContext ctx) {
        long t0 = System.nanoTime();
        Layer l = tiledCollection(ctx);
        requireTileMatrixSet(ctx);
        int z = coordinate(ctx, "tileMatrix", 0, TileScheme.MAX_ZOOM);
        int y = coordinate(ctx, "tileRow", TileScheme.y(z, extent[3]), TileScheme.y(z, extent[1]));
        int x = coordinate(ctx, "tileCol", TileScheme.x(z, extent[0]), TileScheme.x(z, extent[2]));
        tiles.serve(ctx, l, z, x, y, t0);
    }

    /**
     * A tile matrix, row or column within the tileset's limits: not a whole number is 400, outside
     * the limits 404 (OGC API - Tiles: no such tile).
     */
    private static int coordinate(RoutingContext ctx, String name, int min, int max) {
        String v = ctx.pathParam(name);
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ProblemException(
                    Problem.of(
                            400,
                            "invalid-tile",
                            "No such tile",
                            name + " must be a whole number",
                            name));
        }
        if (n < min || n > max)
            throw new ProblemException(
                    Problem.of(
                            404,
                            "not-found",
                            "No such tile",
                            name
                                    + " "
                                    + n
                                    + " is outside this tileset's limits ("
                                    + min
                                    + " to "
                                    + max
                                    + ")",
                            name));
        return n;
    }

    private static int dimension(String geometry) {
        return switch (geometry == null ? "" : geometry) {
            case "POINT", "MULTIPOINT" -> 0;
            case "LINESTRING", "MULTILINESTRING", "LINE" -> 1;
            default -> 2;
        };
    }

    private static void answer(RoutingContext ctx, ObjectNode n, boolean publicData) {
        ctx.response()
                .putHeader(
                        "Cache-Control", publicData ? "public, max-age=300" : "private, no-store")
                .putHeader("Vary", "Authorization");
        Responses.json(ctx, 200, n);
    }

    private static ObjectNode link(
            ArrayNode links, String href, String rel, String type, String title) {
        return links.addObject()
                .put("href", href)
                .put("rel", rel)
                .put("type", type)
                .put("title", title);
    }
}
