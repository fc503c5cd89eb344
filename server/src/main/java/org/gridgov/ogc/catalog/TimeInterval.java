package org.gridgov.ogc.catalog;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time interval [start, end) read from the text a client sends: WMS {@code TIME} (WMS 1.3.0 Annex
 * C/D) or OGC API Features {@code datetime}. One parser for both, so the map and the features agree
 * on what a value means.
 *
 * <p>A value names the whole period of its precision: {@code 2026} is the year, {@code 2026-05} the
 * month, {@code 2026-05-03} the day, {@code 2026-05-03T10:00Z} the minute. A range {@code a/b} runs
 * from the start of a to the end of b (both included, as OGC intervals are closed); {@code a/P1W}
 * and {@code P1W/b} are a start or end with a duration; WMS's {@code a/b/P1D} is the range a/b (the
 * resolution is checked, not used: a map counts every incident in the range). OGC API's open ends
 * are {@code ..} or empty. Values without an offset are UTC, as MapServer and GeoServer read them;
 * {@code current}, {@code present} and {@code now} are the present moment.
 *
 * @param start first instant included, or null when open
 * @param end first instant after the interval, or null when open
 */
public record TimeInterval(Instant start, Instant end) {

    /** Which grammar: WMS TIME (no open ends) or OGC API datetime (open ends, no resolution). */
    public enum Syntax {
        WMS,
        OGC_API
    }

    private static final Pattern VALUE =
            Pattern.compile(
                    "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:[Tt](\\d{2})(?::(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?"
                            + "([Zz]|[+-]\\d{2}(?::?\\d{2})?)?)?)?)?");

    public TimeInterval {
        if (start != null && end != null && !start.isBefore(end))
            throw new IllegalArgumentException("the interval ends before it starts");
    }

    /** Whether the interval leaves out nothing (both ends open). */
    public boolean unbounded() {
        return start == null && end == null;
    }

    /** Whether the interval shares an instant with [from, to). */
    public boolean overlaps(Instant from, Instant to) {
        return (start == null || start.isBefore(to)) && (end == null || end.isAfter(from));
    }

