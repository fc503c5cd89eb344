package org.gridgov.incident;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Anonymises reporters once their case has ended long enough (GRIDGOV_REPORTER_RETENTION_DAYS,
 * docs/personal-data.md): their name and phone, and the followers of the case, are erased; the case
 * itself, its events and every count stay. Run by the server's periodic scheduler (app/Gridgov).
 */
public final class ReporterRetention {

    /** Cases per transaction: short locks on a large table. */
    static final int BATCH = 1000;

    private final IncidentStore store;
    private final int days;

    /**
     * @param days how long after a case ends its reporter is kept; positive (0, "off", is not
     *     scheduled)
     */
    public ReporterRetention(IncidentStore store, int days) {
        if (days <= 0) throw new IllegalArgumentException("retention days must be positive");
        this.store = store;
        this.days = days;
    }

    /** Erases what is due at {@code now}; returns how many cases were anonymised. */
    public int run(Instant now) throws SQLException {
        return store.eraseReporters(
                now.minus(Duration.ofDays(days)).atOffset(ZoneOffset.UTC), BATCH);
    }
}
