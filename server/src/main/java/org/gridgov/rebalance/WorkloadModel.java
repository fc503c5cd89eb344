package org.gridgov.rebalance;

import java.time.Duration;

/**
 * How much work a base unit gives its grid worker, in hours per year (docs/planning.md). Every
 * parameter lives here, with its default; nothing else in the code knows a weight.
 *
 * <pre>
 * workload(u) = incidentHours · Σ over u's incidents in the window of category.weight · handling factor · (365 d / window)
 *             + householdHours · households(u) + personHours · population(u)
 *             + roadHoursPerKm · road_km(u)          where roads run inside u
 *               (patrolHoursPerKm2 · area_km2(u)     where none do)
 * </pre>
 *
 * The handling factor says how heavy a case was compared with the typical case of the window: its
 * own handling time (first ACCEPT/DISPATCH event to closed_at, capped at handlingCapHours) over the
 * mean of all measured cases; a case not (yet) measured takes its category's mean over the overall
 * mean when the category has at least handlingMinCases measured cases, else 1 (the category weight
 * alone). Factors are clamped to [1/handlingFactorCap, handlingFactorCap]. Relative, not absolute
 * hours: elapsed time from dispatch to close includes nights, waiting for other parties and parts,
 * so it ranks cases by effort but does not measure it; the category weight times incidentHours
 * keeps the absolute scale.
 *
 * @param incidentHours hours per point of category weight (a weight-1.5 dispute costs 1.5 h)
 * @param householdHours static care per household and year: visits, registration, checks
 * @param personHours static care per resident and year (0: households carry it by default)
 * @param roadHoursPerKm travel term: hours per km of road inside the unit and year (every road
 *     walked weekly at 4 km/h: 52 × 0.25 h = 13)
 * @param patrolHoursPerKm2 travel term where a unit has no road: patrol and inspection hours per
 *     km² and year
 * @param handlingCapHours handling times are capped here (a case parked for months is not months of
 *     work)
 * @param handlingMinCases measured cases a category needs before its mean handling time counts
 * @param handlingFactorCap handling factors are clamped to [1/cap, cap]
 * @param window default look-back window of incidents when a request names none
 * @param band allowed deviation of a basic grid's workload from the plan mean (validation)
 */
public record WorkloadModel(
        double incidentHours,
        double householdHours,
        double personHours,
        double roadHoursPerKm,
        double patrolHoursPerKm2,
        double handlingCapHours,
        int handlingMinCases,
        double handlingFactorCap,
        Duration window,
        double band) {

    public static WorkloadModel defaults() {
        return new WorkloadModel(
                1.0, 2.0, 0.0, 13.0, 300.0, 720.0, 5, 4.0, Duration.ofDays(365), 0.5);
    }

    /**
     * The workload of one unit; weightedIncidents is Σ category.weight · handling factor in a
     * window of windowDays; roadM the road length inside the unit (0: the area term stands in).
     */
    public double unitWorkload(
            double weightedIncidents,
            double windowDays,
            int households,
            int population,
            double areaM2,
            double roadM) {
        double perYear = windowDays <= 0 ? 0 : weightedIncidents * 365.0 / windowDays;
        return incidentHours * perYear
                + householdHours * households
                + personHours * population
                + travel(areaM2, roadM);
    }

    /** The travel term: road length to cover, or the area where the unit has no road. */
    public double travel(double areaM2, double roadM) {
        return roadM > 0 ? roadHoursPerKm * roadM / 1000 : patrolHoursPerKm2 * areaM2 / 1e6;
    }

    /** A handling time (hours) capped as the model says. */
    public double cappedHours(double hours) {
        return Math.max(0, Math.min(handlingCapHours, hours));
    }

    /**
     * The handling factor of a case that took (capped) hours, when the typical case takes
     * meanHours.
     */
    public double handlingFactor(double hours, double meanHours) {
        if (!(meanHours > 0)) return 1;
        double f = hours / meanHours;
        return Math.max(1 / handlingFactorCap, Math.min(handlingFactorCap, f));
    }
}
