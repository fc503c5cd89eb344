package org.gridgov.tiles;

import io.github.sebasbaumh.mapbox.vectortile.VectorTile;
import io.github.sebasbaumh.mapbox.vectortile.build.MvtLayerParams;
import io.github.sebasbaumh.mapbox.vectortile.build.MvtLayerProps;
import io.github.sebasbaumh.mapbox.vectortile.util.GeomCmd;
import io.github.sebasbaumh.mapbox.vectortile.util.MvtUtil;
import java.util.List;
import org.gridgov.analytics.IncidentPoints;
import org.gridgov.cases.CaseStatus;
import org.gridgov.category.Platforms;
import org.gridgov.ogc.catalog.Layer;

/**
 * Incident tiles at zoom {@link #maxZoom} and below, built from the server's one in-memory copy of
 * incident points ({@link IncidentPoints}, which the heatmap and analytics read and the event relay
 * keeps current) instead of PostGIS: one point feature per occupied cell of 64 × 64 per tile
 * ({@link IncidentCells}), with {@code count} and the cell's most frequent {@code category}, {@code
 * status} and {@code platform}, encoded with mapbox-vector-tile-java. A cold z13 tile over a
 * million incidents took about 500 ms of SQL (docs/ogc.md); a scan of the copy takes milliseconds.
 * Deeper zooms keep {@code ST_AsMVT} over the layer SQL (raw incidents with every attribute).
 */
public final class IncidentTiles {

    /**
     * The deepest zoom served from memory by default (GRIDGOV_TILE_MEMORY_MAX_ZOOM). 17, not 15: on
     * a million incidents the SQL path's cold p95 was 208 ms at z16 and 46 ms at z17 against about
     * 25 ms from memory (docs/benchmarks.md); a z17 cell is about 4 m, in practice one incident.
     */
    public static final int DEFAULT_MAX_ZOOM = 17;

    private final IncidentPoints points;
    private final String layer;
    private final int maxZoom;

    /**
     * Serves the named layer (the catalog's incidents, whose SQL selects every incident) up to
     * maxZoom; maxZoom -1 serves none, leaving every zoom to the SQL path (what the benchmark
     * compares against).
     */
    public IncidentTiles(IncidentPoints points, String layer, int maxZoom) {
        this.points = points;
        this.layer = layer;
        this.maxZoom = maxZoom;
    }

    /** Whether this tile of the layer comes from memory. */
    public boolean serves(Layer l, int z) {
        return z <= maxZoom && l.name().equals(layer);
    }

    public int maxZoom() {
        return maxZoom;
    }

    /** The tile's cells (counted, not yet encoded). Blocking: a scan under a read lock. */
    IncidentCells cells(int z, int x, int y) {
        return cells(z, x, y, 0);
    }

    /** The tile's cells of one subdistrict's incidents (0: every incident). */
    IncidentCells cells(int z, int x, int y, long subdistrictId) {
        // categories met later than this read (none while the scan holds the copy's read lock,
        // but possibly between) are counted without taking part in the most-frequent category
        IncidentCells cells =
                new IncidentCells(
                        z,
                        x,
                        y,
                        points.categoryCount() + 8,
                        CaseStatus.NAMES.size(),
                        Platforms.CODES.size());
        points.scanBox(cells.west, cells.south, cells.east, cells.north, subdistrictId, cells::add);
        return cells;
    }

    /**
     * The encoded tile; empty when no incident lies in it (as ST_AsMVT answers). Points are written
     * with the library's MVT model, command encoding and key/value tables directly: going through a
     * JTS point and its generic adapter per cell cost several times as much.
     */
    public byte[] tile(int z, int x, int y) {
        return tile(z, x, y, 0);
    }

    /** The encoded tile of one subdistrict's incidents (0: every incident). */
    public byte[] tile(int z, int x, int y, long subdistrictId) {
        List<IncidentCells.Cell> cells = cells(z, x, y, subdistrictId).cells();
        if (cells.isEmpty()) return new byte[0];
        int unit = IncidentCells.EXTENT / IncidentCells.CELLS;
        VectorTile.Tile.Layer.Builder layerBuilder =
                MvtUtil.newLayerBuilder(layer, new MvtLayerParams(IncidentCells.EXTENT));
        MvtLayerProps props = new MvtLayerProps();
        int moveTo = MvtUtil.geomCmdHdr(GeomCmd.MOVE_TO, 1);
        String[] statuses = CaseStatus.NAMES.toArray(String[]::new);
        String[] platforms = Platforms.CODES.toArray(String[]::new);
        for (IncidentCells.Cell c : cells) {
            VectorTile.Tile.Feature.Builder f =
                    VectorTile.Tile.Feature.newBuilder()
                            .setId(c.id())
                            .setType(VectorTile.Tile.GeomType.POINT)
                            .addGeometry(moveTo)
                            .addGeometry(MvtUtil.encodeZigZag(c.column() * unit + unit / 2))
                            .addGeometry(MvtUtil.encodeZigZag(c.row() * unit + unit / 2));
            tag(props, f, "count", c.count());
            if (c.category() >= 0) tag(props, f, "category", points.categoryCode(c.category()));
            if (c.status() >= 0 && c.status() < statuses.length)
                tag(props, f, "status", statuses[c.status()]);
            if (c.platform() >= 0 && c.platform() < platforms.length)
                tag(props, f, "platform", platforms[c.platform()]);
            layerBuilder.addFeatures(f);
        }
        MvtUtil.writeProps(layerBuilder, props);
        return VectorTile.Tile.newBuilder().addLayers(layerBuilder).build().toByteArray();
    }

    private static void tag(
            MvtLayerProps props, VectorTile.Tile.Feature.Builder feature, String k, Object v) {
        feature.addTags(props.addKey(k));
        feature.addTags(props.addValue(v));
    }
}
