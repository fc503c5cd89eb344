package org.gridgov.workflow;

import java.io.InputStream;
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
import org.gridgov.api.Csv;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.category.RefKind;
import org.gridgov.category.ReferenceData;
import org.gridgov.category.Versioned;

/**
 * Office hours, weekends, public holidays and swapped working days (调休), read from
 * gis-data/workflow/calendar.csv. Counts working time forward from an instant and between two
 * instants, to the minute.
 */
public final class WorkingCalendar {

    static final String RESOURCE = "/gis-data/workflow/calendar.csv";

    /** Versioned reference data (docs/reference-data.md), seeded from calendar.csv. */
    public static final RefKind<WorkingCalendar> KIND =
            new RefKind<>(
                    "calendar",
                    RESOURCE,
                    List.of(RefKind.text("kind"), RefKind.text("value")),
                    WorkingCalendar::of);

    private static final List<String> COLUMNS = KIND.columnNames();

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
        return of(Csv.rowsFromClasspath(WorkingCalendar.class, RESOURCE, COLUMNS));
    }

    static WorkingCalendar parse(InputStream in) {
        return of(Csv.rows(RESOURCE.substring(1), in, COLUMNS));
    }

    private static WorkingCalendar of(List<Csv.Row> rows) {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        List<Hours> hours = new ArrayList<>();
        Set<DayOfWeek> weekend = EnumSet.noneOf(DayOfWeek.class);
        Set<LocalDate> holidays = new HashSet<>(), workdays = new HashSet<>();
        for (Csv.Row r : rows) {
            switch (r.text("kind")) {
                case "zone" -> zone = r.parse("value", ZoneId::of);
                case "hours" -> {
                    Hours h = r.parse("value", WorkingCalendar::interval);
                    if (!hours.isEmpty() && h.from().isBefore(hours.get(hours.size() - 1).to()))
                        throw r.error("value", "intervals must be in order and not overlap");
                    hours.add(h);
                }
                case "weekend" -> weekend.add(r.oneOf(DayOfWeek.class, "value"));
                case "holiday" -> holidays.add(r.parse("value", LocalDate::parse));
                case "workday" -> workdays.add(r.parse("value", LocalDate::parse));
                default -> throw r.error("kind", "unknown kind '" + r.text("kind") + "'");
            }
        }
        return new WorkingCalendar(zone, hours, weekend, holidays, workdays);
    }

    /** HH:MM-HH:MM, a non-empty interval. */
    private static Hours interval(String text) {
        String[] t = text.split("-");
        if (t.length != 2) throw new IllegalArgumentException("expected HH:MM-HH:MM");
        Hours h = new Hours(LocalTime.parse(t[0]), LocalTime.parse(t[1]));
        if (!h.to().isAfter(h.from())) throw new IllegalArgumentException("empty interval");
        return h;
    }

    /**
     * The calendar as the server keeps it: registered with {@code data} (seeded on a new database).
     * A new version must list the holidays of every year from its first to its last, the year it
     * takes effect in among them; a make-up workday (调休) is a weekend day, and no day is both; the
     * time zone stays the one the server started with.
     */
    public static Versioned<WorkingCalendar> register(ReferenceData data)
            throws java.sql.SQLException {
        Versioned<WorkingCalendar> v = data.register(KIND);
        data.check(KIND, (cal, rows, from) -> cal.checkYears(v.current(), from));
        return v;
    }

    void checkYears(WorkingCalendar now, Instant effectiveFrom) {
        ZoneId serverZone = now.zone();
        if (!zone.equals(serverZone))
            throw invalid("the time zone is " + serverZone + " (set at install); found " + zone);
        java.util.TreeSet<Integer> years = years();
        int from = effectiveFrom.atZone(zone).getYear();
        if (years.isEmpty()) throw invalid("no public holidays: list each year's holidays");
        for (int y = years.first(); y <= years.last(); y++)
            if (!years.contains(y))
                throw invalid(
                        "year "
                                + y
                                + " is missing: holidays are listed for "
                                + years.first()
                                + " to "
                                + years.last()
                                + " but none for "
                                + y);
        if (from < years.first() || from > years.last())
            throw invalid(
                    "year "
                            + from
                            + " is missing: the calendar takes effect in "
                            + from
                            + " but lists holidays for "
                            + years.first()
                            + " to "
                            + years.last());
        for (int y : now.years())
            if (y < from && !years.contains(y))
                throw invalid(
                        "year " + y + " is missing: past years stay (cases were counted in them)");
        for (LocalDate d : workdays) {
            if (!weekend.contains(d.getDayOfWeek()))
                throw invalid(
                        "make-up workday "
                                + d
                                + " is a "
                                + d.getDayOfWeek()
                                + ", not a weekend day");
            if (holidays.contains(d))
                throw invalid(d + " is listed both as a holiday and as a make-up workday");
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(
                Problem.of(
                        422,
                        "invalid-reference-data",
                        "The reference data is invalid",
                        "calendar: " + detail,
                        null));
    }

    /** The years whose public holidays the calendar lists. */
    public java.util.TreeSet<Integer> years() {
        java.util.TreeSet<Integer> years = new java.util.TreeSet<>();
        for (LocalDate d : holidays) years.add(d.getYear());
        return years;
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

    /**
     * Working minutes between two instants (0 when b is not after a): the office intervals of each
     * day between them, each cut to [a, b] and counted in whole minutes.
     */
    public long workingMinutesBetween(Instant a, Instant b) {
        if (!b.isAfter(a)) return 0;
        long na = nanos(a), nb = nanos(b), total = 0;
        LocalDate last = LocalDate.ofInstant(b, zone);
        for (LocalDate day = LocalDate.ofInstant(a, zone);
                !day.isAfter(last);
                day = day.plusDays(1)) {
            long[] office = office(day);
            for (int k = 0; k < office.length; k += 2) {
                long s = Math.max(office[k], na), e = Math.min(office[k + 1], nb);
                if (e > s) total += (e - s) / 60_000_000_000L;
            }
        }
        return total;
    }

    private static final long[] NO_OFFICE = new long[0];

    /**
     * Each day's office intervals as [from, to) epoch nanoseconds, worked out once per day asked
     * for: the KPIs count a million cases' handling times, and this calendar never changes (a new
     * version is a new calendar).
     */
    private final java.util.concurrent.ConcurrentHashMap<LocalDate, long[]> officeByDay =
            new java.util.concurrent.ConcurrentHashMap<>();

    private long[] office(LocalDate day) {
        return officeByDay.computeIfAbsent(
                day,
                d -> {
                    if (!isWorkingDay(d)) return NO_OFFICE;
                    long[] out = new long[hours.size() * 2];
                    for (int k = 0; k < hours.size(); k++) {
                        out[2 * k] = nanos(d.atTime(hours.get(k).from()).atZone(zone).toInstant());
                        out[2 * k + 1] =
                                nanos(d.atTime(hours.get(k).to()).atZone(zone).toInstant());
                    }
                    return out;
                });
    }

    private static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }
}
