package org.gridgov.roster;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shifts and leave of every member of staff, in memory (an immutable snapshot that {@link
 * DutyRoster} replaces when the tables change), and whether a person is available at an instant:
 * not on leave, and — on a day the roster gives them shifts — inside one of them. A day without
 * shifts keeps the standing arrangement: the person is available all day (docs/rosters.md).
 */
public final class DutyBook {

    public static final DutyBook EMPTY = new DutyBook(ZoneId.of("UTC"), List.of(), List.of());

    private final ZoneId zone;
    private final Map<Long, List<Shift>> shifts = new HashMap<>();
    private final Map<Long, List<Leave>> leave = new HashMap<>();

    public DutyBook(ZoneId zone, Collection<Shift> shifts, Collection<Leave> leave) {
        this.zone = zone;
        for (Shift s : shifts)
            this.shifts.computeIfAbsent(s.staffId(), k -> new ArrayList<>()).add(s);
        for (Leave l : leave)
            if (l.cancelledAt() == null)
                this.leave.computeIfAbsent(l.staffId(), k -> new ArrayList<>()).add(l);
    }

    public ZoneId zone() {
        return zone;
    }

    /** The leave staffId is on at t, if any. */
    public Optional<Leave> leaveAt(long staffId, Instant t) {
        for (Leave l : leave.getOrDefault(staffId, List.of()))
            if (l.covers(t)) return Optional.of(l);
        return Optional.empty();
    }

    /**
     * Whether staffId may be given work at t: not on leave, and inside a shift when the roster
     * gives them any shift starting on t's date (in the area's time zone).
     */
    public boolean available(long staffId, Instant t) {
        if (leaveAt(staffId, t).isPresent()) return false;
        List<Shift> own = shifts.getOrDefault(staffId, List.of());
        if (own.isEmpty()) return true;
        LocalDate day = t.atZone(zone).toLocalDate();
        boolean rostered = false;
        for (Shift s : own) {
            if (s.covers(t)) return true;
            if (s.start().atZone(zone).toLocalDate().equals(day)) rostered = true;
        }
        return !rostered;
    }
}
