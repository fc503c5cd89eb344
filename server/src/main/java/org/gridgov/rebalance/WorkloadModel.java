package org.gridgov.rebalance;

import java.time.Duration;

/**
 * How much work a base unit gives its grid worker, in hours per year (docs/planning.md). Every
 * parameter lives here, with its default; nothing else in the code knows a weight.
 *
 * <pre>
 * workload(u) = incidentHours · Σ category.weight over u's incidents in the window · (365 d / window)
 *             + householdHours · households(u) + personHours · population(u)
 *             + patrolHoursPerKm2 · area_km2(u)
 * </pre>
 *
 * @param incidentHours     hours per point of category weight (a weight-1.5 dispute costs 1.5 h)
 * @param householdHours    static care per household and year: visits, registration, checks
 * @param personHours       static care per resident and year (0: households carry it by default)
 * @param patrolHoursPerKm2 travel term: patrol and inspection hours per km² and year
 * @param window            default look-back window of incidents when a request names none
 * @param band              allowed deviation of a basic grid's workload from the plan mean (validation)
 */
public record WorkloadModel(double incidentHours, double householdHours, double personHours,
                            double patrolHoursPerKm2, Duration window, double band) {

    public static WorkloadModel defaults() {
        return new WorkloadModel(1.0, 2.0, 0.0, 300.0, Duration.ofDays(365), 0.5);
    }

    /** The workload of one unit; weightedIncidents is Σ category.weight in a window of windowDays. */
    public double unitWorkload(double weightedIncidents, double windowDays, int households, int population, double areaM2) {
        double perYear = windowDays <= 0 ? 0 : weightedIncidents * 365.0 / windowDays;
        return incidentHours * perYear + householdHours * households + personHours * population
                + patrolHoursPerKm2 * areaM2 / 1e6;
    }
}
