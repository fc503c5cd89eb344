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
        assertEquals(6, items.size());
        assertEquals(new Item("onTimeClosureRate", 40, 0.70, 1, 0), items.get(0));
        assertEquals(new Item("reworks", 10, 0, 0, 0.2), items.get(3));
        assertEquals(new Item("satisfaction", 10, 4.5, 1, 0), items.get(5));
        assertEquals(100, items.stream().mapToDouble(Item::points).sum());
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
