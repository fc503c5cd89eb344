package org.gridgov.analytics;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CellsTest {

    @Test
    void everyPointFallsInTheCellWhosePolygonCoversIt() {
        var f = new org.locationtech.jts.geom.GeometryFactory();
        SplittableRandom r = new SplittableRandom(3);
        for (Cells cells :
                new Cells[] {new Cells(Cells.Shape.SQUARE, 100), new Cells(Cells.Shape.HEX, 100)}) {
            for (int k = 0; k < 5_000; k++) {
                double x = 527_000 + r.nextDouble() * 5_000, y = 3_340_000 + r.nextDouble() * 5_000;
                long key = cells.key(x, y);
                assertTrue(
                        cells.polygon(key)
                                .buffer(1e-6)
                                .covers(
                                        f.createPoint(
                                                new org.locationtech.jts.geom.Coordinate(x, y))),
                        cells.shape()
                                + " cell "
                                + Cells.i(key)
                                + ","
                                + Cells.j(key)
                                + " does not cover "
                                + x
                                + ","
                                + y);
            }
        }
    }

    @Test
    void hexagonsHaveTheRequestedWidthAndArea() {
        Cells hex = new Cells(Cells.Shape.HEX, 100);
        var p = hex.polygon(Cells.pack(3, -2));
        assertEquals(
                100,
                p.getEnvelopeInternal().getWidth(),
                1e-6,
                "pointy-top: width between opposite sides");
        assertEquals(hex.cellArea(), p.getArea(), 1e-6);
        assertEquals(
                100 * 100,
                new Cells(Cells.Shape.SQUARE, 100).polygon(Cells.pack(-1, 5)).getArea(),
                1e-6);
    }
}
