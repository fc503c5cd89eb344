package org.gridgov.grid;

/**
 * What routing needs to know about one grid of a plan. assigneeId is null when nobody is on duty.
 */
public record GridCell(long id, String code, long communityId, Long assigneeId) {}
