package org.gridgov.tiles;

import org.gridgov.ogc.Layer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The tile cache's bookkeeping: per-layer drops, stale builds refused, memory bound. */
class TileCacheTest {

    static Layer layer(String name, String... tables) {
        return new Layer(name, name, null, "POLYGON", "SELECT 1", null, "public", null, null, true, null, List.of(tables));
    }

    static final List<Layer> LAYERS = List.of(layer("grids", "grid", "grid_plan"), layer("incidents", "incident"),
            layer("workload", "grid", "incident"));

    @Test
    void aTouchDropsOnlyTheLayersReadingTheTable() {
        TileCache c = new TileCache(1 << 20, LAYERS);
        for (String l : List.of("grids", "incidents", "workload")) c.put(l, l + "/1/0/0", new byte[10], c.version(l));
        c.touched("incident");
        assertEquals(1, c.size("grids"));
        assertEquals(0, c.size("incidents"));
        assertEquals(0, c.size("workload"));
        assertNotNull(c.get("grids/1/0/0"));
    }

    @Test
    void aTileBuiltBeforeAChangeIsNotKept() {
        TileCache c = new TileCache(1 << 20, LAYERS);
        long v = c.version("incidents");
        c.touched("incident");   // while the tile was being built
        var t = c.put("incidents", "incidents/3/1/1", new byte[]{1, 2}, v);
        assertArrayEquals(new byte[]{1, 2}, t.bytes(), "the answer is still served");
        assertNull(c.get("incidents/3/1/1"), "but not cached");
        c.put("incidents", "incidents/3/1/1", new byte[]{1, 2}, c.version("incidents"));
        assertNotNull(c.get("incidents/3/1/1"));
    }

    @Test
    void leastRecentlyUsedTilesGoWhenMemoryIsFull() {
        TileCache c = new TileCache(100, LAYERS);
        c.put("grids", "grids/1/0/0", new byte[40], 0);
        c.put("grids", "grids/1/0/1", new byte[40], 0);
        c.get("grids/1/0/0");
        c.put("grids", "grids/1/1/0", new byte[40], 0);
        assertNotNull(c.get("grids/1/0/0"));
        assertNull(c.get("grids/1/0/1"), "the least recently used went");
        assertEquals(2, c.size("grids"));
    }

    @Test
    void etagsTellContentsApart() {
        assertEquals(TileCache.etag(new byte[]{1, 2, 3}), TileCache.etag(new byte[]{1, 2, 3}));
        assertNotEquals(TileCache.etag(new byte[]{1, 2, 3}), TileCache.etag(new byte[]{1, 2, 4}));
        assertNotEquals(TileCache.etag(new byte[0]), TileCache.etag(new byte[1]));
    }
}
