package org.gridgov.workorder;

import org.gridgov.incident.FirstStep;
import org.gridgov.incident.IncidentReport;
import org.gridgov.incident.Routing;

/** The case an order becomes, decided in memory before it is written. */
record CasePlan(IncidentReport report, Routing routing, FirstStep first) {

    /** Decides the case of a located order; throws a ProblemException (out of area, no plan). */
    interface Planner {
        CasePlan plan(WorkOrder order, double lon, double lat);
    }
}
