package org.gridgov.roster;

import java.sql.SQLException;
import java.time.ZoneId;

/**
 * The shifts and leave in memory for the on-duty rule: routing asks {@link #book()} per report
 * without a query. {@link #refreshIfChanged} re-reads the tables when they changed (on a timer, and
 * at once after this instance's own writes), so several instances converge.
 */
public final class DutyRoster {

    private final RosterStore store;
    private final ZoneId zone;
    private volatile DutyBook book;
    private volatile String fingerprint = "";

    public DutyRoster(RosterStore store, ZoneId zone) {
        this.store = store;
        this.zone = zone;
        this.book = new DutyBook(zone, java.util.List.of(), java.util.List.of());
    }

    public static DutyRoster load(RosterStore store, ZoneId zone) throws SQLException {
        DutyRoster r = new DutyRoster(store, zone);
        r.refreshIfChanged();
        return r;
    }

    /** A roster that never changes (tests, tools without a database). */
    public static DutyRoster fixed(DutyBook book) {
        DutyRoster r = new DutyRoster(null, book.zone());
        r.book = book;
        return r;
    }

    public DutyBook book() {
        return book;
    }

    public ZoneId zone() {
        return zone;
    }

    public synchronized boolean refreshIfChanged() throws SQLException {
        if (store == null) return false;
        String now = store.fingerprint();
        if (now.equals(fingerprint)) return false;
        book = store.book(zone);
        fingerprint = now;
        return true;
    }
}
