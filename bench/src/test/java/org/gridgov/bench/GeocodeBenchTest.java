package org.gridgov.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The geocoding benchmark, small: a few hundred noisy addresses from the test area's gazetteer;
 * precision@1 must reach the 95% and beat the plain trigram baseline. Latency is the full
 * run's (scripts/bench geocode), not asserted here on a shared machine.
 */
@Tag("db")
class GeocodeBenchTest {

    @Test
    void noisyAddressesFindTheirDoorPlates() throws Exception {
        GeocodeBench.Figures f = GeocodeBench.run(TestDatabase.get().dataSource(), 300, 17L);
        System.out.println("geocode bench (300 addresses): " + f);
        assertEquals(300, f.addresses());
        assertTrue(f.precision() >= 0.95, "precision@1 " + f.precision());
        assertTrue(f.precision() > f.baselinePrecision(), f.toString());
    }

    @Test
    void numeralsAreWrittenAsSaid() {
        assertEquals("十二", GeocodeBench.chinese("12"));
        assertEquals("一百零八", GeocodeBench.chinese("108"));
        assertEquals("三", GeocodeBench.chinese("3"));
        assertEquals("二十", GeocodeBench.chinese("20"));
    }
}
