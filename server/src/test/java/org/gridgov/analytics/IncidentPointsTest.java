package org.gridgov.analytics;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gridgov.live.Change;
import org.junit.jupiter.api.Test;

/**
 * The in-memory copy kept in pages: incidents on either side of a page's edge, far apart, and
 * updated, are each found once by every scan, and an older state never replaces a newer one.
 */
class IncidentPointsTest {

    static final PointFilter ALL =
            new PointFilter(
                    Integer.MIN_VALUE, Integer.MAX_VALUE, -1, -1, 0, 0, 0, 0, 0, 0, false, 0);

    static Change change(long id, int version, String category, double lon, long subdistrict) {
        return new Change(
                id,
                id,
                null,
                "REPORTED",
                null,
                "NEW",
                category,
                org.gridgov.category.Platforms.CODES.get(0),
                7L,
                null,
                "NEW",
                version,
                lon,
                30.0,
                lon * 1000,
                3000.0,
                1_700_000_000L,
                subdistrict);
    }

    /** Ids on both sides of the first and second page edges (32,768 slots each), and far out. */
    static final long[] IDS = {1, 32_767, 32_768, 32_769, 65_536, 65_537, 70_000, 1_000_000};

    static IncidentPoints filled() {
        IncidentPoints p = new IncidentPoints(4549, List.of("A", "B"));
        List<Change> changes = new ArrayList<>();
        for (int k = 0; k < IDS.length; k++)
            changes.add(change(IDS[k], 1, k % 2 == 0 ? "A" : "B", 100 + k, k % 2 + 1));
        p.apply(changes);
        return p;
    }

    @Test
    void everyIncidentIsFoundOnceWhateverItsPage() {
        IncidentPoints p = filled();
        assertEquals(IDS.length, p.size());
        List<Double> xs = new ArrayList<>();
        p.scan(ALL, (x, y, minute, grid) -> xs.add(x));
        List<Double> expected = new ArrayList<>();
        for (int k = 0; k < IDS.length; k++) expected.add((100 + k) * 1000.0);
        assertEquals(expected, xs, "in id order, each once");
        AtomicInteger inBox = new AtomicInteger();
        p.scanBox(101.5, 0, 104.5, 90, (lon, lat, c, s, pl) -> inBox.incrementAndGet());
        assertEquals(3, inBox.get(), "lon 102, 103, 104");
        AtomicInteger ofTwo = new AtomicInteger();
        p.scanBox(-180, -90, 180, 90, 2, (lon, lat, c, s, pl) -> ofTwo.incrementAndGet());
        assertEquals(IDS.length / 2, ofTwo.get(), "subdistrict 2: every second one");
    }

    @Test
    void partsOfAScanCoverTheStoreOnce() {
        IncidentPoints p = filled();
        for (int parts : new int[] {1, 2, 3, 7}) {
            List<String> seen = new ArrayList<>();
            for (int part = 0; part < parts; part++)
                p.scanCategories(ALL, part, parts, (lon, lat, c) -> seen.add(c + lon));
            assertEquals(IDS.length, seen.size(), parts + " parts");
            assertEquals(IDS.length, seen.stream().distinct().count(), parts + " parts");
        }
        PointFilter onlyB =
                new PointFilter(
                        Integer.MIN_VALUE,
                        Integer.MAX_VALUE,
                        p.categoryIndex("B"),
                        -1,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        false,
                        0);
        AtomicInteger b = new AtomicInteger();
        p.scanLonLat(onlyB, (lon, lat) -> b.incrementAndGet());
        assertEquals(IDS.length / 2, b.get());
    }

    @Test
    void aNewerStateReplacesAndAnOlderOneIsIgnored() {
        IncidentPoints p = filled();
        p.apply(List.of(change(32_769, 3, "A", 500, 1)));
        p.apply(List.of(change(32_769, 2, "B", 900, 1)));
        List<Double> xs = new ArrayList<>();
        p.scan(ALL, (x, y, minute, grid) -> xs.add(x));
        assertTrue(xs.contains(500_000.0), "version 3 kept");
        assertFalse(xs.contains(900_000.0), "version 2 came late: ignored");
        assertEquals(IDS.length, p.size(), "an update adds no incident");
    }
}
