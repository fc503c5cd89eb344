package org.gridgov.task;

import org.gridgov.roster.GridPeople;

/**
 * A task's target as resolved in the database: its point, and its grid under the plan in effect
 * with the grid's people (for the on-duty rule). gridId null: outside every grid.
 *
 * @param id the unit's or place's id; null for an area
 * @param area the area as GeoJSON, for an AREA target
 */
public record Target(
        TargetType type,
        Long id,
        String name,
        double lon,
        double lat,
        String area,
        Long gridId,
        Long communityId,
        GridPeople people) {}
