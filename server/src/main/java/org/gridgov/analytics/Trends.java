package org.gridgov.analytics;

/**
 * Is a count this period out of line with the same place's previous periods? With counts roughly
 * Poisson, z = (current − mean of previous) / √(mean + 1) (the +1 keeps places with an empty
 * history from dividing by zero). Rising: z ≥ 1.96 with at least 3 this period; falling: z ≤ −1.96;
 * emerging hot spot (a cell much hotter than its own history): z ≥ 2.58 and ≥ 3.
 */
final class Trends {

    static final double RISING_Z = 1.96;
    static final double EMERGING_Z = 2.58;
    static final int MIN_COUNT = 3;

    private Trends() {}

    /** counts[0..n-1] are the previous periods, oldest first; counts[n] is the current one. */
    static double z(long[] counts) {
        int n = counts.length - 1;
        double mean = 0;
        for (int k = 0; k < n; k++) mean += counts[k];
        mean /= n;
        return (counts[n] - mean) / Math.sqrt(mean + 1);
    }

    static double previousMean(long[] counts) {
        int n = counts.length - 1;
        double mean = 0;
        for (int k = 0; k < n; k++) mean += counts[k];
        return mean / n;
    }

    static String trend(long[] counts) {
        double z = z(counts);
        if (z >= RISING_Z && counts[counts.length - 1] >= MIN_COUNT) return "rising";
        if (z <= -RISING_Z) return "falling";
        return "steady";
    }

    static boolean emerging(long[] counts) {
        return z(counts) >= EMERGING_Z && counts[counts.length - 1] >= MIN_COUNT;
    }
}
