package org.gridgov.tiles;

import io.github.sebasbaumh.mapbox.vectortile.VectorTile;
import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.IUserDataConverter;
import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.MvtEncoder;
import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.model.JtsLayer;
import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.model.JtsMvt;
import io.github.sebasbaumh.mapbox.vectortile.build.MvtLayerParams;
import io.github.sebasbaumh.mapbox.vectortile.build.MvtLayerProps;
import java.util.ArrayList;
import java.util.List;
import org.gridgov.analytics.IncidentPoints;
import org.gridgov.analytics.PointFilter;
import org.gridgov.cases.CaseStatus;
import org.gridgov.category.Platforms;
import org.gridgov.ogc.catalog.Layer;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;

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

    /** The deepest zoom served from memory by default (GRIDGOV_TILE_MEMORY_MAX_ZOOM). */
    public static final int DEFAULT_MAX_ZOOM = 15;

    private static final PointFilter ALL_TIME =
            new PointFilter(Integer.MIN_VALUE, Integer.MAX_VALUE, -1, -1, 0, 0, 0, 0, 0, 0, false);

    private final IncidentPoints points;
    private final String layer;
    private final int maxZoom;
    private final GeometryFactory geometries = new GeometryFactory();

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
        IncidentCells cells = new IncidentCells(z, x, y);
        PointFilter inTile =
                new PointFilter(
                        ALL_TIME.fromMinute(),
                        ALL_TIME.toMinute(),
                        -1,
                        -1,
                        0,
                        0,
                        cells.west,
                        cells.south,
                        cells.east,
                        cells.north,
                        true);
        points.scanAttributes(inTile, cells::add);
        return cells;
    }

    /** The encoded tile; empty when no incident lies in it (as ST_AsMVT answers). */
    public byte[] tile(int z, int x, int y) {
        List<IncidentCells.Cell> cells = cells(z, x, y).cells();
        if (cells.isEmpty()) return new byte[0];
        double unit = IncidentCells.EXTENT / (double) IncidentCells.CELLS;
        List<Geometry> features = new ArrayList<>(cells.size());
        for (IncidentCells.Cell c : cells) {
            Point p =
                    geometries.createPoint(
                            new Coordinate((c.column() + 0.5) * unit, (c.row() + 0.5) * unit));
            p.setUserData(c);
            features.add(p);
        }
        return MvtEncoder.encode(
                new JtsMvt(new JtsLayer(layer, features, IncidentCells.EXTENT)),
                new MvtLayerParams(IncidentCells.EXTENT),
                new CellTags());
    }

    /** The cell's id and properties as MVT feature id and tags. */
    private final class CellTags implements IUserDataConverter {
        @Override
        public void addTags(
                Object data, MvtLayerProps props, VectorTile.Tile.Feature.Builder feature) {
            IncidentCells.Cell c = (IncidentCells.Cell) data;
            feature.setId(c.id());
            tag(props, feature, "count", c.count());
            if (c.category() >= 0)
                tag(props, feature, "category", points.categoryCode(c.category()));
            if (c.status() >= 0 && c.status() < CaseStatus.NAMES.size())
                tag(props, feature, "status", CaseStatus.NAMES.get(c.status()));
            if (c.platform() >= 0 && c.platform() < Platforms.CODES.size())
                tag(props, feature, "platform", Platforms.CODES.get(c.platform()));
        }

        private static void tag(
                MvtLayerProps props, VectorTile.Tile.Feature.Builder feature, String k, Object v) {
            feature.addTags(props.addKey(k));
            feature.addTags(props.addValue(v));
        }
    }
}
