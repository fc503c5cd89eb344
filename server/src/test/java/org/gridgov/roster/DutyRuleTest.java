package org.gridgov.roster;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The on-duty rule over shifts and leave, without a database. */
class DutyRuleTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final long WORKER = 1, BACKUP = 2, LEADER = 3, SUB = 4;
    static final GridPeople GRID = new GridPeople(WORKER, BACKUP, LEADER);

    static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(ZONE).toInstant();
    }

    static Leave leave(long staff, String from, String to, Long substitute) {
        return new Leave(
                10 + staff, staff, at(from), at(to), LeaveKind.ANNUAL, substitute, "", null);
    }

    static Duty duty(String local, List<Shift> shifts, List<Leave> leave) {
        return DutyRule.onDuty(GRID, at(local), new DutyBook(ZONE, shifts, leave));
    }

    @Test
    void theWorkerWhenNotAway() {
        Duty d = duty("2026-12-07T10:00", List.of(), List.of());
        assertEquals(WORKER, d.staffId());
        assertEquals(Duty.Reason.WORKER, d.reason());
    }

    @Test
    void leaveFromNineToSixSendsTenOClockToTheBackupAndSevenToTheWorker() {
        List<Leave> away = List.of(leave(WORKER, "2026-12-07T09:00", "2026-12-07T18:00", null));
        assertEquals(
                new Duty(BACKUP, Duty.Reason.BACKUP_WORKER),
                duty("2026-12-07T10:00", List.of(), away));
        assertEquals(
                new Duty(BACKUP, Duty.Reason.BACKUP_WORKER),
                duty("2026-12-07T09:00", List.of(), away));
        assertEquals(
                new Duty(WORKER, Duty.Reason.WORKER), duty("2026-12-07T18:00", List.of(), away));
        assertEquals(
                new Duty(WORKER, Duty.Reason.WORKER), duty("2026-12-07T19:00", List.of(), away));
        assertEquals(
                new Duty(WORKER, Duty.Reason.WORKER), duty("2026-12-07T08:59", List.of(), away));
    }

    @Test
    void aNamedSubstituteComesBeforeTheBackup() {
        List<Leave> away = List.of(leave(WORKER, "2026-12-07T09:00", "2026-12-07T18:00", SUB));
        assertEquals(
                new Duty(SUB, Duty.Reason.SUBSTITUTE), duty("2026-12-07T10:00", List.of(), away));
        // the substitute away too: the backup
        List<Leave> both =
                List.of(away.get(0), leave(SUB, "2026-12-07T00:00", "2026-12-08T00:00", null));
        assertEquals(
                new Duty(BACKUP, Duty.Reason.BACKUP_WORKER),
                duty("2026-12-07T10:00", List.of(), both));
    }

    @Test
    void workerAndBackupAwayTheLeaderThenNobody() {
        List<Leave> away =
                List.of(
                        leave(WORKER, "2026-12-07T09:00", "2026-12-07T18:00", null),
                        leave(BACKUP, "2026-12-07T08:00", "2026-12-07T12:00", null));
        assertEquals(
                new Duty(LEADER, Duty.Reason.GRID_LEADER),
                duty("2026-12-07T10:00", List.of(), away));
        assertEquals(
                new Duty(BACKUP, Duty.Reason.BACKUP_WORKER),
                duty("2026-12-07T13:00", List.of(), away));
        List<Leave> all =
                List.of(
                        away.get(0),
                        away.get(1),
                        leave(LEADER, "2026-12-07T00:00", "2026-12-08T00:00", null));
        assertEquals(Duty.NOBODY, duty("2026-12-07T10:00", List.of(), all));
        // a grid that names nobody
        assertEquals(
                Duty.NOBODY,
                DutyRule.onDuty(GridPeople.NOBODY, at("2026-12-07T10:00"), DutyBook.EMPTY));
    }

    @Test
    void noWorkerNamedTheBackup() {
        GridPeople g = new GridPeople(null, BACKUP, LEADER);
        assertEquals(
                new Duty(BACKUP, Duty.Reason.BACKUP_WORKER),
                DutyRule.onDuty(g, at("2026-12-07T10:00"), DutyBook.EMPTY));
    }

    @Test
    void cancelledLeaveDoesNotCount() {
        Leave cancelled =
                new Leave(
                        9,
                        WORKER,
                        at("2026-12-07T09:00"),
                        at("2026-12-07T18:00"),
                        LeaveKind.SICK,
                        null,
                        "",
                        at("2026-12-06T12:00"));
        assertEquals(WORKER, duty("2026-12-07T10:00", List.of(), List.of(cancelled)).staffId());
    }

    @Test
    void onARosteredDayOnlyInsideTheShifts() {
        List<Shift> day =
                List.of(
                        new Shift(1, WORKER, at("2026-12-07T08:30"), at("2026-12-07T12:00"), ""),
                        new Shift(2, WORKER, at("2026-12-07T13:30"), at("2026-12-07T17:30"), ""));
        assertEquals(WORKER, duty("2026-12-07T09:00", day, List.of()).staffId());
        assertEquals(BACKUP, duty("2026-12-07T12:30", day, List.of()).staffId(), "lunch break");
        assertEquals(BACKUP, duty("2026-12-07T20:00", day, List.of()).staffId(), "evening");
        assertEquals(BACKUP, duty("2026-12-07T07:00", day, List.of()).staffId(), "early");
        // a day without shifts keeps the standing arrangement
        assertEquals(WORKER, duty("2026-12-08T20:00", day, List.of()).staffId());
    }

    @Test
    void anOvernightShiftCoversTheNextMorning() {
        List<Shift> night =
                List.of(new Shift(1, BACKUP, at("2026-12-07T20:00"), at("2026-12-08T08:00"), ""));
        List<Leave> away = List.of(leave(WORKER, "2026-12-07T00:00", "2026-12-09T00:00", null));
        assertEquals(BACKUP, duty("2026-12-08T03:00", night, away).staffId());
        assertEquals(BACKUP, duty("2026-12-07T21:00", night, away).staffId());
        // the night shift's own day: before it starts, the backup is off duty
        assertEquals(LEADER, duty("2026-12-07T10:00", night, away).staffId());
    }

    @Test
    void leaveBeatsAShift() {
        List<Shift> day =
                List.of(new Shift(1, WORKER, at("2026-12-07T08:30"), at("2026-12-07T17:30"), ""));
        List<Leave> away = List.of(leave(WORKER, "2026-12-07T09:00", "2026-12-07T11:00", null));
        assertEquals(BACKUP, duty("2026-12-07T10:00", day, away).staffId());
        assertEquals(WORKER, duty("2026-12-07T11:00", day, away).staffId());
    }
}
