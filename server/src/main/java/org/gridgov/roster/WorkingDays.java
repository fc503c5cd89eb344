package org.gridgov.roster;

import java.time.LocalDate;

/**
 * Which dates are working days (the working calendar's holidays and 调休 make-up days); the wiring
 * passes workflow's calendar in, so this package does not depend on workflow.
 */
@FunctionalInterface
public interface WorkingDays {
    boolean isWorkingDay(LocalDate date);
}
