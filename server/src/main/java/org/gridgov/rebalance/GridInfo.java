package org.gridgov.rebalance;

/**
 * One grid of a plan as planning sees it. id is null for a grid a rebalance or an edit has made and
 * that is not stored yet; code (15 digits: community code + sequence) is its identity across plans.
 * workerId and backupWorkerId are the plan's grid worker and backup worker (the AB pair), or null.
 */
public record GridInfo(
        Long id,
        String code,
        String name,
        long communityId,
        String kind,
        Long workerId,
        Long backupWorkerId) {

    public boolean special() {
        return "SPECIAL".equals(kind);
    }

    /** The same grid under another name; code, kind and workers stay. */
    public GridInfo withName(String newName) {
        return new GridInfo(id, code, newName, communityId, kind, workerId, backupWorkerId);
    }

    /** The same grid with this worker and backup worker (either may be null). */
    public GridInfo withWorkers(Long worker, Long backup) {
        return new GridInfo(id, code, name, communityId, kind, worker, backup);
    }

    public GridInfo withId(long newId) {
        return new GridInfo(newId, code, name, communityId, kind, workerId, backupWorkerId);
    }
}
