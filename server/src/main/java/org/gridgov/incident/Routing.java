package org.gridgov.incident;

import java.time.OffsetDateTime;

/**
 * Who answers for a report. jurisdiction is SUBDISTRICT, or DISTRICT when the matter is beyond the
 * subdistrict's authority or happened outside it; transferReason then says which. Grid, community
 * and assignee are null for a report outside the subdistrict.
 */
public record Routing(
        Long planId,
        Long gridId,
        String gridCode,
        Long communityId,
        String platform,
        Long assigneeId,
        OffsetDateTime dueAt,
        String jurisdiction,
        String transferReason) {

    public boolean transferred() {
        return "DISTRICT".equals(jurisdiction);
    }
}
