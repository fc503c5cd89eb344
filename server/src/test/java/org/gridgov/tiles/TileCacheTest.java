package org.gridgov.tiles;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.gridgov.geo.TileScheme;
import org.gridgov.ogc.catalog.Layer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The tile cache's bookkeeping (per-layer and per-tile drops, stale builds refused, memory bound)
 * and its tile arithmetic against PostGIS.
 */
@Tag("db")
class TileCacheTest {

    static Layer layer(String name, String... tables) {
        return new Layer(
                name,
                name,
                null,
                "POLYGON",
                "SELECT 1",
                null,
                "public",
                null,
                null,
                true,
                null,
                List.of(tables));
    }

    static final List<Layer> LAYERS =
            List.of(
                    layer("grids", "grid", "grid_plan"),
                    layer("incidents", "incident"),
                    layer("workload", "grid", "incident"));

    // A point in the demo area and the keys of its tile and of the tile east of it at z16.
    static final double LON = 120.29, LAT = 30.19;
    static final int X16 = TileScheme.x(16, LON), Y16 = TileScheme.y(16, LAT);

    @Test
    void aChangeDropsTheTilesHoldingThePointInTheLayersReadingTheTable() {
        TileCache c = new TileCache(1 << 20, LAYERS);
        c.follow("incident");
        String here = "/16/" + X16 + "/" + Y16, east = "/16/" + (X16 + 1) + "/" + Y16;
        for (String l : List.of("grids", "incidents", "workload")) {
            c.put(l, l + here, new byte[10], c.stamp());
            c.put(l, l + east, new byte[10], c.stamp());
            c.put(
                    l,
                    l + "/10/" + TileScheme.x(10, LON) + "/" + TileScheme.y(10, LAT),
                    new byte[10],
                    c.stamp());
        }
        c.changedAt("incident", LON, LAT);
        assertEquals(3, c.size("grids"), "grids do not read incidents");
        assertNull(c.get("incidents" + here));
        assertNotNull(c.get("incidents" + east), "the tile next to it stays");
        assertEquals(1, c.size("incidents"), "the z10 tile holding the point went too");
        assertEquals(1, c.size("workload"));
    }

    /**
     * The cache's tile arithmetic agrees with PostGIS's ST_TileEnvelope, which builds the tiles.
     */
    @Test
    void theTileHoldingAPointIsTheOnePostgisBuilds() throws Exception {
        for (double[] p :
                new double[][] {
                    {LON, LAT}, {120.2601, 30.2209}, {-73.98, 40.75}, {151.2, -33.87}
                }) {
            for (int z : new int[] {3, 9, 13, 16, 19}) {
                long inside =
                        org.gridgov.testing.TestDatabase.queryLong(
                                "SELECT count(*) FROM (SELECT ST_Transform(ST_TileEnvelope(%d, %d, %d), 4326) e) t WHERE ST_Intersects(e, ST_SetSRID(ST_MakePoint(%s, %s), 4326))"
                                        .formatted(
                                                z,
                                                TileScheme.x(z, p[0]),
                                                TileScheme.y(z, p[1]),
                                                p[0],
                                                p[1]));
                assertEquals(1, inside, "z" + z + " at " + p[0] + "," + p[1]);
            }
        }
    }

    @Test
    void aPointOnATileEdgeDropsBothTiles() {
        double edgeLon =
                (double) (X16 + 1) / (1 << 16) * 360 - 180; // the west edge of the tile east of X16
        var keys = TileCache.Corners.of(edgeLon, LAT).keys("incidents", 16);
        assertTrue(
                keys.contains("incidents/16/" + X16 + "/" + Y16)
                        && keys.contains("incidents/16/" + (X16 + 1) + "/" + Y16),
                keys.toString());
        assertEquals(
                List.of("incidents/16/" + X16 + "/" + Y16),
                TileCache.Corners.of(LON, LAT).keys("incidents", 16));
    }

    @Test
    void aTileBuiltBeforeAChangeToItIsNotKeptOthersAre() {
        TileCache c = new TileCache(1 << 20, LAYERS);
        c.follow("incident");
        String here = "incidents/16/" + X16 + "/" + Y16,
                elsewhere = "incidents/16/" + (X16 + 5) + "/" + Y16;
        long began = c.stamp();
        c.changedAt("incident", LON, LAT); // while both tiles were being built
        var t = c.put("incidents", here, new byte[] {1, 2}, began);
        assertArrayEquals(new byte[] {1, 2}, t.bytes(), "the answer is still served");
        assertNull(c.get(here), "but not cached: it may miss the change");
        c.put("incidents", elsewhere, new byte[] {3}, began);
        assertNotNull(c.get(elsewhere), "a tile the change does not touch is kept");
        c.put("incidents", here, new byte[] {1, 2}, c.stamp());
        assertNotNull(c.get(here), "built after the change: kept");
    }

