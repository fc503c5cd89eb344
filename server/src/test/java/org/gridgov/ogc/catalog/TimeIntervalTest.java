package org.gridgov.ogc.catalog;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import org.gridgov.ogc.catalog.TimeInterval.Syntax;
import org.junit.jupiter.api.Test;

/** The one TIME / datetime parser: WMS 1.3.0 Annex C/D and OGC API Features values. */
class TimeIntervalTest {

    private static final Instant NOW = Instant.parse("2026-12-05T16:20:30.5Z");

    private static TimeInterval wms(String s) {
        return TimeInterval.parse(s, Syntax.WMS, NOW);
    }

    private static TimeInterval api(String s) {
        return TimeInterval.parse(s, Syntax.OGC_API, NOW);
    }

    private static void is(TimeInterval t, String start, String end) {
        assertEquals(start == null ? null : Instant.parse(start), t.start(), "start");
        assertEquals(end == null ? null : Instant.parse(end), t.end(), "end");
    }

    @Test
    void reducedPrecisionNamesTheWholePeriod() {
        is(wms("2026"), "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
        is(wms("2026-05"), "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z");
        is(wms("2026-02-28"), "2026-02-28T00:00:00Z", "2026-03-01T00:00:00Z");
        is(wms("2026-05-03T10Z"), "2026-05-03T10:00:00Z", "2026-05-03T11:00:00Z");
        is(wms("2026-05-03T10:15Z"), "2026-05-03T10:15:00Z", "2026-05-03T10:16:00Z");
        is(wms("2026-05-03T10:15:07Z"), "2026-05-03T10:15:07Z", "2026-05-03T10:15:08Z");
        is(wms("2026-05-03T10:15:07.25Z"), "2026-05-03T10:15:07.25Z", "2026-05-03T10:15:07.26Z");
    }

    @Test
    void offsetsAndUtcWithoutOne() {
        is(wms("2026-05-03T08:00:00+08:00"), "2026-05-03T00:00:00Z", "2026-05-03T00:00:01Z");
        is(wms("2026-05-03T08:00:00+0800"), "2026-05-03T00:00:00Z", "2026-05-03T00:00:01Z");
        is(wms("2026-05-03T00:00:00"), "2026-05-03T00:00:00Z", "2026-05-03T00:00:01Z");
        is(wms("current"), "2026-12-05T16:20:30Z", "2026-12-05T16:20:31Z");
    }

    @Test
    void rangesIncludeTheirEndsPeriod() {
        is(wms("2026-01-01/2026-03-31"), "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z");
        is(wms("2026-01/2026-03"), "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z");
        is(
                wms("2026-01-01T00:00:00Z/2026-01-08T00:00:00Z"),
                "2026-01-01T00:00:00Z",
                "2026-01-08T00:00:01Z");
        is(wms("2026-01-01/2026-03-31/P1W"), "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z");
        is(wms("2026-01-01/2026-01-02/PT1H"), "2026-01-01T00:00:00Z", "2026-01-03T00:00:00Z");
    }

    @Test
    void durationsFromAStartOrToAnEnd() {
        is(wms("2026-01-01/P1W"), "2026-01-01T00:00:00Z", "2026-01-08T00:00:00Z");
        is(wms("2026-01-31/P1M"), "2026-01-31T00:00:00Z", "2026-02-28T00:00:00Z");
        is(wms("P1W/2026-01-07"), "2026-01-01T00:00:00Z", "2026-01-08T00:00:00Z");
        is(wms("2026-01-01T00:00Z/PT36H"), "2026-01-01T00:00:00Z", "2026-01-02T12:00:00Z");
        is(wms("P1DT12H/2026-01-02T12:00:00Z"), "2026-01-01T00:00:01Z", "2026-01-02T12:00:01Z");
        is(wms("P30D/current"), "2026-11-05T16:20:31Z", "2026-12-05T16:20:31Z");
    }

    @Test
    void ogcApiOpenEnds() {
        is(api("2026-05-03T10:15:07Z"), "2026-05-03T10:15:07Z", "2026-05-03T10:15:08Z");
        is(
                api("2026-01-01T00:00:00Z/2026-02-01T00:00:00Z"),
                "2026-01-01T00:00:00Z",
                "2026-02-01T00:00:01Z");
        is(api("../2026-02-01T00:00:00Z"), null, "2026-02-01T00:00:01Z");
        is(api("2026-01-01T00:00:00Z/.."), "2026-01-01T00:00:00Z", null);
        is(api("/2026-02-01"), null, "2026-02-02T00:00:00Z");
        is(api("2026-01-01/"), "2026-01-01T00:00:00Z", null);
        assertTrue(api("../..").unbounded());
    }

    @Test
    void overlaps() {
        TimeInterval t = wms("2026-05");
        assertTrue(
                t.overlaps(
                        Instant.parse("2026-05-31T23:00:00Z"),
                        Instant.parse("2027-01-01T00:00:00Z")));
        assertFalse(
                t.overlaps(
                        Instant.parse("2026-06-01T00:00:00Z"),
                        Instant.parse("2027-01-01T00:00:00Z")));
        assertFalse(
                t.overlaps(
                        Instant.parse("2020-01-01T00:00:00Z"),
                        Instant.parse("2026-05-01T00:00:00Z")));
        assertTrue(api("../2020").overlaps(Instant.MIN, Instant.parse("2019-01-01T00:00:00Z")));
    }

    @Test
    void badValuesSayWhatIsWrong() {
        String[][] bad = {
            {"", "no time"},
            {"yesterday", "not an ISO 8601 time"},
            {"2026-13", "not a valid time"},
            {"2026-02-30", "not a valid time"},
            {"2026-05-03T25:00Z", "not a valid time"},
            {"2026-05-03Z", "not an ISO 8601 time"},
            {"2026-03-31/2026-01-01", "ends before it starts"},
            {"2026-01-01,2026-02-01", "not a list"},
            {"2026-01-01/2026-02-01/P0D", "must not be zero"},
            {"2026-01-01/2026-02-01/1W", "not an ISO 8601 duration"},
            {"2026-01-01/PXD", "not an ISO 8601 duration"},
            {"P1D/P2D", "two durations"},
            {"2026-01-01/", "both ends"},
            {"../2026", "not an ISO 8601 time"},
            {"a/b/c/d", "start/end/resolution"},
            {"2026-01-01/P99999999999Y", "too large"},
        };
        for (String[] b : bad) {
            var e = assertThrows(IllegalArgumentException.class, () -> wms(b[0]), b[0]);
            assertTrue(e.getMessage().contains(b[1]), b[0] + ": " + e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> api(".."));
        assertThrows(IllegalArgumentException.class, () -> api("2026-01-01/2026-02-01/P1D"));
        assertThrows(IllegalArgumentException.class, () -> api("../P1D"));
    }
}
