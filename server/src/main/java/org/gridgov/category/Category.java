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
        boolean isPublic) {

    public boolean districtAuthority() {
        return "DISTRICT".equals(authority);
    }
}
