package org.gridgov.tiles;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Random;
import org.gridgov.geo.TileScheme;
import org.junit.jupiter.api.Test;

/** Counting a tile's incidents per cell, without a database. */
class IncidentCellsTest {

    @Test
    void cellsFollowWebMercatorRowsAndLinearColumns() {
        Random r = new Random(7);
        for (int z : new int[] {3, 12, 13, 15}) {
            int x = TileScheme.x(z, 120.29), y = TileScheme.y(z, 30.19);
            IncidentCells cells = new IncidentCells(z, x, y, 12, 8, 4);
            for (int i = 0; i < 2_000; i++) {
                double lon = cells.west + r.nextDouble() * (cells.east - cells.west);
                double lat = cells.south + r.nextDouble() * (cells.north - cells.south);
                IncidentCells one = new IncidentCells(z, x, y, 12, 8, 4);
                one.add(lon, lat, 0, 0, 0);
                IncidentCells.Cell c = one.cells().get(0);
                // the cell as PostGIS would place it: the point's Web Mercator fraction of the tile
                double fx = TileScheme.fractionX(lon) * (1 << z) - x;
                double fy = TileScheme.fractionY(lat) * (1 << z) - y;
                assertEquals((int) (fx * IncidentCells.CELLS), c.column(), "column at z" + z);
                int row = (int) (fy * IncidentCells.CELLS);
                assertTrue(Math.abs(row - c.row()) <= 0 || onEdge(fy), "row at z" + z);
                assertEquals(c.row() * IncidentCells.CELLS + c.column() + 1, c.id());
            }
        }
    }

    /** A fraction within rounding of a row edge may fall either side. */
    private static boolean onEdge(double fy) {
        double v = fy * IncidentCells.CELLS;
        return Math.abs(v - Math.rint(v)) < 1e-9;
    }

    @Test
    void countsAndTheMostFrequentValues() {
        int z = 14, x = TileScheme.x(z, 120.29), y = TileScheme.y(z, 30.19);
        IncidentCells cells = new IncidentCells(z, x, y, 12, 8, 4);
        double lon = cells.west + 1e-6, lat = cells.north - 1e-6; // the north-west cell
        cells.add(lon, lat, 2, 1, 0);
        cells.add(lon, lat, 2, 3, 1);
        cells.add(lon, lat, 5, 3, 1);
        cells.add(cells.east - 1e-6, cells.south + 1e-6, 9, 0, -1); // the south-east cell
        List<IncidentCells.Cell> out = cells.cells();
        assertEquals(2, out.size());
        IncidentCells.Cell nw = out.get(0), se = out.get(1);
        assertEquals(new IncidentCells.Cell(1, 0, 0, 3, 2, 3, 1), nw);
        assertEquals(IncidentCells.CELLS * IncidentCells.CELLS, se.id());
        assertEquals(1, se.count());
        assertEquals(9, se.category());
        assertEquals(-1, se.platform(), "no platform known");
        assertEquals(4, cells.total());
    }

    @Test
    void anIndexBeyondTheTalliesIsCountedOnly() {
        IncidentCells cells = new IncidentCells(0, 0, 0, 2, 1, 1);
        cells.add(10, 10, 5, 3, 2);
        assertEquals(
                new IncidentCells.Cell(
                        cells.cells().get(0).id(),
                        cells.cells().get(0).column(),
                        cells.cells().get(0).row(),
                        1,
                        -1,
                        -1,
                        -1),
                cells.cells().get(0));
    }

    @Test
    void aTieGoesToTheLowerIndex() {
        IncidentCells cells = new IncidentCells(0, 0, 0, 12, 8, 4);
        cells.add(10, 10, 4, 2, 1);
        cells.add(10, 10, 3, 1, 0);
        IncidentCells.Cell c = cells.cells().get(0);
        assertEquals(3, c.category());
        assertEquals(1, c.status());
        assertEquals(0, c.platform());
    }

    @Test
    void pointsOnTheTileEdgesStayInIt() {
        int z = 13, x = TileScheme.x(z, 120.29), y = TileScheme.y(z, 30.19);
        IncidentCells cells = new IncidentCells(z, x, y, 12, 8, 4);
        cells.add(cells.east, cells.south, 0, 0, 0);
        cells.add(cells.west, cells.north, 0, 0, 0);
        assertEquals(2, cells.cells().size());
        assertEquals(IncidentCells.CELLS * IncidentCells.CELLS, cells.cells().get(1).id());
    }
}
