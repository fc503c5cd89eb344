package org.gridgov.assess;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.gridgov.api.Csv;
import org.gridgov.assess.ScoringScheme.Item;
import org.junit.jupiter.api.Test;

/** The scoring scheme file as shipped, and as a spreadsheet would save it. */
class ScoringSchemeFileTest {

    static ScoringScheme parse(String text) {
        return ScoringScheme.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void todaysSchemeReadsAsBefore() {
        List<Item> items = ScoringScheme.fromClasspath().items();
        assertEquals(7, items.size());
        assertEquals(new Item("onTimeClosureRate", 35, 0.70, 1, 0), items.get(0));
        assertEquals(new Item("reworks", 10, 0, 0, 0.2), items.get(3));
        assertEquals(new Item("satisfaction", 10, 4.5, 1, 0), items.get(5));
        assertEquals(new Item("taskOnTime", 5, 0.90, 0.25, 0), items.get(6));
        assertEquals(100, items.stream().mapToDouble(Item::points).sum());
    }

    @Test
    void tasksAreScoredAndASchemeWithoutThemStillReads() {
        Kpi k = Kpi.noCases("gw1");
        var late = new KpiCalculator.TaskFigures(10, 9, 8, 0.8, 0.9);
        ScoringScheme today = ScoringScheme.fromClasspath();
        // 80 % vs 90 %: 10 points × 0.25 = 2.5 off 5; no case: the rest full
        assertEquals(97.5, today.score(k, late).total(), 1e-9);
        assertEquals(100.0, today.score(k, null).total(), 1e-9, "no task: no base, full");
        assertEquals(
                0.0,
                today.score(k, new KpiCalculator.TaskFigures(5, 1, 1, 0.2, 0.2))
                        .items()
                        .get("taskOnTime"),
                1e-9,
                "clamped at 0");
        // a version stored before task scoring (the scheme of 2026-11): tasks count 0 of 0
        ScoringScheme before =
                parse(
                        "indicator,points,target,perPointBelow,perEvent\n"
                                + "onTimeClosureRate,40,0.70,1,0\n"
                                + "overdue,10,0,0,0.5\n");
        var s = before.score(k, late);
        assertEquals(50.0, s.total(), 1e-9);
        assertEquals(50.0, s.max(), 1e-9);
        assertFalse(s.items().containsKey("taskOnTime"));
    }

    @Test
    void bomCrlfAndQuotedNumbersRead() {
        ScoringScheme s =
                parse(
                        "\uFEFFindicator,points,target,perPointBelow,perEvent\r\n"
                                + "\"overdue\",\"10\",\"0\",\"0\",\"0.5\"\r\n");
        assertEquals(List.of(new Item("overdue", 10, 0, 0, 0.5)), s.items());
    }

    @Test
    void aShortRowAndABadNumberAreNamed() {
        var shortRow =
                assertThrows(
                        Csv.BadCsv.class,
                        () ->
                                parse(
                                        "indicator,points,target,perPointBelow,perEvent\noverdue,10\n"));
        assertEquals(
                "gis-data/assessment/scoring.csv line 2: 2 fields, the header names 5",
                shortRow.getMessage());
        var bad =
                assertThrows(
                        Csv.BadCsv.class,
                        () ->
                                parse(
                                        "indicator,points,target,perPointBelow,perEvent\n"
                                                + "overdue,ten,0,0,0.5\n"));
        assertEquals(
                "gis-data/assessment/scoring.csv line 2, column points: 'ten' is not a number",
                bad.getMessage());
    }
}
