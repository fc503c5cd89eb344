package org.gridgov.demo;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * What the demo generator builds. The same parameters always give the same subdistrict, and the
 * same parameters with the same anchor the same incident history.
 *
 * @param seed random seed
 * @param incidents incident history size (50,000 for the demo, 1,000,000 for benchmarks)
 * @param householdsPerGrid target households per basic grid (300–500 in common practice)
 * @param units approximate number of base units
 * @param communities number of communities (村/社区)
 * @param anchor the end of the incident history: the load time for a demo people look at, {@link
 *     #FIXED_ANCHOR} where figures must not move (benchmarks, unit tests)
 */
public record DemoParams(
        long seed,
        int incidents,
        int householdsPerGrid,
        int units,
        int communities,
        Instant anchor) {

    /** The anchor of the benchmarks' history (and of every demo before it followed the clock). */
    public static final Instant FIXED_ANCHOR =
            OffsetDateTime.of(2026, 11, 1, 0, 0, 0, 0, ZoneOffset.ofHours(8)).toInstant();

    public DemoParams {
        Objects.requireNonNull(anchor, "anchor");
    }

    /** The history ends at {@link #FIXED_ANCHOR}. */
    public DemoParams(long seed, int incidents, int householdsPerGrid, int units, int communities) {
        this(seed, incidents, householdsPerGrid, units, communities, FIXED_ANCHOR);
    }

    public static DemoParams defaults() {
        return new DemoParams(20240601L, 50_000, 400, 6_000, 24);
    }

    /** A small area for tests: same shape of data, seconds to build. */
    public static DemoParams small() {
        return new DemoParams(7L, 2_000, 400, 1_200, 6);
    }

    /** The same area with its history ending at {@code anchor} (e.g. the load time). */
    public DemoParams withAnchor(Instant anchor) {
        return new DemoParams(seed, incidents, householdsPerGrid, units, communities, anchor);
    }
}
