package org.gridgov.grid;

import org.gridgov.roster.GridPeople;

/**
 * What routing needs to know about one grid of a plan: its people, from whom the on-duty rule
 * (roster/DutyRule) picks at the report time.
 */
public record GridCell(long id, String code, long communityId, GridPeople people) {}
