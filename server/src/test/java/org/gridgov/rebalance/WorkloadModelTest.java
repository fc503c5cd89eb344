package org.gridgov.rebalance;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pure logic of the workload model: travel by road or area, handling factors by case, by
 * category, or none.
 */
class WorkloadModelTest {

    final WorkloadModel m = WorkloadModel.defaults();

    @Test
    void travelIsRoadLengthAndAreaOnlyWhereNoRoadRuns() {
        assertEquals(13.0 * 2, m.travel(1e6, 2000), 1e-9, "2 km of road");
        assertEquals(300.0, m.travel(1e6, 0), 1e-9, "no road: 1 km² of area");
        // a unit: 10 weight points in 365 days, 100 households, 0.5 km of road
        assertEquals(10 + 200 + 6.5, m.unitWorkload(10, 365, 100, 250, 2e5, 500), 1e-9);
        assertEquals(
                20 + 200 + 60,
                m.unitWorkload(10, 182.5, 100, 250, 2e5, 0),
                1e-9,
                "half a year doubles the rate; area term");
    }

    @Test
    void handlingFactorsAreRelativeAndClamped() {
        assertEquals(2.0, m.handlingFactor(20, 10), 1e-9);
        assertEquals(4.0, m.handlingFactor(1000, 10), 1e-9, "clamped above");
        assertEquals(0.25, m.handlingFactor(0, 10), 1e-9, "clamped below");
        assertEquals(1.0, m.handlingFactor(5, 0), 1e-9, "no mean: the weight alone");
        assertEquals(720, m.cappedHours(5000), 1e-9);
    }

    @Test
    void categoriesWithEnoughCasesGetTheirMeanOthersTheWeightAlone() {
        List<HandlingTimes.Case> cases = new ArrayList<>();
        for (int i = 0; i < 6; i++)
            cases.add(new HandlingTimes.Case(0, 0, "SLOW", 1, 30)); // 6 ≥ 5 cases
        for (int i = 0; i < 6; i++) cases.add(new HandlingTimes.Case(0, 0, "FAST", 1, 10));
        for (int i = 0; i < 2; i++)
            cases.add(new HandlingTimes.Case(0, 0, "RARE", 1, 20)); // too few
        HandlingTimes h = HandlingTimes.of(cases, m);
        assertEquals(20, h.meanHours(), 1e-9);
        assertEquals(1.5, h.categoryFactor("SLOW"), 1e-9);
        assertEquals(0.5, h.categoryFactor("FAST"), 1e-9);
        assertEquals(1.0, h.categoryFactor("RARE"), 1e-9);
        assertEquals(1.0, h.categoryFactor("NEVER_SEEN"), 1e-9);
        assertEquals(1.5, h.caseFactor(cases.get(0), m), 1e-9, "a measured case: its own time");
    }

    @Test
    void tooFewMeasuredCasesChangeNothing() {
        HandlingTimes h = HandlingTimes.of(List.of(new HandlingTimes.Case(0, 0, "A", 1, 100)), m);
        assertEquals(0, h.meanHours());
        assertEquals(1.0, h.categoryFactor("A"));
        assertTrue(h.cases().isEmpty());
    }
}
