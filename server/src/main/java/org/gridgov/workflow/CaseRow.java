package org.gridgov.workflow;

import java.time.OffsetDateTime;
import org.gridgov.cases.CaseStatus;

/**
 * What the case engine needs to know of an incident row to decide on an action; {@code
 * subdistrictId} is the subdistrict that owns the case (null: the district's own), for the
 * isolation rule.
 */
public record CaseRow(
        long id,
        int version,
        CaseStatus status,
        String category,
        String urgency,
        String platform,
        Long gridId,
        Long communityId,
        Long assigneeId,
        boolean parked,
        boolean noOwner,
        String step,
        OffsetDateTime stepDueAt,
        OffsetDateTime reportedAt,
        Long duplicateOf,
        Integer satisfaction,
        Long subdistrictId) {}
