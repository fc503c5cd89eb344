package org.gridgov.workflow;

/**
 * What a step's timer (case_timer.kind) does when it fires: remind before the deadline (催办),
 * supervise once it has passed (督办), escalate after the second deadline. One row per step moves
 * through them in this order.
 */
enum TimerKind {
    REMIND,
    OVERDUE,
    ESCALATE;

    /** The first kind a step's clock arms: a reminder when it has one. */
    static TimerKind first(DeadlineRules.StepClock clock) {
        return clock.remindAt() != null ? REMIND : OVERDUE;
    }
}
