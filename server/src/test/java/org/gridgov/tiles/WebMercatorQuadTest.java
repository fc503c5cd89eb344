package org.gridgov.tiles;

import static org.junit.jupiter.api.Assertions.*;

import org.gridgov.geo.TileScheme;
import org.junit.jupiter.api.Test;

/** The WebMercatorQuad definition and tileset limits, without a server. */
class WebMercatorQuadTest {

    @Test
    void theStandardDefinition() {
        var d = WebMercatorQuad.definition();
        assertEquals("WebMercatorQuad", d.get("id").asText());
        assertEquals(WebMercatorQuad.URI, d.get("uri").asText());
        assertEquals("http://www.opengis.net/def/crs/EPSG/0/3857", d.get("crs").asText());
        var m = d.get("tileMatrices");
        assertEquals(25, m.size(), "tile matrices 0 to 24");
        assertEquals("0", m.get(0).get("id").asText());
        assertEquals(559082264.028717, m.get(0).get("scaleDenominator").asDouble(), 1e-6);
        assertEquals(156543.033928041, m.get(0).get("cellSize").asDouble(), 1e-9);
        assertEquals("topLeft", m.get(0).get("cornerOfOrigin").asText());
        assertEquals(-20037508.3427892, m.get(0).get("pointOfOrigin").get(0).asDouble(), 1e-7);
        assertEquals(1 << 22, m.get(22).get("matrixWidth").asLong());
        assertEquals(16777216L, m.get(24).get("matrixHeight").asLong());
        assertEquals(
                m.get(0).get("cellSize").asDouble() / (1 << 13),
                m.get(13).get("cellSize").asDouble(),
                1e-12);
    }

    @Test
    void limitsCoverTheExtent() {
        double[] extent = {120.25, 30.15, 120.33, 30.22};
        var limits = WebMercatorQuad.limits(extent, TileScheme.MAX_ZOOM);
        assertEquals(TileScheme.MAX_ZOOM + 1, limits.size());
        var z13 = limits.get(13);
        assertEquals("13", z13.get("tileMatrix").asText());
        assertEquals(TileScheme.x(13, 120.25), z13.get("minTileCol").asInt());
        assertEquals(TileScheme.x(13, 120.33), z13.get("maxTileCol").asInt());
        assertEquals(TileScheme.y(13, 30.22), z13.get("minTileRow").asInt());
        assertEquals(TileScheme.y(13, 30.15), z13.get("maxTileRow").asInt());
        assertTrue(z13.get("minTileRow").asInt() <= z13.get("maxTileRow").asInt());
        var z0 = limits.get(0);
        assertEquals(0, z0.get("minTileCol").asInt());
        assertEquals(0, z0.get("maxTileRow").asInt());
    }
}
