package org.gridgov.roster;

import java.time.Instant;
import java.util.Optional;

/**
 * Who is on duty for a grid at a time — the one place this is decided, for routing at intake,
 * dispatch and the nearest responders (docs/rosters.md): the grid's worker when available; else,
 * when the worker is on leave with a named substitute who is available, the substitute; else the
 * backup worker when available; else the grid leader of the grid's community when available; else
 * nobody (the command centre dispatches by hand).
 */
public final class DutyRule {

    private DutyRule() {}

    public static Duty onDuty(GridPeople g, Instant t, DutyBook book) {
        Long worker = g.workerId();
        if (worker != null) {
            if (book.available(worker, t)) return new Duty(worker, Duty.Reason.WORKER);
            Optional<Leave> away = book.leaveAt(worker, t);
            Long sub = away.map(Leave::substituteId).orElse(null);
            if (sub != null && book.available(sub, t)) return new Duty(sub, Duty.Reason.SUBSTITUTE);
        }
        Long backup = g.backupWorkerId();
        if (backup != null && book.available(backup, t))
            return new Duty(backup, Duty.Reason.BACKUP_WORKER);
        Long leader = g.leaderId();
        if (leader != null && book.available(leader, t))
            return new Duty(leader, Duty.Reason.GRID_LEADER);
        return Duty.NOBODY;
    }
}
