package org.gridgov.category;

import java.math.BigDecimal;

/**
 * One kind of matter a report can be about, and who handles it how fast. {@code isPublic}: cases of
 * it may be listed to the public (Open311) when the public reported them (docs/open311.md).
 */
public record Category(
        String code,
        String platform,
        String nameZh,
        String nameEn,
        int deadlineHours,
        BigDecimal weight,
        String authority,
        String urgency,
        boolean isPublic,
        boolean routeByFacility) {

    /** A category whose cases are not routed by a named facility's department. */
    public Category(
            String code,
            String platform,
            String nameZh,
            String nameEn,
            int deadlineHours,
            BigDecimal weight,
            String authority,
            String urgency,
            boolean isPublic) {
        this(
                code,
                platform,
                nameZh,
                nameEn,
                deadlineHours,
                weight,
                authority,
                urgency,
                isPublic,
                false);
    }

    public boolean districtAuthority() {
        return "DISTRICT".equals(authority);
    }
}
