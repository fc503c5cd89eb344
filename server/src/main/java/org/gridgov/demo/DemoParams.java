package org.gridgov.demo;

/**
 * What the demo generator builds. The same parameters always give the same subdistrict.
 *
 * @param seed random seed
 * @param incidents incident history size (50,000 for the demo, 1,000,000 for benchmarks)
 * @param householdsPerGrid target households per basic grid (300–500 in common practice)
 * @param units approximate number of base units
 * @param communities number of communities (村/社区)
 */
public record DemoParams(
        long seed, int incidents, int householdsPerGrid, int units, int communities) {

    public static DemoParams defaults() {
        return new DemoParams(20240601L, 50_000, 400, 6_000, 24);
    }

    /** A small area for tests: same shape of data, seconds to build. */
    public static DemoParams small() {
        return new DemoParams(7L, 2_000, 400, 1_200, 6);
    }
}
