package org.gridgov.assess;

import java.util.Map;

/**
 * The figures of one assessed unit over a period (definitions in docs/assessment.md). Rates are
 * null when their base is empty. {@code satisfaction} is the mean rating of those rated, {@code
 * ratings} how many were rated, {@code notSolved} how many of them the reporter said were not
 * solved (each sent back to rework). {@code leaderSupervisions}: 督办 issued by a leader on the
 * cases, {@code leaderSupervisionsMet} those met (resolved by their deadline), apart from the
 * automatic notices counted in {@code supervised}.
 */
public record Kpi(
        String unit,
        long reports,
        Map<String, Long> byChannel,
        long rejected,
        long closed,
        Double closureRate,
        long dueBase,
        long parked,
        long onTimeClosed,
        Double onTimeClosureRate,
        Double onTimeAcceptanceRate,
        Double onTimeDispatchRate,
        Double meanHandlingHours,
        Double p90HandlingHours,
        long reworks,
        Double reworkRate,
        long overdue,
        long supervised,
        long escalations,
        Double satisfaction,
        long ratings,
        long notSolved,
        long leaderSupervisions,
        long leaderSupervisionsMet) {

    /** A unit with no reported case in the period (only field tasks): counts 0, rates null. */
    static Kpi noCases(String unit) {
        return new Kpi(
                unit, 0, Map.of(), 0, 0, null, 0, 0, 0, null, null, null, null, null, 0, null, 0, 0,
                0, null, 0, 0, 0, 0);
    }
}
