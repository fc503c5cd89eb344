package org.gridgov.task;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A task as stored and answered (docs/tasks.md, the Tasks contract of issue #18).
 *
 * @param targetId the unit's or place's id; null for an area
 * @param incidentIds the incidents its failed checks made
 */
public record Task(
        long id,
        TaskKind kind,
        String title,
        Long campaignId,
        TargetType targetType,
        Long targetId,
        String targetName,
        double lon,
        double lat,
        Long gridId,
        Long communityId,
        Long assigneeId,
        OffsetDateTime dueAt,
        String state,
        int version,
        OffsetDateTime createdAt,
        OffsetDateTime completedAt,
        String note,
        Long recheckOf,
        Long recheckIncidentId,
        List<Long> incidentIds,
        List<CheckItem> checks) {

    public boolean open() {
        return "OPEN".equals(state);
    }

    Task withChecks(List<CheckItem> items) {
        return new Task(
                id,
                kind,
                title,
                campaignId,
                targetType,
                targetId,
                targetName,
                lon,
                lat,
                gridId,
                communityId,
                assigneeId,
                dueAt,
                state,
                version,
                createdAt,
                completedAt,
                note,
                recheckOf,
                recheckIncidentId,
                incidentIds,
                items);
    }
}
