package org.gridgov.geo;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How precisely an incident's location is shown to the public (Open311, the tracking page): snapped
 * to a grid of {@value #GRID_DEGREES}°, about 55 m north–south and 48 m east–west here. Degrees,
 * not a planar grid: the same rule anywhere, in SQL and for any client, and the published
 * coordinates stay round numbers. One rule, so no public answer is finer than another.
 */
public final class PublicLocation {

    /** The grid, in degrees, public coordinates are snapped to. */
    public static final double GRID_DEGREES = 0.0005;

    private PublicLocation() {}

    /** The SQL expression of a geometry column snapped to the public grid. */
    public static String snapped(String column) {
        return "ST_SnapToGrid(" + column + ", " + GRID_DEGREES + ")";
    }

    /** A snapped coordinate as the round decimal it is (120.2905, not 120.29050000000001). */
    public static BigDecimal decimal(double snapped) {
        return BigDecimal.valueOf(snapped).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros();
    }
}
