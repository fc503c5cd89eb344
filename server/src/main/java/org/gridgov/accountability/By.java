package org.gridgov.accountability;

import java.util.Locale;

/**
 * How findings are grouped: the case's platform, the stationed agency (the platform handler the
 * case was last dispatched to, as assessment counts it), the grid, or each person answerable.
 */
public enum By {
    PLATFORM,
    AGENCY,
    GRID,
    PERSON;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
