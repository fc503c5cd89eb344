package org.gridgov.app;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** GRIDGOV_REPORTER_RETENTION_DAYS: a default, 0 = off, and a bad value stops the start. */
class RetentionSettingTest {

    private static int days(String v) {
        return Config.of(Map.of("GRIDGOV_REPORTER_RETENTION_DAYS", v)).reporterRetentionDays();
    }

    @Test
    void defaultOffAndGoodValues() {
        assertEquals(365, Config.of(Map.of()).reporterRetentionDays());
        assertEquals(0, days("0"), "0 = keep for ever");
        assertEquals(30, days(" 30 "));
        assertEquals(36_500, days("36500"));
    }

    @Test
    void badValuesAreRefusedAtStartSayingWhatIsAllowed() {
        for (String bad : new String[] {"-1", "abc", "1.5", "36501", "99999999999", "30d"}) {
            var e = assertThrows(IllegalStateException.class, () -> days(bad), bad);
            assertTrue(e.getMessage().contains("GRIDGOV_REPORTER_RETENTION_DAYS"), e.getMessage());
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("from 0"), e.getMessage());
            // the server refuses to start before it touches anything (no database needed)
            var s =
                    assertThrows(
                            IllegalStateException.class,
                            () ->
                                    Gridgov.start(
                                            Config.of(
                                                    Map.of("GRIDGOV_REPORTER_RETENTION_DAYS", bad)),
                                            null));
            assertEquals(e.getMessage(), s.getMessage());
        }
    }
}
