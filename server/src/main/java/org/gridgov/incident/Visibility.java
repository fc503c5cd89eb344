package org.gridgov.incident;

/**
 * Which incidents a reader may see: all, or those of one grid, community or platform, plus
 * those assigned to them. Decided from the caller's scope by {@link IncidentRoutes}.
 */
public record Visibility(boolean all, Long gridId, Long communityId, String platform, Long assigneeId, boolean reporters) {
}
