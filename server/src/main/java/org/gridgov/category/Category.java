package org.gridgov.category;

import java.math.BigDecimal;

/** One kind of matter a report can be about, and who handles it how fast. */
public record Category(String code, String platform, String nameZh, String nameEn, int deadlineHours,
                       BigDecimal weight, String authority, String urgency) {

    public boolean districtAuthority() {
        return "DISTRICT".equals(authority);
    }
}
