package org.gridgov.workflow;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.gridgov.api.Csv;
import org.gridgov.workflow.DeadlineRules.Rule;
import org.gridgov.workflow.DeadlineRules.Unit;
import org.junit.jupiter.api.Test;

/**
 * The workflow's reference files (deadlines, calendar, dispatch) as shipped, and as a spreadsheet
 * would save them.
 */
class WorkflowFilesTest {

    static InputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    static final String DEFAULTS =
            "*,*,ACCEPT,2,WH,0.5,2,CHIEF\r\n"
                    + "*,*,DISPATCH,2,WH,0.5,2,CHIEF\r\n"
                    + "*,*,HANDLE,3,WD,1,2,CHIEF\r\n"
                    + "*,*,VERIFY,1,WD,0.5,1,CHIEF\r\n"
                    + "*,*,CLOSE,1,WD,0,1,CHIEF\r\n"
                    + "*,*,NO_OWNER,1,WD,0.5,1,CHIEF\r\n";
    static final String DEADLINE_HEADER =
            "category,urgency,step,limit,unit,remindBefore,escalateAfter,escalateTo\r\n";

    @Test
    void todaysDeadlinesReadAsBefore() throws Exception {
        List<Rule> rules;
        try (InputStream s = DeadlineRules.class.getResourceAsStream(DeadlineRules.RESOURCE)) {
            rules = DeadlineRules.parse(s);
        }
        assertEquals(12, rules.size());
        assertEquals(new Rule("*", "*", Step.ACCEPT, 2, Unit.WH, 0.5, 2, "CHIEF"), rules.get(0));
        assertTrue(
                rules.contains(
                        new Rule("*", "URGENT", Step.HANDLE, 24, Unit.H, 4, 24, "DISTRICT")));
        assertEquals(
                new Rule("ENF_EXPOSED_GARBAGE", "*", Step.HANDLE, 4, Unit.WH, 1, 4, "CHIEF"),
                rules.get(11));
    }

    @Test
    void todaysCalendarReadsAsBefore() {
        assertEquals(
                53,
                Csv.rowsFromClasspath(
                                WorkingCalendar.class,
                                WorkingCalendar.RESOURCE,
                                List.of("kind", "value"))
                        .size());
        WorkingCalendar c = WorkingCalendar.fromClasspath();
        assertEquals(ZoneId.of("Asia/Shanghai"), c.zone());
        assertEquals(450, c.dayMinutes());
        assertFalse(c.isWorkingDay(LocalDate.parse("2025-01-28")), "a holiday");
        assertTrue(c.isWorkingDay(LocalDate.parse("2025-01-26")), "a Sunday worked");
        assertFalse(c.isWorkingDay(LocalDate.parse("2026-10-07")), "the last holiday row");
        assertTrue(c.isWorkingDay(LocalDate.parse("2026-10-10")), "the last workday row");
    }

    @Test
    void todaysDispatchRulesReadAsBefore() {
        DispatchRules d = DispatchRules.fromClasspath();
        assertEquals("GRID_WORKER", d.handlerKind("SVC_FALLEN_TREE", "SERVICE"));
        assertEquals("PLATFORM_HANDLER", d.handlerKind("ENF_EXPOSED_GARBAGE", "ENFORCEMENT"));
    }

    @Test
    void spreadsheetSavedDeadlinesWithBomAndQuotedNumbers() {
        List<Rule> rules =
                DeadlineRules.parse(
                        in(
                                "\uFEFF"
                                        + DEADLINE_HEADER
                                        + DEFAULTS
                                        + "\"platform:SERVICE\",\"*\",\"HANDLE\",\"2.5\",\"WD\","
                                        + "\"0.5\",\"2\",\"CHIEF\"\r\n"));
        assertEquals(
                new Rule("platform:SERVICE", "*", Step.HANDLE, 2.5, Unit.WD, 0.5, 2, "CHIEF"),
                rules.get(6));
    }

    @Test
    void aBadDeadlineCellIsNamed() {
        var e =
                assertThrows(
                        Csv.BadCsv.class,
                        () ->
                                DeadlineRules.parse(
                                        in(
                                                "# comment\r\n"
                                                        + DEADLINE_HEADER
                                                        + DEFAULTS
                                                        + "X,*,HANDLE,two,WD,0,0,CHIEF\r\n")));
        assertEquals(
                "gis-data/workflow/deadlines.csv line 9, column limit: 'two' is not a number",
                e.getMessage());
        var s =
                assertThrows(
                        Csv.BadCsv.class,
                        () ->
                                DeadlineRules.parse(
                                        in(DEADLINE_HEADER + "*,*,FINISH,1,WD,0,0,CHIEF\r\n")));
        assertEquals(2, s.line());
        assertEquals("step", s.column());
    }

    @Test
    void aCalendarWithBomCrlfAndQuotesReads() {
        WorkingCalendar c =
                WorkingCalendar.parse(
                        in(
                                "\uFEFFkind,value\r\n"
                                        + "\"zone\",\"Asia/Shanghai\"\r\n"
                                        + "hours,08:00-12:00\r\n"
                                        + "weekend,SUNDAY\r\n"
                                        + "\"holiday\",\"2026-12-25\"\r\n"));
        assertEquals(240, c.dayMinutes());
        assertFalse(c.isWorkingDay(LocalDate.parse("2026-12-25")));
        assertTrue(c.isWorkingDay(LocalDate.parse("2026-12-26")), "Saturday is worked here");
    }

    @Test
    void aBadCalendarValueIsNamed() {
        var e =
                assertThrows(
                        Csv.BadCsv.class,
                        () ->
                                WorkingCalendar.parse(
                                        in("kind,value\nhours,08:30-12:00\nholiday,2026-13-01\n")));
        assertEquals(3, e.line());
        assertEquals("value", e.column());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "gis-data/workflow/calendar.csv line 3, column value:"
                                        + " '2026-13-01': "),
                e.getMessage());
    }

    @Test
    void aBadDispatchHandlerIsNamed() {
        var e =
                assertThrows(
                        Csv.BadCsv.class,
                        () ->
                                DispatchRules.parse(
                                        in("category,handler\n*,PLATFORM_HANDLER\nX,NOBODY\n")));
        assertEquals(
                "gis-data/workflow/dispatch.csv line 3, column handler:"
                        + " must be GRID_WORKER or PLATFORM_HANDLER, found 'NOBODY'",
                e.getMessage());
    }
}
