package org.gridgov.workflow;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * Working time over office hours, weekends, holidays and swapped working days (the shipped
 * calendar).
 */
class WorkingCalendarTest {

    static final WorkingCalendar CAL = WorkingCalendar.fromClasspath();
    static final DeadlineRules RULES = DeadlineRules.fromClasspath(CAL);

    static Instant t(String s) {
        return OffsetDateTime.parse(s).toInstant();
    }

    @Test
    void weekendsHolidaysAndSwappedDays() {
        assertTrue(CAL.isWorkingDay(LocalDate.parse("2026-11-25"))); // Wednesday
        assertFalse(CAL.isWorkingDay(LocalDate.parse("2026-11-28"))); // Saturday
        assertFalse(CAL.isWorkingDay(LocalDate.parse("2026-10-01"))); // National Day
        assertTrue(CAL.isWorkingDay(LocalDate.parse("2026-10-10"))); // Saturday worked (调休)
        assertEquals(450, CAL.dayMinutes(), "08:30-12:00 and 13:30-17:30");
    }

    @Test
    void workingHoursSkipLunchNightsAndWeekends() {
        // Wed 11:00 + 2 working hours: 1 h until lunch, 1 h after 13:30
        assertEquals(
                t("2026-11-25T14:30+08:00"),
                CAL.plusWorkingMinutes(t("2026-11-25T11:00+08:00"), 120));
        // Fri 17:00 + 1 h: 30 min on Friday, 30 min on Monday morning
        assertEquals(
                t("2026-11-30T09:00+08:00"),
                CAL.plusWorkingMinutes(t("2026-11-27T17:00+08:00"), 60));
        // a report at night: the clock starts at the next opening
        assertEquals(
                t("2026-11-26T09:30+08:00"),
                CAL.plusWorkingMinutes(t("2026-11-25T22:00+08:00"), 60));
        // before the National Day holiday (Oct 1-7 off, Oct 5-7 holidays; Oct 3-4 weekend); Oct 8
        // Thursday works
        assertEquals(
                t("2026-10-08T09:00+08:00"),
                CAL.plusWorkingMinutes(t("2026-09-30T17:00+08:00"), 60));
        assertEquals(
                60,
                CAL.workingMinutesBetween(
                        t("2026-09-30T17:00+08:00"), t("2026-10-08T09:00+08:00")));
        assertEquals(
                450 * 5,
                CAL.workingMinutesBetween(
                        t("2026-11-23T00:00+08:00"), t("2026-11-30T00:00+08:00")));
    }

    /**
     * The working minutes between two instants, as counted before the per-day office table: every
     * office interval of every day between, cut to [a, b], in whole minutes.
     */
    static long reference(Instant a, Instant b) {
        if (!b.isAfter(a)) return 0;
        var zone = CAL.zone();
        var za = a.atZone(zone);
        var zb = b.atZone(zone);
        String[][] office = {{"08:30", "12:00"}, {"13:30", "17:30"}};
        long total = 0;
        for (LocalDate day = za.toLocalDate();
                !day.isAfter(zb.toLocalDate());
                day = day.plusDays(1)) {
            if (!CAL.isWorkingDay(day)) continue;
            for (String[] h : office) {
                var from = day.atTime(java.time.LocalTime.parse(h[0])).atZone(zone);
                var to = day.atTime(java.time.LocalTime.parse(h[1])).atZone(zone);
                var s = from.isBefore(za) ? za : from;
                var e = to.isAfter(zb) ? zb : to;
                if (e.isAfter(s)) total += java.time.Duration.between(s, e).toMinutes();
            }
        }
        return total;
    }

    @Test
    void workingMinutesAgreeWithCountingEveryIntervalOverTwoYears() {
        var random = new java.util.Random(20);
        Instant start = t("2025-12-20T00:00+08:00");
        for (int n = 0; n < 20_000; n++) {
            // nanoseconds, seconds on an interval's edge and spans from a minute to sixty days
            Instant a =
                    start.plusSeconds(random.nextInt(730 * 86_400))
                            .plusNanos(random.nextInt(3) == 0 ? random.nextInt(1_000_000_000) : 0);
            Instant b =
                    a.plusSeconds(random.nextInt(n % 4 == 0 ? 60 * 86_400 : 3 * 86_400))
                            .plusNanos(random.nextInt(1_000_000_000));
            assertEquals(reference(a, b), CAL.workingMinutesBetween(a, b), a + " → " + b);
        }
        // an interval's edges, and b before a
        assertEquals(
                210,
                CAL.workingMinutesBetween(
                        t("2026-11-25T08:30+08:00"), t("2026-11-25T12:00+08:00")));
        assertEquals(
                0,
                CAL.workingMinutesBetween(
                        t("2026-11-25T12:00+08:00"), t("2026-11-25T13:30+08:00")));
        assertEquals(
                0,
                CAL.workingMinutesBetween(
                        t("2026-11-25T12:00+08:00"), t("2026-11-25T09:00+08:00")));
        assertEquals(
                0,
                CAL.workingMinutesBetween(
                        t("2026-11-25T09:00:00.5+08:00"), t("2026-11-25T09:01:00.2+08:00")));
    }

    @Test
    void deadlinesAreDataPerCategoryUrgencyAndStep() {
        Instant wed9 = t("2026-11-25T09:00+08:00");
        // exposed garbage: 4 working hours to handle (a city's rule), reminder 1 h before,
        // escalation 4 h after
        var g = RULES.plan("ENF_EXPOSED_GARBAGE", "ENFORCEMENT", "NORMAL", Step.HANDLE, wed9);
        assertEquals(t("2026-11-25T14:30+08:00"), g.dueAt());
        assertEquals(
                t("2026-11-25T12:00+08:00"),
                g.remindAt(),
                "3 working hours in: the end of the morning");
        assertEquals(t("2026-11-26T09:30+08:00"), g.escalateAt());
        // another enforcement matter: the default 3 working days
        var d = RULES.plan("ENF_ILLEGAL_PARKING", "ENFORCEMENT", "NORMAL", Step.HANDLE, wed9);
        assertEquals(t("2026-11-30T09:00+08:00"), d.dueAt());
        // market platform: 5 working days
        assertEquals(
                t("2026-12-02T09:00+08:00"),
                RULES.plan("MKT_X", "MARKET", "NORMAL", Step.HANDLE, wed9).dueAt());
        // urgent acceptance: 30 calendar minutes, even on a Sunday night
        Instant sunNight = t("2026-11-29T23:00+08:00");
        assertEquals(
                sunNight.plusSeconds(1800),
                RULES.plan("GOV_FIRE_EXIT_BLOCKED", "GOVERNANCE", "URGENT", Step.ACCEPT, sunNight)
                        .dueAt());
        // an extension of 8 working hours moves the deadline by 8 working hours
        var ext = RULES.extend(g, "ENF_EXPOSED_GARBAGE", "ENFORCEMENT", "NORMAL", 8);
        assertEquals(CAL.plusWorkingMinutes(g.dueAt(), 480), ext.dueAt());
    }
}
