package org.gridgov.grid;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.gridgov.roster.GridPeople;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKTReader;

/** The tie rule on a hand-made plan: two unit squares side by side, a third on top of both. */
class GridIndexTest {

    static GridIndex index() throws Exception {
        WKTReader r = new WKTReader();
        List<Geometry> shapes =
                List.of(
                        r.read("POLYGON((1 0, 2 0, 2 1, 1 1, 1 0))"), // id 7, right
                        r.read("POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))"), // id 3, left
                        r.read("POLYGON((0 1, 2 1, 2 2, 0 2, 0 1))")); // id 5, top
        return new GridIndex(
                1,
                List.of(
                        new GridCell(7, "R", 1, new GridPeople(70L, 71L, 1L)),
                        new GridCell(3, "L", 1, GridPeople.NOBODY),
                        new GridCell(5, "T", 2, new GridPeople(50L, null, null))),
                shapes);
    }

    @Test
    void interiorPointsGoToTheirGrid() throws Exception {
        GridIndex idx = index();
        assertEquals(3, idx.locate(0.5, 0.5).orElseThrow().id());
        assertEquals(7, idx.locate(1.5, 0.5).orElseThrow().id());
        assertEquals(5, idx.locate(1.0, 1.5).orElseThrow().id());
        assertEquals(70L, idx.locate(1.5, 0.5).orElseThrow().people().workerId());
    }

    @Test
    void sharedBoundariesGoToTheLowestId() throws Exception {
        GridIndex idx = index();
        assertEquals(3, idx.locate(1.0, 0.5).orElseThrow().id(), "edge between 3 and 7");
        assertEquals(3, idx.locate(1.0, 1.0).orElseThrow().id(), "corner of 3, 5 and 7");
        assertEquals(5, idx.locate(1.5, 1.0).orElseThrow().id(), "edge between 5 and 7");
        assertEquals(3, idx.locate(0.5, 1.0).orElseThrow().id(), "edge between 3 and 5");
    }

    @Test
    void outerBoundaryCountsAndOutsideDoesNot() throws Exception {
        GridIndex idx = index();
        assertEquals(3, idx.locate(0.0, 0.5).orElseThrow().id());
        assertEquals(7, idx.locate(2.0, 0.0).orElseThrow().id());
        assertTrue(idx.locate(2.0001, 0.5).isEmpty());
        assertTrue(idx.locate(-1, -1).isEmpty());
        assertEquals(3, idx.size());
    }
}