    /**
     * Reads text in the given syntax; now is the present moment (for {@code current}). Throws
     * IllegalArgumentException saying what is wrong.
     */
    public static TimeInterval parse(String text, Syntax syntax, Instant now) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("no time given");
        String t = text.trim();
        if (t.contains(","))
            throw new IllegalArgumentException("give one time or one range, not a list");
        String[] parts = t.split("/", -1);
        if (parts.length == 1) {
            if (syntax == Syntax.OGC_API && t.equals(".."))
                throw new IllegalArgumentException("'..' is only an open end of a range");
            return period(t, now);
        }
        if (parts.length == 3 && syntax == Syntax.WMS) {
            span(parts[2], "resolution"); // checked, not used: the map counts the whole range
            return range(parts[0], parts[1], syntax, now);
        }
        if (parts.length != 2)
            throw new IllegalArgumentException(
                    syntax == Syntax.WMS
                            ? "a time is a value, start/end or start/end/resolution"
                            : "datetime is an instant or a range start/end");
        return range(parts[0], parts[1], syntax, now);
    }

    private static TimeInterval range(String a, String b, Syntax syntax, Instant now) {
        boolean openA = open(a, syntax), openB = open(b, syntax);
        if (isDuration(a) && isDuration(b))
            throw new IllegalArgumentException(
                    "a range needs a start or an end, not two durations");
        if (isDuration(a)) {
            if (openB) throw new IllegalArgumentException("a duration needs a start or an end");
            Instant end = period(b, now).end;
            return new TimeInterval(minus(end, a), end);
        }
        if (isDuration(b)) {
            if (openA) throw new IllegalArgumentException("a duration needs a start or an end");
            Instant start = period(a, now).start;
            return new TimeInterval(start, plus(start, b));
        }
        Instant start = openA ? null : period(a, now).start;
        Instant end = openB ? null : period(b, now).end;
        if (start != null && end != null && !start.isBefore(end))
            throw new IllegalArgumentException("the range ends before it starts");
        return new TimeInterval(start, end);
    }

    private static boolean open(String s, Syntax syntax) {
        if (syntax == Syntax.OGC_API && (s.isEmpty() || s.equals(".."))) return true;
        if (s.isEmpty()) throw new IllegalArgumentException("a range needs both ends");
        return false;
    }

    private static boolean isDuration(String s) {
        return s.startsWith("P") || s.startsWith("p");
    }

    /** One value as the period its precision names. */
    static TimeInterval period(String s, Instant now) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("current") || lower.equals("present") || lower.equals("now")) {
            Instant n = now.truncatedTo(ChronoUnit.SECONDS);
            return new TimeInterval(n, n.plusSeconds(1));
        }
        Matcher m = VALUE.matcher(s);
        if (!m.matches())
            throw new IllegalArgumentException(
                    "'"
                            + ClientText.shorten(s)
                            + "' is not an ISO 8601 time (YYYY, YYYY-MM, YYYY-MM-DD,"
                            + " YYYY-MM-DDThh:mm[:ss[.fff]][Z|±hh:mm])");
        try {
            int year = Integer.parseInt(m.group(1));
            int month = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            int day = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
            LocalDate date = LocalDate.of(year, month, day);
            if (m.group(2) == null) return days(date, date.plusYears(1));
            if (m.group(3) == null) return days(date, date.plusMonths(1));
            if (m.group(4) == null) return days(date, date.plusDays(1));
            int hour = Integer.parseInt(m.group(4));
            int minute = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
            int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
            String frac = m.group(7);
            int nanos = frac == null ? 0 : Integer.parseInt((frac + "00000000").substring(0, 9));
            ZoneOffset offset = offset(m.group(8));
            Instant start =
                    LocalDateTime.of(date, LocalTime.of(hour, minute, second, nanos))
                            .toInstant(offset);
            Duration unit =
                    frac != null
                            ? Duration.ofNanos((long) Math.pow(10, 9 - frac.length()))
                            : m.group(6) != null
                                    ? Duration.ofSeconds(1)
                                    : m.group(5) != null
                                            ? Duration.ofMinutes(1)
                                            : Duration.ofHours(1);
            return new TimeInterval(start, start.plus(unit));
        } catch (DateTimeException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + ClientText.shorten(s) + "' is not a valid time: " + e.getMessage());
        }
    }

    private static TimeInterval days(LocalDate from, LocalDate to) {
        return new TimeInterval(
                from.atStartOfDay().toInstant(ZoneOffset.UTC),
                to.atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    private static ZoneOffset offset(String z) {
        if (z == null || z.equalsIgnoreCase("Z")) return ZoneOffset.UTC;
        String s = z.length() == 5 ? z.substring(0, 3) + ":" + z.substring(3) : z;
        return ZoneOffset.of(s);
    }

    /** An ISO 8601 duration PnYnMnWnDTnHnMnS, positive. */
    private record Span(Period period, Duration time) {}

    private static Span span(String s, String what) {
        String u = s.toUpperCase(java.util.Locale.ROOT);
        if (!u.matches(
                        "P(?:\\d+Y)?(?:\\d+M)?(?:\\d+W)?(?:\\d+D)?(?:T(?:\\d+H)?(?:\\d+M)?(?:\\d+(?:\\.\\d+)?S)?)?")
                || u.equals("P")
                || u.endsWith("T"))
            throw new IllegalArgumentException(
                    "the "
                            + what
                            + " '"
                            + ClientText.shorten(s)
                            + "' is not an ISO 8601 duration such as P1D, P1W, P1M or PT1H");
        int t = u.indexOf('T');
        try {
            Period p = t == 1 ? Period.ZERO : Period.parse(t < 0 ? u : u.substring(0, t));
            Duration d = t < 0 ? Duration.ZERO : Duration.parse("PT" + u.substring(t + 1));
            if (p.isZero() && d.isZero())
                throw new IllegalArgumentException("the " + what + " must not be zero");
            return new Span(p, d);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    "the " + what + " '" + ClientText.shorten(s) + "' is too large");
        }
    }

    private static Instant plus(Instant i, String s) {
        Span sp = span(s, "duration");
        try {
            return i.atOffset(ZoneOffset.UTC).plus(sp.period()).plus(sp.time()).toInstant();
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    "the duration '" + ClientText.shorten(s) + "' is too large");
        }
    }

    private static Instant minus(Instant i, String s) {
        Span sp = span(s, "duration");
        try {
            return i.atOffset(ZoneOffset.UTC).minus(sp.period()).minus(sp.time()).toInstant();
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    "the duration '" + ClientText.shorten(s) + "' is too large");
        }
    }
}
