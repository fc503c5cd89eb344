package org.gridgov.assess;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * The period asked about, [from, to): a named one as assessment names them (2026, 2026-Q4, 2026-11,
 * in the area's time zone), or from/to as dates (2026-10-01, the day's start) or date-times with an
 * offset. At most 400 days, so one question stays one quick pass.
 */
public record Period(String label, OffsetDateTime from, OffsetDateTime to) {

    public static final Duration LONGEST = Duration.ofDays(400);

    public static Period of(String period, String from, String to, ZoneId zone) {
        if (period != null && (from != null || to != null))
            throw bad("period", "give either 'period' or 'from' and 'to', not both");
        if (period != null) return named(period, zone);
        if (from == null || to == null)
            throw bad(
                    from == null ? "from" : "to",
                    "'period' (2026, 2026-Q4, 2026-11) or both 'from' and 'to' are required");
        OffsetDateTime f = instant("from", from, zone), t = instant("to", to, zone);
        if (!f.isBefore(t)) throw bad("to", "'to' must be later than 'from'");
        if (Duration.between(f, t).compareTo(LONGEST) > 0)
            throw bad("to", "a period is at most 400 days; ask for a shorter one");
        return new Period(null, f, t);
    }

    /** A calendar month in the zone, [its first day's start, the next month's). */
    public static Period month(YearMonth month, ZoneId zone) {
        return new Period(
                month.toString(),
                month.atDay(1).atStartOfDay(zone).toOffsetDateTime(),
                month.plusMonths(1).atDay(1).atStartOfDay(zone).toOffsetDateTime());
    }

    public static Period named(String p, ZoneId zone) {
        LocalDate from, to;
        try {
            if (p.matches("\\d{4}")) {
                from = LocalDate.of(Integer.parseInt(p), 1, 1);
                to = from.plusYears(1);
            } else if (p.matches("\\d{4}-Q[1-4]")) {
                from =
                        LocalDate.of(
                                Integer.parseInt(p.substring(0, 4)),
                                (p.charAt(6) - '1') * 3 + 1,
                                1);
                to = from.plusMonths(3);
            } else if (p.matches("\\d{4}-\\d{2}")) {
                from = YearMonth.parse(p).atDay(1);
                to = from.plusMonths(1);
            } else throw new DateTimeParseException("no period", p, 0);
        } catch (RuntimeException e) {
            throw bad(
                    "period",
                    "'period' is a year (2026), a quarter (2026-Q4) or a month (2026-11); got '"
                            + p
                            + "'");
        }
        return new Period(
                p,
                from.atStartOfDay(zone).toOffsetDateTime(),
                to.atStartOfDay(zone).toOffsetDateTime());
    }

    private static OffsetDateTime instant(String name, String v, ZoneId zone) {
        try {
            if (v.matches("\\d{4}-\\d{2}-\\d{2}"))
                return LocalDate.parse(v).atStartOfDay(zone).toOffsetDateTime();
            return OffsetDateTime.parse(v);
        } catch (DateTimeParseException e) {
            throw bad(
                    name,
                    "'"
                            + v
                            + "' is neither a date (2026-10-01) nor a date-time with an offset"
                            + " (2026-10-01T00:00:00+08:00)");
        }
    }

    private static ProblemException bad(String name, String detail) {
        return new ProblemException(Problem.invalidParameter(name, detail));
    }
}
