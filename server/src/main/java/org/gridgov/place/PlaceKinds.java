package org.gridgov.place;

import java.util.List;

/** The kinds V25 allows (its CHECK constraints): places (场所) and facilities (部件). */
public final class PlaceKinds {

    /** The 九小场所 of fire inspections, rental housing, schools. */
    public static final List<String> PLACES =
            List.of(
                    "SHOP",
                    "RESTAURANT",
                    "WORKSHOP",
                    "HOTEL",
                    "ENTERTAINMENT",
                    "CLINIC",
                    "EDUCATION",
                    "RENTAL_HOUSING",
                    "SCHOOL",
                    "OTHER");

    public static final List<String> FACILITIES =
            List.of("MANHOLE", "STREET_LIGHT", "HYDRANT", "BIN", "BENCH", "SIGN", "OTHER");

    /** A place's or facility's code, as V25 checks it. */
    public static final String CODE = "[A-Za-z0-9_-]{1,40}";

    private PlaceKinds() {}
}
