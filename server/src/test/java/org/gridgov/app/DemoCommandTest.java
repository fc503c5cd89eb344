package org.gridgov.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.gridgov.demo.DemoParams;
import org.junit.jupiter.api.Test;

/** {@code demo --anchor T}: the benchmarks' fixed history end, read before anything is loaded. */
class DemoCommandTest {

    @Test
    void anchorIsATimeWithItsOffset() {
        assertEquals(DemoParams.FIXED_ANCHOR, Main.anchor("2026-11-01T00:00+08:00"));
        assertEquals(Instant.parse("2026-12-05T05:00:00Z"), Main.anchor("2026-12-05T13:00+08:00"));
    }

    @Test
    void aBadAnchorIsRefusedBeforeTheDatabaseIsTouched() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-05T05:00:00Z"), ZoneOffset.UTC);
        // no database is configured: the refusal must come from the option, not a connection
        var e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Main.demo(
                                        Config.of(Map.of()),
                                        new String[] {"--anchor", "2026-11-01"},
                                        clock));
        assertTrue(e.getMessage().contains("--anchor"), e.getMessage());
        assertTrue(e.getMessage().contains("'2026-11-01'"), e.getMessage());
    }
}
