package org.gridgov.area;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** What a base unit is used for: the values base_unit.land_use allows (V1's CHECK). */
public enum LandUse {
    RESIDENTIAL,
    COMMERCIAL,
    INDUSTRIAL,
    VILLAGE,
    PUBLIC,
    OPEN;

    /** The names, in the order above. */
    public static final List<String> NAMES = Arrays.stream(values()).map(Enum::name).toList();

    /** The names as an SQL list of literals: 'RESIDENTIAL', 'COMMERCIAL', … */
    public static String sqlList() {
        return NAMES.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }
}
