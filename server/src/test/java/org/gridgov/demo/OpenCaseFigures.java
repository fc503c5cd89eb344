package org.gridgov.demo;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.gridgov.demo.DemoIncidents.Incident;

/**
 * What the command centre shows of a generated history at a moment {@code now}: open cases (every
 * state but CLOSED and REJECTED), how many are within their deadline, near it (due within 24 h) or
 * overdue (due_at before now, as the situation panel counts), the oldest overdue in days, and the
 * reports of its default window "this week" (the 7 calendar days ending today, Asia/Shanghai).
 */
record OpenCaseFigures(
        int open, int within, int near, int overdue, double maxOverdueDays, int thisWeek) {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    static OpenCaseFigures of(List<Incident> rows, Instant now) {
        long t = now.getEpochSecond();
        long weekStart =
                LocalDate.ofInstant(now, ZONE).minusDays(6).atStartOfDay(ZONE).toEpochSecond();
        int open = 0, within = 0, near = 0, overdue = 0, week = 0;
        long maxLate = 0;
        for (Incident i : rows) {
            if (i.reportedAt() >= weekStart && i.reportedAt() <= t) week++;
            if (i.status().equals("CLOSED") || i.status().equals("REJECTED")) continue;
            open++;
            if (i.dueAt() < t) {
                overdue++;
                maxLate = Math.max(maxLate, t - i.dueAt());
            } else {
                within++;
                if (i.dueAt() - t <= 86_400) near++;
            }
        }
        return new OpenCaseFigures(open, within, near, overdue, maxLate / 86_400.0, week);
    }

    double withinShare() {
        return open == 0 ? 1 : (double) within / open;
    }

    double overdueShare() {
        return open == 0 ? 0 : (double) overdue / open;
    }

    @Override
    public String toString() {
        return String.format(
                "open %d: within deadline %d (%.1f %%, due within 24 h %d), overdue %d (%.1f %%,"
                        + " oldest %.0f days); this week %d reports",
                open,
                within,
                100 * withinShare(),
                near,
                overdue,
                100 * overdueShare(),
                maxOverdueDays,
                thisWeek);
    }
}
