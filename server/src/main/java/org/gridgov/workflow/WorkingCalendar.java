package org.gridgov.workflow;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Office hours, weekends, public holidays and swapped working days (调休), read from
 * gis-data/workflow/calendar.csv. Counts working time forward from an instant and between two
 * instants, to the minute.
 */
public final class WorkingCalendar {

    static final String RESOURCE = "/gis-data/workflow/calendar.csv";

    /** An office-hours interval of a working day. */
    record Hours(LocalTime from, LocalTime to) {
        long minutes() {
            return Duration.between(from, to).toMinutes();
        }
    }

    private final ZoneId zone;
    private final List<Hours> hours;
    private final Set<DayOfWeek> weekend;
    private final Set<LocalDate> holidays;
    private final Set<LocalDate> workdays;
    private final long dayMinutes;

    public WorkingCalendar(
            ZoneId zone,
            List<Hours> hours,
            Set<DayOfWeek> weekend,
            Set<LocalDate> holidays,
            Set<LocalDate> workdays) {
        if (hours.isEmpty())
            throw new IllegalArgumentException("a working calendar needs office hours");
        this.zone = zone;
        this.hours = List.copyOf(hours);
        this.weekend =
                weekend.isEmpty() ? EnumSet.noneOf(DayOfWeek.class) : EnumSet.copyOf(weekend);
        this.holidays = Set.copyOf(holidays);
        this.workdays = Set.copyOf(workdays);
        this.dayMinutes = hours.stream().mapToLong(Hours::minutes).sum();
    }

    public static WorkingCalendar fromClasspath() {
        try (InputStream in = WorkingCalendar.class.getResourceAsStream(RESOURCE)) {
            if (in == null)
                throw new IllegalStateException(
                        "working calendar missing from the build: " + RESOURCE);
            return parse(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    static WorkingCalendar parse(InputStream in) throws IOException {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        List<Hours> hours = new ArrayList<>();
        Set<DayOfWeek> weekend = EnumSet.noneOf(DayOfWeek.class);
        Set<LocalDate> holidays = new HashSet<>(), workdays = new HashSet<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#") || line.equals("kind,value")) continue;
            String[] f = line.split(",", -1);
            if (f.length != 2)
                throw new IllegalStateException(RESOURCE + " line " + n + ": expected kind,value");
            try {
                switch (f[0]) {
                    case "zone" -> zone = ZoneId.of(f[1]);
                    case "hours" -> {
                        String[] t = f[1].split("-");
                        Hours h = new Hours(LocalTime.parse(t[0]), LocalTime.parse(t[1]));
                        if (!h.to().isAfter(h.from()))
                            throw new IllegalArgumentException("empty interval");
                        if (!hours.isEmpty() && h.from().isBefore(hours.get(hours.size() - 1).to()))
                            throw new IllegalArgumentException(
                                    "intervals must be in order and not overlap");
                        hours.add(h);
                    }
                    case "weekend" -> weekend.add(DayOfWeek.valueOf(f[1]));
                    case "holiday" -> holidays.add(LocalDate.parse(f[1]));
                    case "workday" -> workdays.add(LocalDate.parse(f[1]));
                    default -> throw new IllegalArgumentException("unknown kind '" + f[0] + "'");
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException(RESOURCE + " line " + n + ": " + e.getMessage(), e);
            }
        }
        return new WorkingCalendar(zone, hours, weekend, holidays, workdays);
    }

    public ZoneId zone() {
        return zone;
    }

    /** Working minutes in one working day (a "working day" of a deadline). */
    public long dayMinutes() {
        return dayMinutes;
    }

    public boolean isWorkingDay(LocalDate d) {
        if (workdays.contains(d)) return true;
        if (holidays.contains(d)) return false;
        return !weekend.contains(d.getDayOfWeek());
    }

    /** The instant at which {@code minutes} of working time have passed since {@code start}. */
    public Instant plusWorkingMinutes(Instant start, long minutes) {
        if (minutes < 0) throw new IllegalArgumentException("negative working time");
        ZonedDateTime t = start.atZone(zone);
        LocalDate day = t.toLocalDate();
        long left = minutes;
        for (int guard = 0; guard < 3660; guard++, day = day.plusDays(1)) {
            if (!isWorkingDay(day)) continue;
            for (Hours h : hours) {
                ZonedDateTime from = day.atTime(h.from()).atZone(zone),
                        to = day.atTime(h.to()).atZone(zone);
                if (!to.isAfter(t)) continue;
                ZonedDateTime s = from.isAfter(t) ? from : t;
                long avail = Duration.between(s, to).toMinutes();
                if (left <= avail) {
                    // 0 minutes left: the deadline is now, or the next office opening
                    return s.plusMinutes(left).toInstant();
                }
                left -= avail;
            }
        }
        throw new IllegalStateException("no working time within ten years after " + start);
    }

    /** Working minutes between two instants (0 when b is not after a). */
    public long workingMinutesBetween(Instant a, Instant b) {
        if (!b.isAfter(a)) return 0;
        ZonedDateTime za = a.atZone(zone), zb = b.atZone(zone);
        long total = 0;
        for (LocalDate day = za.toLocalDate();
                !day.isAfter(zb.toLocalDate());
                day = day.plusDays(1)) {
            if (!isWorkingDay(day)) continue;
            for (Hours h : hours) {
                ZonedDateTime from = day.atTime(h.from()).atZone(zone),
                        to = day.atTime(h.to()).atZone(zone);
                ZonedDateTime s = from.isBefore(za) ? za : from, e = to.isAfter(zb) ? zb : to;
                if (e.isAfter(s)) total += Duration.between(s, e).toMinutes();
            }
        }
        return total;
    }
}
