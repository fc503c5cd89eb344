package org.gridgov.analytics;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.geo.TileScheme;
import org.locationtech.jts.io.WKBWriter;

/**
 * GET /tiles/bins/{z}/{x}/{y}.mvt: the bins of /api/v1/analytics/bins as vector tiles for the map,
 * counted from the in-memory incident points with the same filters. The cell size follows the zoom
 * (about 32 cells across a tile, 25 m to 5 km) unless {@code size} is given; PostGIS encodes the
 * tile (ST_AsMVT), as for every other tiled layer. Without a token: the public resolution ({@link
 * PublicResolution}); for everyone at most {@link #MAX_TILE_CELLS} cells a tile.
 */
public final class BinTiles {

    private static final double EARTH = 40_075_016.686;

    /**
     * Cells a tile may cut its square into (128 × 128; about 32 × 32 by default): beyond, 400
     * naming size.
     */
    static final int MAX_TILE_CELLS = 16_384;

    private final AnalyticsQueries queries;
    private final IncidentPoints points;
    private final CategoryCatalog catalog;
    private final Clock clock;

    public BinTiles(
            AnalyticsQueries queries, IncidentPoints points, CategoryCatalog catalog, Clock clock) {
        this.queries = queries;
        this.points = points;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** Mount before the generic /tiles/:layer route. */
    public void mount(Router router) {
        router.get("/tiles/bins/:z/:x/:y.mvt").handler(this::tile);
    }

    private void tile(RoutingContext ctx) {
        int z = TileScheme.pathCoordinate(ctx, "z", 0, TileScheme.MAX_ZOOM), max = (1 << z) - 1;
        int x = TileScheme.pathCoordinate(ctx, "x", 0, max),
                y = TileScheme.pathCoordinate(ctx, "y", 0, max);
        double west = lon(x, z), east = lon(x + 1, z), north = lat(y, z), south = lat(y + 1, z);
        double across = EARTH * Math.cos(Math.toRadians((north + south) / 2)) / (1 << z);
        AnalyticsQuery q = AnalyticsQuery.parse(ctx, catalog, points, clock);
        double finest = q.coarse() ? PublicResolution.MIN_CELL_M : 25;
        double size =
                QueryParams.number(
                        ctx,
                        "size",
                        25,
                        5000,
                        Math.max(finest, Math.min(5000, Math.round(across / 32 / 25) * 25)));
        if (q.coarse()) PublicResolution.requireCellSize(size);
        double perSide = across / size;
        if (perSide * perSide > MAX_TILE_CELLS) {
            throw new ProblemException(
                    Problem.invalidParameter(
                            "size",
                            String.format(
                                    java.util.Locale.ROOT,
                                    "%.0f m cells would cut this zoom-%d tile (%.0f m across) into %.0f cells; at most %d: use a larger size, or zoom in",
                                    size,
                                    z,
                                    across,
                                    perSide * perSide,
                                    MAX_TILE_CELLS)));
        }
        Cells cells = new Cells(Cells.Shape.SQUARE, size);
        // The tile's points, with a margin of one cell so edge cells are whole.
        double margin = size / 100_000;
        PointFilter f = q.filter();
        PointFilter inTile =
                new PointFilter(
                        f.fromMinute(),
                        f.toMinute(),
                        f.category(),
                        f.platform(),
                        f.statusMask(),
                        f.gridId(),
                        west - margin,
                        south - margin,
                        east + margin,
                        north + margin,
                        true,
                        f.subdistrictId());
        Handlers.blocking(
                ctx,
                () -> {
                    CellCounts counts = CellCounts.of(points, inTile, cells);
                    long[] keys =
                            q.coarse()
                                    ? java.util.Arrays.stream(counts.sortedKeys())
                                            .filter(k -> PublicResolution.shown(counts.get(k)))
                                            .toArray()
                                    : counts.sortedKeys();
                    WKBWriter wkb = new WKBWriter();
                    byte[][] shapes = new byte[keys.length][];
                    Integer[] n = new Integer[keys.length];
                    String[] labels = new String[keys.length];
                    for (int k = 0; k < keys.length; k++) {
                        shapes[k] = wkb.write(cells.polygon(keys[k]));
                        n[k] = counts.get(keys[k]);
                        labels[k] = Cells.i(keys[k]) + "," + Cells.j(keys[k]);
                    }
                    return queries.binTile(z, x, y, points.planarSrid(), shapes, n, labels);
                },
                (c, mvt) ->
                        c.response()
                                .putHeader("Content-Type", "application/vnd.mapbox-vector-tile")
                                .putHeader(
                                        "Cache-Control",
                                        "public, max-age=10") // live counts: a short cache
                                .end(Buffer.buffer(mvt)));
    }

    static double lon(int x, int z) {
        return x / (double) (1 << z) * 360 - 180;
    }

    static double lat(int y, int z) {
        double n = Math.PI - 2 * Math.PI * y / (1 << z);
        return Math.toDegrees(Math.atan(Math.sinh(n)));
    }
}
