package org.gridgov.accountability;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/**
 * One case that shows one kind of finding in the period: how much (hops, extensions, hours, ignored
 * notices, reworks), the case's platform, stationed agency and grid, the people, and the events
 * behind it (steps, with the people's names).
 */
public record Finding(
        FindingKind kind,
        long incidentId,
        double measure,
        String status,
        String category,
        String platform,
        Long agencyId,
        String agencyName,
        Long gridId,
        String gridCode,
        String gridName,
        List<Person> people,
        ArrayNode steps) {

    /** The case's full history, as every row links to it. */
    public String history() {
        return "/api/v1/incidents/" + incidentId + "/events";
    }
}
