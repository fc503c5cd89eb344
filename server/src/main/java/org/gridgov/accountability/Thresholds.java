package org.gridgov.accountability;

/**
 * When a case becomes a finding: at least minHops hand-overs, minExtensions extension requests,
 * minReworks failed verifications in the period; an ownerless spell longer than noOwnerHours.
 */
public record Thresholds(int minHops, int minExtensions, int minReworks, double noOwnerHours) {
    public static final Thresholds DEFAULT = new Thresholds(2, 2, 2, 24);
}