    @Test
    void aChangeDropsEachSubdistrictsOwnTileThereToo() {
        TileCache c = new TileCache(1 << 20, LAYERS);
        c.follow("incident");
        String here = "incidents/16/" + X16 + "/" + Y16;
        for (long sd : new long[] {7, 8})
            c.put("incidents", here + TileCache.subdistrictSuffix(sd), new byte[10], c.stamp());
        c.put("incidents", here, new byte[10], c.stamp());
        c.changedAt("incident", LON, LAT);
        assertEquals(0, c.size("incidents"), "the district-wide tile and both subdistricts' went");
        c.put("incidents", here + TileCache.subdistrictSuffix(7), new byte[10], c.stamp());
        c.changedAt("incident", LON + 1, LAT);
        assertNotNull(c.get(here + TileCache.subdistrictSuffix(7)), "a change elsewhere leaves it");
    }

    @Test
    void aBuildOlderThanTheRememberedChangesIsNotKept() {
        TileCache c = new TileCache(1 << 20, LAYERS, 2);
        c.follow("incident");
        String elsewhere = "incidents/16/" + (X16 + 5) + "/" + Y16;
        long began = c.stamp();
        c.changedAt("incident", LON, LAT);
        c.changedAt("incident", LON, LAT);
        c.put("incidents", elsewhere, new byte[1], began);
        assertNotNull(c.get(elsewhere), "two changes remembered, neither touches it");
        c.drop("incidents");
        began = c.stamp();
        for (int k = 0; k < 3; k++) c.changedAt("incident", LON, LAT);
        c.put("incidents", elsewhere, new byte[1], began);
        assertNull(c.get(elsewhere), "a third change pushed out one it may have missed");
        c.put("incidents", elsewhere, new byte[1], c.stamp());
        assertNotNull(c.get(elsewhere), "built after them: kept");
    }

    @Test
    void keysReadAsZoomColumnAndRow() {
        assertArrayEquals(new int[] {16, 5, 9}, TileCache.zxy("incidents/16/5/9"));
        assertArrayEquals(new int[] {3, 1, 2}, TileCache.zxy("grid_plans/3/1/2~s42"));
        assertNull(TileCache.zxy("incidents/16/x/9"));
        assertNull(TileCache.zxy("16/9"));
        assertNotEquals(TileCache.position(0, 16, 5, 9), TileCache.position(1, 16, 5, 9));
        assertNotEquals(TileCache.position(0, 16, 5, 9), TileCache.position(0, 16, 9, 5));
    }

    @Test
    void aLayerDropRefusesEveryTileBuiltBeforeIt() {
        TileCache c = new TileCache(1 << 20, LAYERS);
        long began = c.stamp();
        c.drop("grids");
        c.put("grids", "grids/3/1/1", new byte[1], began);
        assertNull(c.get("grids/3/1/1"));
        c.put("workload", "workload/3/1/1", new byte[1], began);
        assertNotNull(c.get("workload/3/1/1"), "another layer is not affected");
    }

    @Test
    void tilesOfAFollowedTableExpireTheOthersDoNot() {
        TileCache c = new TileCache(1 << 20, LAYERS);
        c.follow("incident");
        long before = System.nanoTime();
        long expires = c.put("incidents", "incidents/3/1/1", new byte[1], 0).expiresAt();
        long after = System.nanoTime();
        assertTrue(
                expires >= before + TileCache.FOLLOWED_MAX_AGE_NANOS
                        && expires <= after + TileCache.FOLLOWED_MAX_AGE_NANOS,
                "a minute from now");
        assertEquals(Long.MAX_VALUE, c.put("grids", "grids/3/1/1", new byte[1], 0).expiresAt());
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
        assertEquals(TileCache.etag(new byte[] {1, 2, 3}), TileCache.etag(new byte[] {1, 2, 3}));
        assertNotEquals(TileCache.etag(new byte[] {1, 2, 3}), TileCache.etag(new byte[] {1, 2, 4}));
        assertNotEquals(TileCache.etag(new byte[0]), TileCache.etag(new byte[1]));
    }
}
