package org.gridgov.demo;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.gridgov.demo.DemoHistories.Trouble;
import org.junit.jupiter.api.Test;

/**
 * Every kind of messy history is on the small demo whatever its anchor: the cases' spans depend on
 * the anchor's clock time, and a run started at the wrong minute once had no no-owner case (the
 * accountability tests look for each kind).
 */
class DemoHistoriesTest {

    @Test
    void everyTroubleIsWrittenAtAnyAnchor() throws Exception {
        var categories = DemoHistoryStats.categories();
        // 24 anchors over a year, at odd times of day and days of the week
        Instant first = Instant.parse("2026-01-01T00:00:00Z");
        for (int k = 0; k < 24; k++) {
            Instant anchor = first.plusSeconds(k * 1_314_037L);
            DemoParams p = DemoParams.small().withAnchor(anchor);
            DemoData d = DemoSubdistrict.generate(p);
            DemoHistories histories = new DemoHistories(d, p);
            Map<Trouble, Integer> written = new EnumMap<>(Trouble.class);
            long quiet = anchor.getEpochSecond() - DemoHistories.QUIET_SECONDS;
            DemoIncidents.generate(
                    d,
                    categories,
                    p,
                    i -> {
                        DemoHistories.History h = histories.next(i);
                        if (h == null) return;
                        written.merge(h.trouble(), 1, Integer::sum);
                        assertTrue(
                                h.events().get(h.events().size() - 1).at() < quiet,
                                "a history ends before the quiet days: " + anchor);
                    });
            for (Trouble t : Trouble.values())
                assertTrue(written.getOrDefault(t, 0) > 0, t + " at " + anchor + ": " + written);
        }
    }
}
