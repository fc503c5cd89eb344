package org.gridgov.roster;

import static org.junit.jupiter.api.Assertions.*;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A roster request's pattern expanded over the working calendar, in the area's time zone. */
class ShiftPatternTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    // Mon 2026-12-07 .. Sun 2026-12-13; Wed 9th a holiday, Sat 12th a make-up workday (调休)
    static final LocalDate HOLIDAY = LocalDate.of(2026, 12, 9),
            MAKE_UP = LocalDate.of(2026, 12, 12);
    static final WorkingDays CALENDAR =
            d ->
                    d.equals(MAKE_UP)
                            || (!d.equals(HOLIDAY)
                                    && !Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY)
                                            .contains(d.getDayOfWeek()));

    static List<ShiftPattern.Interval> expand(String start, String end, ShiftPattern.Days days) {
        return new ShiftPattern(
                        LocalDate.of(2026, 12, 7),
                        LocalDate.of(2026, 12, 13),
                        LocalTime.parse(start),
                        LocalTime.parse(end),
                        days)
                .expand(ZONE, CALENDAR);
    }

    static LocalDateTime local(java.time.Instant t) {
        return t.atZone(ZONE).toLocalDateTime();
    }

    @Test
    void workingDaysFollowTheCalendar() {
        List<ShiftPattern.Interval> s = expand("08:30", "17:30", ShiftPattern.Days.WORKING);
        assertEquals(
                List.of(7, 8, 10, 11, 12),
                s.stream().map(i -> local(i.start()).getDayOfMonth()).toList());
        assertEquals(LocalDateTime.parse("2026-12-07T08:30"), local(s.get(0).start()));
        assertEquals(LocalDateTime.parse("2026-12-07T17:30"), local(s.get(0).end()));
        assertEquals("2026-12-07T00:30:00Z", s.get(0).start().toString(), "08:30 in UTC+8");
    }

    @Test
    void nonWorkingDaysAreTheRest() {
        assertEquals(
                List.of(9, 13),
                expand("08:30", "17:30", ShiftPattern.Days.NON_WORKING).stream()
                        .map(i -> local(i.start()).getDayOfMonth())
                        .toList());
        assertEquals(7, expand("08:30", "17:30", ShiftPattern.Days.ALL).size());
    }

    @Test
    void anEndBeforeTheStartRunsOvernight() {
        ShiftPattern.Interval first = expand("20:00", "08:00", ShiftPattern.Days.ALL).get(0);
        assertEquals(LocalDateTime.parse("2026-12-07T20:00"), local(first.start()));
        assertEquals(LocalDateTime.parse("2026-12-08T08:00"), local(first.end()));
    }
}
