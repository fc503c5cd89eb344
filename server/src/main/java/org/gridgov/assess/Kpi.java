package org.gridgov.assess;

import java.util.Map;

/**
 * The figures of one assessed unit over a period (definitions in docs/assessment.md). Rates are
 * null when their base is empty.
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
        long ratings) {}
