package org.gridgov.rebalance;

/**
 * One grid of a plan as planning sees it. id is null for a grid a rebalance or an edit has made and
 * that is not stored yet; code (15 digits: community code + sequence) is its identity across plans.
 */
public record GridInfo(
        Long id, String code, String name, long communityId, String kind, Long workerId) {

    public boolean special() {
        return "SPECIAL".equals(kind);
    }

    public GridInfo withId(long newId) {
        return new GridInfo(newId, code, name, communityId, kind, workerId);
    }
}
