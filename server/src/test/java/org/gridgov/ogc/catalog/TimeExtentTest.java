package org.gridgov.ogc.catalog;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A time dimension's extent and default at a moment, and TIME values checked against it. */
class TimeExtentTest {

    private static final TimeExtent EXTENT =
            new TimeExtent(
                    Instant.parse("2025-12-06T02:52:56Z"), Instant.parse("2026-12-05T16:20:00Z"));

    @Test
    void advertisedExtentAndDefault() {
        assertEquals("2025-12-06/2026-12-05/P1D", EXTENT.extent());
        assertEquals("2026-11-06/2026-12-05", EXTENT.defaultValue());
        assertEquals(
                "2026-12-05/2026-12-05/P1D",
                new TimeExtent(null, EXTENT.now()).extent(),
                "no record yet: today");
    }

    @Test
    void noTimeIsTheDefaultAndRangesAreCutToTheExtent() {
        TimeInterval d = EXTENT.resolve(null);
        assertEquals(Instant.parse("2026-11-06T00:00:00Z"), d.start());
        assertEquals(Instant.parse("2026-12-06T00:00:00Z"), d.end());
        assertEquals(d, EXTENT.resolve(EXTENT.defaultValue()));
        TimeInterval cut = EXTENT.resolve("2025-01-01/2030-01-01");
        assertEquals(Instant.parse("2025-12-06T00:00:00Z"), cut.start());
        assertEquals(Instant.parse("2026-12-06T00:00:00Z"), cut.end());
    }

    @Test
    void whollyOutsideIsRefused() {
        for (String t : new String[] {"2025-11", "2027", "2026-12-06/P1D", "P1D/2025-12-05"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> EXTENT.resolve(t), t);
            assertTrue(e.getMessage().contains("outside the extent 2025-12-06/2026-12-05"), t);
        }
        assertNotNull(EXTENT.resolve("2025-12"), "a month partly inside is cut, not refused");
    }
}
