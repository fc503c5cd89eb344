package org.gridgov.roster;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A roster request's repeating shift: from date to date (inclusive), start to end local time in the
 * area's zone (an end at or before the start runs overnight into the next day), on the days chosen.
 * Expands into the shifts' instants.
 */
public record ShiftPattern(
        LocalDate from, LocalDate to, LocalTime start, LocalTime end, Days days) {

    /** Which dates of the range get the shift. */
    public enum Days {
        /** Working days of the working calendar (holidays off, make-up workdays on). */
        WORKING,
        /** Weekends and holidays only: the cover the working days leave. */
        NON_WORKING,
        /** Every date. */
        ALL
    }

    /** Longest range of dates one request may roster. */
    public static final int MAX_DAYS = 366;

    public record Interval(Instant start, Instant end) {}

    public List<Interval> expand(ZoneId zone, WorkingDays calendar) {
        List<Interval> out = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            boolean working = calendar.isWorkingDay(d);
            if (days == Days.WORKING && !working) continue;
            if (days == Days.NON_WORKING && working) continue;
            LocalDate endDay = end.isAfter(start) ? d : d.plusDays(1);
            out.add(
                    new Interval(
                            d.atTime(start).atZone(zone).toInstant(),
                            endDay.atTime(end).atZone(zone).toInstant()));
        }
        return out;
    }
}
