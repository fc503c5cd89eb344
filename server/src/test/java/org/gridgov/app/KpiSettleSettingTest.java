package org.gridgov.app;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** GRIDGOV_KPI_SETTLE_DAYS: a default, off, and a bad value stops the start. */
class KpiSettleSettingTest {

    private static int days(String v) {
        return Config.of(Map.of("GRIDGOV_KPI_SETTLE_DAYS", v)).kpiSettleDays();
    }

    @Test
    void defaultOffAndGoodValues() {
        assertEquals(7, Config.of(Map.of()).kpiSettleDays());
        assertEquals(-1, days("off"), "off = an admin settles");
        assertEquals(0, days("0"));
        assertEquals(10, days(" 10 "));
        assertEquals(366, days("366"));
    }

    @Test
    void badValuesAreRefusedAtStartSayingWhatIsAllowed() {
        for (String bad : new String[] {"-1", "367", "OFF", "never", "1.5", "7d"}) {
            var e = assertThrows(IllegalStateException.class, () -> days(bad), bad);
            assertTrue(e.getMessage().contains("GRIDGOV_KPI_SETTLE_DAYS"), e.getMessage());
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("'off'"), e.getMessage());
            // the server refuses to start before it touches anything (no database needed)
            var s =
                    assertThrows(
                            IllegalStateException.class,
                            () ->
                                    Gridgov.start(
                                            Config.of(Map.of("GRIDGOV_KPI_SETTLE_DAYS", bad)),
                                            null));
            assertEquals(e.getMessage(), s.getMessage());
        }
    }
}
