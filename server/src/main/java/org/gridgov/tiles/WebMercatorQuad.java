package org.gridgov.tiles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.gridgov.api.Responses;
import org.gridgov.geo.TileScheme;

/**
 * The one tile matrix set gridgov's tiles use: OGC's WebMercatorQuad (OGC Two Dimensional Tile
 * Matrix Set 2.0, annex D; the XYZ scheme of {@link TileScheme}, with tileRow = y and tileCol = x).
 * Its definition as JSON, and which tiles of it cover an extent.
 */
final class WebMercatorQuad {

    static final String ID = "WebMercatorQuad";
    static final String URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad";
    static final String CRS = "http://www.opengis.net/def/crs/EPSG/0/3857";

    /** The standard definition's deepest tile matrix (tiles are served to TileScheme.MAX_ZOOM). */
    static final int DEFINED_TO = 24;

    private static final double ORIGIN = 20037508.3427892;
    private static final double SCALE_0 = 559082264.028717;
    private static final double CELL_0 = 156543.033928041;

    private WebMercatorQuad() {}

    /** The tile matrix set's definition (TMS 2.0 JSON encoding), tile matrices 0 to 24. */
    static ObjectNode definition() {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("id", ID);
        n.put("title", "Google Maps Compatible for the World");
        n.put("uri", URI);
        n.put("crs", CRS);
        n.putArray("orderedAxes").add("X").add("Y");
        n.put("wellKnownScaleSet", "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible");
        ArrayNode matrices = n.putArray("tileMatrices");
        for (int z = 0; z <= DEFINED_TO; z++) {
            ObjectNode m = matrices.addObject();
            m.put("id", String.valueOf(z));
            m.put("scaleDenominator", SCALE_0 / (1L << z));
            m.put("cellSize", CELL_0 / (1L << z));
            m.put("cornerOfOrigin", "topLeft");
            m.putArray("pointOfOrigin").add(-ORIGIN).add(ORIGIN);
            m.put("tileWidth", 256).put("tileHeight", 256);
            m.put("matrixWidth", 1L << z).put("matrixHeight", 1L << z);
        }
        return n;
    }

    /**
     * The tileMatrixSetLimits of a tileset over a lon/lat extent (west, south, east, north), for
     * the zooms served.
     */
    static ArrayNode limits(double[] extent, int maxZoom) {
        ArrayNode a = Responses.JSON.createArrayNode();
        for (int z = 0; z <= maxZoom; z++) {
            a.addObject()
                    .put("tileMatrix", String.valueOf(z))
                    .put("minTileRow", TileScheme.y(z, extent[3]))
                    .put("maxTileRow", TileScheme.y(z, extent[1]))
                    .put("minTileCol", TileScheme.x(z, extent[0]))
                    .put("maxTileCol", TileScheme.x(z, extent[2]));
        }
        return a;
    }
}
